// Command innograph serves the InnoGraph knowledge graph; see `innograph help`.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/innograph/innograph/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
