// Package neo4j is the production kg.Store: Cypher over a Neo4j 5 server or
// cluster through the official Go driver.
//
// # Data model
//
// Every node carries the label :Node, the label of its kind (:Enterprise,
// :University, …) and the property id. Its ontology properties are stored
// as Neo4j properties of the same name: strings, integers, floats, booleans
// and lists of strings as such; a yearly series is flattened into one float
// property per year, named by kg.SeriesKey ("revenue_2023"), so that an
// indicator stays a single Cypher aggregation
// (sum(n['rdInvestment_' + $year])). createdAt and updatedAt are Neo4j
// datetimes in UTC at full (nanosecond) precision, so they round-trip
// exactly as the embedded store's do. Two derived properties serve Search:
// _searchName, the name lower-cased by Go's strings.ToLower, and _search,
// the lower-cased name, English name and aliases joined by NUL. Properties
// whose names start with "_" are never returned by reads.
//
// A relationship has the type of its kg.RelType, the property id and its
// ontology properties.
//
// # Transactions
//
// Every statement runs in a managed transaction (ExecuteRead/ExecuteWrite)
// on the configured database, with the driver's bookmark manager so that
// reads follow writes in a cluster; a read that is one statement (Fetch,
// FindNodes, GetNodes, GetEdges, Neighbors, Search, Stats) runs as an
// auto-commit transaction instead, one round trip where a managed one
// takes three, retried as a managed one is (see readOnce). Apply is one write transaction that
// first takes a write lock on a single :ApplyLock node (see Migrate), so
// that concurrent batches, from this process or another, are serialised as
// the embedded store serialises them: a batch reads the graph, is checked
// by kg.CheckBatch, merged with kg.Merge and written with one UNWIND
// statement per kind label and relationship type, all or nothing. Replace
// checks its whole batch first, then deletes and writes under the same
// lock, in one transaction up to 20,000 items and in pieces beyond (see
// Replace for what a failure between pieces leaves). Reads
// are read-committed, as Neo4j's are: the parts of one read statement (a
// page and its total count, the counts of Stats) may fall on either side
// of a batch that commits while it runs.
//
// Statements use the CALL () { … } subquery syntax, so the server must be
// Neo4j 5.23 or later (the development server is 5.26 LTS).
//
// # Ordering
//
// Neo4j 5 compares strings by code point, as Go does (byte by byte in
// UTF-8), characters above U+FFFF included, and size() counts code points
// as kg counts runes. Nulls (last ascending, first descending), numbers
// and booleans order as in kg too. crosstest checks this through the API.
package neo4j

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"strings"
	"sync/atomic"
	"time"

	drv "github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/log"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/innograph/innograph/kg"
)

// Config says how to reach Neo4j.
type Config struct {
	// URI is the server or cluster address: bolt://, bolt+s://, neo4j://
	// (routing) or neo4j+s://.
	URI string
	// User and Password authenticate; both empty: no authentication.
	User     string
	Password string
	// Database is the database every session names ("neo4j" by default).
	Database string
	// MaxPoolSize bounds the connections per server (0: driver default, 100).
	MaxPoolSize int
	// ConnectTimeout bounds the TCP (and TLS) connect of one connection.
	ConnectTimeout time.Duration
	// AcquireTimeout bounds the wait for a pooled connection.
	AcquireTimeout time.Duration
	// MaxTxRetry bounds how long a transaction that fails with a
	// transient or connectivity error is retried. The driver backs off
	// exponentially (1s, 2s, 4s, …) and checks the bound before each
	// pause, so a call can give up up to about twice as late; a ctx
	// deadline always wins.
	MaxTxRetry time.Duration
}

// DefaultConfig returns the configuration of the development server:
// bolt://127.0.0.1:7687, user neo4j, password from NEO4J_PASSWORD (else
// "innograph-dev"), database neo4j; and timeouts for a server whose
// requests last seconds: 5s to connect, 10s to wait for a pooled
// connection, 5s of retries, so that calls fail with kg.ErrUnavailable
// within seconds when Neo4j is gone.
func DefaultConfig() Config {
	pw := os.Getenv("NEO4J_PASSWORD")
	if pw == "" {
		pw = "innograph-dev"
	}
	return Config{
		URI:            "bolt://127.0.0.1:7687",
		User:           "neo4j",
		Password:       pw,
		Database:       "neo4j",
		MaxPoolSize:    100,
		ConnectTimeout: 5 * time.Second,
		AcquireTimeout: 10 * time.Second,
		MaxTxRetry:     5 * time.Second,
	}
}

// Store is the Neo4j kg.Store. It is safe for concurrent use.
type Store struct {
	cfg    Config
	driver drv.DriverWithContext
	closed atomic.Bool
	// boltLogger, if set (by tests), sees every Bolt message of every session.
	boltLogger log.BoltLogger
}

var _ kg.Store = (*Store)(nil)

// Open creates a driver for cfg. It does not contact Neo4j, so that a
// server can start while Neo4j is down: Ping tells when it is reachable.
// Call Migrate before the first write.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	def := DefaultConfig()
	if cfg.URI == "" {
		cfg.URI = def.URI
	}
	if cfg.Database == "" {
		cfg.Database = def.Database
	}
	if cfg.ConnectTimeout <= 0 {
		cfg.ConnectTimeout = def.ConnectTimeout
	}
	if cfg.AcquireTimeout <= 0 {
		cfg.AcquireTimeout = def.AcquireTimeout
	}
	if cfg.MaxTxRetry <= 0 {
		cfg.MaxTxRetry = def.MaxTxRetry
	}
	auth := drv.BasicAuth(cfg.User, cfg.Password, "")
	if cfg.User == "" && cfg.Password == "" {
		auth = drv.NoAuth()
	}
	d, err := drv.NewDriverWithContext(cfg.URI, auth, func(c *config.Config) {
		if cfg.MaxPoolSize > 0 {
			c.MaxConnectionPoolSize = cfg.MaxPoolSize
		}
		c.SocketConnectTimeout = cfg.ConnectTimeout
		c.ConnectionAcquisitionTimeout = cfg.AcquireTimeout
		c.MaxTransactionRetryTime = cfg.MaxTxRetry
	})
	if err != nil {
		return nil, fmt.Errorf("neo4j driver for %s: %w", cfg.URI, err)
	}
	return &Store{cfg: cfg, driver: d}, nil
}

// Config returns the store's configuration, with defaults filled in.
func (s *Store) Config() Config { return s.cfg }

// Close closes the driver and its connections. Later calls fail with
// kg.ErrUnavailable; closing twice is not an error.
func (s *Store) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	if err := s.driver.Close(context.Background()); err != nil {
		return fmt.Errorf("closing neo4j driver: %w", err)
	}
	return nil
}

var errClosed = fmt.Errorf("%w: store is closed", kg.ErrUnavailable)

// cypherPing is the cheapest query that proves the database serves.
const cypherPing = `RETURN 1 AS ok`

// Ping runs a trivial query on the configured database. It is an
// auto-commit query, not a retried transaction, so that it reports the
// first failure at once; errors wrap kg.ErrUnavailable.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.begin(ctx); err != nil {
		return err
	}
	sess := s.session(ctx, drv.AccessModeRead)
	defer sess.Close(context.Background())
	res, err := sess.Run(ctx, cypherPing, nil)
	if err == nil {
		_, err = res.Consume(ctx)
	}
	if err != nil {
		err = s.fail(ctx, "ping", err)
		if !errors.Is(err, kg.ErrUnavailable) {
			err = fmt.Errorf("%w: %w", kg.ErrUnavailable, err)
		}
		return err
	}
	return nil
}

// begin checks ctx and that the store is open.
func (s *Store) begin(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.closed.Load() {
		return errClosed
	}
	return nil
}

// session opens a session on the configured database that shares the
// driver's bookmarks, so that reads see earlier writes in a cluster too.
func (s *Store) session(ctx context.Context, mode drv.AccessMode) drv.SessionWithContext {
	return s.driver.NewSession(ctx, drv.SessionConfig{
		AccessMode:      mode,
		DatabaseName:    s.cfg.Database,
		BookmarkManager: s.driver.ExecuteQueryBookmarkManager(),
		BoltLogger:      s.boltLogger,
	})
}

// retryContext returns the context a managed transaction acquires its
// connections and waits between retries in: ctx, ending a little before
// it (a tenth of the time left, at most a second) when ctx has a
// deadline. A request that meets Neo4j away then gives up retrying while
// it can still answer that the store is unavailable, instead of running
// into its own deadline and answering that it took too long. The work
// itself runs its statements in ctx.
func retryContext(ctx context.Context) (context.Context, context.CancelFunc) {
	d, ok := ctx.Deadline()
	if !ok {
		return ctx, func() {}
	}
	margin := min(time.Until(d)/10, time.Second)
	return context.WithDeadline(ctx, d.Add(-margin))
}

// read runs work in a managed read transaction.
func read[T any](ctx context.Context, s *Store, op string, work drv.ManagedTransactionWorkT[T]) (T, error) {
	var zero T
	if err := s.begin(ctx); err != nil {
		return zero, err
	}
	rctx, cancel := retryContext(ctx)
	defer cancel()
	sess := s.session(rctx, drv.AccessModeRead)
	defer sess.Close(context.Background())
	v, err := drv.ExecuteRead(rctx, sess, work)
	if err != nil {
		return zero, s.fail(ctx, op, err)
	}
	return v, nil
}

// runner runs a statement: a managed transaction, or an auto-commit
// transaction of readOnce.
type runner interface {
	Run(ctx context.Context, cypher string, params map[string]any) (drv.ResultWithContext, error)
}

// readOnce runs work, a read of exactly one statement, as an auto-commit
// transaction. The statement goes to Neo4j in one message with the
// request for its records, so that the read costs one round trip where a
// managed transaction costs three (BEGIN, the statement, COMMIT), each a
// wait for the server and for both sides' schedulers. It reads with the
// driver's bookmarks, as read does. Failures a managed transaction would
// retry (a transient error, a lost connection) are retried the same way,
// in a new session: after a lost connection at once the first time (the
// pool may have held it since before a restart), otherwise after pauses of
// about 1 s, 2 s, 4 s, …, while MaxTxRetry allows and retryContext(ctx)
// lasts. A work that runs a second statement fails.
func readOnce[T any](ctx context.Context, s *Store, op string, work func(tx runner) (T, error)) (T, error) {
	var zero T
	if err := s.begin(ctx); err != nil {
		return zero, err
	}
	rctx, cancel := retryContext(ctx)
	defer cancel()
	start, pause := time.Now(), time.Second
	for attempt := 0; ; attempt++ {
		v, err := autoCommitRead(rctx, s, work)
		if err == nil {
			return v, nil
		}
		if ctx.Err() != nil || !drv.IsRetryable(err) || time.Since(start) > s.cfg.MaxTxRetry {
			return zero, s.fail(ctx, op, err)
		}
		var wait time.Duration
		var ce *drv.ConnectivityError
		if attempt > 0 || !errors.As(err, &ce) {
			wait = time.Duration(float64(pause) * (0.8 + 0.4*rand.Float64()))
			pause *= 2
		}
		t := time.NewTimer(wait)
		select {
		case <-rctx.Done():
			t.Stop()
			return zero, s.fail(ctx, op, err)
		case <-t.C:
		}
	}
}

// autoCommitRead runs work on a read session opened in rctx.
func autoCommitRead[T any](rctx context.Context, s *Store, work func(tx runner) (T, error)) (T, error) {
	sess := s.session(rctx, drv.AccessModeRead)
	defer sess.Close(context.Background())
	return work(&autoCommit{sess: sess})
}

// autoCommit runs one statement as an auto-commit transaction of sess.
type autoCommit struct {
	sess drv.SessionWithContext
	ran  bool
}

// errSecondStatement is the error of a readOnce work that runs a second
// statement, which would not be in the first one's transaction.
var errSecondStatement = errors.New("a read of one statement ran a second one")

// Run runs the statement.
func (a *autoCommit) Run(ctx context.Context, cypher string, params map[string]any) (drv.ResultWithContext, error) {
	if a.ran {
		return nil, errSecondStatement
	}
	a.ran = true
	return a.sess.Run(ctx, cypher, params)
}

// write runs work in a managed write transaction.
func write[T any](ctx context.Context, s *Store, op string, work drv.ManagedTransactionWorkT[T]) (T, error) {
	var zero T
	if err := s.begin(ctx); err != nil {
		return zero, err
	}
	rctx, cancel := retryContext(ctx)
	defer cancel()
	sess := s.session(rctx, drv.AccessModeWrite)
	defer sess.Close(context.Background())
	v, err := drv.ExecuteWrite(rctx, sess, work)
	if err != nil {
		return zero, s.fail(ctx, op, err)
	}
	return v, nil
}

// collect runs a statement in tx and returns its records.
func collect(ctx context.Context, tx runner, cypher string, params map[string]any) ([]*drv.Record, error) {
	res, err := tx.Run(ctx, cypher, params)
	if err != nil {
		return nil, err
	}
	recs, err := res.Collect(ctx)
	if err == nil {
		timed(ctx, res)
	}
	return recs, err
}

// totalAndPage runs a statement that returns one record holding "total",
// a count, and "page", a list, and returns both.
func totalAndPage(ctx context.Context, tx drv.ManagedTransaction, cypher string, params map[string]any) (int64, []any, error) {
	res, err := tx.Run(ctx, cypher, params)
	if err != nil {
		return 0, nil, err
	}
	rec, err := res.Single(ctx)
	if err != nil {
		return 0, nil, err
	}
	timed(ctx, res)
	total, _, err := drv.GetRecordValue[int64](rec, "total")
	if err != nil {
		return 0, nil, err
	}
	page, _, err := drv.GetRecordValue[[]any](rec, "page")
	return total, page, err
}

// exec runs a statement in tx and discards its records.
func exec(ctx context.Context, tx drv.ManagedTransaction, cypher string, params map[string]any) error {
	res, err := tx.Run(ctx, cypher, params)
	if err != nil {
		return err
	}
	sum, err := res.Consume(ctx)
	if err == nil {
		statementEvent(trace.SpanFromContext(ctx), sum)
	}
	return err
}

// timed adds the server's timings of a statement whose records have all
// been read to the span of ctx (the store call's, see store/observed), if
// it is recording: nothing is asked of the server, the summary came with
// the last record.
func timed(ctx context.Context, res drv.ResultWithContext) {
	span := trace.SpanFromContext(ctx)
	if !span.IsRecording() {
		return
	}
	if sum, err := res.Consume(ctx); err == nil {
		statementEvent(span, sum)
	}
}

// StatementEvent names the span event that gives the server's timings of
// one statement a store call ran: innograph.neo4j.result_available_after_ms,
// the time until the first record was available, and
// innograph.neo4j.result_consumed_after_ms, the time to stream them all
// (both in milliseconds, as the server reports them).
const StatementEvent = "neo4j.statement"

// statementEvent adds a statement's timings to span, if it is recording.
func statementEvent(span trace.Span, sum drv.ResultSummary) {
	if !span.IsRecording() || sum == nil {
		return
	}
	span.AddEvent(StatementEvent, trace.WithAttributes(
		attribute.Int64("innograph.neo4j.result_available_after_ms", sum.ResultAvailableAfter().Milliseconds()),
		attribute.Int64("innograph.neo4j.result_consumed_after_ms", sum.ResultConsumedAfter().Milliseconds())))
}

// fail wraps an error of the driver: a *kg.ValidationError is returned as
// it is; an error that means Neo4j cannot serve (connectivity, retries
// exhausted, a transient or cluster error, authentication, a missing
// database, a closed store) wraps kg.ErrUnavailable; a done ctx is wrapped
// as well, so that errors.Is finds context.DeadlineExceeded.
func (s *Store) fail(ctx context.Context, op string, err error) error {
	var ve *kg.ValidationError
	if errors.As(err, &ve) {
		return err
	}
	ctxErr := ctx.Err()
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		if ctxErr == nil {
			return fmt.Errorf("neo4j %s: %w", op, err)
		}
		ctxErr = nil // already wrapped
	}
	switch {
	case unavailable(err) || s.closed.Load():
		if ctxErr != nil {
			return fmt.Errorf("neo4j %s: %w: %w: %w", op, kg.ErrUnavailable, ctxErr, err)
		}
		return fmt.Errorf("neo4j %s: %w: %w", op, kg.ErrUnavailable, err)
	case ctxErr != nil:
		return fmt.Errorf("neo4j %s: %w: %w", op, ctxErr, err)
	}
	return fmt.Errorf("neo4j %s: %w", op, err)
}

// unavailable reports whether err means that Neo4j cannot serve requests,
// as opposed to a fault of the request.
func unavailable(err error) bool {
	var (
		ce  *drv.ConnectivityError
		tel *drv.TransactionExecutionLimit
		ne  *drv.Neo4jError
		ae  *drv.InvalidAuthenticationError
		te  *drv.TokenExpiredError
		nt  net.Error
	)
	switch {
	case errors.As(err, &ce), errors.As(err, &tel), errors.As(err, &ae), errors.As(err, &te), errors.As(err, &nt):
		return true
	case errors.As(err, &ne):
		return ne.IsRetriable() || ne.HasSecurityCode() ||
			ne.Code == "Neo.ClientError.Database.DatabaseNotFound" ||
			ne.Code == "Neo.TransientError.General.DatabaseUnavailable"
	case drv.IsRetryable(err):
		return true
	}
	var ue *drv.UsageError
	return errors.As(err, &ue) && strings.Contains(ue.Message, "closed")
}
