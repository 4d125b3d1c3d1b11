package main

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestAddRelationshipKind shows that a relationship type needs only the
// ontology and the schema: in a copy of the module it adds MENTORS
// (Talent → Enterprise) to kg (a constant, kg.RelTypes, its kg.RelSpecs
// entry) and to schema.graphqls (the RelationType value, Talent.mentees and
// Enterprise.mentors declared with @rel), runs the generation step, and
// requires that the module builds, that the new fields' resolvers are
// written, and that the schema, enum, store conformance and cross-backend
// tests pass there with the new fields answered (on the embedded store;
// on Neo4j too when CI=true demands it). It takes about a minute, so -short
// skips it.
func TestAddRelationshipKind(t *testing.T) {
	if testing.Short() {
		t.Skip("copies the module and runs its generation and tests (-short)")
	}
	root, err := filepath.Abs(filepath.Join("..", "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	copyModule(t, root, dir)

	edit(t, dir, "kg/kinds.go", func(s string) string {
		s = replaceOnce(t, s, regexp.MustCompile(`(?m)^(\tHasIndicator\s+RelType = "HAS_INDICATOR"\n)`),
			"${1}\tMentors RelType = \"MENTORS\"\n")
		return replaceOnce(t, s, regexp.MustCompile(`(var RelTypes = \[\]RelType\{[^}]*)\}`), "${1}, Mentors}")
	})
	edit(t, dir, "kg/ontology.go", func(s string) string {
		return replaceOnce(t, s, regexp.MustCompile(`(?m)^(\tHasIndicator:.*\n)`),
			"${1}\tMentors: {Type: Mentors, Chinese: \"指导\", From: []Kind{Talent}, To: []Kind{Enterprise}},\n")
	})
	edit(t, dir, "schema.graphqls", func(s string) string {
		s = replaceOnce(t, s, regexp.MustCompile(`(?m)^(  HAS_INDICATOR\n)`), "${1}  \"Talent → Enterprise: mentor → mentee.\"\n  MENTORS\n")
		// The new fields take the arguments of an existing typed field.
		args := regexp.MustCompile(`(?m)^  employers(\(.*\)): RelationConnection!`).FindStringSubmatch(s)
		if args == nil {
			t.Fatal("schema.graphqls has no Talent.employers to copy arguments from")
		}
		s = replaceOnce(t, s, regexp.MustCompile(`(?m)^(type Talent implements Node \{\n)`),
			"${1}  \"Enterprises it mentors.\"\n  mentees"+args[1]+": RelationConnection! @rel(types: [MENTORS], direction: OUT)\n")
		return replaceOnce(t, s, regexp.MustCompile(`(?m)^(type Enterprise implements Node \{\n)`),
			"${1}  \"People who mentor it.\"\n  mentors"+args[1]+": RelationConnection! @rel(types: [MENTORS], direction: IN)\n")
	})
	run(t, dir, "gofmt", "-w", "kg")
	run(t, dir, "go", "generate", "./graph/...")

	resolvers, err := os.ReadFile(filepath.Join(dir, "graph", "schema.resolvers.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"func (r *talentResolver) Mentees(",
		"related(ctx, obj, []kg.RelType{kg.Mentors}, kg.Out,",
		"func (r *enterpriseResolver) Mentors(",
		"related(ctx, obj, []kg.RelType{kg.Mentors}, kg.In,",
	} {
		if !strings.Contains(string(resolvers), want) {
			t.Errorf("the generated resolvers lack %q", want)
		}
	}
	if strings.Contains(string(resolvers), "not implemented") {
		t.Error("the generated resolvers hold a stub")
	}
	run(t, dir, "go", "build", "./...")

	typed := "TestTypedFieldsFollowDeclarations/embedded"
	if os.Getenv("CI") == "true" {
		typed = "TestTypedFieldsFollowDeclarations" // Neo4j as well
	}
	run(t, dir, "go", "test", "-count=1", "-run", "TestRelFieldsCoverSchema|TestFieldProps|TestOntologyEnums|TestNestedQueryStoreCalls|TestPlanReadsOnlyWhatIsSelected", "./graph/", "./graph/model/")
	run(t, dir, "go", "test", "-count=1", "-run", "TestConformance", "./store/embedded/")
	out := run(t, dir, "go", "test", "-count=1", "-v", "-run", "TestSuiteCoversSchema|"+typed, "./crosstest/")
	for _, want := range []string{"--- PASS: TestTypedFieldsFollowDeclarations/embedded/Talent.mentees", "--- PASS: TestTypedFieldsFollowDeclarations/embedded/Enterprise.mentors"} {
		if !strings.Contains(out, want) {
			t.Errorf("the cross-backend test did not answer the new field: no %q in\n%s", want, out)
		}
	}
}

// copyModule copies the module at root to dir, without version control,
// built binaries and web dependencies.
func copyModule(t *testing.T, root, dir string) {
	t.Helper()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", "node_modules", "bin":
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dir, rel), 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// edit rewrites file name of the module in dir with f.
func edit(t *testing.T, dir, name string, f func(string) string) {
	t.Helper()
	path := filepath.Join(dir, name)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(f(string(b))), 0o644); err != nil {
		t.Fatal(err)
	}
}

// replaceOnce replaces the one match of re in s, failing when there is
// not exactly one.
func replaceOnce(t *testing.T, s string, re *regexp.Regexp, repl string) string {
	t.Helper()
	if n := len(re.FindAllStringIndex(s, -1)); n != 1 {
		t.Fatalf("%s matches %d times, want once", re, n)
	}
	return re.ReplaceAllString(s, repl)
}

// run runs a command in dir, failing the test with its output if it fails.
func run(t *testing.T, dir, name string, args ...string) string {
	t.Helper()
	start := time.Now()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	t.Logf("%s %s: %v", name, strings.Join(args, " "), time.Since(start).Round(time.Millisecond))
	return string(out)
}
