package web

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"sync"
)

// Example is a ready-made question offered as a tab of the GraphiQL page.
type Example struct {
	// Title is the question the query answers, in Chinese and in English
	// ("中文 · English"). The page shows it as the title of the tab.
	Title string `json:"title"`
	// Operation is the name of the query's operation; it ties the tab to
	// its title.
	Operation string `json:"operation"`
	// Query is the text of the tab: a comment line with the title, then
	// the query.
	Query string `json:"query"`
}

// examplesSource holds the examples; its header comment describes the
// format.
//
//go:embed examples.graphql
var examplesSource string

// titleMarker starts the line that opens an example and carries its title.
const titleMarker = "## "

// operationName finds the name of a query's operation.
var operationName = regexp.MustCompile(`(?m)^\s*query\s+([_A-Za-z][_0-9A-Za-z]*)`)

// parseExamples splits src into its examples (see examples.graphql).
func parseExamples(src string) ([]Example, error) {
	var (
		examples []Example
		cur      *Example
		body     []string
	)
	flush := func() error {
		if cur == nil {
			return nil
		}
		query := strings.TrimSpace(strings.Join(body, "\n"))
		m := operationName.FindStringSubmatch(query)
		if m == nil {
			return fmt.Errorf("example %q: no named query", cur.Title)
		}
		cur.Operation = m[1]
		cur.Query = "# " + cur.Title + "\n" + query + "\n"
		examples = append(examples, *cur)
		return nil
	}
	seen := map[string]bool{}
	for line := range strings.Lines(src) {
		line = strings.TrimRight(line, "\r\n")
		title, ok := strings.CutPrefix(line, titleMarker)
		if !ok {
			if cur != nil {
				body = append(body, line)
			}
			continue
		}
		if err := flush(); err != nil {
			return nil, err
		}
		cur, body = &Example{Title: strings.TrimSpace(title)}, nil
	}
	if err := flush(); err != nil {
		return nil, err
	}
	if len(examples) == 0 {
		return nil, fmt.Errorf("no %q title line", titleMarker)
	}
	for _, e := range examples {
		if seen[e.Operation] {
			return nil, fmt.Errorf("two examples name their operation %s", e.Operation)
		}
		seen[e.Operation] = true
	}
	return examples, nil
}

var loadExamples = sync.OnceValues(func() ([]Example, error) {
	examples, err := parseExamples(examplesSource)
	if err != nil {
		return nil, fmt.Errorf("web: examples.graphql: %w", err)
	}
	return examples, nil
})

// Examples returns the example questions the GraphiQL page offers as tabs,
// in the order of the tabs. It panics if the embedded list is malformed,
// which can only happen when the binary was built from a broken tree.
func Examples() []Example {
	examples, err := loadExamples()
	if err != nil {
		panic(err)
	}
	return append([]Example(nil), examples...)
}

// examplesAttr is the JSON list of tabs carried by the page.
func examplesAttr() (string, error) {
	examples, err := loadExamples()
	if err != nil {
		return "", err
	}
	b, err := json.Marshal(examples)
	if err != nil {
		return "", fmt.Errorf("web: encoding the examples: %w", err)
	}
	return string(b), nil
}
