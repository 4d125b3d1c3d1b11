package kg

// Kind is the kind of an entity (a node label).
type Kind string

// The entity kinds of the ontology.
const (
	Enterprise    Kind = "Enterprise"
	Incubator     Kind = "Incubator"
	Makerspace    Kind = "Makerspace"
	Talent        Kind = "Talent"
	University    Kind = "University"
	ServiceAgency Kind = "ServiceAgency"
	Policy        Kind = "Policy"
	Industry      Kind = "Industry"
	Plan          Kind = "Plan"
	Indicator     Kind = "Indicator"
)

// Kinds lists every entity kind in a fixed order.
var Kinds = []Kind{Enterprise, Incubator, Makerspace, Talent, University, ServiceAgency, Policy, Industry, Plan, Indicator}

// RelType is the type of a relationship (an edge).
type RelType string

// The relationship types of the ontology.
const (
	Supplies         RelType = "SUPPLIES"
	CollaboratesWith RelType = "COLLABORATES_WITH"
	TransfersTechTo  RelType = "TRANSFERS_TECH_TO"
	IncubatedBy      RelType = "INCUBATED_BY"
	WorksAt          RelType = "WORKS_AT"
	Founded          RelType = "FOUNDED"
	AlumnusOf        RelType = "ALUMNUS_OF"
	Serves           RelType = "SERVES"
	InvestsIn        RelType = "INVESTS_IN"
	SupportedBy      RelType = "SUPPORTED_BY"
	InIndustry       RelType = "IN_INDUSTRY"
	Feeds            RelType = "FEEDS"
	Operates         RelType = "OPERATES"
	HasIndicator     RelType = "HAS_INDICATOR"
)

// RelTypes lists every relationship type in a fixed order.
var RelTypes = []RelType{Supplies, CollaboratesWith, TransfersTechTo, IncubatedBy, WorksAt, Founded, AlumnusOf, Serves, InvestsIn, SupportedBy, InIndustry, Feeds, Operates, HasIndicator}

// Enum is a closed set of values a property may take.
type Enum struct {
	Name   string
	Values []string
}

// Has reports whether v is one of the enum's values.
func (e *Enum) Has(v string) bool {
	for _, x := range e.Values {
		if x == v {
			return true
		}
	}
	return false
}

// The enums of the ontology.
var (
	// Level is the administrative level of a carrier, agency or policy.
	Level = &Enum{"Level", []string{"NATIONAL", "PROVINCIAL", "MUNICIPAL", "DISTRICT"}}
	// ServiceCategory is one of the plan's six kinds of S&T service.
	ServiceCategory = &Enum{"ServiceCategory", []string{"TECH_TRADING", "IP", "CONSULTING", "FINANCE", "ENTREPRENEURSHIP", "POPULARIZATION"}}
	// UniversityKind tells universities from research institutes.
	UniversityKind = &Enum{"UniversityKind", []string{"UNIVERSITY", "RESEARCH_INSTITUTE", "NEW_RD_INSTITUTION"}}
	// SupportStatus is the outcome of an application to a policy.
	SupportStatus = &Enum{"SupportStatus", []string{"APPLIED", "APPROVED", "REJECTED"}}
	// ChainPosition is a segment's place in an industry chain.
	ChainPosition = &Enum{"ChainPosition", []string{"UPSTREAM", "MIDSTREAM", "DOWNSTREAM"}}
	// PolicyKind is what a policy supports.
	PolicyKind = &Enum{"PolicyKind", []string{"HIGH_TECH_CERTIFICATION", "RD_DEDUCTION", "SUBSIDY", "TALENT_PROGRAMME", "INCUBATION", "FINANCE", "IP", "OTHER"}}
	// CollaborationMode is how two organisations collaborate.
	CollaborationMode = &Enum{"CollaborationMode", []string{"JOINT_RD", "JOINT_LAB", "CO_PATENT"}}
	// Degree is an academic degree.
	Degree = &Enum{"Degree", []string{"BACHELOR", "MASTER", "PHD"}}
)

// LevelRank orders levels from DISTRICT (1) to NATIONAL (4); 0 if unknown.
func LevelRank(level string) int {
	switch level {
	case "NATIONAL":
		return 4
	case "PROVINCIAL":
		return 3
	case "MUNICIPAL":
		return 2
	case "DISTRICT":
		return 1
	}
	return 0
}
