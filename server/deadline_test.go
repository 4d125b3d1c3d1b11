package server_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/innograph/innograph/server"
	"github.com/innograph/innograph/store/backendtest"
)

// TestExportOutlastsWriteTimeout serves a real server with a write
// timeout and an export idle timeout of 1 s, and reads a GEXF export of
// about 7 MB (more than the connection's buffers hold) over 3 s: a client
// that reads steadily gets the whole export although it takes longer
// than both timeouts together, and a client that stops reading for 3 s
// is cut.
func TestExportOutlastsWriteTimeout(t *testing.T) {
	if testing.Short() {
		t.Skip("reads an export for a few seconds")
	}
	st := backendtest.Embedded(t)
	backendtest.LoadDemo(t, st, 6) // a GEXF of about 7 MB
	cfg := server.DefaultConfig()
	cfg.Addr = "127.0.0.1:0"
	cfg.Timeout, cfg.WriteTimeout, cfg.ExportIdleTimeout = time.Second, time.Second, time.Second
	log := slog.New(slog.DiscardHandler)
	ctx, stop := context.WithCancel(t.Context())
	addrc := make(chan string, 1)
	errc := make(chan error, 1)
	go func() {
		errc <- server.Serve(ctx, cfg, server.Handler(cfg, st, &server.Readiness{}, log), log, func(a string) { addrc <- a })
	}()
	t.Cleanup(func() {
		stop()
		if err := <-errc; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	var url string
	select {
	case addr := <-addrc:
		url = "http://" + addr + "/export/gexf"
	case err := <-errc:
		t.Fatalf("serve: %v", err)
	}

	// A client with a modest receive buffer, so that the connection
	// holds a few megabytes of the export at most.
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true, DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if err == nil {
			err = c.(*net.TCPConn).SetReadBuffer(256 << 10)
		}
		return c, err
	}}}
	get := func() *http.Response {
		resp, err := client.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %s", url, resp.Status)
		}
		return resp
	}
	// The whole export, read at once, gives its size.
	resp := get()
	whole, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || !bytes.HasSuffix(bytes.TrimSpace(whole), []byte("</gexf>")) {
		t.Fatalf("reading the export at once: %d bytes, %v", len(whole), err)
	}

	for _, tc := range []struct {
		name string
		// pause is how long the client stops reading after the first
		// chunk; 0: it reads steadily.
		pause    time.Duration
		complete bool
	}{
		{"steady reader", 0, true},
		{"stalled reader", 3 * time.Second, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Read in 8 KiB chunks at a pace that spreads the export over
			// 3 s: longer than the write timeout and the idle timeout
			// together.
			const chunk = 8 << 10
			const span = 3 * time.Second
			every := span / time.Duration(len(whole)/chunk+1)
			resp := get()
			defer resp.Body.Close()
			var got bytes.Buffer
			start := time.Now()
			var rerr error
			buf := make([]byte, chunk)
			for i := 0; ; i++ {
				n, err := io.ReadFull(resp.Body, buf)
				got.Write(buf[:n])
				if err != nil {
					if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
						rerr = err
					}
					break
				}
				if i == 0 && tc.pause > 0 {
					time.Sleep(tc.pause)
				}
				time.Sleep(time.Until(start.Add(time.Duration(i+1) * every)))
			}
			took := time.Since(start)
			complete := bytes.Equal(got.Bytes(), whole)
			t.Logf("read %d of %d bytes in %v (%v)", got.Len(), len(whole), took.Round(time.Millisecond), rerr)
			if complete != tc.complete {
				t.Errorf("got the whole export: %v, want %v (read %d of %d bytes in %v: %v)", complete, tc.complete, got.Len(), len(whole), took, rerr)
			}
			if tc.complete && took < cfg.WriteTimeout+cfg.ExportIdleTimeout {
				t.Errorf("the export took %v: too fast to test the deadlines", took)
			}
		})
	}
}
