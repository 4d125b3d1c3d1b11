// Package auth holds InnoGraph's API keys, the roles they carry and the
// HTTP middleware that tells who a request comes from.
//
// # Keys
//
// An API key is a random secret ("ig_" and 43 characters of base64url: 256
// bits) that a client sends as "Authorization: Bearer <key>". The server
// keeps only the SHA-256 of each key, in key lines:
//
//	NAME ROLE sha256:HEX
//
// NAME identifies the key's holder in the audit log (letters, digits,
// ".", "_", "-", "@"); ROLE is reader, editor or admin. Key lines come
// from a keys file (one per line, "#" starts a comment) and from the
// environment variable INNOGRAPH_API_KEYS (lines separated by newlines or
// ";"). `innograph keys new --name NAME --role ROLE` prints a new key and
// its line.
//
// # Roles
//
// reader may read (which anyone may, unless reads require a key), editor
// may also write (the GraphQL mutations), admin may also read the audit
// log. A request without a key is anonymous: it may read unless the
// server requires a key for reads. A request with a key the server does
// not know is refused, whatever it asks.
package auth

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"
)

// Role is what a key may do. Each role may do what the roles below it may.
type Role int

// The roles, from least to most allowed.
const (
	// Anonymous is the role of a request without a key.
	Anonymous Role = iota
	// Reader may read.
	Reader
	// Editor may read and write.
	Editor
	// Admin may read, write and read the audit log.
	Admin
)

func (r Role) String() string {
	switch r {
	case Reader:
		return "reader"
	case Editor:
		return "editor"
	case Admin:
		return "admin"
	}
	return "anonymous"
}

// ParseRole returns the role a name stands for.
func ParseRole(s string) (Role, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "reader":
		return Reader, nil
	case "editor":
		return Editor, nil
	case "admin":
		return Admin, nil
	}
	return 0, fmt.Errorf("unknown role %q (want reader, editor or admin)", s)
}

// keyPrefix starts every key this package makes, so that a leaked key is
// recognisable.
const keyPrefix = "ig_"

// NewKey returns a new random key.
func NewKey() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("reading random bytes: %w", err)
	}
	return keyPrefix + base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// Hash returns the stored form of a key: "sha256:" and the hex digest.
func Hash(key string) string {
	sum := sha256.Sum256([]byte(key))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// Key is a configured key: its holder's name, its role and its hash.
type Key struct {
	Name string
	Role Role
	hash [sha256.Size]byte
}

// Line returns the key line of a key with the given name, role and secret.
func Line(name string, role Role, key string) string {
	return fmt.Sprintf("%s %s %s", name, role, Hash(key))
}

// validName is the form of a key's name.
var validName = regexp.MustCompile(`^[\p{L}\p{N}._@-]{1,64}$`)

// Keys is a set of configured keys. The zero value (and nil) knows none.
type Keys struct {
	byHash map[[sha256.Size]byte]*Key
}

// Len returns how many keys there are.
func (ks *Keys) Len() int {
	if ks == nil {
		return 0
	}
	return len(ks.byHash)
}

// Names returns the names of the keys with their roles, sorted.
func (ks *Keys) Names() []string {
	if ks == nil {
		return nil
	}
	var out []string
	for _, k := range ks.byHash {
		out = append(out, k.Name+" ("+k.Role.String()+")")
	}
	sort.Strings(out)
	return out
}

// Lookup returns the configured key whose hash is the hash of key.
func (ks *Keys) Lookup(key string) (*Key, bool) {
	if ks == nil || key == "" {
		return nil, false
	}
	k, ok := ks.byHash[sha256.Sum256([]byte(key))]
	return k, ok
}

// add parses one key line.
func (ks *Keys) add(line string) error {
	fields := strings.Fields(line)
	if len(fields) != 3 {
		return fmt.Errorf("want NAME ROLE sha256:HEX, got %d fields", len(fields))
	}
	name, roleText, hashText := fields[0], fields[1], fields[2]
	if !validName.MatchString(name) {
		return fmt.Errorf("name %q: want 1 to 64 letters, digits, '.', '_', '-' or '@'", name)
	}
	role, err := ParseRole(roleText)
	if err != nil {
		return err
	}
	digest, ok := strings.CutPrefix(hashText, "sha256:")
	if !ok {
		if strings.HasPrefix(hashText, keyPrefix) {
			return fmt.Errorf("key %q is given in clear: give its hash (innograph keys hash)", name)
		}
		return fmt.Errorf("hash %q: want sha256:HEX", hashText)
	}
	raw, err := hex.DecodeString(digest)
	if err != nil || len(raw) != sha256.Size {
		return fmt.Errorf("hash of %q: want 64 hexadecimal digits", name)
	}
	k := &Key{Name: name, Role: role}
	copy(k.hash[:], raw)
	if ks.byHash == nil {
		ks.byHash = map[[sha256.Size]byte]*Key{}
	}
	if other, dup := ks.byHash[k.hash]; dup {
		return fmt.Errorf("key %q has the same hash as key %q", name, other.Name)
	}
	for _, other := range ks.byHash {
		if other.Name == name {
			return fmt.Errorf("two keys are named %q", name)
		}
	}
	ks.byHash[k.hash] = k
	return nil
}

// Parse reads key lines from r; source names r in errors. Blank lines and
// text after "#" are ignored; ";" separates lines too.
func (ks *Keys) Parse(r io.Reader, source string) error {
	sc := bufio.NewScanner(r)
	n := 0
	var errs []error
	for sc.Scan() {
		n++
		line, _, _ := strings.Cut(sc.Text(), "#")
		for _, part := range strings.Split(line, ";") {
			if strings.TrimSpace(part) == "" {
				continue
			}
			if err := ks.add(part); err != nil {
				errs = append(errs, fmt.Errorf("%s:%d: %w", source, n, err))
			}
		}
	}
	if err := sc.Err(); err != nil {
		errs = append(errs, fmt.Errorf("%s: %w", source, err))
	}
	return errors.Join(errs...)
}

// Load returns the keys of a keys file (none if file is "") and of the
// key lines in env (the value of INNOGRAPH_API_KEYS).
func Load(file, env string) (*Keys, error) {
	ks := &Keys{}
	if file != "" {
		f, err := os.Open(file)
		if err != nil {
			return nil, fmt.Errorf("keys file: %w", err)
		}
		defer f.Close()
		if err := ks.Parse(f, file); err != nil {
			return nil, err
		}
	}
	if strings.TrimSpace(env) != "" {
		if err := ks.Parse(strings.NewReader(env), "INNOGRAPH_API_KEYS"); err != nil {
			return nil, err
		}
	}
	return ks, nil
}

// Principal is who a request comes from.
type Principal struct {
	// Name is the key's name; "" for an anonymous request.
	Name string
	Role Role
}

type ctxKey struct{}

// WithPrincipal returns ctx carrying p.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

// FromContext returns the principal ctx carries (anonymous if none).
func FromContext(ctx context.Context) Principal {
	p, _ := ctx.Value(ctxKey{}).(Principal)
	return p
}

// Error codes of refused requests (GraphQL extensions.code).
const (
	// CodeUnauthenticated: no key where one is needed, or an unknown key.
	CodeUnauthenticated = "UNAUTHENTICATED"
	// CodeForbidden: a key whose role does not allow the operation.
	CodeForbidden = "FORBIDDEN"
)

// Error is a refusal: no key, an unknown key, or a role that does not
// allow the operation.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Message }

// Require returns nil if the principal of ctx has role need or a higher
// one, and otherwise an *Error saying why not; what names the operation.
func Require(ctx context.Context, need Role, what string) error {
	p := FromContext(ctx)
	switch {
	case p.Role >= need:
		return nil
	case p.Name == "":
		return &Error{Code: CodeUnauthenticated, Message: fmt.Sprintf("%s needs an API key with the %s role: send it as \"Authorization: Bearer <key>\"", what, need)}
	}
	return &Error{Code: CodeForbidden, Message: fmt.Sprintf("%s needs the %s role; key %q has the %s role", what, need, p.Name, p.Role)}
}
