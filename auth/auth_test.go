package auth_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/innograph/innograph/auth"
)

func TestNewKeyAndHash(t *testing.T) {
	a, err := auth.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := auth.NewKey()
	if a == b || !strings.HasPrefix(a, "ig_") || len(a) != 3+43 {
		t.Errorf("keys %q and %q", a, b)
	}
	if h := auth.Hash("secret"); h != "sha256:2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b" {
		t.Errorf("Hash(secret) = %s", h)
	}
	if l := auth.Line("alice", auth.Editor, "secret"); l != "alice editor "+auth.Hash("secret") {
		t.Errorf("Line = %q", l)
	}
}

func TestParseKeys(t *testing.T) {
	h := auth.Hash("k1")
	cases := []struct {
		name, text, wantErr string
		n                   int
	}{
		{"lines and comments", "# keys\nalice editor " + h + "  # the editor\n\nbob reader " + auth.Hash("k2") + "\n", "", 2},
		{"semicolons", "alice admin " + h + "; bob reader " + auth.Hash("k2"), "", 2},
		{"a key in clear", "alice editor ig_abc", "in clear", 0},
		{"an unknown role", "alice owner " + h, "unknown role", 0},
		{"a short hash", "alice editor sha256:abcd", "64 hexadecimal digits", 0},
		{"a bad name", "al ice editor " + h, "want NAME ROLE", 0},
		{"two keys of one name", "alice editor " + h + "\nalice reader " + auth.Hash("k2"), "two keys are named", 0},
		{"one key twice", "alice editor " + h + "\nbob reader " + h, "same hash", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var ks auth.Keys
			err := ks.Parse(strings.NewReader(tc.text), "keys.txt")
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("Parse: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("Parse: error %v, want one with %q", err, tc.wantErr)
			case tc.wantErr != "" && !strings.Contains(err.Error(), "keys.txt:"):
				t.Errorf("error %v does not name the file and line", err)
			case tc.wantErr == "" && ks.Len() != tc.n:
				t.Errorf("%d keys, want %d", ks.Len(), tc.n)
			}
		})
	}
}

func TestLoadAndLookup(t *testing.T) {
	file := filepath.Join(t.TempDir(), "keys")
	if err := os.WriteFile(file, []byte(auth.Line("alice", auth.Editor, "k-alice")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ks, err := auth.Load(file, auth.Line("ada", auth.Admin, "k-ada"))
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{"k-alice": "alice editor", "k-ada": "ada admin", "k-nobody": "", "": ""} {
		k, ok := ks.Lookup(key)
		got := ""
		if ok {
			got = k.Name + " " + k.Role.String()
		}
		if got != want {
			t.Errorf("Lookup(%q) = %q, want %q", key, got, want)
		}
	}
	if _, err := auth.Load(filepath.Join(t.TempDir(), "missing"), ""); err == nil {
		t.Error("a missing keys file loaded")
	}
	var none *auth.Keys
	if _, ok := none.Lookup("k"); ok || none.Len() != 0 {
		t.Error("nil keys know a key")
	}
}

func TestRequire(t *testing.T) {
	cases := []struct {
		p    auth.Principal
		need auth.Role
		code string
	}{
		{auth.Principal{}, auth.Reader, auth.CodeUnauthenticated},
		{auth.Principal{}, auth.Anonymous, ""},
		{auth.Principal{Name: "r", Role: auth.Reader}, auth.Reader, ""},
		{auth.Principal{Name: "r", Role: auth.Reader}, auth.Editor, auth.CodeForbidden},
		{auth.Principal{Name: "e", Role: auth.Editor}, auth.Editor, ""},
		{auth.Principal{Name: "e", Role: auth.Editor}, auth.Admin, auth.CodeForbidden},
		{auth.Principal{Name: "a", Role: auth.Admin}, auth.Editor, ""},
	}
	for _, tc := range cases {
		err := auth.Require(auth.WithPrincipal(t.Context(), tc.p), tc.need, "writing")
		var ae *auth.Error
		switch {
		case tc.code == "" && err != nil:
			t.Errorf("%+v needs %s: %v", tc.p, tc.need, err)
		case tc.code != "" && (!errors.As(err, &ae) || ae.Code != tc.code):
			t.Errorf("%+v needs %s: %v, want code %s", tc.p, tc.need, err, tc.code)
		}
	}
}

func TestMiddleware(t *testing.T) {
	var ks auth.Keys
	if err := ks.Parse(strings.NewReader(auth.Line("rita", auth.Reader, "k-rita")), "test"); err != nil {
		t.Fatal(err)
	}
	seen := ""
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := auth.FromContext(r.Context())
		seen = p.Name + "/" + p.Role.String()
	})
	cases := []struct {
		header   string
		required bool
		status   int
		seen     string
	}{
		{"", false, http.StatusOK, "/anonymous"},
		{"", true, http.StatusUnauthorized, ""},
		{"Bearer k-rita", true, http.StatusOK, "rita/reader"},
		{"bearer k-rita", false, http.StatusOK, "rita/reader"},
		{"Bearer k-nobody", false, http.StatusUnauthorized, ""},
		{"Basic cml0YTp4", false, http.StatusUnauthorized, ""},
	}
	for _, tc := range cases {
		seen = ""
		req := httptest.NewRequest(http.MethodPost, "/graphql", nil)
		if tc.header != "" {
			req.Header.Set("Authorization", tc.header)
		}
		rec := httptest.NewRecorder()
		auth.Middleware(&ks, tc.required, next).ServeHTTP(rec, req)
		if rec.Code != tc.status || seen != tc.seen {
			t.Errorf("%q (required %v): %d, handler saw %q; want %d, %q", tc.header, tc.required, rec.Code, seen, tc.status, tc.seen)
		}
		if rec.Code == http.StatusUnauthorized && (!strings.Contains(rec.Body.String(), auth.CodeUnauthenticated) || rec.Header().Get("WWW-Authenticate") == "") {
			t.Errorf("%q: a refusal without its code or challenge: %s", tc.header, rec.Body.String())
		}
	}
}
