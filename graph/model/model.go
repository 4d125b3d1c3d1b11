// Package model holds the Go types the GraphQL schema binds to: thin views
// over kg nodes and edges, and (in models_gen.go, generated) the enums and
// inputs of the schema. A view's methods answer the schema's fields of the
// same names, which schema.graphqls describes; their comments here say
// only what the name and the schema do not.
package model

import (
	"sort"
	"time"

	"github.com/innograph/innograph/kg"
)

// Node is a GraphQL Node: a view over a kg.Node.
type Node interface {
	IsNode()
	// KG returns the node behind the view.
	KG() *kg.Node
}

// base holds what every node view has: the node and, when a fetch plan
// read it, the pages of the plan's hops from it.
type base struct {
	N    *kg.Node
	Hops map[string]*kg.HopPage
}

func (base) IsNode() {}

// KG returns the node behind the view.
func (b base) KG() *kg.Node { return b.N }

func (b base) ID() string { return b.N.ID }

func (b base) Kind() kg.Kind { return b.N.Kind }

func (b base) Name() string { return b.N.Name() }

func (b base) NameEn() *string { return optStr(b.N.Props, "nameEn") }

func (b base) Aliases() []string {
	if a := b.N.Props.Strings("aliases"); a != nil {
		return a
	}
	return []string{}
}

func (b base) District() *string { return optStr(b.N.Props, "district") }

func (b base) Source() *string { return optStr(b.N.Props, "source") }

// CreatedAt is when the node was first written.
func (b base) CreatedAt() *time.Time { return optTime(b.N.CreatedAt) }

// UpdatedAt is when the node last changed.
func (b base) UpdatedAt() *time.Time { return optTime(b.N.UpdatedAt) }

// HopPage returns the page a fetch plan read for the hop key from this
// node; nil when it read none.
func (b base) HopPage(key string) *kg.HopPage { return b.Hops[key] }

// Wrap returns the view of n that fits its kind; nil for nil.
func Wrap(n *kg.Node) Node { return wrap(base{N: n}) }

// WrapFetched returns the view of a node a fetch plan read, with the
// pages of its hops; nil for nil.
func WrapFetched(f *kg.Fetched) Node {
	if f == nil {
		return nil
	}
	return wrap(base{N: f.Node, Hops: f.Hops})
}

func wrap(b base) Node {
	n := b.N
	if n == nil {
		return nil
	}
	switch n.Kind {
	case kg.Enterprise:
		return &Enterprise{b}
	case kg.Incubator:
		return &Incubator{b}
	case kg.Makerspace:
		return &Makerspace{b}
	case kg.Talent:
		return &Talent{b}
	case kg.University:
		return &University{b}
	case kg.ServiceAgency:
		return &ServiceAgency{b}
	case kg.Policy:
		return &Policy{b}
	case kg.Industry:
		return &Industry{b}
	case kg.Plan:
		return &Plan{b}
	case kg.Indicator:
		return &Indicator{b}
	}
	return nil
}

// Enterprise is 企业.
type Enterprise struct{ base }

// CreditCode is the unified social credit code.
func (x *Enterprise) CreditCode() *string { return optStr(x.N.Props, "creditCode") }

func (x *Enterprise) Industry() *string { return optStr(x.N.Props, "industry") }

func (x *Enterprise) FoundedYear() *int { return optInt(x.N.Props, "foundedYear") }

// AboveScale tells an enterprise above designated size as last reported
// (the yearly status is in Figures).
func (x *Enterprise) AboveScale() *bool {
	if v, ok := x.N.Props.Bool("aboveScale"); ok {
		return &v
	}
	return nil
}

// HighTechGranted is the year the high-tech certificate was granted.
func (x *Enterprise) HighTechGranted() *int { return optInt(x.N.Props, "highTechGranted") }

// HighTechValidUntil is the last year the certificate is valid.
func (x *Enterprise) HighTechValidUntil() *int { return optInt(x.N.Props, "highTechValidUntil") }

// HighTech reports whether the high-tech certificate is valid in year.
func (x *Enterprise) HighTech(year int) bool { return kg.Match(x.N, kg.HighTechIn(year)) }

// Figures lists the yearly figures in from..to (either may be nil).
func (x *Enterprise) Figures(from, to *int) []*EnterpriseYear {
	p := x.N.Props
	out := []*EnterpriseYear{}
	for _, y := range seriesYears(p, from, to, "revenue", "rdInvestment", "rdDeduction", "employees", "aboveScaleByYear") {
		f := &EnterpriseYear{Year: y, Revenue: yearVal(p, "revenue", y), RdInvestment: yearVal(p, "rdInvestment", y), RdDeduction: yearVal(p, "rdDeduction", y)}
		if e := yearVal(p, "employees", y); e != nil {
			n := int(*e)
			f.Employees = &n
		}
		if a := yearVal(p, "aboveScaleByYear", y); a != nil {
			above := *a == 1
			f.AboveScale = &above
		}
		out = append(out, f)
	}
	return out
}

// Incubator is 科技企业孵化器.
type Incubator struct{ base }

func (x *Incubator) Level() *Level { return optEnum[Level](x.N.Props, "level") }

func (x *Incubator) Operator() *string { return optStr(x.N.Props, "operator") }

// Area is the floor area in m².
func (x *Incubator) Area() *float64 { return optFloat(x.N.Props, "area") }

func (x *Incubator) FoundedYear() *int { return optInt(x.N.Props, "foundedYear") }

// Makerspace is 众创空间.
type Makerspace struct{ base }

func (x *Makerspace) Level() *Level { return optEnum[Level](x.N.Props, "level") }

func (x *Makerspace) Operator() *string { return optStr(x.N.Props, "operator") }

func (x *Makerspace) FoundedYear() *int { return optInt(x.N.Props, "foundedYear") }

// Figures lists makers served per year in from..to.
func (x *Makerspace) Figures(from, to *int) []*MakerspaceYear {
	out := []*MakerspaceYear{}
	for _, y := range seriesYears(x.N.Props, from, to, "makersServed") {
		f := &MakerspaceYear{Year: y}
		if v := yearVal(x.N.Props, "makersServed", y); v != nil {
			n := int(*v)
			f.MakersServed = &n
		}
		out = append(out, f)
	}
	return out
}

// Talent is 人才.
type Talent struct{ base }

func (x *Talent) Field() *string { return optStr(x.N.Props, "field") }

func (x *Talent) Title() *string { return optStr(x.N.Props, "title") }

func (x *Talent) Tier() *string { return optStr(x.N.Props, "tier") }

func (x *Talent) Programme() *string { return optStr(x.N.Props, "programme") }

// University is 高校 / 科研院所.
type University struct{ base }

// Type tells a university from a research institute.
func (x *University) Type() *UniversityKind { return optEnum[UniversityKind](x.N.Props, "type") }

func (x *University) FoundedYear() *int { return optInt(x.N.Props, "foundedYear") }

// ServiceAgency is 科技服务机构.
type ServiceAgency struct{ base }

func (x *ServiceAgency) Categories() []ServiceCategory {
	out := []ServiceCategory{}
	for _, c := range x.N.Props.Strings("categories") {
		out = append(out, ServiceCategory(c))
	}
	return out
}

func (x *ServiceAgency) Level() *Level { return optEnum[Level](x.N.Props, "level") }

// Policy is 科技政策.
type Policy struct{ base }

func (x *Policy) Level() *Level { return optEnum[Level](x.N.Props, "level") }

func (x *Policy) Issuer() *string { return optStr(x.N.Props, "issuer") }

// Year is the year issued.
func (x *Policy) Year() *int { return optInt(x.N.Props, "year") }

// Type is what the policy supports.
func (x *Policy) Type() *PolicyKind { return optEnum[PolicyKind](x.N.Props, "type") }

// Industry is 产业 / 产业链环节.
type Industry struct{ base }

func (x *Industry) Chain() *string { return optStr(x.N.Props, "chain") }

func (x *Industry) Position() *ChainPosition {
	return optEnum[ChainPosition](x.N.Props, "position")
}

// Plan is 规划.
type Plan struct{ base }

// PeriodStart is the first year of the plan.
func (x *Plan) PeriodStart() *int { return optInt(x.N.Props, "periodStart") }

// PeriodEnd is the last year of the plan.
func (x *Plan) PeriodEnd() *int { return optInt(x.N.Props, "periodEnd") }

func (x *Plan) Issuer() *string { return optStr(x.N.Props, "issuer") }

// Indicator is 指标.
type Indicator struct{ base }

// Number is the number in the plan's table.
func (x *Indicator) Number() *int { return optInt(x.N.Props, "number") }

func (x *Indicator) Category() *string { return optStr(x.N.Props, "category") }

func (x *Indicator) Target() *float64 { return optFloat(x.N.Props, "target") }

// Unit is the unit of the target.
func (x *Indicator) Unit() *string { return optStr(x.N.Props, "unit") }

func (x *Indicator) BaselineYear() *int { return optInt(x.N.Props, "baselineYear") }

// Formula is the key of the formula computing the indicator.
func (x *Indicator) Formula() *string { return optStr(x.N.Props, "formula") }

// Text is the plan's wording.
func (x *Indicator) Text() *string { return optStr(x.N.Props, "text") }

func optStr(p kg.Props, k string) *string {
	if s, ok := p[k].(string); ok {
		return &s
	}
	return nil
}

func optInt(p kg.Props, k string) *int {
	if v, ok := p.Int(k); ok {
		i := int(v)
		return &i
	}
	return nil
}

func optFloat(p kg.Props, k string) *float64 {
	if v, ok := p.Float(k); ok {
		return &v
	}
	return nil
}

func optEnum[T ~string](p kg.Props, k string) *T {
	if s, ok := p[k].(string); ok {
		v := T(s)
		return &v
	}
	return nil
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// seriesYears lists the years present in any of the series, within from..to.
func seriesYears(p kg.Props, from, to *int, names ...string) []int {
	seen := map[int]bool{}
	var ys []int
	for _, name := range names {
		for y := range p.Series(name) {
			if seen[y] || (from != nil && y < *from) || (to != nil && y > *to) {
				continue
			}
			seen[y] = true
			ys = append(ys, y)
		}
	}
	sort.Ints(ys)
	return ys
}

func yearVal(p kg.Props, name string, y int) *float64 {
	if v, ok := p.Series(name)[y]; ok {
		return &v
	}
	return nil
}
