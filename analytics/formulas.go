package analytics

// The formula keys of the plan's ten indicators: each names the way an
// indicator is computed from the graph for a year (see the plan's table in
// the domain description); PlanProgress computes them (see formulas).
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
