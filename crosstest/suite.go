// Package crosstest holds one suite of GraphQL queries that every backend
// must answer alike, and the means to compare two servers on it: the
// answers of two servers holding the same data (the demo of package seed)
// must be the same JSON once object keys are sorted.
//
// The suite selects every field of every node type (but createdAt and
// updatedAt, which record when each store wrote the data), every typed
// relationship field the schema declares with @rel (read through
// graph.RelFields, so a new one is compared without a line here), every
// filter input, every order field in both
// directions, cursors walked page by page, search, stats, node and nodes,
// and a few invalid inputs whose errors must agree as well.
// TestSuiteCoversSchema checks that against the schema.
//
// TestTypedFieldsFollowDeclarations checks every @rel field on both
// backends against the relationships of its declared types and side.
//
// TestRelationshipQuestions asks a planner's relationship questions (paths
// as of a year, supply chains now and over every year, brokers among
// organisations, ordered analytics lists, the six category lists of
// agencies) on both backends with the default limits, and checks each
// answer against its own computation over the graph it reads back.
package crosstest

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/seed"
)

// Query is one case of the suite.
type Query struct {
	// Name identifies the case (a subtest name).
	Name string
	// Text is the GraphQL document, with the fragments it uses.
	Text string
	// Vars are its variables.
	Vars map[string]any
	// Walk, if set, is the dotted path below data of a connection whose
	// pages are walked: the query is repeated with $after set to the
	// endCursor of the previous answer while hasNextPage holds.
	Walk string
	// MinPages is the fewest pages a walk must take (a walk over a single
	// page would not test cursors).
	MinPages int
	// Errors says that the answer must carry errors (invalid input, unknown
	// ids); otherwise it must carry none and name at least one node.
	Errors bool
}

// MaxPages bounds a walk.
const MaxPages = 50

// MaxComplexity is a query complexity limit the suite fits in; servers
// under test must allow at least this much (server.Config.MaxComplexity,
// innograph serve --max-complexity).
const MaxComplexity = 50_000_000

// fragments are the named fragments queries use; withFragments appends
// those a query needs.
var fragments = map[string]string{
	"page": `fragment page on PageInfo { hasNextPage hasPreviousPage startCursor endCursor }`,
	"rel": `fragment rel on Relation { id type from to since until source confidence product value mode
  technology year amount graduated role degree category round status }`,
	"conn":  `fragment conn on RelationConnection { totalCount pageInfo { ...page } edges { cursor outgoing relation { ...rel } node { id kind name } } }`,
	"nodeF": `fragment nodeF on Node { id kind name nameEn aliases district source }`,
	"enterprise": `fragment enterprise on Enterprise { creditCode industry foundedYear aboveScale highTechGranted highTechValidUntil
  ht2019: highTech(year: 2019) ht2025: highTech(year: 2025)
  figures { year revenue rdInvestment rdDeduction employees aboveScale }
  recent: figures(from: 2023) { year revenue aboveScale }
  early: figures(to: 2021) { year employees }
  mid: figures(from: 2021, to: 2022) { year rdInvestment rdDeduction } }`,
	"incubator":  `fragment incubator on Incubator { level operator area foundedYear }`,
	"makerspace": `fragment makerspace on Makerspace { level operator foundedYear figures { year makersServed } mid: figures(from: 2021, to: 2023) { year makersServed } }`,
	"talent":     `fragment talent on Talent { field title tier programme }`,
	"university": `fragment university on University { universityType: type foundedYear }`,
	"agency":     `fragment agency on ServiceAgency { categories level }`,
	"policy":     `fragment policy on Policy { level issuer year policyType: type }`,
	"industry":   `fragment industry on Industry { chain position }`,
	"plan":       `fragment plan on Plan { periodStart periodEnd issuer }`,
	"indicator":  `fragment indicator on Indicator { number category target unit baselineYear formula text }`,
	"all": `fragment all on Node { ...nodeF ... on Enterprise { ...enterprise } ... on Incubator { ...incubator }
  ... on Makerspace { ...makerspace } ... on Talent { ...talent } ... on University { ...university }
  ... on ServiceAgency { ...agency } ... on Policy { ...policy } ... on Industry { ...industry }
  ... on Plan { ...plan } ... on Indicator { ...indicator } }`,
}

var spreadRE = regexp.MustCompile(`\.\.\.([A-Za-z_]\w*)`)

// withFragments returns text followed by the fragments it spreads,
// directly or through other fragments.
func withFragments(text string) string {
	need := map[string]bool{}
	var visit func(string)
	visit = func(s string) {
		for _, m := range spreadRE.FindAllStringSubmatch(s, -1) {
			name := m[1]
			if name == "on" || need[name] {
				continue
			}
			f, ok := fragments[name]
			if !ok {
				panic("crosstest: unknown fragment " + name)
			}
			need[name] = true
			visit(f)
		}
	}
	visit(text)
	names := make([]string, 0, len(need))
	for n := range need {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString(text)
	for _, n := range names {
		b.WriteString("\n")
		b.WriteString(fragments[n])
	}
	return b.String()
}

// facts are ids and values of the dataset the queries name.
type facts struct {
	first       map[kg.Kind][]string // ids per kind, in dataset order
	creditCode  string               // of an enterprise
	busiest     string               // the node with the most relationships
	bigIndustry string               // the industry with the most enterprises
}

func gather(ds seed.Dataset) facts {
	f := facts{first: map[kg.Kind][]string{}}
	for _, n := range ds.Nodes {
		f.first[n.Kind] = append(f.first[n.Kind], n.ID)
		if f.creditCode == "" && n.Kind == kg.Enterprise {
			f.creditCode, _ = n.Props["creditCode"].(string)
		}
	}
	degree := map[string]int{}
	inIndustry := map[string]int{}
	for _, e := range ds.Edges {
		degree[e.From]++
		degree[e.To]++
		if e.Type == kg.InIndustry {
			inIndustry[e.To]++
		}
	}
	f.busiest = argmax(degree)
	f.bigIndustry = argmax(inIndustry)
	return f
}

// argmax returns the key of the largest value, the smallest key on ties.
func argmax(m map[string]int) string {
	best, bestN := "", -1
	for k, n := range m {
		if n > bestN || (n == bestN && k < best) {
			best, bestN = k, n
		}
	}
	return best
}

// ids returns up to n ids of kind k.
func (f facts) ids(k kg.Kind, n int) []string {
	ids := f.first[k]
	return ids[:min(n, len(ids))]
}

// id returns the i-th id of kind k.
func (f facts) id(k kg.Kind, i int) string { return f.first[k][i] }

// sortedIDs returns the ids of kind k in id order.
func (f facts) sortedIDs(k kg.Kind) []string {
	ids := slices.Clone(f.first[k])
	slices.Sort(ids)
	return ids
}

// byID returns the cursor of the node with id id in a list of kind k in
// the default order (by id); the node need not exist.
func byID(k kg.Kind, id string) string { return kg.NodeCursor(k, nil, &kg.Node{ID: id}) }

// listKinds are the kinds of the root lists.
var listKinds = map[string]kg.Kind{
	"enterprises": kg.Enterprise, "incubators": kg.Incubator, "makerspaces": kg.Makerspace, "talents": kg.Talent,
	"universities": kg.University, "serviceAgencies": kg.ServiceAgency, "policies": kg.Policy, "industries": kg.Industry,
	"plans": kg.Plan, "indicators": kg.Indicator,
}

// list formats ids as a GraphQL list of strings.
func list(ids ...string) string {
	q := make([]string, len(ids))
	for i, id := range ids {
		q[i] = strconv.Quote(id)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// lists are the root list of each kind and the fragment of its fields.
var lists = []struct {
	kind        kg.Kind
	field, frag string
}{
	{kg.Enterprise, "enterprises", "enterprise"}, {kg.Incubator, "incubators", "incubator"}, {kg.Makerspace, "makerspaces", "makerspace"},
	{kg.Talent, "talents", "talent"}, {kg.University, "universities", "university"}, {kg.ServiceAgency, "serviceAgencies", "agency"},
	{kg.Policy, "policies", "policy"}, {kg.Industry, "industries", "industry"}, {kg.Plan, "plans", "plan"}, {kg.Indicator, "indicators", "indicator"},
}

// Suite returns the queries for a store seeded with ds (the demo at scale
// 1, seed 1, which the values in the filters are chosen for).
func Suite(ds seed.Dataset) []Query {
	f := gather(ds)
	var qs []Query
	add := func(q Query) {
		q.Text = withFragments(q.Text)
		qs = append(qs, q)
	}

	// Every kind's list, every scalar field.
	for _, l := range lists {
		add(Query{Name: "list/" + l.field, Text: fmt.Sprintf(
			`{ %s(first: 500) { totalCount pageInfo { ...page } edges { cursor node { ...nodeF ...%s } } } }`, l.field, l.frag)})
	}
	add(Query{Name: "list/default-first", Text: `{ enterprises { totalCount pageInfo { ...page } edges { cursor node { id name } } }
  talents { totalCount pageInfo { ...page } edges { node { id } } } }`})

	// Every typed relationship field the schema declares (@rel), for every
	// node of its type.
	for _, l := range lists {
		var fields []string
		for _, f := range graph.RelFields() {
			if f.Kind == l.kind {
				fields = append(fields, f.Name+" { ...conn }")
			}
		}
		if len(fields) > 0 {
			add(Query{Name: "relations/typed-" + l.field, Text: fmt.Sprintf(
				"{ %s(first: 500) { edges { node { id\n  %s } } } }", l.field, strings.Join(fields, " "))})
		}
	}
	add(Query{Name: "relations/enterprise-asOf-first", Text: `{ enterprises(first: 500) { edges { node { id
  suppliers(first: 2, asOf: 2021) { ...conn } customers(first: 1, asOf: 2023) { ...conn }
  collaborators(asOf: 2022) { ...conn } incubators(asOf: 2020) { ...conn } founders(first: 1) { ...conn }
  staff(first: 3, asOf: 2024) { ...conn } servingAgencies(first: 2, asOf: 2023) { ...conn }
  investors(asOf: 2022) { ...conn } investments(first: 1, asOf: 2024) { ...conn } policies(first: 3, asOf: 2021) { ...conn }
  industries(first: 1) { ...conn } technologySources(asOf: 2022) { ...conn } operates(asOf: 2019) { ...conn } } } } }`})
	add(Query{Name: "relations/carriers", Text: `{
  incubators(first: 500) { edges { node { id graduates: incubated(first: 100, asOf: 2022) { ...conn } } } }
  makerspaces(first: 500) { edges { node { id now: incubated(first: 100, asOf: 2025) { ...conn } } } } }`})
	add(Query{Name: "relations/talent", Text: `{ talents(first: 500) { edges { node { id
  past: employers(asOf: 2018) { ...conn } } } } }`})
	add(Query{Name: "relations/university", Text: `{ universities(first: 500) { edges { node { id
  collaborators(first: 100) { ...conn } technologyTransfers(first: 100) { ...conn } alumni(first: 500) { ...conn }
  staff(first: 100) { ...conn } operates { ...conn } recent: technologyTransfers(first: 100, asOf: 2023) { ...conn } } } } }`})
	add(Query{Name: "relations/service-agency", Text: `{ serviceAgencies(first: 500) { edges { node { id
  served(first: 100) { ...conn } served2022: served(asOf: 2022) { ...conn } } } } }`})
	add(Query{Name: "relations/policy", Text: `{ policies(first: 500) { edges { node { id
  beneficiaries(first: 500) { ...conn } b2021: beneficiaries(first: 5, asOf: 2021) { ...conn } } } } }`})
	add(Query{Name: "relations/industry", Text: `{ industries(first: 500) { edges { node { id
  enterprises(first: 500) { ...conn } few: enterprises(first: 3) { ...conn } } } } }`})
	add(Query{Name: "relations/plan-indicator", Text: `{
  plans { edges { node { id some: indicators(first: 4) { ...conn } } } } }`})
	add(Query{Name: "relations/generic-universities", Text: `{ universities(first: 500) { edges { node { id
  all: relations(first: 500) { ...conn }
  people: relations(types: [ALUMNUS_OF, WORKS_AT], direction: IN, first: 10) { ...conn }
  out: relations(direction: OUT, first: 100) { ...conn }
  both: relations(types: [COLLABORATES_WITH], direction: BOTH, asOf: 2022, first: 100) { ...conn } } } } }`})
	add(Query{Name: "relations/generic-enterprises", Text: `{ enterprises(first: 500) { edges { node { id
  sold: relations(types: [SUPPLIES], direction: OUT, asOf: 2022) { ...conn }
  money: relations(types: [SUPPLIES, INVESTS_IN, SERVES], direction: IN) { ...conn }
  count: relations(first: 0) { totalCount pageInfo { ...page } edges { cursor } }
  all: relations(first: 500) { totalCount edges { relation { id } node { id } } } } } } }`})
	add(Query{Name: "relations/generic-other-kinds", Text: `{
  talents(first: 500) { edges { node { id relations(first: 50) { ...conn } } } }
  serviceAgencies(first: 500) { edges { node { id relations(first: 100, direction: OUT, asOf: 2023) { ...conn } } } }
  policies(first: 500) { edges { node { id relations(types: [SUPPORTED_BY], first: 3) { ...conn } } } }
  industries(first: 500) { edges { node { id relations(types: [FEEDS], direction: BOTH) { ...conn } } } }
  incubators(first: 500) { edges { node { id relations { ...conn } } } }
  makerspaces(first: 500) { edges { node { id relations(direction: IN) { ...conn } } } }
  plans { edges { node { id relations(types: [HAS_INDICATOR], direction: OUT) { ...conn } } } }
  indicators { edges { node { id relations(direction: IN) { ...conn } } } } }`})
	add(Query{Name: "relations/nested-nodes", Text: `{ talents(first: 40) { edges { node { id
  employers { edges { node { ...all } } } founded { edges { node { ...all
    ... on Enterprise { suppliers(first: 3) { edges { relation { ...rel } node { ...all } } } } } } } } } } }`})
	add(Query{Name: "relations/walk-busiest-node", Walk: "node.relations", MinPages: 3,
		Vars: map[string]any{"id": f.busiest},
		Text: `query ($id: ID!, $after: String) { node(id: $id) { id relations(first: 7, after: $after) { ...conn } } }`})
	add(Query{Name: "relations/walk-industry-enterprises", Walk: "node.enterprises", MinPages: 3,
		Vars: map[string]any{"id": f.bigIndustry},
		Text: `query ($id: ID!, $after: String) { node(id: $id) { id ... on Industry { enterprises(first: 5, after: $after) { ...conn } } } }`})

	// Filters: every field of every filter input.
	ents := f.ids(kg.Enterprise, 6)
	add(Query{Name: "filter/enterprise-scalars", Text: `{
  a: enterprises(first: 500, filter: {district: "中山区", industry: "软件和信息技术服务", aboveScale: false, foundedFrom: 2010, foundedTo: 2020}) { totalCount edges { node { id } } }
  b: enterprises(first: 500, filter: {aboveScale: true}) { totalCount edges { node { id } } }
  c: enterprises(first: 500, filter: {district: "甘井子区", source: "demo"}) { totalCount edges { node { id } } }
  d: enterprises(first: 500, filter: {foundedTo: 2000}) { totalCount edges { node { id foundedYear } } }
  e: enterprises(first: 500, filter: {foundedFrom: 2023}) { totalCount edges { node { id foundedYear } } }
  f: enterprises(first: 500, filter: {nameContains: "科技", industry: "生物医药"}) { totalCount edges { node { id name } } }
  g: enterprises(first: 500, filter: {source: "public"}) { totalCount edges { node { id } } }
  h: enterprises(first: 500, filter: {aboveScaleIn: 2020}) { totalCount edges { node { id figures { year aboveScale } } } }
  i: enterprises(first: 500, filter: {aboveScaleIn: 2025, aboveScale: true, district: "中山区"}) { totalCount edges { node { id } } }
  j: enterprises(first: 500, filter: {aboveScaleIn: 1990}) { totalCount edges { node { id } } } }`})
	add(Query{Name: "filter/enterprise-ids-credit-code", Text: fmt.Sprintf(`{
  a: enterprises(filter: {ids: %s}) { totalCount edges { node { id name } } }
  b: enterprises(filter: {creditCode: %q}) { totalCount edges { node { id creditCode } } }
  c: enterprises(filter: {ids: %s, aboveScale: false}) { totalCount edges { node { id } } }
  d: enterprises(filter: {ids: []}) { totalCount edges { node { id } } } }`,
		list(append(slices.Clone(ents), "no-such-enterprise", f.id(kg.Talent, 0))...), f.creditCode, list(ents...))})
	add(Query{Name: "filter/enterprise-high-tech-and-figures", Text: `{
  a: enterprises(first: 500, filter: {highTechIn: 2025}) { totalCount edges { node { id highTechGranted highTechValidUntil } } }
  b: enterprises(first: 500, filter: {highTechIn: 2019, district: "中山区"}) { totalCount edges { node { id } } }
  c: enterprises(first: 500, filter: {revenue: {year: 2024, min: 10000000}}) { totalCount edges { node { id } } }
  d: enterprises(first: 500, filter: {revenue: {year: 2020, max: 2000000}}) { totalCount edges { node { id } } }
  e: enterprises(first: 500, filter: {rdInvestment: {year: 2024, min: 100000, max: 5000000}}) { totalCount edges { node { id } } }
  f: enterprises(first: 500, filter: {rdDeduction: {year: 2023, min: 1}}) { totalCount edges { node { id } } }
  g: enterprises(first: 500, filter: {employees: {year: 2025, min: 10, max: 100}, source: "demo"}) { totalCount edges { node { id } } }
  h: enterprises(first: 500, filter: {employees: {year: 2021}}) { totalCount edges { node { id } } }
  i: enterprises(first: 500, filter: {highTechIn: 2025, rdDeduction: {year: 2025, min: 0}, revenue: {year: 2025, min: 5000000, max: 500000000}}) { totalCount edges { node { id } } } }`})
	add(Query{Name: "filter/carriers", Text: fmt.Sprintf(`{
  a: incubators(filter: {levelAtLeast: MUNICIPAL}) { totalCount edges { node { id level } } }
  b: incubators(filter: {level: [DISTRICT], foundedFrom: 2015, district: "中山区", source: "demo"}) { totalCount edges { node { id } } }
  c: incubators(filter: {ids: %s, nameContains: "孵化"}) { totalCount edges { node { id } } }
  d: makerspaces(filter: {levelAtLeast: PROVINCIAL}) { totalCount edges { node { id level } } }
  e: makerspaces(filter: {level: [DISTRICT, NATIONAL], foundedFrom: 2017, foundedTo: 2022}) { totalCount edges { node { id } } }
  f: makerspaces(filter: {nameContains: "众创", foundedTo: 2020, ids: %s}) { totalCount edges { node { id } } }
  g: makerspaces(filter: {levelAtLeast: DISTRICT, district: "中山区", source: "demo"}) { totalCount edges { node { id } } } }`,
		list(f.ids(kg.Incubator, 2)...), list(f.ids(kg.Makerspace, 5)...))})
	add(Query{Name: "filter/talents", Text: fmt.Sprintf(`{
  a: talents(first: 500, filter: {field: "大数据"}) { totalCount edges { node { id } } }
  b: talents(first: 500, filter: {title: "高级工程师", district: "中山区"}) { totalCount edges { node { id } } }
  c: talents(first: 500, filter: {tier: "领军人才"}) { totalCount edges { node { id } } }
  d: talents(first: 500, filter: {programme: "兴辽英才计划", source: "demo"}) { totalCount edges { node { id } } }
  e: talents(first: 500, filter: {ids: %s, nameContains: %q}) { totalCount edges { node { id } } }
  f: talents(first: 500, filter: {field: "药学", title: "教授"}) { totalCount edges { node { id } } } }`,
		list(f.ids(kg.Talent, 30)...), firstRune(ds, f.id(kg.Talent, 0)))})
	add(Query{Name: "filter/universities", Text: fmt.Sprintf(`{
  a: universities(filter: {type: [UNIVERSITY]}) { totalCount edges { node { id } } }
  b: universities(filter: {type: [RESEARCH_INSTITUTE, NEW_RD_INSTITUTION], source: "demo"}) { totalCount edges { node { id } } }
  c: universities(filter: {district: "沙河口区", nameContains: "大连"}) { totalCount edges { node { id } } }
  d: universities(filter: {ids: %s, source: "public"}) { totalCount edges { node { id } } } }`,
		list(f.ids(kg.University, 6)...))})
	add(Query{Name: "filter/service-agencies", Text: fmt.Sprintf(`{
  a: serviceAgencies(first: 100, filter: {categories: [IP, FINANCE]}) { totalCount edges { node { id categories } } }
  b: serviceAgencies(first: 100, filter: {level: [MUNICIPAL, PROVINCIAL], district: "中山区"}) { totalCount edges { node { id } } }
  c: serviceAgencies(first: 100, filter: {levelAtLeast: PROVINCIAL, source: "demo"}) { totalCount edges { node { id } } }
  d: serviceAgencies(first: 100, filter: {nameContains: "知识产权", categories: [IP]}) { totalCount edges { node { id } } }
  e: serviceAgencies(first: 100, filter: {ids: %s, levelAtLeast: MUNICIPAL}) { totalCount edges { node { id } } } }`,
		list(f.ids(kg.ServiceAgency, 12)...))})
	add(Query{Name: "filter/policies", Text: fmt.Sprintf(`{
  a: policies(filter: {level: [DISTRICT]}) { totalCount edges { node { id } } }
  b: policies(filter: {levelAtLeast: PROVINCIAL, type: [TALENT_PROGRAMME, FINANCE, IP]}) { totalCount edges { node { id } } }
  c: policies(filter: {issuer: "大连市科学技术局"}) { totalCount edges { node { id } } }
  d: policies(filter: {yearFrom: 2019, yearTo: 2021, district: "中山区"}) { totalCount edges { node { id year } } }
  e: policies(filter: {nameContains: "办法", source: "demo", yearTo: 2018}) { totalCount edges { node { id } } }
  f: policies(filter: {ids: %s, type: [SUBSIDY, INCUBATION, OTHER, HIGH_TECH_CERTIFICATION, RD_DEDUCTION]}) { totalCount edges { node { id } } } }`,
		list(f.ids(kg.Policy, 12)...))})
	add(Query{Name: "filter/industries-plans-indicators", Text: fmt.Sprintf(`{
  a: industries(filter: {chain: "生物医药"}) { totalCount edges { node { id } } }
  b: industries(filter: {position: [UPSTREAM, DOWNSTREAM], source: "demo"}) { totalCount edges { node { id } } }
  c: industries(filter: {nameContains: "软件", ids: %s}) { totalCount edges { node { id } } }
  d: industries(filter: {district: "中山区"}) { totalCount edges { node { id } } }
  e: plans(filter: {ids: %s, nameContains: "十四五", district: "中山区", source: "plan"}) { totalCount edges { node { id } } }
  f: indicators(filter: {nameContains: "企业", source: "plan"}) { totalCount edges { node { id } } }
  g: indicators(filter: {ids: %s, district: "中山区"}) { totalCount edges { node { id } } }
  h: enterprises(filter: {nameContains: "不存在的名字"}) { totalCount pageInfo { ...page } edges { node { id } } } }`,
		list(f.ids(kg.Industry, 9)...), list(f.ids(kg.Plan, 1)...), list(f.ids(kg.Indicator, 4)...))})

	// Planners' questions: incubation, yearly values, filtered and ordered
	// relationships, distinct counts.
	add(Query{Name: "filter/enterprise-incubated", Text: fmt.Sprintf(`{
  a: enterprises(first: 500, filter: {incubated: {}}) { totalCount edges { node { id } } }
  b: enterprises(first: 500, filter: {incubated: {by: %s}}) { totalCount edges { node { id incubators { ...conn } } } }
  c: enterprises(first: 500, filter: {incubated: {graduated: true}}) { totalCount edges { node { id } } }
  d: enterprises(first: 500, filter: {incubated: {graduated: false, from: 2022, to: 2024}}) { totalCount edges { node { id } } }
  e: enterprises(first: 500, filter: {incubated: {from: 2021}, revenue: {year: 2024}}) { totalCount edges { node { id } } }
  f: enterprises(first: 500, filter: {incubated: {to: 2019, graduated: true, by: %s}}) { totalCount edges { node { id } } }
  g: enterprises(first: 500, filter: {incubated: {by: []}}) { totalCount edges { node { id } } }
  h: enterprises(first: 500, filter: {revenue: {year: 2019}, district: "中山区"}) { totalCount edges { node { id } } } }`,
		list(f.id(kg.Incubator, 0), f.id(kg.Makerspace, 0)), list(f.ids(kg.Incubator, 10)...))})
	add(Query{Name: "relations/filtered-and-ordered", Text: `{
  serviceAgencies(first: 500) { edges { node { id
    all: served(first: 0) { totalCount nodeCount }
    y2023: served(year: 2023, orderBy: [{field: VALUE, direction: DESC}]) { nodeCount ...conn }
    ip: served(category: [IP, CONSULTING], first: 3, orderBy: [{field: YEAR}, {field: NAME, direction: DESC}]) { nodeCount ...conn }
    none: served(category: [], year: 2022) { nodeCount totalCount }
    investments(orderBy: [{field: AMOUNT, direction: DESC}]) { ...conn } } } }
  policies(first: 500) { edges { node { id
    beneficiaries(status: [APPROVED], year: 2023, orderBy: [{field: AMOUNT, direction: DESC}]) { nodeCount ...conn }
    applied: beneficiaries(status: [APPLIED, REJECTED], first: 5, orderBy: [{field: YEAR, direction: DESC}]) { nodeCount ...conn } } } }
  incubators(first: 500) { edges { node { id incubated(orderBy: [{field: GRADUATED, direction: DESC}]) { ...conn } } } }
  makerspaces(first: 500) { edges { node { id incubated(orderBy: [{field: SINCE}]) { ...conn } } } }
  universities(first: 500) { edges { node { id technologyTransfers(first: 50, orderBy: [{field: AMOUNT, direction: DESC}]) { ...conn } } } } }`})
	add(Query{Name: "relations/enterprise-filtered-and-ordered", Text: `{ enterprises(first: 500) { edges { node { id
  policies(levelAtLeast: MUNICIPAL, status: [APPLIED, APPROVED], year: 2024) { nodeCount ...conn }
  district: policies(levelAtLeast: DISTRICT, orderBy: [{field: YEAR, direction: DESC}, {field: AMOUNT}]) { nodeCount ...conn }
  suppliers(orderBy: [{field: VALUE, direction: DESC}]) { nodeCount ...conn } customers(first: 2, orderBy: [{field: SINCE, direction: DESC}]) { ...conn }
  incubators(orderBy: [{field: UNTIL}]) { ...conn } servingAgencies(orderBy: [{field: NAME}]) { nodeCount ...conn }
  investors(orderBy: [{field: AMOUNT}]) { ...conn } investments(orderBy: [{field: YEAR, direction: DESC}]) { ...conn }
  technologySources(orderBy: [{field: YEAR}]) { ...conn }
  relations(first: 0) { nodeCount totalCount } } } } }`})
	add(Query{Name: "relations/ordered", Text: `{
  talents(first: 100) { edges { node { id employers(orderBy: [{field: SINCE, direction: DESC}]) { ...conn } almaMater(orderBy: [{field: NAME}]) { ...conn } } } }
  universities(first: 500) { edges { node { id staff(first: 10, orderBy: [{field: NAME, direction: DESC}]) { ...conn }
    collaborators(first: 10, orderBy: [{field: UNTIL}]) { ...conn } relations(first: 10, orderBy: [{field: SINCE}, {field: YEAR, direction: DESC}]) { nodeCount ...conn } } } }
  industries(first: 500) { edges { node { id enterprises(first: 10, orderBy: [{field: NAME}]) { ...conn } downstream(orderBy: [{field: SINCE, direction: DESC}]) { ...conn } } } } }`})
	add(Query{Name: "errors/planner-questions", Errors: true, Text: fmt.Sprintf(`{
  unknown: enterprises(filter: {incubated: {by: ["no-such-carrier"]}}) { totalCount }
  notCarrier: enterprises(filter: {incubated: {by: [%q]}}) { totalCount }
  reversed: enterprises(filter: {incubated: {from: 2024, to: 2021}}) { totalCount }
  noYear: serviceAgencies(orderBy: [{field: ENTERPRISES_SERVED}]) { totalCount }
  yearlyNoYear: makerspaces(orderBy: [{field: MAKERS_SERVED}]) { totalCount }
  node(id: %q) { id ... on ServiceAgency { served(year: -1) { totalCount } } } }`, f.id(kg.Enterprise, 0), f.id(kg.ServiceAgency, 0))})

	// Ordering: every order field in both directions.
	var b strings.Builder
	b.WriteString("{\n")
	for _, o := range []struct{ field, year string }{
		{"ID", ""}, {"NAME", ""}, {"FOUNDED_YEAR", ""}, {"REVENUE", "2024"}, {"RD_INVESTMENT", "2025"},
		{"RD_DEDUCTION", "2021"}, {"EMPLOYEES", "2020"}, {"HIGH_TECH_GRANTED", ""},
	} {
		year := ""
		if o.year != "" {
			year = ", year: " + o.year
		}
		for _, dir := range []string{"ASC", "DESC"} {
			fmt.Fprintf(&b, "  %s_%s: enterprises(first: 60, orderBy: [{field: %s, direction: %s%s}]) { totalCount edges { cursor node { id } } }\n",
				strings.ToLower(o.field), strings.ToLower(dir), o.field, dir, year)
		}
	}
	b.WriteString(`  implicit: enterprises(first: 60, orderBy: [{field: REVENUE, year: 2025}]) { edges { node { id } } }
  two: enterprises(first: 100, orderBy: [{field: FOUNDED_YEAR, direction: DESC}, {field: NAME}]) { edges { node { id } } }
  three: enterprises(first: 100, filter: {district: "中山区"}, orderBy: [{field: HIGH_TECH_GRANTED}, {field: REVENUE, year: 2022, direction: DESC}, {field: ID, direction: DESC}]) { edges { node { id } } }
}`)
	add(Query{Name: "order/enterprises", Text: b.String()})
	for _, k := range []struct {
		list   string
		fields []string // besides ID, NAME and DISTRICT; "FIELD, year: Y" for yearly ones
	}{
		{"incubators", []string{"FOUNDED_YEAR", "AREA", "LEVEL"}}, {"makerspaces", []string{"FOUNDED_YEAR", "MAKERS_SERVED, year: 2023", "LEVEL"}},
		{"talents", nil}, {"universities", []string{"FOUNDED_YEAR"}},
		{"serviceAgencies", []string{"ENTERPRISES_SERVED, year: 2023", "ENTERPRISES_SERVED, year: 2021", "LEVEL"}},
		{"policies", []string{"YEAR", "LEVEL"}}, {"industries", []string{"CHAIN", "POSITION"}}, {"plans", []string{"PERIOD_START", "PERIOD_END"}},
		{"indicators", []string{"NUMBER", "TARGET", "BASELINE_YEAR"}},
	} {
		b.Reset()
		b.WriteString("{\n")
		for i, field := range append([]string{"ID", "NAME", "DISTRICT"}, k.fields...) {
			for _, dir := range []string{"ASC", "DESC"} {
				name, _, _ := strings.Cut(field, ",")
				fmt.Fprintf(&b, "  %s_%d_%s: %s(first: 100, orderBy: [{field: %s, direction: %s}]) { totalCount edges { node { id } } }\n",
					strings.ToLower(name), i, strings.ToLower(dir), k.list, field, dir)
			}
		}
		fmt.Fprintf(&b, "  two: %s(first: 100, orderBy: [{field: DISTRICT}, {field: NAME, direction: DESC}]) { edges { node { id } } }\n", k.list)
		if slices.Contains(k.fields, "LEVEL") {
			// After a position between the nodes of one level: a ranked order's
			// cursor holds the level's rank.
			order := []kg.SortKey{{Prop: "level", Desc: true}, {Prop: "name"}}
			after := kg.EncodeCursor(kg.Position{Order: kg.NodeOrder(listKinds[k.list], order), Values: []any{int64(kg.LevelRank("MUNICIPAL")), "大连"}, ID: "m"})
			fmt.Fprintf(&b, "  levelThenName: %s(first: 7, after: %q, orderBy: [{field: LEVEL, direction: DESC}, {field: NAME}]) { totalCount pageInfo { ...page } edges { cursor node { id } } }\n", k.list, after)
		}
		b.WriteString("}")
		add(Query{Name: "order/" + k.list, Text: b.String()})
	}

	// Pagination: cursors walked page by page.
	add(Query{Name: "page/enterprises-by-revenue", Walk: "enterprises", MinPages: 5,
		Text: `query ($after: String) { enterprises(first: 40, after: $after, filter: {district: "中山区"}, orderBy: [{field: REVENUE, year: 2025, direction: DESC}]) {
  totalCount pageInfo { ...page } edges { cursor node { id name } } } }`})
	add(Query{Name: "page/talents-by-name", Walk: "talents", MinPages: 4,
		Text: `query ($after: String) { talents(first: 50, after: $after, orderBy: [{field: NAME, direction: DESC}]) {
  totalCount pageInfo { ...page } edges { cursor node { id name } } } }`})
	add(Query{Name: "page/service-agencies-by-enterprises-served", Walk: "serviceAgencies", MinPages: 4,
		Text: `query ($after: String) { serviceAgencies(first: 6, after: $after, filter: {levelAtLeast: DISTRICT},
  orderBy: [{field: ENTERPRISES_SERVED, year: 2024, direction: DESC}, {field: NAME}]) {
  totalCount pageInfo { ...page } edges { cursor node { id served(year: 2024) { nodeCount totalCount } } } } }`})
	add(Query{Name: "page/service-agencies", Walk: "serviceAgencies", MinPages: 5,
		Text: `query ($after: String) { serviceAgencies(first: 7, after: $after, filter: {levelAtLeast: DISTRICT}) {
  totalCount pageInfo { ...page } edges { cursor node { id } } } }`})
	add(Query{Name: "page/edges-of-range", Text: fmt.Sprintf(`{
  zero: enterprises(first: 0) { totalCount pageInfo { ...page } edges { node { id } } }
  zeroAfter: enterprises(first: 0, after: %q) { totalCount pageInfo { ...page } }
  tail: enterprises(first: 5, after: %q) { totalCount pageInfo { ...page } edges { cursor node { id } } }
  past: enterprises(first: 5, after: %q) { totalCount pageInfo { ...page } edges { node { id } } }
  max: talents(first: 500) { totalCount pageInfo { ...page } edges { node { id } } } }`,
		byID(kg.Enterprise, f.id(kg.Enterprise, 10)), byID(kg.Enterprise, f.sortedIDs(kg.Enterprise)[len(f.first[kg.Enterprise])-4]), byID(kg.Enterprise, "\uffff"))})
	b.Reset()
	b.WriteString("{\n")
	for _, k := range []string{"enterprises", "incubators", "makerspaces", "talents", "universities", "serviceAgencies", "policies", "industries", "plans", "indicators"} {
		fmt.Fprintf(&b, "  %s(first: 3, after: %q) { totalCount pageInfo { ...page } edges { cursor node { id } } }\n", k, byID(listKinds[k], f.sortedIDs(listKinds[k])[0]))
	}
	b.WriteString("}")
	add(Query{Name: "page/every-kind-after", Text: b.String()})

	// Search.
	for _, s := range []struct{ name, args string }{
		{"chinese-city", `text: "大连", first: 100`},
		{"chinese-substring", `text: "海事"`},
		{"chinese-suffix", `text: "科技有限公司", first: 500`},
		{"chinese-kinds", `text: "大连", kinds: [UNIVERSITY, INCUBATOR, MAKERSPACE, SERVICE_AGENCY], first: 50`},
		{"exact-name", `text: "大连理工大学", first: 5`},
		{"english-case", `text: "dalian MARITIME"`},
		{"english-word", `text: "University", kinds: [UNIVERSITY], first: 50`},
		{"english-kinds", `text: "technology", kinds: [ENTERPRISE, SERVICE_AGENCY], first: 200`},
		{"alias", `text: "大工"`},
		{"alias-english", `text: "dicp"`},
		{"spaces-and-plan", `text: "  十四五 ", kinds: [PLAN, INDICATOR, POLICY]`},
		{"indicator-words", `text: "企业", kinds: [INDICATOR, POLICY], first: 30`},
	} {
		add(Query{Name: "search/" + s.name, Text: fmt.Sprintf(`{ search(%s) { ...all } none: search(text: "zzqq-nothing") { id } }`, s.args)})
	}

	// Stats.
	add(Query{Name: "stats", Text: `{ stats { nodes relations byKind { kind count } byType { type count } } plans { edges { node { id } } } }`})

	// node and nodes.
	b.Reset()
	b.WriteString("{\n")
	for _, k := range kg.Kinds {
		fmt.Fprintf(&b, "  %s: node(id: %q) { ...all relations(first: 5) { ...conn } }\n", strings.ToLower(string(k)), f.id(k, 0))
	}
	b.WriteString("}")
	add(Query{Name: "node/every-kind", Text: b.String()})
	var some []string
	for _, k := range kg.Kinds {
		some = append(some, f.ids(k, 3)...)
	}
	add(Query{Name: "nodes/every-kind", Text: fmt.Sprintf(`{ nodes(ids: %s) { ...all } }`, list(some...))})
	add(Query{Name: "nodes/unknown-and-repeated", Errors: true, Text: fmt.Sprintf(`{ nodes(ids: %s) { id name } }`,
		list(f.id(kg.Enterprise, 1), "no-such-node", f.id(kg.Enterprise, 1), f.id(kg.Policy, 0), "another-missing"))})
	add(Query{Name: "node/unknown", Errors: true, Text: `{ node(id: "no-such-node") { id } stats { nodes } }`})

	// Figures.
	add(Query{Name: "figures", Text: `{
  enterprises(first: 500, orderBy: [{field: ID, direction: DESC}]) { edges { node { id
    figures(from: 2021, to: 2024) { year revenue rdInvestment rdDeduction employees }
    none: figures(from: 2030) { year } backwards: figures(from: 2024, to: 2021) { year }
    h2018: highTech(year: 2018) h2022: highTech(year: 2022) h2026: highTech(year: 2026) } } }
  makerspaces { edges { node { id figures { year makersServed } f2025: figures(from: 2025) { year makersServed } } } } }`})

	// Invalid input: the errors must agree too.
	add(Query{Name: "errors/bad-input", Errors: true, Text: `{
  big: enterprises(first: 501) { totalCount }
  negative: talents(first: -1) { totalCount }
  cursor: enterprises(after: "not-a-cursor") { totalCount }
  seriesWithoutYear: enterprises(orderBy: [{field: REVENUE}]) { totalCount }
  short: search(text: "大") { id }
  plans { totalCount } }`})
	add(Query{Name: "errors/bad-relation-page", Errors: true, Text: fmt.Sprintf(`{
  node(id: %q) { id relations(first: 900) { totalCount } r2: relations(after: "xyz") { totalCount } r3: relations(asOf: -1) { totalCount } } }`,
		f.busiest)})
	return qs
}

// firstRune returns the first character of the name of node id.
func firstRune(ds seed.Dataset, id string) string {
	for _, n := range ds.Nodes {
		if n.ID == id {
			for _, r := range n.Props.Str("name") {
				return string(r)
			}
		}
	}
	return ""
}
