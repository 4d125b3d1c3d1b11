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
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// commands are the subcommands, by name.
var commands = map[string]func(ctx context.Context, args []string, stdout, stderr io.Writer) error{
	"serve":   runServe,
	"seed":    runSeed,
	"migrate": runMigrate,
	"import":  runImport,
	"export":  runExport,
	"keys":    runKeys,
}

// summaries say what each command does, for the help.
var summaries = map[string]string{
	"serve":   "serve the GraphQL API and GraphiQL",
	"seed":    "replace the store's contents with the demo ecosystem",
	"migrate": "create the store's schema (Neo4j constraints and indexes)",
	"import":  "import CSV, Excel, JSON and JSON Lines files (or write an import template)",
	"export":  "export the graph as GEXF, GraphML, Cytoscape.js JSON, CSV or JSON Lines",
	"keys":    "make API keys for writing through the API (keys new, keys hash)",
}

// Main runs the command line args and returns the exit code.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 2 && args[0] == "help" && commands[args[1]] != nil {
		args = []string{args[1], "-h"} // innograph help seed
	}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		return 0
	}
	run, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "innograph: unknown command %q\n\n", args[0])
		usage(stderr)
		return 2
	}
	if err := run(ctx, args[1:], stdout, stderr); err != nil {
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
		fmt.Fprintf(w, "  %-8s %s\n", n, summaries[n])
	}
	fmt.Fprintln(w, "\nRun innograph <command> -h for its flags; every flag has an environment variable.")
}

// flags is a flag set in which every flag has an environment variable:
// a flag not given on the command line takes the variable's value when it
// is set and not empty. Both go through the flag's one parser, so that a
// value means the same and is refused with the same message wherever it
// comes from.
type flags struct {
	*flag.FlagSet
	cmd    string // "serve", "keys new", …
	args   string // what follows the flags in the usage line
	about  string // what the command does, for its help
	more   string // more of the help, after about
	stdout io.Writer
	meta   map[string]flagMeta
	// fromEnv holds the environment variables of the flags whose values
	// came from them.
	fromEnv map[string]string
}

// flagMeta is what the help says of a flag besides its usage.
type flagMeta struct {
	env string // environment variable
	arg string // name of the value in the help; "" for a boolean
}

func newFlags(cmd string, stdout, stderr io.Writer) *flags {
	fs := flag.NewFlagSet("innograph "+cmd, flag.ContinueOnError)
	// The flag package prints parse errors and the usage to its output;
	// parse returns the errors instead, and -h prints the help to stdout.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	f := &flags{FlagSet: fs, cmd: cmd, stdout: stdout, meta: map[string]flagMeta{}, fromEnv: map[string]string{}}
	f.about = summaries[strings.Fields(cmd)[0]]
	return f
}

// envName is the environment variable of a flag that names none:
// INNOGRAPH_ and the flag's name in upper case, dashes as underscores.
func envName(flagName string) string {
	return "INNOGRAPH_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// value is a flag.Value of type T with a parser whose errors say what
// the flag wants.
type value[T any] struct {
	p      *T
	parse  func(string) (T, error)
	format func(T) string
}

func (v *value[T]) Set(s string) error {
	x, err := v.parse(s)
	if err != nil {
		return err
	}
	*v.p = x
	return nil
}

func (v *value[T]) String() string {
	if v == nil || v.p == nil {
		return ""
	}
	return v.format(*v.p)
}

func (v *value[T]) Get() any { return *v.p }

// boolValue is a value that needs no argument on the command line.
type boolValue struct{ value[bool] }

func (*boolValue) IsBoolFlag() bool { return true }

// define adds a flag of value v with default def. usage may name the
// value by back-quoting a word (`ADDRESS`), as the flag package does;
// else the help calls it arg. env "" means envName(name).
func define[T any](f *flags, v flag.Value, p *T, def T, name, env, arg, usage string) {
	*p = def
	if env == "" {
		env = envName(name)
	}
	if i := strings.Index(usage, "`"); i >= 0 {
		if j := strings.Index(usage[i+1:], "`"); j >= 0 {
			arg = usage[i+1 : i+1+j]
			usage = usage[:i] + arg + usage[i+1+j+1:]
		}
	}
	f.Var(v, name, usage)
	f.meta[name] = flagMeta{env: env, arg: arg}
}

// str defines a string flag.
func (f *flags) str(p *string, name, env, def, usage string) {
	v := &value[string]{p: p, parse: func(s string) (string, error) { return s, nil }, format: func(s string) string { return s }}
	define(f, v, p, def, name, env, "TEXT", usage)
}

// int defines an integer flag.
func (f *flags) int(p *int, name, env string, def int, usage string) {
	v := &value[int]{p: p, parse: func(s string) (int, error) {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return 0, errors.New("want an integer")
		}
		return n, nil
	}, format: strconv.Itoa}
	define(f, v, p, def, name, env, "N", usage)
}

// float defines a number flag.
func (f *flags) float(p *float64, name, env string, def float64, usage string) {
	v := &value[float64]{p: p, parse: func(s string) (float64, error) {
		x, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return 0, errors.New("want a number")
		}
		return x, nil
	}, format: func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }}
	define(f, v, p, def, name, env, "X", usage)
}

// duration defines a duration flag.
func (f *flags) duration(p *time.Duration, name, env string, def time.Duration, usage string) {
	v := &value[time.Duration]{p: p, parse: func(s string) (time.Duration, error) {
		d, err := time.ParseDuration(strings.TrimSpace(s))
		if err != nil {
			return 0, errors.New("want a duration such as 30s, 500ms or 2m")
		}
		return d, nil
	}, format: time.Duration.String}
	define(f, v, p, def, name, env, "DURATION", usage)
}

// boolean defines a flag that is off unless given (--name or
// --name=true) or its variable is true; values are those of
// strconv.ParseBool.
func (f *flags) boolean(p *bool, name, env string, usage string) {
	v := &boolValue{value[bool]{p: p, parse: func(s string) (bool, error) {
		b, err := strconv.ParseBool(strings.TrimSpace(s))
		if err != nil {
			return false, errors.New("want true or false (1, 0, t, f, TRUE, FALSE, …)")
		}
		return b, nil
	}, format: strconv.FormatBool}}
	define(f, v, p, false, name, env, "", usage)
}

// flagError is a flag value that a command refuses.
type flagError struct {
	flag  string // the flag's name
	value any
	want  string // what is wrong, what the flag wants
}

// badFlag returns a *flagError.
func badFlag(flag string, value any, want string) error {
	return &flagError{flag: flag, value: value, want: want}
}

func (e *flagError) Error() string {
	v := fmt.Sprint(e.value)
	if s, ok := e.value.(string); ok {
		if s == "" {
			return fmt.Sprintf("--%s is empty: %s", e.flag, e.want)
		}
		v = strconv.Quote(s)
	}
	return fmt.Sprintf("--%s %s: %s", e.flag, v, e.want)
}

// annotate rewords a *flagError about a flag whose value came from its
// environment variable so that it names the variable.
func (f *flags) annotate(err error) error {
	var fe *flagError
	if errors.As(err, &fe) && f.fromEnv[fe.flag] != "" {
		env := f.fromEnv[fe.flag]
		return fmt.Errorf("%s=%q (for --%s): %s", env, os.Getenv(env), fe.flag, fe.want)
	}
	return err
}

// parse parses the command line, then the environment variables of the
// flags it does not give. With -h or --help it prints the help and
// returns flag.ErrHelp.
func (f *flags) parse(args []string) error {
	if err := f.parseFlags(args); err != nil {
		return err
	}
	if f.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %s", strings.Join(f.Args(), " "))
	}
	return f.parseEnv()
}

// parseFlags runs the flag package's parser and words its errors.
func (f *flags) parseFlags(args []string) error {
	err := f.Parse(args)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, flag.ErrHelp):
		f.help(f.stdout)
		return err
	}
	return fmt.Errorf("%s (innograph %s -h lists the flags)", dashes.Replace(err.Error()), f.cmd)
}

// dashes writes the flag names in the flag package's errors as the help
// and the README do, with two dashes.
var dashes = strings.NewReplacer(" for flag -", " for flag --", " for -", " for --", "not defined: -", "not defined: --", "needs an argument: -", "needs an argument: --")

// parseEnv sets the flags the command line did not give from their
// environment variables, and returns every value it refuses.
func (f *flags) parseEnv() error {
	given := map[string]bool{}
	f.Visit(func(fl *flag.Flag) { given[fl.Name] = true })
	var errs []error
	f.VisitAll(func(fl *flag.Flag) {
		env := f.meta[fl.Name].env
		v := os.Getenv(env)
		if given[fl.Name] || env == "" || v == "" {
			return
		}
		if err := fl.Value.Set(v); err != nil {
			errs = append(errs, fmt.Errorf("%s=%q (for --%s): %w", env, v, fl.Name, err))
		}
		f.fromEnv[fl.Name] = env
	})
	return errors.Join(errs...)
}

// help prints the command's usage, what it does and its flags, each with
// its environment variable and default.
func (f *flags) help(w io.Writer) {
	args := "[flags]"
	if f.args != "" {
		args += " " + f.args
	}
	fmt.Fprintf(w, "usage: innograph %s %s\n", f.cmd, args)
	if f.about != "" {
		fmt.Fprintf(w, "\n%s.\n", strings.ToUpper(f.about[:1])+f.about[1:])
	}
	if f.more != "" {
		fmt.Fprintf(w, "%s\n", f.more)
	}
	fmt.Fprintln(w, "\nflags (one not given takes the value of its environment variable, if set):")
	f.VisitAll(func(fl *flag.Flag) {
		m := f.meta[fl.Name]
		name := "--" + fl.Name
		if m.arg != "" {
			name += " " + m.arg
		}
		env := m.env
		if env == "" {
			env = "(none)"
		}
		fmt.Fprintf(w, "  %s\n        %s\n        env %s", name, fl.Usage, env)
		if fl.DefValue != "" && fl.DefValue != "false" && fl.DefValue != "0" {
			fmt.Fprintf(w, ", default %s", fl.DefValue)
		}
		fmt.Fprintln(w)
	})
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
	f.str(&l.format, "log-format", "", "text", "log `FORMAT`: text or json")
	f.str(&l.level, "log-level", "", "info", "log `LEVEL`: debug, info, warn or error")
}

// quietLogger logs warnings and errors as text: for commands whose output
// is their result.
func quietLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

func (l *logging) logger(w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(l.level)); err != nil {
		return nil, badFlag("log-level", l.level, "want debug, info, warn or error")
	}
	opts := &slog.HandlerOptions{Level: level}
	switch l.format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, badFlag("log-format", l.format, "want text or json")
}
