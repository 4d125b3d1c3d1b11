package kg

import "fmt"

// PrepareBatch normalises and validates everything in b that can be
// checked without the stored graph: kinds, types, properties, ids and
// duplicates within the batch. Edges get their default ids. It returns a
// *ValidationError wrapping ErrInvalid, or nil.
func PrepareBatch(b *Batch) error {
	var errs []FieldError
	seen := map[string]int{}
	for i := range b.Nodes {
		n := &b.Nodes[i]
		if n.Props == nil {
			n.Props = Props{}
		}
		for _, fe := range NormalizeNode(n) {
			fe.List, fe.Item = "nodes", i
			errs = append(errs, fe)
		}
		if j, dup := seen[n.ID]; dup && n.ID != "" {
			errs = append(errs, FieldError{List: "nodes", Item: i, ID: n.ID, Field: "id", Message: fmt.Sprintf("repeats nodes[%d]", j)})
		}
		seen[n.ID] = i
	}
	seenE := map[string]int{}
	for i := range b.Edges {
		e := &b.Edges[i]
		if e.Props == nil {
			e.Props = Props{}
		}
		for _, fe := range NormalizeEdge(e) {
			fe.List, fe.Item = "edges", i
			errs = append(errs, fe)
		}
		if j, dup := seenE[e.ID]; dup && e.ID != "" {
			errs = append(errs, FieldError{List: "edges", Item: i, ID: e.ID, Field: "id", Message: fmt.Sprintf("repeats edges[%d]", j)})
		}
		seenE[e.ID] = i
	}
	for i, id := range b.DeleteNodes {
		if err := checkID(id); err != nil {
			errs = append(errs, FieldError{List: "deleteNodes", Item: i, Field: "id", Message: err.Error()})
		}
	}
	for i, id := range b.DeleteEdges {
		if err := checkID(id); err != nil {
			errs = append(errs, FieldError{List: "deleteEdges", Item: i, Field: "id", Message: err.Error()})
		}
	}
	if len(errs) > 0 {
		return NewValidationError(ErrInvalid, errs...)
	}
	return nil
}

// StoredFacts is what a store tells CheckBatch about the graph as it is.
type StoredFacts struct {
	// NodeKind returns the kind of a stored node.
	NodeKind func(id string) (Kind, bool)
	// EdgeType returns the type and endpoints of a stored edge.
	EdgeType func(id string) (RelType, string, string, bool)
}

// CheckBatch validates a prepared batch against the stored graph: node
// kinds cannot change, edge ends must exist (stored or in the batch) and be
// of kinds the ontology allows, an edge id keeps its type and ends, and
// deletes must name stored items. It returns a *ValidationError, or nil.
func CheckBatch(b *Batch, st StoredFacts) error {
	var errs, missing []FieldError
	batchKind := map[string]Kind{}
	for i, n := range b.Nodes {
		batchKind[n.ID] = n.Kind
		if k, ok := st.NodeKind(n.ID); ok && k != n.Kind {
			errs = append(errs, FieldError{List: "nodes", Item: i, ID: n.ID, Field: "kind", Message: fmt.Sprintf("id is stored as a %s, cannot become a %s", k, n.Kind)})
		}
	}
	kindOf := func(id string) (Kind, bool) {
		if k, ok := batchKind[id]; ok {
			return k, true
		}
		return st.NodeKind(id)
	}
	for i := range b.Edges {
		e := &b.Edges[i]
		fk, okF := kindOf(e.From)
		tk, okT := kindOf(e.To)
		if !okF {
			missing = append(missing, FieldError{List: "edges", Item: i, ID: e.ID, Field: "from", Message: fmt.Sprintf("no node with id %q", e.From)})
		}
		if !okT {
			missing = append(missing, FieldError{List: "edges", Item: i, ID: e.ID, Field: "to", Message: fmt.Sprintf("no node with id %q", e.To)})
		}
		if okF && okT {
			for _, fe := range CheckEndpoints(e, fk, tk) {
				fe.List, fe.Item = "edges", i
				errs = append(errs, fe)
			}
		}
		if t, f, to, ok := st.EdgeType(e.ID); ok && (t != e.Type || f != e.From || to != e.To) {
			errs = append(errs, FieldError{List: "edges", Item: i, ID: e.ID, Field: "id", Message: fmt.Sprintf("id is stored as %s %s→%s, cannot become %s %s→%s", t, f, to, e.Type, e.From, e.To)})
		}
	}
	for i, id := range b.DeleteEdges {
		if _, _, _, ok := st.EdgeType(id); !ok {
			missing = append(missing, FieldError{List: "deleteEdges", Item: i, ID: id, Field: "id", Message: "no such edge"})
		}
	}
	for i, id := range b.DeleteNodes {
		if _, ok := st.NodeKind(id); !ok {
			if _, inBatch := batchKind[id]; !inBatch {
				missing = append(missing, FieldError{List: "deleteNodes", Item: i, ID: id, Field: "id", Message: "no such node"})
			}
		}
	}
	switch {
	case len(errs) > 0:
		return NewValidationError(ErrInvalid, append(errs, missing...)...)
	case len(missing) > 0:
		return NewValidationError(ErrNotFound, missing...)
	}
	return nil
}

// BatchIDs lists the node ids and edge ids a batch refers to, for a store
// to look up the StoredFacts it needs in one round trip.
func BatchIDs(b *Batch) (nodeIDs, edgeIDs []string) {
	seen := map[string]bool{}
	addN := func(id string) {
		if !seen[id] {
			seen[id] = true
			nodeIDs = append(nodeIDs, id)
		}
	}
	for _, n := range b.Nodes {
		addN(n.ID)
	}
	for _, e := range b.Edges {
		addN(e.From)
		addN(e.To)
		edgeIDs = append(edgeIDs, e.ID)
	}
	for _, id := range b.DeleteNodes {
		addN(id)
	}
	return nodeIDs, append(edgeIDs, b.DeleteEdges...)
}
