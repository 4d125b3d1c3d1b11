package neo4jtest

import (
	"context"

	drv "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/innograph/innograph/store/neo4j"
)

// Reader runs hand-written read statements on the database cfg names,
// for benchmarks that set Cypher written by hand beside the store's own.
// The caller must hold the database lock (see Lock) and Close it.
type Reader struct {
	cfg neo4j.Config
	d   drv.DriverWithContext
}

// NewReader returns a Reader over its own driver.
func NewReader(cfg neo4j.Config) (*Reader, error) {
	d, err := drv.NewDriverWithContext(cfg.URI, drv.BasicAuth(cfg.User, cfg.Password, ""))
	if err != nil {
		return nil, err
	}
	return &Reader{cfg: cfg, d: d}, nil
}

// Count runs a read statement and returns the number of records it
// returned (every record is received).
func (r *Reader) Count(ctx context.Context, cypher string, params map[string]any) (int, error) {
	res, err := drv.ExecuteQuery(ctx, r.d, cypher, params, drv.EagerResultTransformer,
		drv.ExecuteQueryWithDatabase(r.cfg.Database), drv.ExecuteQueryWithReadersRouting())
	if err != nil {
		return 0, err
	}
	return len(res.Records), nil
}

// Close closes the driver.
func (r *Reader) Close() error { return r.d.Close(context.Background()) }
