package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/nasplayground/nas/core/run"
	"github.com/nasplayground/nas/core/run/events"
	"github.com/nasplayground/nas/core/search"
	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// Exit codes besides 0, 1 (the run failed) and exitUsage (2).
const (
	exitNonFinite   = 3   // a loss or gradient turned NaN/Inf; the last good checkpoint is kept
	exitInterrupted = 130 // Ctrl-C or SIGTERM after the state was saved
)

// interruptedError is returned when Ctrl-C stopped a run after its state was
// saved; main maps it to exit code 130.
type interruptedError struct{ msg string }

func (e interruptedError) Error() string { return e.msg }

// nonFiniteError is a run stopped by a NaN/Inf loss or gradient (exit 3).
type nonFiniteError struct{ error }

// Test hooks: afterEvent runs after each event is logged (a test returns an
// error to stop the run as a kill would: no checkpoint is written after
// it); clock replaces time.Now for the checkpoint period.
var (
	afterEvent    func(ev search.Event) error
	clock         func() time.Time
	notifyContext = signal.NotifyContext
)

// start builds the run for cfg, or with --resume rebuilds it from the
// checkpoint in --out: flags given on the command line are applied onto the
// checkpoint's configuration by given, and contradictions are an error unless
// --override. It returns the events.jsonl length to continue from (-1: new).
func start(cfg run.Config, d run.Data, f runFlags, file string, given func(*run.Config) error, stderr io.Writer) (*run.Run, int64, error) {
	if !f.resume {
		r, err := run.New(cfg, d)
		if err != nil {
			return nil, -1, usageError{err}
		}
		for _, w := range r.Warnings {
			fmt.Fprintln(stderr, "nas: warning:", w)
		}
		return r, -1, nil
	}
	if f.out == "" {
		return nil, -1, usagef("--resume needs --out DIR (the folder holding %s)", file)
	}
	ck, err := run.Load(filepath.Join(f.out, file))
	if err != nil {
		return nil, -1, usagef("--resume: %v", err)
	}
	want := ck.Config
	if err := given(&want); err != nil {
		return nil, -1, err
	}
	r, err := run.Resume(ck, want, d, f.override)
	if err != nil {
		return nil, -1, usagef("--resume: %v", err)
	}
	return r, ck.Events, nil
}

// driveRun runs r through run.Drive with the CLI's events file, checkpoint
// policy and signals; onEvent reports each event.
func driveRun(r *run.Run, f runFlags, file string, offset int64, log func(search.Event) bool, onEvent func(search.Event, run.Progress) error) (run.Outcome, error) {
	var el *events.Log
	h := run.Hooks{Log: log, SaveEvery: f.every, MaxIterations: f.maxSteps, Now: clock,
		OnEvent: func(ev search.Event, p run.Progress) error {
			if err := onEvent(ev, p); err != nil {
				return err
			}
			if afterEvent != nil {
				return afterEvent(ev)
			}
			return nil
		}}
	if f.out != "" {
		var err error
		if el, err = events.Open(filepath.Join(f.out, "events.jsonl"), offset); err != nil {
			return run.Outcome{}, err
		}
		h.Events, h.Checkpoint = el, filepath.Join(f.out, file)
	}
	ctx, stop := notifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	o, err := run.Drive(ctx, r, h)
	if cerr := el.Close(); err == nil {
		err = cerr
	}
	if run.IsNonFinite(err) {
		kept := "no checkpoint (no --out)"
		if h.Checkpoint != "" {
			kept = "the last good checkpoint " + h.Checkpoint + " is untouched"
			if _, serr := os.Stat(h.Checkpoint); errors.Is(serr, os.ErrNotExist) {
				kept = "no checkpoint was written yet"
			}
		}
		return o, nonFiniteError{fmt.Errorf("%w; %s", err, kept)}
	}
	return o, err
}

// stopped reports a run stopped by --max-steps or a signal; an interrupt
// becomes interruptedError (exit 130).
func stopped(o run.Outcome, r *run.Run, f runFlags, stdout io.Writer) error {
	ck := "none (no --out)"
	if f.out != "" {
		ck = f.out
	}
	switch o.Stop {
	case run.Interrupted:
		return interruptedError{fmt.Sprintf("interrupted after %d %s; checkpoint in %s (continue with --resume)", o.Iterations, r.Method.Unit, ck)}
	case run.Limit:
		fmt.Fprintf(stdout, "stopped after %d %s (--max-steps); checkpoint in %s\n", o.Iterations, r.Method.Unit, ck)
	}
	return nil
}

// progress shows a bar with ETA on a terminal and plain lines otherwise.
type progress struct {
	out     io.Writer
	bar     *progressbar.ProgressBar
	quiet   bool
	lastOut time.Time
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func newProgress(w io.Writer, r *run.Run, desc string, quiet bool) *progress {
	p := &progress{out: w, quiet: quiet}
	if quiet || !isTerminal(w) {
		return p
	}
	p.bar = progressbar.NewOptions(r.Total(), progressbar.OptionSetWriter(w), progressbar.OptionSetDescription(desc),
		progressbar.OptionShowCount(), progressbar.OptionSetPredictTime(true), progressbar.OptionShowIts(),
		progressbar.OptionSetItsString(r.Method.Unit), progressbar.OptionThrottle(200*time.Millisecond),
		progressbar.OptionClearOnFinish())
	_ = p.bar.Set(r.Iterations())
	return p
}

// step shows the progress p with msg: the bar on a terminal, a plain line
// with the ETA at most every 10 s otherwise.
func (p *progress) step(pr run.Progress, msg string) {
	switch {
	case p.quiet:
	case p.bar != nil:
		p.bar.Describe(msg)
		_ = p.bar.Set(pr.Iterations)
	case time.Since(p.lastOut) > 10*time.Second:
		eta := ""
		if pr.ETA > 0 {
			eta = ", ETA " + pr.ETA.Round(time.Second).String()
		}
		fmt.Fprintf(p.out, "[%d/%d %s%s] %s\n", pr.Iterations, pr.Total, pr.Unit, eta, msg)
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

// signalNotify is signal.NotifyContext (notifyContext's production value).
var signalNotify = signal.NotifyContext
