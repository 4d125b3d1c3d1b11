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
	if q.First < 1 || q.First > MaxPageSize {
		return nil, "", "", fmt.Errorf("%w: first must be between 1 and %d, got %d", ErrInvalid, MaxPageSize, q.First)
	}
	if err := checkKinds(q.Kinds); err != nil {
		return nil, "", "", err
	}
	g, id, err := DecodeScanCursor(q.After)
	if err != nil {
		return nil, "", "", err
	}
	if g != "" && !ValidKind(Kind(g)) {
		return nil, "", "", fmt.Errorf("%w: scan cursor %q is not one this server issued", ErrInvalid, q.After)
	}
	for _, k := range Kinds {
		if len(q.Kinds) > 0 && !slices.Contains(q.Kinds, k) {
			continue
		}
		if g != "" && kindIndex(k) < kindIndex(Kind(g)) {
			continue
		}
		kinds = append(kinds, k)
	}
	return kinds, Kind(g), id, nil
}

// ValidateEdgeScan checks q and returns the types to walk, in walk order,
// with the type and id to resume after ("" for none).
func ValidateEdgeScan(q *EdgeScan) (types []RelType, afterType RelType, afterID string, err error) {
	if q.First < 1 || q.First > MaxPageSize {
		return nil, "", "", fmt.Errorf("%w: first must be between 1 and %d, got %d", ErrInvalid, MaxPageSize, q.First)
	}
	if err := CheckEdgeFilter(q.Types, q.Kinds, q.AsOf); err != nil {
		return nil, "", "", err
	}
	g, id, err := DecodeScanCursor(q.After)
	if err != nil {
		return nil, "", "", err
	}
	if g != "" && !ValidRelType(RelType(g)) {
		return nil, "", "", fmt.Errorf("%w: scan cursor %q is not one this server issued", ErrInvalid, q.After)
	}
	for _, t := range RelTypes {
		if len(q.Types) > 0 && !slices.Contains(q.Types, t) {
			continue
		}
		if g != "" && relIndex(t) < relIndex(RelType(g)) {
			continue
		}
		types = append(types, t)
	}
	return types, RelType(g), id, nil
}

func kindIndex(k Kind) int   { return slices.Index(Kinds, k) }
func relIndex(t RelType) int { return slices.Index(RelTypes, t) }
