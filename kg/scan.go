package kg

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
)

// NodeScan selects one page of a walk over every node of some kinds, for
// exports that stream a whole graph. The walk is ordered by kind (in the
// order of Kinds), then id, and resumes after a cursor: unlike FindNodes'
// positions, a scan cursor names the last node seen, so a page costs the
// same wherever it starts and writes between pages shift nothing.
type NodeScan struct {
	Kinds []Kind // empty: all
	After string // EndCursor of the previous page; "" from the start
	First int    // 1..MaxPageSize
}

// EdgeScan selects one page of a walk over every edge, ordered by type
// (in the order of RelTypes), then id.
type EdgeScan struct {
	Types []RelType // empty: all
	// Kinds, when not empty, keeps only the edges whose two ends are both
	// of one of these kinds.
	Kinds []Kind
	AsOf  int    // year the edge must hold in (see Edge.Active); 0: any
	After string // EndCursor of the previous page; "" from the start
	First int    // 1..MaxPageSize
}

// NodeScanPage is a page of a NodeScan.
type NodeScanPage struct {
	Nodes []*Node
	// EndCursor resumes the walk after the last node of the page.
	EndCursor   string
	HasNextPage bool
}

// EdgeScanPage is a page of an EdgeScan.
type EdgeScanPage struct {
	Edges []*Edge
	// EndCursor resumes the walk after the last edge of the page.
	EndCursor   string
	HasNextPage bool
}

// ScanCursor returns the cursor of a scan position: the kind or type
// (group) and the id of the last item seen.
func ScanCursor(group, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte("s:" + group + "\x00" + id))
}

// DecodeScanCursor returns the group and id of a ScanCursor; "" gives
// two empty strings.
func DecodeScanCursor(c string) (group, id string, err error) {
	if c == "" {
		return "", "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err == nil && strings.HasPrefix(string(b), "s:") {
		if g, id, ok := strings.Cut(string(b[2:]), "\x00"); ok {
			return g, id, nil
		}
	}
	return "", "", fmt.Errorf("%w: scan cursor %q is not one this server issued", ErrInvalid, c)
}

// ValidateNodeScan checks q and returns the kinds to walk, in walk order,
// with the kind and id to resume after ("" for none).
func ValidateNodeScan(q *NodeScan) (kinds []Kind, afterKind Kind, afterID string, err error) {
	if err := checkFirst(q.First); err != nil {
		return nil, "", "", err
	}
	if err := checkKinds(q.Kinds); err != nil {
		return nil, "", "", err
	}
	return scanGroups(Kinds, q.Kinds, q.After)
}

// ValidateEdgeScan checks q and returns the types to walk, in walk order,
// with the type and id to resume after ("" for none).
func ValidateEdgeScan(q *EdgeScan) (types []RelType, afterType RelType, afterID string, err error) {
	if err := checkFirst(q.First); err != nil {
		return nil, "", "", err
	}
	if err := CheckEdgeFilter(q.Types, q.Kinds, q.AsOf); err != nil {
		return nil, "", "", err
	}
	return scanGroups(RelTypes, q.Types, q.After)
}

// checkFirst validates the page size of a scan.
func checkFirst(first int) error {
	if first < 1 || first > MaxPageSize {
		return fmt.Errorf("%w: first must be between 1 and %d, got %d", ErrInvalid, MaxPageSize, first)
	}
	return nil
}

// scanGroups decodes the cursor after and returns the groups (kinds or
// types) of all that want keeps (all when empty), from the cursor's group
// on, with the group and id to resume after.
func scanGroups[G ~string](all, want []G, after string) (groups []G, afterGroup G, afterID string, err error) {
	g, id, err := DecodeScanCursor(after)
	if err != nil {
		return nil, "", "", err
	}
	start := 0
	if g != "" {
		if start = slices.Index(all, G(g)); start < 0 {
			return nil, "", "", fmt.Errorf("%w: scan cursor %q is not one this server issued", ErrInvalid, after)
		}
	}
	for _, x := range all[start:] {
		if len(want) == 0 || slices.Contains(want, x) {
			groups = append(groups, x)
		}
	}
	return groups, G(g), id, nil
}
