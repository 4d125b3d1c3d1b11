// Command gen generates the GraphQL code of package graph: gqlgen's
// executable schema, models and resolver stubs from schema.graphqls and
// gqlgen.yml, plus what InnoGraph derives from the schema itself.
//
//   - The body of every resolver of a typed relationship field, one that
//     carries @rel(types:, direction:): it follows the declared types in
//     the declared direction, with the field's filter arguments (year,
//     enum lists such as status or category, levelAtLeast) as conditions.
//     The directive is the field's one declaration; the planner and the
//     cross-backend suite read it from the schema (graph.RelFields).
//   - server/complexity_gen.go: the complexity of every field that pages
//     (has a `first` argument) or wraps a page (a connection's edges and
//     pageInfo), so that the server sets gqlgen's complexity root without
//     reflection.
//
// It runs from graph/generate.go (`go generate ./graph/...`) and refuses a
// schema whose @rel names a relationship type or direction kg does not
// define, a typed field with an argument it does not know, or a field
// whose `first` may be null (a page size is `Int!` with a default).
package main

import (
	"bytes"
	"fmt"
	"go/constant"
	"go/format"
	"go/types"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/99designs/gqlgen/api"
	"github.com/99designs/gqlgen/codegen"
	"github.com/99designs/gqlgen/codegen/config"
	"github.com/99designs/gqlgen/codegen/templates"
	"github.com/vektah/gqlparser/v2/ast"
)

const kgPath = "github.com/innograph/innograph/kg"

func main() {
	cfg, err := config.LoadConfigFromDefaultLocations()
	if err != nil {
		fail(err)
	}
	p := &relPlugin{}
	if err := api.Generate(cfg, api.AddPlugin(p)); err != nil {
		fail(err)
	}
	if p.err != nil {
		fail(p.err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gen:", err)
	os.Exit(1)
}

// relPlugin writes the resolvers of @rel fields and the complexity file.
type relPlugin struct {
	// consts are the Go names of kg's RelType and Direction constants, by
	// type and value ("RelType/SUPPLIES" → "Supplies").
	consts map[string]string
	// err is the first error of Implement, which cannot return one.
	err error
}

func (p *relPlugin) Name() string { return "innograph-rel" }

// MutateConfig reads the constants of kg, which generated bodies name.
func (p *relPlugin) MutateConfig(cfg *config.Config) error {
	pkg := cfg.Packages.LoadWithTypes(kgPath)
	if pkg == nil || pkg.Types == nil {
		return fmt.Errorf("cannot load %s", kgPath)
	}
	p.consts = map[string]string{}
	scope := pkg.Types.Scope()
	for _, name := range scope.Names() {
		c, ok := scope.Lookup(name).(*types.Const)
		if !ok || !c.Exported() || c.Val().Kind() != constant.String {
			continue
		}
		if n, ok := c.Type().(*types.Named); ok {
			p.consts[n.Obj().Name()+"/"+constant.StringVal(c.Val())] = name
		}
	}
	return nil
}

// Implement writes the body of the resolver of an @rel field; any other
// resolver keeps its hand-written body.
func (p *relPlugin) Implement(prev string, f *codegen.Field) string {
	if f.FieldDefinition.Directives.ForName("rel") == nil {
		if prev == "" {
			return fmt.Sprintf("panic(fmt.Errorf(\"not implemented: %v - %v\"))", f.GoFieldName, f.Name)
		}
		return prev
	}
	body, err := p.relBody(f)
	if err != nil {
		if p.err == nil {
			p.err = err
		}
		return prev
	}
	return body
}

// relBody is the body of the resolver of @rel field f.
func (p *relPlugin) relBody(f *codegen.Field) (string, error) {
	where := f.Object.Name + "." + f.Name
	d := f.FieldDefinition.Directives.ForName("rel")
	var typeNames []string
	if v := d.Arguments.ForName("types"); v != nil && v.Value != nil {
		for _, c := range v.Value.Children {
			name, ok := p.consts["RelType/"+c.Value.Raw]
			if !ok {
				return "", fmt.Errorf("%s: @rel names relationship type %s, which kg does not define", where, c.Value.Raw)
			}
			typeNames = append(typeNames, "kg."+name)
		}
	}
	if len(typeNames) == 0 {
		return "", fmt.Errorf("%s: @rel names no relationship type", where)
	}
	dirArg := d.Arguments.ForName("direction")
	if dirArg == nil || dirArg.Value == nil {
		return "", fmt.Errorf("%s: @rel has no direction", where)
	}
	dir, ok := p.consts["Direction/"+dirArg.Value.Raw]
	if !ok {
		return "", fmt.Errorf("%s: @rel names direction %s, which kg does not define", where, dirArg.Value.Raw)
	}
	var vars = map[string]string{}
	var filters []string
	year := "nil"
	for _, a := range f.Args {
		vars[a.Name] = a.VarName
		switch {
		case a.Name == "first":
			if err := pageSize(where, a); err != nil {
				return "", err
			}
		case a.Name == "after" || a.Name == "asOf" || a.Name == "orderBy":
		case a.Name == "year":
			year = a.VarName
		case a.Name == "levelAtLeast":
			filters = append(filters, fmt.Sprintf("rf.levelAtLeast(%s)", a.VarName))
		case a.Type.Elem != nil && enumNames[a.Type.Elem.Name()]:
			filters = append(filters, fmt.Sprintf("anyOf(&rf, %q, %s)", a.Name, a.VarName))
		default:
			return "", fmt.Errorf("%s: argument %s is not one a relationship field takes (first, after, asOf, orderBy, year, levelAtLeast, a list of enum values)", where, a.Name)
		}
	}
	for _, need := range []string{"first", "after", "asOf", "orderBy"} {
		if vars[need] == "" {
			return "", fmt.Errorf("%s: a relationship field takes %s", where, need)
		}
	}
	call := fmt.Sprintf("related(ctx, obj, []kg.RelType{%s}, kg.%s, %s, %s, %s, ", strings.Join(typeNames, ", "), dir, vars["first"], vars["after"], vars["asOf"])
	if year == "nil" && len(filters) == 0 {
		return "return " + call + "relOrderOnly(" + vars["orderBy"] + "))", nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "rf, err := relFilterOf(%s, %s)\nif err != nil {\nreturn nil, err\n}\n", vars["orderBy"], year)
	for _, l := range filters {
		b.WriteString(l + "\n")
	}
	b.WriteString("return " + call + "rf)")
	return b.String(), nil
}

// pageSize refuses a `first` argument of field where that may be null:
// a field that pages declares its page size `Int!` with a default, so
// that its resolver and its complexity receive the size itself.
func pageSize(where string, a *codegen.FieldArgument) error {
	if !a.Type.NonNull || a.DefaultValue == nil {
		return fmt.Errorf("%s: first is %s without a default; a field that pages takes first: Int! = <default>", where, a.Type)
	}
	return nil
}

// enumNames are the enums of the schema (see MutateSchema).
var enumNames = map[string]bool{}

// MutateSchema records the schema's enums.
func (p *relPlugin) MutateSchema(s *ast.Schema) error {
	for name, def := range s.Types {
		if def.Kind == ast.Enum {
			enumNames[name] = true
		}
	}
	return nil
}

// GenerateCode writes server/complexity_gen.go.
func (p *relPlugin) GenerateCode(data *codegen.Data) error {
	if p.err != nil {
		return p.err
	}
	imports := map[string]string{"github.com/innograph/innograph/graph/generated": "generated"}
	qual := func(pkg *types.Package) string {
		imports[pkg.Path()] = pkg.Name()
		return pkg.Name()
	}
	var body bytes.Buffer
	for _, o := range data.Objects {
		if o.IsReserved() {
			continue
		}
		var seen []string
		for _, f := range o.Fields {
			if f.IsReserved() || slices.Contains(seen, f.GoFieldName) {
				continue
			}
			seen = append(seen, f.GoFieldName)
			target := fmt.Sprintf("c.%s.%s", templates.UcFirst(o.Name), f.GoFieldName)
			if strings.HasSuffix(o.Name, "Connection") && (f.Name == "edges" || f.Name == "pageInfo") && len(f.Args) == 0 {
				fmt.Fprintf(&body, "%s = wrapCost\n", target)
				continue
			}
			i := slices.IndexFunc(f.Args, func(a *codegen.FieldArgument) bool { return a.Name == "first" })
			if i < 0 {
				continue
			}
			params := []string{"childComplexity int"}
			for _, a := range f.Args {
				params = append(params, a.VarName+" "+types.TypeString(a.TypeReference.GO, qual))
			}
			if err := pageSize(o.Name+"."+f.Name, f.Args[i]); err != nil {
				return err
			}
			fmt.Fprintf(&body, "%s = func(%s) int {\nreturn pageCost(childComplexity, %s)\n}\n", target, strings.Join(params, ", "), f.Args[i].VarName)
		}
	}
	var out bytes.Buffer
	out.WriteString("// Code generated by graph/internal/gen from schema.graphqls; DO NOT EDIT.\n\npackage server\n\nimport (\n")
	paths := make([]string, 0, len(imports))
	for path := range imports {
		paths = append(paths, path)
	}
	slices.Sort(paths)
	for _, path := range paths {
		fmt.Fprintf(&out, "%q\n", path)
	}
	out.WriteString(")\n\n")
	out.WriteString(`// setComplexity makes the complexity of a query count the objects its
// answer can hold: every field with a ` + "`first`" + ` argument costs its children
// times its page size (pageCost); a connection's edges and pageInfo cost
// only their children (wrapCost), which they wrap. Fields left unset cost
// gqlgen's default: 1 and their children (scalars and enums cost nothing
// through complexity.WithFixedScalarValue(0)).
func setComplexity(c *generated.ComplexityRoot) {
`)
	out.Write(body.Bytes())
	out.WriteString("}\n")
	src, err := format.Source(out.Bytes())
	if err != nil {
		return fmt.Errorf("formatting the complexity file: %w", err)
	}
	// gqlgen runs in the directory of gqlgen.yml, the module's root.
	return os.WriteFile(filepath.Join("server", "complexity_gen.go"), src, 0o644)
}
