package embedded

import (
	"maps"
	"slices"
	"strings"

	"github.com/innograph/innograph/kg"
)

// nodeRec is the in-memory entry of a node. It lives as long as its id:
// an update swaps n, so that indexes keyed by the entry stay valid. The
// node n is never modified once published; readers hand out clones.
type nodeRec struct {
	n   *kg.Node
	out []*edgeRec // edges from this node
	in  []*edgeRec // edges to this node
}

// edgeRec is the in-memory entry of an edge, stable for the life of its
// id. key is the key of its record in the edges bucket.
type edgeRec struct {
	e   *kg.Edge
	key uint64
}

// removeEdge returns list without r, keeping the order of the others.
func removeEdge(list []*edgeRec, r *edgeRec) []*edgeRec {
	for i, x := range list {
		if x == r {
			return slices.Delete(list, i, i+1)
		}
	}
	return list
}

// bigram is two consecutive runes of lowercased text, packed.
type bigram uint64

func makeBigram(a, b rune) bigram { return bigram(uint64(uint32(a))<<32 | uint64(uint32(b))) }

// appendBigrams appends the bigrams of s, lowercased, to dst.
func appendBigrams(dst []bigram, s string) []bigram {
	prev := rune(-1)
	for _, r := range strings.ToLower(s) {
		if prev >= 0 {
			dst = append(dst, makeBigram(prev, r))
		}
		prev = r
	}
	return dst
}

// nodeBigrams returns the distinct bigrams of the searchable texts of n:
// its name, English name and aliases.
func nodeBigrams(n *kg.Node) []bigram {
	var gs []bigram
	gs = appendBigrams(gs, n.Props.Str("name"))
	gs = appendBigrams(gs, n.Props.Str("nameEn"))
	for _, a := range n.Props.Strings("aliases") {
		gs = appendBigrams(gs, a)
	}
	slices.Sort(gs)
	return slices.Compact(gs)
}

// sameSearchText reports whether a and b have the same searchable texts.
func sameSearchText(a, b *kg.Node) bool {
	return a.Props.Str("name") == b.Props.Str("name") &&
		a.Props.Str("nameEn") == b.Props.Str("nameEn") &&
		slices.Equal(a.Props.Strings("aliases"), b.Props.Strings("aliases"))
}

// searchIndex maps each bigram of the searchable texts to the nodes whose
// texts contain it, so that a search for a text of two or more runes
// starts from the smallest posting set of its bigrams.
type searchIndex map[bigram]map[*nodeRec]struct{}

func (ix searchIndex) add(r *nodeRec, grams []bigram) {
	for _, g := range grams {
		set := ix[g]
		if set == nil {
			set = map[*nodeRec]struct{}{}
			ix[g] = set
		}
		set[r] = struct{}{}
	}
}

func (ix searchIndex) remove(r *nodeRec, grams []bigram) {
	for _, g := range grams {
		set := ix[g]
		delete(set, r)
		if len(set) == 0 {
			delete(ix, g)
		}
	}
}

// candidates returns the entries whose texts contain every bigram of the
// lowercased text t, or nil if there are none. Callers verify each
// candidate with kg.SearchRank.
func (ix searchIndex) candidates(t string) []*nodeRec {
	gs := appendBigrams(nil, t)
	if len(gs) == 0 {
		return nil
	}
	slices.Sort(gs)
	gs = slices.Compact(gs)
	sets := make([]map[*nodeRec]struct{}, len(gs))
	for i, g := range gs {
		sets[i] = ix[g]
		if len(sets[i]) == 0 {
			return nil
		}
	}
	slices.SortFunc(sets, func(a, b map[*nodeRec]struct{}) int { return len(a) - len(b) })
	out := make([]*nodeRec, 0, len(sets[0]))
next:
	for r := range sets[0] {
		for _, s := range sets[1:] {
			if _, ok := s[r]; !ok {
				continue next
			}
		}
		out = append(out, r)
	}
	return out
}

// mergeKind returns the id-sorted list of a kind's entries after removing
// those whose ids are in removed and adding added (sorted by id, none of
// them in list). list itself is not modified.
func mergeKind(list []*nodeRec, removed map[string]bool, added []*nodeRec) []*nodeRec {
	out := make([]*nodeRec, 0, len(list)+len(added))
	i := 0
	for _, r := range list {
		if removed[r.n.ID] {
			continue
		}
		for i < len(added) && added[i].n.ID < r.n.ID {
			out = append(out, added[i])
			i++
		}
		out = append(out, r)
	}
	return append(out, added[i:]...)
}

func cloneNode(n *kg.Node) *kg.Node {
	c := *n
	c.Props = cloneProps(n.Props)
	return &c
}

func cloneEdge(e *kg.Edge) *kg.Edge {
	c := *e
	c.Props = cloneProps(e.Props)
	return &c
}

// cloneProps is kg.Props.Clone, copying the map in one piece first.
func cloneProps(p kg.Props) kg.Props {
	out := maps.Clone(p)
	for k, v := range out {
		switch x := v.(type) {
		case []string:
			out[k] = slices.Clone(x)
		case kg.Series:
			out[k] = maps.Clone(x)
		}
	}
	return out
}

// searchIndex returns the bigram index of the searchable texts, building
// it from every node on first use. The caller holds mu, shared or
// exclusive.
func (s *Store) searchIndex() searchIndex {
	s.searchMu.Lock()
	defer s.searchMu.Unlock()
	if s.search == nil {
		s.search = buildSearchIndex(s.nodes)
	}
	return s.search
}

// buildSearchIndex indexes the searchable texts of nodes, sizing each
// posting set before filling it.
func buildSearchIndex(nodes map[string]*nodeRec) searchIndex {
	type entry struct {
		r     *nodeRec
		grams []bigram
	}
	entries := make([]entry, 0, len(nodes))
	counts := map[bigram]int{}
	for _, r := range nodes {
		gs := nodeBigrams(r.n)
		for _, g := range gs {
			counts[g]++
		}
		entries = append(entries, entry{r, gs})
	}
	ix := make(searchIndex, len(counts))
	for g, c := range counts {
		ix[g] = make(map[*nodeRec]struct{}, c)
	}
	for _, e := range entries {
		for _, g := range e.grams {
			ix[g][e.r] = struct{}{}
		}
	}
	return ix
}
