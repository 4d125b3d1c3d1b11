package kg

// The plan's words as conditions: what "high-tech in a year" and "of a
// level or higher" mean, written once for the API's filters, the plan's
// formulas and the fields that answer them in Go.

// HighTechIn returns the conditions an enterprise meets when its
// high-tech certificate is valid in year: granted in or before the year
// (highTechGranted) and valid until it or later (highTechValidUntil).
func HighTechIn(year int) []Condition {
	y := int64(year)
	return []Condition{{Prop: "highTechGranted", Op: LTE, Value: y}, {Prop: "highTechValidUntil", Op: GTE, Value: y}}
}

// LevelsAtLeast returns the levels of rank level or higher (see
// LevelRank), as the values of an IN condition; every level for a level
// it does not know.
func LevelsAtLeast(level string) []any {
	rank := LevelRank(level)
	var out []any
	for _, v := range Level.Values {
		if LevelRank(v) >= rank {
			out = append(out, v)
		}
	}
	return out
}

// LevelAtLeast returns the condition a node meets when its level is of
// rank level or higher (see LevelsAtLeast).
func LevelAtLeast(level string) Condition {
	return Condition{Prop: "level", Op: IN, Value: LevelsAtLeast(level)}
}
