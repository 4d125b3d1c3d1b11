// Package cli implements the innograph command: its subcommands, their
// flags and the environment variables that stand for them.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// command is one subcommand.
type command struct {
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

var commands = map[string]command{
	"serve":   {"serve the GraphQL API and GraphiQL", runServe},
	"seed":    {"replace the store's contents with the demo ecosystem", runSeed},
	"migrate": {"create the store's schema (Neo4j constraints and indexes)", runMigrate},
	"import":  {"import CSV, Excel, JSON and JSON Lines files (or write an import template)", runImport},
	"export":  {"export the graph as GEXF, GraphML, Cytoscape.js JSON, CSV or JSON Lines", runExport},
	"keys":    {"make API keys for writing through the API (keys new)", runKeys},
}

// Main runs the command line args and returns the exit code.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "innograph: unknown command %q\n\n", args[0])
		usage(stderr)
		return 2
	}
	if err := cmd.run(ctx, args[1:], stdout, stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(stderr, "innograph %s: %v\n", args[0], err)
		return 1
	}
	return 0
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: innograph <command> [flags]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-8s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun `innograph <command> -h` for its flags; every flag has an environment variable.")
}

// flags is a flag set whose flags default to environment variables.
type flags struct {
	*flag.FlagSet
	errs []error
}

func newFlags(name string, stderr io.Writer) *flags {
	fs := flag.NewFlagSet("innograph "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return &flags{FlagSet: fs}
}

func envName(flagName string) string {
	return "INNOGRAPH_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

func (f *flags) envOr(name, env string) (string, string) {
	if env == "" {
		env = envName(name)
	}
	return os.Getenv(env), env
}

// str defines a string flag defaulting to $env (or INNOGRAPH_NAME).
func (f *flags) str(p *string, name, env, def, usage string) {
	v, env := f.envOr(name, env)
	if v == "" {
		v = def
	}
	f.StringVar(p, name, v, fmt.Sprintf("%s (env %s)", usage, env))
}

func (f *flags) int(p *int, name, env string, def int, usage string) {
	v, env := f.envOr(name, env)
	if v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			f.errs = append(f.errs, fmt.Errorf("%s=%q: want an integer", env, v))
		}
		def = n
	}
	f.IntVar(p, name, def, fmt.Sprintf("%s (env %s)", usage, env))
}

func (f *flags) float(p *float64, name, env string, def float64, usage string) {
	v, env := f.envOr(name, env)
	if v != "" {
		n, err := strconv.ParseFloat(v, 64)
		if err != nil {
			f.errs = append(f.errs, fmt.Errorf("%s=%q: want a number", env, v))
		}
		def = n
	}
	f.Float64Var(p, name, def, fmt.Sprintf("%s (env %s)", usage, env))
}

func (f *flags) duration(p *time.Duration, name, env string, def time.Duration, usage string) {
	v, env := f.envOr(name, env)
	if v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			f.errs = append(f.errs, fmt.Errorf("%s=%q: want a duration such as 30s", env, v))
		}
		def = d
	}
	f.DurationVar(p, name, def, fmt.Sprintf("%s (env %s)", usage, env))
}

func (f *flags) parse(args []string) error {
	if err := f.Parse(args); err != nil {
		return err
	}
	if f.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %s", strings.Join(f.Args(), " "))
	}
	return errors.Join(f.errs...)
}

// DefaultDataDir is where the embedded store lives unless told otherwise.
func DefaultDataDir() string {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "innograph")
	}
	if h, err := os.UserHomeDir(); err == nil {
		return filepath.Join(h, ".local", "share", "innograph")
	}
	return "innograph-data"
}

// logging holds the log flags.
type logging struct{ format, level string }

func (l *logging) define(f *flags) {
	f.str(&l.format, "log-format", "", "text", "log format: text or json")
	f.str(&l.level, "log-level", "", "info", "log level: debug, info, warn, error")
}

// quietLogger logs warnings and errors as text: for commands whose output
// is their result.
func quietLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

func (l *logging) logger(w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(l.level)); err != nil {
		return nil, fmt.Errorf("log level %q: want debug, info, warn or error", l.level)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch l.format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("log format %q: want text or json", l.format)
}
