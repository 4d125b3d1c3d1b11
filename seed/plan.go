package seed

import (
	"strconv"

	"github.com/innograph/innograph/kg"
)

// PlanID is the id of the district's 14th Five-Year S&T innovation plan.
const PlanID = "plan-zs-14"

// The formula keys of the plan's ten indicators: each names the way an
// indicator is computed from the graph for a year (see the plan's table in
// the domain description).
const (
	// FormulaHighTech counts enterprises whose high-tech certificate is
	// valid in the year (highTechGranted ≤ year ≤ highTechValidUntil).
	FormulaHighTech = "HIGH_TECH_ENTERPRISES"
	// FormulaRDDeduction counts enterprises with an rdDeduction figure for
	// the year.
	FormulaRDDeduction = "RD_DEDUCTION_ENTERPRISES"
	// FormulaRDInvestment sums the year's rdInvestment of the enterprises
	// above designated size in that year (aboveScaleByYear is 1), in CNY.
	FormulaRDInvestment = "RD_INVESTMENT_ABOVE_SCALE"
	// FormulaPolicyApplications counts SUPPORTED_BY relations of the year
	// whose policy's level is municipal or higher, whatever their status.
	FormulaPolicyApplications = "POLICY_APPLICATIONS_MUNICIPAL_PLUS"
	// FormulaRevenueOver10M counts enterprises whose revenue in the year
	// exceeds 10,000,000 CNY.
	FormulaRevenueOver10M = "ENTERPRISES_REVENUE_OVER_10M"
	// FormulaRevenueOver100M counts enterprises whose revenue in the year
	// exceeds 100,000,000 CNY.
	FormulaRevenueOver100M = "ENTERPRISES_REVENUE_OVER_100M"
	// FormulaIncubators counts incubators of municipal or higher level
	// founded by the year.
	FormulaIncubators = "INCUBATORS_MUNICIPAL_PLUS"
	// FormulaIncubated counts INCUBATED_BY relations active in the year.
	FormulaIncubated = "ENTERPRISES_INCUBATED"
	// FormulaMakerspaces counts makerspaces of municipal or higher level
	// founded by the year.
	FormulaMakerspaces = "MAKERSPACES_MUNICIPAL_PLUS"
	// FormulaMakersServed sums the makerspaces' makersServed figures of
	// the year.
	FormulaMakersServed = "MAKERS_SERVED"
)

// Formulas lists the formula keys in the order of the plan's table.
var Formulas = []string{
	FormulaHighTech, FormulaRDDeduction, FormulaRDInvestment, FormulaPolicyApplications,
	FormulaRevenueOver10M, FormulaRevenueOver100M,
	FormulaIncubators, FormulaIncubated, FormulaMakerspaces, FormulaMakersServed,
}

// The indicator categories of the plan's table.
const (
	categoryCapacity    = "科技创新能力"
	categoryEnterprises = "创新型企业培育"
	categoryCarriers    = "创新载体培育"
)

type indicatorDef struct {
	category, name, nameEn, text, unit, formula string
	target                                      float64
}

// indicatorDefs is the plan's table of indicators (targets for 2025), in
// the plan's wording.
var indicatorDefs = []indicatorDef{
	{categoryCapacity, "高新技术企业", "High-tech enterprises",
		"全区高新技术企业总量突破80家", "家", FormulaHighTech, 80},
	{categoryCapacity, "研发加计扣除", "Enterprises claiming the R&D super-deduction",
		"研发费用加计扣除企业达到80家", "家", FormulaRDDeduction, 80},
	{categoryCapacity, "研发投入(R&D)", "R&D investment of above-scale enterprises",
		"规模以上企业研发投入达到8000万元", "元", FormulaRDInvestment, 80_000_000},
	{categoryCapacity, "市级以上科技政策申报", "Applications to municipal-or-higher S&T policies",
		"每年组织和辅导企业申报市级以上科技政策不少于50项", "项", FormulaPolicyApplications, 50},
	{categoryEnterprises, "收入超1000万元科技企业", "S&T enterprises with revenue over CNY 10 million",
		"收入超1000万元科技企业30家", "家", FormulaRevenueOver10M, 30},
	{categoryEnterprises, "收入超亿元科技企业", "S&T enterprises with revenue over CNY 100 million",
		"超亿元企业3家", "家", FormulaRevenueOver100M, 3},
	{categoryCarriers, "科技企业孵化器", "Municipal-or-higher S&T business incubators",
		"打造市级以上科技企业孵化器1家", "家", FormulaIncubators, 1},
	{categoryCarriers, "孵化企业", "Enterprises incubated",
		"孵化企业30家以上", "家", FormulaIncubated, 30},
	{categoryCarriers, "众创空间", "Municipal-or-higher makerspaces",
		"市级以上众创空间达到4家", "家", FormulaMakerspaces, 4},
	{categoryCarriers, "服务创客", "Makers served by makerspaces",
		"服务创客600名以上", "名", FormulaMakersServed, 600},
}

// IndicatorID returns the id of the plan's indicator number n (1..10).
func IndicatorID(n int) string {
	s := strconv.Itoa(n)
	if n < 10 {
		s = "0" + s
	}
	return "ind-zs-14-" + s
}

// Plan returns the district's 14th Five-Year S&T innovation plan and its
// ten indicators, linked by HAS_INDICATOR, with source "plan".
func Plan() Dataset {
	d := Dataset{
		Nodes: make([]kg.Node, 0, 1+len(indicatorDefs)),
		Edges: make([]kg.Edge, 0, len(indicatorDefs)),
	}
	d.Nodes = append(d.Nodes, kg.Node{ID: PlanID, Kind: kg.Plan, Props: kg.Props{
		"name":        "大连市中山区“十四五”科技创新发展专项规划",
		"nameEn":      "Special Plan for Science and Technology Innovation Development of Zhongshan District, Dalian, in the 14th Five-Year Plan Period (2021–2025)",
		"aliases":     []string{"中山区“十四五”科技创新规划"},
		"periodStart": int64(2021),
		"periodEnd":   int64(2025),
		"issuer":      "大连市中山区人民政府",
		"district":    District,
		"source":      SourcePlan,
	}})
	for i, def := range indicatorDefs {
		id := IndicatorID(i + 1)
		d.Nodes = append(d.Nodes, kg.Node{ID: id, Kind: kg.Indicator, Props: kg.Props{
			"name":         def.name,
			"nameEn":       def.nameEn,
			"number":       int64(i + 1),
			"category":     def.category,
			"text":         def.text,
			"target":       def.target,
			"unit":         def.unit,
			"baselineYear": int64(BaselineYear),
			"formula":      def.formula,
			"district":     District,
			"source":       SourcePlan,
		}})
		d.Edges = append(d.Edges, kg.Edge{Type: kg.HasIndicator, From: PlanID, To: id, Props: kg.Props{
			"source":     SourcePlan,
			"confidence": 1.0,
		}})
	}
	return d
}
