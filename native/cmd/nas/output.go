package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/nasplayground/nas/core/search"
	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// errInterrupted is returned when Ctrl-C stopped a run after its state was
// saved; main maps it to exit code 130.
type interruptedError struct{ msg string }

func (e interruptedError) Error() string { return e.msg }

// eventLog appends events to DIR/events.jsonl (one JSON object per line).
type eventLog struct {
	f   *os.File
	enc *json.Encoder
}

func openEventLog(dir string, resume bool) (*eventLog, error) {
	if dir == "" {
		return &eventLog{}, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("--out %s: %w", dir, err)
	}
	flags := os.O_CREATE | os.O_WRONLY | os.O_TRUNC
	if resume {
		flags = os.O_CREATE | os.O_WRONLY | os.O_APPEND
	}
	f, err := os.OpenFile(filepath.Join(dir, "events.jsonl"), flags, 0o644)
	if err != nil {
		return nil, err
	}
	return &eventLog{f: f, enc: json.NewEncoder(f)}, nil
}

func (l *eventLog) write(ev search.Event) error {
	if l.f == nil {
		return nil
	}
	return l.enc.Encode(ev)
}

func (l *eventLog) Close() error {
	if l.f == nil {
		return nil
	}
	return l.f.Close()
}

// progress shows a bar with ETA on a terminal and plain lines otherwise.
type progress struct {
	out     io.Writer
	bar     *progressbar.ProgressBar
	plain   bool
	quiet   bool
	lastOut time.Time
	total   int
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func newProgress(w io.Writer, total int, desc string, quiet bool) *progress {
	p := &progress{out: w, quiet: quiet, total: total}
	if quiet {
		return p
	}
	if isTerminal(w) {
		p.bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(w), progressbar.OptionSetDescription(desc),
			progressbar.OptionShowCount(), progressbar.OptionSetPredictTime(true), progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("steps"), progressbar.OptionThrottle(200*time.Millisecond),
			progressbar.OptionClearOnFinish())
		return p
	}
	p.plain = true
	return p
}

// step advances the bar to done; msg describes the current state.
func (p *progress) step(done int, msg string) {
	switch {
	case p.quiet:
	case p.bar != nil:
		p.bar.Describe(msg)
		_ = p.bar.Set(done)
	case time.Since(p.lastOut) > 10*time.Second:
		fmt.Fprintf(p.out, "[%d/%d] %s\n", done, p.total, msg)
		p.lastOut = time.Now()
	}
}

// line prints a line without breaking the bar.
func (p *progress) line(format string, a ...any) {
	if p.quiet {
		return
	}
	if p.bar != nil {
		_ = p.bar.Clear()
	}
	fmt.Fprintf(p.out, format+"\n", a...)
}

func (p *progress) finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}
