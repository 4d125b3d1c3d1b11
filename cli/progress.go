package cli

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/innograph/innograph/ingest"
)

// progressFor returns how a command shows its progress on w, by mode:
// "auto" (a bar on a terminal, plain lines otherwise), "bar", "lines" or
// "none".
func progressFor(mode string, w io.Writer) (ingest.Progress, error) {
	switch mode {
	case "", "auto":
		if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
			return &barProgress{w: w}, nil
		}
		return &lineProgress{w: w, every: 5 * time.Second}, nil
	case "bar":
		return &barProgress{w: w}, nil
	case "lines":
		return &lineProgress{w: w, every: 5 * time.Second}, nil
	case "none":
		return nil, nil
	}
	return nil, badFlag("progress", mode, "want auto, bar, lines or none")
}

// barProgress draws a progress bar.
type barProgress struct {
	w   io.Writer
	bar *progressbar.ProgressBar
}

func (p *barProgress) Begin(phase string, total int64, unit string) {
	opts := []progressbar.Option{
		progressbar.OptionSetWriter(p.w),
		progressbar.OptionSetDescription(fmt.Sprintf("%-10s", phase)),
		progressbar.OptionThrottle(100 * time.Millisecond),
		progressbar.OptionShowElapsedTimeOnFinish(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionFullWidth(),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(p.w) }),
	}
	if unit == "bytes" {
		opts = append(opts, progressbar.OptionShowBytes(true))
	} else {
		opts = append(opts, progressbar.OptionShowCount(), progressbar.OptionSetItsString(unit), progressbar.OptionShowIts())
	}
	if total <= 0 {
		total = -1
	}
	p.bar = progressbar.NewOptions64(total, opts...)
}

func (p *barProgress) Add(n int64) { _ = p.bar.Add64(n) }

func (p *barProgress) End() {
	_ = p.bar.Finish()
}

// lineProgress prints a line at the start and end of a phase and at most
// one per interval in between, for logs and pipes.
type lineProgress struct {
	w           io.Writer
	every       time.Duration
	phase, unit string
	total, done int64
	start, last time.Time
}

func (p *lineProgress) Begin(phase string, total int64, unit string) {
	p.phase, p.total, p.unit, p.done = phase, total, unit, 0
	p.start, p.last = time.Now(), time.Now()
	if total > 0 {
		fmt.Fprintf(p.w, "%s: %d %s\n", phase, total, unit)
	} else {
		fmt.Fprintf(p.w, "%s…\n", phase)
	}
}

func (p *lineProgress) Add(n int64) {
	p.done += n
	if time.Since(p.last) < p.every {
		return
	}
	p.last = time.Now()
	if p.total > 0 {
		fmt.Fprintf(p.w, "%s: %d of %d %s (%.0f%%)\n", p.phase, p.done, p.total, p.unit, 100*float64(p.done)/float64(p.total))
	} else {
		fmt.Fprintf(p.w, "%s: %d %s\n", p.phase, p.done, p.unit)
	}
}

func (p *lineProgress) End() {
	fmt.Fprintf(p.w, "%s: done, %d %s in %s\n", p.phase, p.done, p.unit, time.Since(p.start).Round(time.Millisecond))
}
