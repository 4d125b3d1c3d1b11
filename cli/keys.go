package cli

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/innograph/innograph/auth"
	"github.com/innograph/innograph/server"
)

// authFlags configure the API keys of `serve`.
type authFlags struct {
	keysFile        string
	keys            string
	requireForReads bool
}

func (a *authFlags) define(f *flags) {
	f.str(&a.keysFile, "keys-file", "", "", "`FILE` of API key lines \"NAME ROLE sha256:HEX\", one per key (innograph keys new makes them; reread at start)")
	f.str(&a.keys, "api-keys", "", "", "API key `LINES`, separated by newlines or ';'")
	f.boolean(&a.requireForReads, "require-key-for-reads", "", "refuse queries and exports without an API key too")
}

// apply loads the keys into cfg.
func (a *authFlags) apply(cfg *server.Config) error {
	ks, err := auth.Load(a.keysFile, a.keys)
	if err != nil {
		return err
	}
	cfg.Keys, cfg.RequireKeyForReads = ks, a.requireForReads
	if a.requireForReads && ks.Len() == 0 {
		return fmt.Errorf("--require-key-for-reads without any API key would refuse every request: give --keys-file or INNOGRAPH_API_KEYS")
	}
	return nil
}

// runKeys manages API keys: `keys new` makes one, `keys hash` prints the
// line of an existing one.
func runKeys(ctx context.Context, args []string, stdout, stderr io.Writer) (err error) {
	const usage = "usage: innograph keys new --name NAME --role reader|editor|admin\n       innograph keys hash --name NAME --role ROLE   (reads the key from standard input)\n\nRun innograph keys new -h for the flags."
	switch {
	case len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help"):
		fmt.Fprintln(stdout, usage)
		return flag.ErrHelp
	case len(args) == 0 || (args[0] != "new" && args[0] != "hash"):
		fmt.Fprintln(stderr, usage)
		return fmt.Errorf("want a subcommand: new or hash")
	}
	f := newFlags("keys "+args[0], stdout, stderr)
	defer func() { err = f.annotate(err) }()
	if args[0] == "hash" {
		f.about = "print the key line of an existing key, read from standard input"
	} else {
		f.about = "make a new API key and print it with its key line"
	}
	var name, roleText string
	f.str(&name, "name", "INNOGRAPH_KEY_NAME", "", "`NAME` of the key's holder, as the audit log shows it (required)")
	f.str(&roleText, "role", "INNOGRAPH_KEY_ROLE", "reader", "`ROLE` of the key: reader, editor or admin")
	if err := f.parse(args[1:]); err != nil {
		return err
	}
	if name == "" {
		return badFlag("name", "", "give the name of the key's holder (required)")
	}
	role, err := auth.ParseRole(roleText)
	if err != nil {
		return badFlag("role", roleText, "want reader, editor or admin")
	}
	var key string
	if args[0] == "new" {
		if key, err = auth.NewKey(); err != nil {
			return err
		}
	} else {
		line, err := bufio.NewReader(os.Stdin).ReadString('\n')
		if err != nil && line == "" {
			return fmt.Errorf("reading the key from standard input: %w", err)
		}
		if key = strings.TrimSpace(line); key == "" {
			return fmt.Errorf("no key on standard input")
		}
	}
	line := auth.Line(name, role, key)
	var ks auth.Keys
	if err := ks.Parse(strings.NewReader(line), "the new line"); err != nil {
		return err
	}
	if args[0] == "new" {
		fmt.Fprintf(stdout, "key:  %s\n", key)
		fmt.Fprintf(stdout, "line: %s\n\n", line)
		fmt.Fprintln(stdout, "Give the key to its holder (it is shown only now; clients send \"Authorization: Bearer <key>\").")
		fmt.Fprintln(stdout, "Add the line to the keys file (--keys-file) or to INNOGRAPH_API_KEYS, and restart the server.")
		return nil
	}
	fmt.Fprintln(stdout, line)
	return nil
}
