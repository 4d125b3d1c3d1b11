package seed

import (
	"strconv"

	"github.com/innograph/innograph/analytics"
	"github.com/innograph/innograph/kg"
)

// PlanID is the id of the district's 14th Five-Year S&T innovation plan.
const PlanID = "plan-zs-14"

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
		"全区高新技术企业总量突破80家", "家", analytics.FormulaHighTech, 80},
	{categoryCapacity, "研发加计扣除", "Enterprises claiming the R&D super-deduction",
		"研发费用加计扣除企业达到80家", "家", analytics.FormulaRDDeduction, 80},
	{categoryCapacity, "研发投入(R&D)", "R&D investment of above-scale enterprises",
		"规模以上企业研发投入达到8000万元", "元", analytics.FormulaRDInvestment, 80_000_000},
	{categoryCapacity, "市级以上科技政策申报", "Applications to municipal-or-higher S&T policies",
		"每年组织和辅导企业申报市级以上科技政策不少于50项", "项", analytics.FormulaPolicyApplications, 50},
	{categoryEnterprises, "收入超1000万元科技企业", "S&T enterprises with revenue over CNY 10 million",
		"收入超1000万元科技企业30家", "家", analytics.FormulaRevenueOver10M, 30},
	{categoryEnterprises, "收入超亿元科技企业", "S&T enterprises with revenue over CNY 100 million",
		"超亿元企业3家", "家", analytics.FormulaRevenueOver100M, 3},
	{categoryCarriers, "科技企业孵化器", "Municipal-or-higher S&T business incubators",
		"打造市级以上科技企业孵化器1家", "家", analytics.FormulaIncubators, 1},
	{categoryCarriers, "孵化企业", "Enterprises incubated",
		"孵化企业30家以上", "家", analytics.FormulaIncubated, 30},
	{categoryCarriers, "众创空间", "Municipal-or-higher makerspaces",
		"市级以上众创空间达到4家", "家", analytics.FormulaMakerspaces, 4},
	{categoryCarriers, "服务创客", "Makers served by makerspaces",
		"服务创客600名以上", "名", analytics.FormulaMakersServed, 600},
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
