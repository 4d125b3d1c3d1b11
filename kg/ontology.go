package kg

import (
	"math"
	"slices"
	"sort"
)

// PropType is the type of a property value.
type PropType int

// The property types. Normalised values have these Go types:
// String and Enum: string; Int: int64; Float: float64; Bool: bool;
// Strings and Enums: []string; Series: Series.
const (
	String PropType = iota
	Int
	Float
	Bool
	Strings
	EnumType
	Enums
	SeriesType
)

func (t PropType) String() string {
	return [...]string{"string", "integer", "number", "boolean", "list of strings", "enum", "list of enums", "yearly series"}[t]
}

// PropSpec specifies one property of a kind or relationship type.
type PropSpec struct {
	Name     string
	Type     PropType
	Enum     *Enum // for EnumType and Enums
	Required bool
	// Check, if set, validates a normalised value further.
	Check func(v any) error
	// Min and Max bound numeric values when Max > Min: a number, or each
	// year's value of a yearly series.
	Min, Max float64
	Doc      string
}

// KindSpec specifies an entity kind.
type KindSpec struct {
	Kind    Kind
	Chinese string
	Props   []PropSpec
}

// RelSpec specifies a relationship type: its endpoints and properties.
//
// A relationship joins two different nodes unless its type allows loops.
// For most types the kinds at the ends differ, so a loop cannot occur.
// Of the types whose ends may be one node, only FEEDS allows a loop: an
// industry segment consumes its own output (the diagonal of an
// input-output table). An enterprise that supplies, invests in or
// collaborates with itself says nothing and would count as its own
// neighbour, so NormalizeEdge refuses such a loop.
type RelSpec struct {
	Type      RelType
	Chinese   string
	From, To  []Kind
	Symmetric bool
	// Loops allows a relationship from a node to itself.
	Loops bool
	Props []PropSpec
}

// MinYear and MaxYear bound every year the ontology accepts.
const (
	MinYear = 1800
	MaxYear = 2200
)

func year(name, doc string) PropSpec {
	return PropSpec{Name: name, Type: Int, Min: MinYear, Max: MaxYear, Doc: doc}
}

func str(name, doc string) PropSpec { return PropSpec{Name: name, Type: String, Doc: doc} }
func flt(name, doc string) PropSpec { return PropSpec{Name: name, Type: Float, Doc: doc} }

// ser is a yearly series of amounts (CNY) or counts: no year's value is
// negative.
func ser(name, doc string) PropSpec {
	return PropSpec{Name: name, Type: SeriesType, Min: 0, Max: math.MaxFloat64, Doc: doc}
}

func enum(name string, e *Enum, doc string) PropSpec {
	return PropSpec{Name: name, Type: EnumType, Enum: e, Doc: doc}
}

// CommonNodeProps are carried by every entity kind.
var CommonNodeProps = []PropSpec{
	{Name: "name", Type: String, Required: true, Doc: "name, usually Chinese"},
	str("nameEn", "English name"),
	{Name: "aliases", Type: Strings, Doc: "other names"},
	str("district", "district the entity is located in, e.g. 中山区"),
	str("source", "where the record came from: demo, public, manual, a file name"),
}

// CommonEdgeProps are carried by every relationship type.
var CommonEdgeProps = []PropSpec{
	year("since", "first year the relationship holds"),
	year("until", "last year the relationship holds (inclusive)"),
	str("source", "where the record came from"),
	{Name: "confidence", Type: Float, Min: 0, Max: 1, Doc: "confidence in the relationship, 0..1"},
}

var orgs = []Kind{Enterprise, Incubator, Makerspace, University, ServiceAgency}

// Organisations are the kinds of organisation (the kinds a person works
// at): enterprises, incubators, makerspaces, universities and service
// agencies. Every relationship type but those of people, policies,
// industries and plans joins two of them.
func Organisations() []Kind { return slices.Clone(orgs) }

// KindSpecs specifies every entity kind.
var KindSpecs = map[Kind]*KindSpec{
	Enterprise: {Enterprise, "企业", []PropSpec{
		{Name: "creditCode", Type: String, Check: checkCreditCode, Doc: "unified social credit code (统一社会信用代码)"},
		str("industry", "industry label"),
		year("foundedYear", "year founded"),
		{Name: "aboveScale", Type: Bool, Doc: "above designated size (规模以上) as last reported"},
		{Name: "aboveScaleByYear", Type: SeriesType, Min: 0, Max: 1, Check: checkFlags, Doc: "yearly above-designated-size status (规模以上): 1 above, 0 not"},
		year("highTechGranted", "year the high-tech enterprise certificate was granted"),
		year("highTechValidUntil", "last year the high-tech certificate is valid"),
		ser("revenue", "yearly revenue, CNY"),
		ser("rdInvestment", "yearly R&D investment, CNY"),
		ser("rdDeduction", "yearly R&D super-deduction claimed, CNY"),
		ser("employees", "yearly employees"),
	}},
	Incubator: {Incubator, "科技企业孵化器", []PropSpec{
		enum("level", Level, "administrative level"),
		str("operator", "operating organisation"),
		{Name: "area", Type: Float, Min: 0, Max: 1e9, Doc: "floor area, m²"},
		year("foundedYear", "year founded"),
	}},
	Makerspace: {Makerspace, "众创空间", []PropSpec{
		enum("level", Level, "administrative level"),
		str("operator", "operating organisation"),
		year("foundedYear", "year founded"),
		ser("makersServed", "makers served per year"),
	}},
	Talent: {Talent, "人才", []PropSpec{
		str("field", "field of expertise"),
		str("title", "professional title"),
		str("tier", "talent tier"),
		str("programme", "talent programme"),
	}},
	University: {University, "高校/科研院所", []PropSpec{
		enum("type", UniversityKind, "university or research institute"),
		year("foundedYear", "year founded"),
	}},
	ServiceAgency: {ServiceAgency, "科技服务机构", []PropSpec{
		{Name: "categories", Type: Enums, Enum: ServiceCategory, Doc: "service categories"},
		enum("level", Level, "administrative level"),
	}},
	Policy: {Policy, "科技政策", []PropSpec{
		enum("level", Level, "administrative level"),
		str("issuer", "issuing authority"),
		year("year", "year issued"),
		enum("type", PolicyKind, "what the policy supports"),
	}},
	Industry: {Industry, "产业链环节", []PropSpec{
		str("chain", "industry chain name"),
		enum("position", ChainPosition, "position in the chain"),
	}},
	Plan: {Plan, "规划", []PropSpec{
		year("periodStart", "first year of the plan period"),
		year("periodEnd", "last year of the plan period"),
		str("issuer", "issuing authority"),
	}},
	Indicator: {Indicator, "指标", []PropSpec{
		{Name: "number", Type: Int, Min: 0, Max: 1000, Doc: "number in the plan's table"},
		str("category", "indicator category"),
		flt("target", "target value"),
		str("unit", "unit of the target"),
		year("baselineYear", "baseline year"),
		str("formula", "key of the formula that computes the indicator from the graph"),
		str("text", "the plan's wording"),
	}},
}

// RelSpecs specifies every relationship type.
var RelSpecs = map[RelType]*RelSpec{
	Supplies: {Type: Supplies, Chinese: "供应", From: []Kind{Enterprise}, To: []Kind{Enterprise}, Props: []PropSpec{
		str("product", "product or service supplied"),
		{Name: "value", Type: Float, Min: 0, Max: 1e15, Doc: "yearly value, CNY"},
	}},
	CollaboratesWith: {Type: CollaboratesWith, Chinese: "合作", From: []Kind{Enterprise, University}, To: []Kind{Enterprise, University}, Symmetric: true, Props: []PropSpec{
		enum("mode", CollaborationMode, "joint R&D, joint lab or co-patent"),
	}},
	TransfersTechTo: {Type: TransfersTechTo, Chinese: "技术转移", From: []Kind{University}, To: []Kind{Enterprise}, Props: []PropSpec{
		str("technology", "technology transferred"),
		year("year", "year of the transfer"),
		{Name: "amount", Type: Float, Min: 0, Max: 1e15, Doc: "contract amount, CNY"},
	}},
	IncubatedBy: {Type: IncubatedBy, Chinese: "孵化", From: []Kind{Enterprise}, To: []Kind{Incubator, Makerspace}, Props: []PropSpec{
		year("graduated", "year the enterprise graduated"),
	}},
	WorksAt: {Type: WorksAt, Chinese: "任职", From: []Kind{Talent}, To: orgs, Props: []PropSpec{
		str("role", "role"),
	}},
	Founded:   {Type: Founded, Chinese: "创办", From: []Kind{Talent}, To: []Kind{Enterprise}},
	AlumnusOf: {Type: AlumnusOf, Chinese: "毕业于", From: []Kind{Talent}, To: []Kind{University}, Props: []PropSpec{enum("degree", Degree, "degree")}},
	Serves: {Type: Serves, Chinese: "服务", From: []Kind{ServiceAgency}, To: []Kind{Enterprise}, Props: []PropSpec{
		enum("category", ServiceCategory, "service category"),
		year("year", "year of service"),
		{Name: "value", Type: Float, Min: 0, Max: 1e15, Doc: "contract value, CNY"},
	}},
	InvestsIn: {Type: InvestsIn, Chinese: "投资", From: []Kind{ServiceAgency, Enterprise}, To: []Kind{Enterprise}, Props: []PropSpec{
		str("round", "funding round"),
		year("year", "year of the investment"),
		{Name: "amount", Type: Float, Min: 0, Max: 1e15, Doc: "amount, CNY"},
	}},
	SupportedBy: {Type: SupportedBy, Chinese: "政策支持", From: []Kind{Enterprise}, To: []Kind{Policy}, Props: []PropSpec{
		year("year", "year of the application"),
		enum("status", SupportStatus, "application status"),
		{Name: "amount", Type: Float, Min: 0, Max: 1e15, Doc: "support amount, CNY"},
	}},
	InIndustry:   {Type: InIndustry, Chinese: "属于产业", From: []Kind{Enterprise}, To: []Kind{Industry}},
	Feeds:        {Type: Feeds, Chinese: "上游供给", From: []Kind{Industry}, To: []Kind{Industry}, Loops: true},
	Operates:     {Type: Operates, Chinese: "运营", From: []Kind{Enterprise, University}, To: []Kind{Incubator, Makerspace}},
	HasIndicator: {Type: HasIndicator, Chinese: "包含指标", From: []Kind{Plan}, To: []Kind{Indicator}},
}

// Loose returns s without its checks, bounds and enum (an enum as a
// string, a list of enums as strings): what decoding a stored value
// needs, which was valid when it was written.
func (s PropSpec) Loose() PropSpec {
	s.Check, s.Min, s.Max = nil, 0, 0
	switch s.Type {
	case EnumType:
		s.Type, s.Enum = String, nil
	case Enums:
		s.Type, s.Enum = Strings, nil
	}
	return s
}

// NodePropSpec returns the spec of a property of kind k, common or specific.
func NodePropSpec(k Kind, name string) (*PropSpec, bool) {
	for i := range CommonNodeProps {
		if CommonNodeProps[i].Name == name {
			return &CommonNodeProps[i], true
		}
	}
	ks, ok := KindSpecs[k]
	if !ok {
		return nil, false
	}
	for i := range ks.Props {
		if ks.Props[i].Name == name {
			return &ks.Props[i], true
		}
	}
	return nil, false
}

// EdgePropSpec returns the spec of a property of relationship type t.
func EdgePropSpec(t RelType, name string) (*PropSpec, bool) {
	for i := range CommonEdgeProps {
		if CommonEdgeProps[i].Name == name {
			return &CommonEdgeProps[i], true
		}
	}
	rs, ok := RelSpecs[t]
	if !ok {
		return nil, false
	}
	for i := range rs.Props {
		if rs.Props[i].Name == name {
			return &rs.Props[i], true
		}
	}
	return nil, false
}

// NodeProps lists every property spec of kind k, common ones first.
func NodeProps(k Kind) []PropSpec {
	out := append([]PropSpec(nil), CommonNodeProps...)
	if ks, ok := KindSpecs[k]; ok {
		out = append(out, ks.Props...)
	}
	return out
}

// EdgeProps lists every property spec of relationship type t, common ones first.
func EdgeProps(t RelType) []PropSpec {
	out := append([]PropSpec(nil), CommonEdgeProps...)
	if rs, ok := RelSpecs[t]; ok {
		out = append(out, rs.Props...)
	}
	return out
}

// SeriesProps lists the names of the yearly-series properties of kind k.
func SeriesProps(k Kind) []string {
	var out []string
	for _, p := range NodeProps(k) {
		if p.Type == SeriesType {
			out = append(out, p.Name)
		}
	}
	sort.Strings(out)
	return out
}

// Allows reports whether a relationship of type t may go from a node of
// kind from to a node of kind to. Symmetric types allow either direction.
func (r *RelSpec) Allows(from, to Kind) bool {
	return containsKind(r.From, from) && containsKind(r.To, to)
}

func containsKind(ks []Kind, k Kind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

// ValidKind reports whether k is a kind of the ontology.
func ValidKind(k Kind) bool { _, ok := KindSpecs[k]; return ok }

// ValidRelType reports whether t is a relationship type of the ontology.
func ValidRelType(t RelType) bool { _, ok := RelSpecs[t]; return ok }
