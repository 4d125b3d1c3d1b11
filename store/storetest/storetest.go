// Package storetest is the conformance suite of kg.Store. Every backend
// runs Run from its own tests and must pass all of it, unchanged:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) kg.Store { return openEmptyStore(t) })
//	}
//
// The suite checks the contract as the doc comments of package kg define
// it: writes and their counts, validation (all or nothing), queries with
// filters, orders and pages (by key, under concurrent writes too), neighbourhoods, deletes, text search, stats,
// concurrent use, cancelled contexts, replacing the whole graph, and a
// closed store.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/innograph/innograph/kg"
)

// Run runs every area of the suite as a subtest. newStore must return an
// empty store and arrange for it to be closed when its test ends; Run calls
// it once per area, one area at a time.
func Run(t *testing.T, newStore func(t *testing.T) kg.Store) {
	t.Helper()
	for _, a := range areas {
		t.Run(a.name, func(t *testing.T) {
			a.run(t, newStore(t))
		})
	}
}

// areas lists the parts of the suite, each run on a fresh, empty store.
var areas = []struct {
	name string
	run  func(t *testing.T, s kg.Store)
}{
	{"EmptyStore", testEmptyStore},
	{"ApplyEveryKind", testApplyEveryKind},
	{"ApplyValueTypes", testApplyValueTypes},
	{"UpsertMerges", testUpsertMerges},
	{"WriteCounts", testWriteCounts},
	{"GetInIDOrder", testGetInIDOrder},
	{"ReturnedValuesAreCopies", testReturnedValuesAreCopies},
	{"ApplyLeavesBatchAlone", testApplyLeavesBatchAlone},
	{"EdgesEveryType", testEdgesEveryType},
	{"EdgeUpsert", testEdgeUpsert},
	{"ApplyNewHint", testApplyNewHint},
	{"Validation", testValidation},
	{"ValidationReportsEveryProblem", testValidationReportsEveryProblem},
	{"FindFilters", testFindFilters},
	{"FindOrder", testFindOrder},
	{"FindPages", testFindPages},
	{"FindFollowsWrites", testFindFollowsWrites},
	{"FindInvalid", testFindInvalid},
	{"PagingUnderWrites", testPagingUnderWrites},
	{"Neighbors", testNeighbors},
	{"NeighborsInvalid", testNeighborsInvalid},
	{"Fetch", testFetch},
	{"DeleteEdges", testDeleteEdges},
	{"DeleteNodes", testDeleteNodes},
	{"DeleteInSameBatch", testDeleteInSameBatch},
	{"Search", testSearch},
	{"SearchRanking", testSearchRanking},
	{"SearchFollowsWrites", testSearchFollowsWrites},
	{"SearchInvalid", testSearchInvalid},
	{"Stats", testStats},
	{"ConcurrentWritesAndReads", testConcurrentWritesAndReads},
	{"ConcurrentUpsertsOfOneNode", testConcurrentUpsertsOfOneNode},
	{"CanceledContext", testCanceledContext},
	{"ScanAndAudit", testScanAndAudit},
	{"Replace", testReplace},
	{"ReplaceRefused", testReplaceRefused},
	{"Analytics", testAnalytics},
	{"Closed", testClosed},
}

// mustApply applies b and fails the test on error.
func mustApply(t *testing.T, s kg.Store, b kg.Batch) *kg.WriteResult {
	t.Helper()
	res, err := s.Apply(t.Context(), b)
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if res == nil {
		t.Fatal("Apply returned a nil result and no error")
	}
	return res
}

// checkResult compares a write result with the expected one.
func checkResult(t *testing.T, got *kg.WriteResult, want kg.WriteResult) {
	t.Helper()
	if *got != want {
		t.Errorf("write result:\n got  %+v\n want %+v", *got, want)
	}
}

// mustGetNodes returns GetNodes(ids) and fails the test on error.
func mustGetNodes(t *testing.T, s kg.Store, ids ...string) []*kg.Node {
	t.Helper()
	ns, err := s.GetNodes(t.Context(), ids)
	if err != nil {
		t.Fatalf("GetNodes(%q): %v", ids, err)
	}
	if len(ns) != len(ids) {
		t.Fatalf("GetNodes(%q) returned %d nodes, want %d", ids, len(ns), len(ids))
	}
	return ns
}

// mustGetNode returns the node with id, failing the test if it is absent.
func mustGetNode(t *testing.T, s kg.Store, id string) *kg.Node {
	t.Helper()
	n := mustGetNodes(t, s, id)[0]
	if n == nil {
		t.Fatalf("node %q not found", id)
	}
	return n
}

// mustGetEdges returns GetEdges(ids) and fails the test on error.
func mustGetEdges(t *testing.T, s kg.Store, ids ...string) []*kg.Edge {
	t.Helper()
	es, err := s.GetEdges(t.Context(), ids)
	if err != nil {
		t.Fatalf("GetEdges(%q): %v", ids, err)
	}
	if len(es) != len(ids) {
		t.Fatalf("GetEdges(%q) returned %d edges, want %d", ids, len(es), len(ids))
	}
	return es
}

// mustStats returns the store's stats and fails the test on error.
func mustStats(t *testing.T, s kg.Store) *kg.Stats {
	t.Helper()
	st, err := s.Stats(t.Context())
	if err != nil {
		t.Fatalf("Stats: %v", err)
	}
	return st
}

// checkStats compares stats with expected totals and per-kind / per-type
// counts; a kind or type missing from a map counts as zero.
func checkStats(t *testing.T, got *kg.Stats, byKind map[kg.Kind]int, byType map[kg.RelType]int) {
	t.Helper()
	nodes, edges := 0, 0
	for _, k := range kg.Kinds {
		nodes += byKind[k]
		if got.NodesByKind[k] != byKind[k] {
			t.Errorf("stats: %d nodes of kind %s, want %d", got.NodesByKind[k], k, byKind[k])
		}
	}
	for _, rt := range kg.RelTypes {
		edges += byType[rt]
		if got.EdgesByType[rt] != byType[rt] {
			t.Errorf("stats: %d edges of type %s, want %d", got.EdgesByType[rt], rt, byType[rt])
		}
	}
	for k := range got.NodesByKind {
		if !kg.ValidKind(k) {
			t.Errorf("stats: count for unknown kind %q", k)
		}
	}
	for rt := range got.EdgesByType {
		if !kg.ValidRelType(rt) {
			t.Errorf("stats: count for unknown type %q", rt)
		}
	}
	if got.Nodes != nodes || got.Edges != edges {
		t.Errorf("stats: %d nodes and %d edges, want %d and %d", got.Nodes, got.Edges, nodes, edges)
	}
}

// sameStats reports whether two stats count the same.
func sameStats(a, b *kg.Stats) bool {
	if a.Nodes != b.Nodes || a.Edges != b.Edges {
		return false
	}
	for _, k := range kg.Kinds {
		if a.NodesByKind[k] != b.NodesByKind[k] {
			return false
		}
	}
	for _, rt := range kg.RelTypes {
		if a.EdgesByType[rt] != b.EdgesByType[rt] {
			return false
		}
	}
	return true
}

// nodeIDs returns the ids of nodes ("<nil>" for a nil entry).
func nodeIDs(ns []*kg.Node) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		if n == nil {
			out[i] = "<nil>"
		} else {
			out[i] = n.ID
		}
	}
	return out
}

// checkSameNode fails unless got is the stored node want, in every field.
func checkSameNode(t *testing.T, what string, got, want *kg.Node) {
	t.Helper()
	switch {
	case got == nil || want == nil:
		if got != want {
			t.Errorf("%s: got %v, want %v", what, got, want)
		}
		return
	case got.ID != want.ID || got.Kind != want.Kind:
		t.Errorf("%s: got %s %q, want %s %q", what, got.Kind, got.ID, want.Kind, want.ID)
	case !got.Props.Equal(want.Props):
		t.Errorf("%s (%q): props\n got  %v\n want %v", what, got.ID, got.Props, want.Props)
	case !got.CreatedAt.Equal(want.CreatedAt) || !got.UpdatedAt.Equal(want.UpdatedAt):
		t.Errorf("%s (%q): timestamps %v / %v, want %v / %v", what, got.ID, got.CreatedAt, got.UpdatedAt, want.CreatedAt, want.UpdatedAt)
	}
}

// checkSameEdge fails unless got is the edge want, in every field.
func checkSameEdge(t *testing.T, what string, got, want *kg.Edge) {
	t.Helper()
	switch {
	case got == nil || want == nil:
		if got != want {
			t.Errorf("%s: got %v, want %v", what, got, want)
		}
	case got.ID != want.ID || got.Type != want.Type || got.From != want.From || got.To != want.To:
		t.Errorf("%s: got %s %q %s→%s, want %s %q %s→%s", what, got.Type, got.ID, got.From, got.To, want.Type, want.ID, want.From, want.To)
	case !got.Props.Equal(want.Props):
		t.Errorf("%s (%q): props\n got  %v\n want %v", what, got.ID, got.Props, want.Props)
	}
}

// checkValidationError checks that err wraps sentinel, is a
// *kg.ValidationError, and names field (in list, when list is set).
func checkValidationError(t *testing.T, err error, sentinel error, list, field string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %v naming %s field %q", sentinel, list, field)
	}
	if !errors.Is(err, sentinel) {
		t.Errorf("error %v does not wrap %v", err, sentinel)
	}
	for _, other := range []error{kg.ErrInvalid, kg.ErrNotFound} {
		if other != sentinel && errors.Is(err, other) {
			t.Errorf("error %v wraps %v, want only %v", err, other, sentinel)
		}
	}
	var ve *kg.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v (%T) is not a *kg.ValidationError", err, err)
	}
	for _, fe := range ve.Errors {
		if fe.Field == field && (list == "" || fe.List == list) {
			return
		}
	}
	t.Errorf("validation error does not name %s field %q: %v", list, field, err)
}

// goType is the Go type a normalised value of a property type has.
func goType(pt kg.PropType) reflect.Type {
	switch pt {
	case kg.String, kg.EnumType:
		return reflect.TypeFor[string]()
	case kg.Int:
		return reflect.TypeFor[int64]()
	case kg.Float:
		return reflect.TypeFor[float64]()
	case kg.Bool:
		return reflect.TypeFor[bool]()
	case kg.Strings, kg.Enums:
		return reflect.TypeFor[[]string]()
	case kg.SeriesType:
		return reflect.TypeFor[kg.Series]()
	}
	panic(fmt.Sprintf("unknown property type %d", pt))
}

// checkPropTypes checks that every property value has the Go type of its
// spec.
func checkPropTypes(t *testing.T, what string, props kg.Props, specOf func(string) (*kg.PropSpec, bool)) {
	t.Helper()
	for name, v := range props {
		spec, ok := specOf(name)
		if !ok {
			t.Errorf("%s: unexpected property %q", what, name)
			continue
		}
		if got, want := reflect.TypeOf(v), goType(spec.Type); got != want {
			t.Errorf("%s: property %q is a %v, want %v", what, name, got, want)
		}
	}
}

// sortedCopy returns ids sorted ascending.
func sortedCopy(ids []string) []string {
	out := slices.Clone(ids)
	sort.Strings(out)
	return out
}

// join renders ids for messages.
func join(ids []string) string { return "[" + strings.Join(ids, " ") + "]" }

// canceled returns a context that is already cancelled.
func canceled() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}
