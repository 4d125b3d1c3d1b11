package ingest

import (
	"fmt"
	"path/filepath"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/innograph/innograph/kg"
)

// extraNames are further names of kinds and relationship types that
// files, sheets and cells may use, besides those ParseKind and
// ParseRelType derive from the ontology.
var extraNames = map[string]string{
	"孵化器": string(kg.Incubator), "高校": string(kg.University), "科研院所": string(kg.University),
	"大学": string(kg.University), "服务机构": string(kg.ServiceAgency), "政策": string(kg.Policy),
	"产业": string(kg.Industry), "产业链": string(kg.Industry), "企业名录": string(kg.Enterprise),
	"enterprises": string(kg.Enterprise), "incubators": string(kg.Incubator), "makerspaces": string(kg.Makerspace),
	"talents": string(kg.Talent), "universities": string(kg.University), "serviceagencies": string(kg.ServiceAgency),
	"policies": string(kg.Policy), "industries": string(kg.Industry), "plans": string(kg.Plan), "indicators": string(kg.Indicator),
}

// squash lower-cases s and drops spaces, underscores and hyphens, so that
// "SERVICE_AGENCY", "ServiceAgency" and "service-agency" compare equal.
func squash(s string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		if r == '_' || r == '-' || unicode.IsSpace(r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// ParseKind returns the kind a name stands for: the ontology's name
// ("Enterprise"), the GraphQL enum value ("ENTERPRISE", "SERVICE_AGENCY"),
// either in any case, a plural ("enterprises") or a Chinese name ("企业",
// "众创空间", "高校").
func ParseKind(s string) (kg.Kind, bool) {
	q := squash(s)
	if q == "" {
		return "", false
	}
	if x, ok := extraNames[q]; ok {
		q = squash(x)
	}
	for _, k := range kg.Kinds {
		if squash(string(k)) == q {
			return k, true
		}
		for _, zh := range strings.Split(kg.KindSpecs[k].Chinese, "/") {
			if zh == strings.TrimSpace(s) {
				return k, true
			}
		}
	}
	return "", false
}

// ParseRelType returns the relationship type a name stands for: the
// ontology's name ("SUPPLIES") in any case, with or without underscores,
// or its Chinese name ("供应").
func ParseRelType(s string) (kg.RelType, bool) {
	q := squash(s)
	if q == "" {
		return "", false
	}
	for _, t := range kg.RelTypes {
		if squash(string(t)) == q || kg.RelSpecs[t].Chinese == strings.TrimSpace(s) {
			return t, true
		}
	}
	return "", false
}

// ParseKinds parses a comma-separated list of kinds.
func ParseKinds(s string) ([]kg.Kind, error) { return parseList(s, "kind", ParseKind) }

// ParseRelTypes parses a comma-separated list of relationship types.
func ParseRelTypes(s string) ([]kg.RelType, error) {
	return parseList(s, "relationship type", ParseRelType)
}

// parseList parses a comma-separated list with parse; what names an item
// in the error.
func parseList[T any](s, what string, parse func(string) (T, bool)) ([]T, error) {
	var out []T
	for _, part := range splitList(s) {
		v, ok := parse(part)
		if !ok {
			return nil, fmt.Errorf("%w: unknown %s %q", kg.ErrInvalid, what, part)
		}
		out = append(out, v)
	}
	return out, nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == ';' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// kindOrTypeOfName returns the kind or relationship type a file name or
// sheet name stands for, if any: "Enterprise.csv", "企业.xlsx", "SUPPLIES".
func kindOrTypeOfName(name string) (kg.Kind, kg.RelType) {
	base := strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	if k, ok := ParseKind(base); ok {
		return k, ""
	}
	if t, ok := ParseRelType(base); ok {
		return "", t
	}
	return "", ""
}

// NormalName is the form of a name that duplicate detection compares:
// Unicode compatibility forms folded (full-width letters, digits and
// brackets become ASCII), lower-cased, without spaces and punctuation.
func NormalName(s string) string {
	var b strings.Builder
	for _, r := range norm.NFKC.String(s) {
		if unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}
