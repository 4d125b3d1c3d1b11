package web

import (
	"encoding/json"
	"html"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
)

func TestGraphiQLExamplesParse(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		want    []Example
		wantErr string
	}{
		{
			name: "two examples after a note",
			src: "# A note.\n## 问题一 · Question one\nquery One { stats { nodes } }\n\n" +
				"## 问题二 · Question two\nquery Two {\n  plans { totalCount }\n}\n",
			want: []Example{
				{Title: "问题一 · Question one", Operation: "One", Query: "# 问题一 · Question one\nquery One { stats { nodes } }\n"},
				{Title: "问题二 · Question two", Operation: "Two", Query: "# 问题二 · Question two\nquery Two {\n  plans { totalCount }\n}\n"},
			},
		},
		{name: "no examples", src: "# only a note\n", wantErr: "no \"## \" title line"},
		{name: "anonymous query", src: "## 问题 · Question\n{ stats { nodes } }\n", wantErr: "no named query"},
		{name: "empty example", src: "## 问题 · Question\n", wantErr: "no named query"},
		{
			name:    "operation named twice",
			src:     "## 一 · One\nquery Same { stats { nodes } }\n## 二 · Two\nquery Same { stats { relations } }\n",
			wantErr: "two examples name their operation Same",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseExamples(tt.src)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("parseExamples: error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("parseExamples =\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

// TestGraphiQLExampleTitles checks that every tab is titled with its
// question in Chinese and in English.
func TestGraphiQLExampleTitles(t *testing.T) {
	examples := Examples()
	if len(examples) < 5 {
		t.Fatalf("%d examples, want at least 5", len(examples))
	}
	for _, e := range examples {
		zh, en, ok := strings.Cut(e.Title, " · ")
		if !ok {
			t.Errorf("title %q: want \"中文 · English\"", e.Title)
			continue
		}
		if !strings.ContainsFunc(zh, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
			t.Errorf("title %q: the part before · has no Chinese", e.Title)
		}
		if strings.ContainsFunc(en, func(r rune) bool { return unicode.Is(unicode.Han, r) }) || !strings.ContainsFunc(en, unicode.IsLetter) {
			t.Errorf("title %q: the part after · is not English", e.Title)
		}
		if !strings.HasPrefix(e.Query, "# "+e.Title+"\n") {
			t.Errorf("example %s: the query does not start with its title as a comment:\n%s", e.Operation, e.Query)
		}
	}
}

// normalizeQuery drops comments, an operation's "query Name" header and
// the layout of a query, so that the README's anonymous examples compare
// with the named queries of the tabs.
func normalizeQuery(q string) string {
	q = regexp.MustCompile(`(?m)#.*$`).ReplaceAllString(q, "")
	q = regexp.MustCompile(`^\s*query\s+[_A-Za-z][_0-9A-Za-z]*\s*`).ReplaceAllString(q, "")
	return strings.Join(strings.Fields(q), " ")
}

// TestGraphiQLExamplesAreTheReadmes checks that the tabs are the README's
// example queries, each of them, in the same order.
func TestGraphiQLExamplesAreTheReadmes(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, m := range regexp.MustCompile("(?s)```graphql\n(.*?)```").FindAllStringSubmatch(string(readme), -1) {
		want = append(want, normalizeQuery(m[1]))
	}
	var got []string
	for _, e := range Examples() {
		got = append(got, normalizeQuery(e.Query))
	}
	if !slices.Equal(got, want) {
		t.Errorf("the example tabs (web/examples.graphql) differ from the README's examples")
		for i := range max(len(got), len(want)) {
			var g, w string
			if i < len(got) {
				g = got[i]
			}
			if i < len(want) {
				w = want[i]
			}
			if g != w {
				t.Errorf("example %d:\n  tab:    %s\n  README: %s", i+1, g, w)
			}
		}
	}
}

// TestGraphiQLPageCarriesTabs checks that the page hands the examples to
// the bundle, which opens one tab per example.
func TestGraphiQLPageCarriesTabs(t *testing.T) {
	page := body(t, get(t, http.MethodGet, "/", nil))
	m := regexp.MustCompile(`data-tabs="([^"]*)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("the page has no data-tabs attribute:\n%s", page)
	}
	var got []Example
	if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &got); err != nil {
		t.Fatalf("data-tabs is not a JSON list of examples: %v\n%s", err, m[1])
	}
	if !slices.Equal(got, Examples()) {
		t.Fatalf("data-tabs =\n%q\nwant Examples() =\n%q", got, Examples())
	}
}
