package run

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/nasplayground/nas/core/run/events"
	"github.com/nasplayground/nas/core/search"
)

// DefaultSaveEvery is the default wall-clock checkpoint period.
const DefaultSaveEvery = 10 * time.Minute

// Hooks are what differs between the front ends around the one loop.
type Hooks struct {
	// Events receives every event (nil: none) for which Log is nil or true.
	Events *events.Log
	Log    func(search.Event) bool
	// OnEvent runs after an event is logged: progress bars, Katib lines,
	// genotype files. An error stops the run without a checkpoint.
	OnEvent func(ev search.Event, p Progress) error
	// Checkpoint is the checkpoint file ("" = none). It is saved at epoch
	// ends, every SaveEvery of wall time (at an iteration's end), when the
	// run stops (limit, interrupt) and when it is done; never after an error.
	Checkpoint string
	SaveEvery  time.Duration
	// MaxIterations stops the run after this many iterations of this call
	// (0 = no limit).
	MaxIterations int
	// Now is the clock of SaveEvery and the ETA (time.Now when nil).
	Now func() time.Time
}

// Progress is what a progress display shows after an event.
type Progress struct {
	Iterations int           // done, across resumes
	Total      int           // of the whole run (0 = unknown)
	Unit       string        // "steps" or "samples"
	ETA        time.Duration // to Total at this call's pace (0 = unknown)
}

// Stop says why Drive returned without error.
type Stop int

// Reasons to stop.
const (
	Finished    Stop = iota // the budget is spent
	Limit                   // MaxIterations reached
	Interrupted             // the context was cancelled
	Stopped                 // OnEvent returned a StopRun (an early-stopping rule)
)

// StopRun, returned by Hooks.OnEvent, ends the run early as a success (an
// early-stopping rule such as DARTS+'s): the state is saved and Drive
// returns Outcome{Stop: Stopped, Reason: Reason} without error.
type StopRun struct{ Reason string }

func (s StopRun) Error() string { return "run stopped: " + s.Reason }

// Outcome is what Drive did.
type Outcome struct {
	Stop       Stop
	Iterations int    // iterations of this call
	Saved      bool   // a checkpoint was written last
	Err        string // the failure, when Drive returns an error
	Reason     string // Stopped: the StopRun's reason
}

// EndsIteration reports whether ev ends an iteration: a sample, a training
// step, or the w half of a DARTS step (its α half and epoch events do not).
func EndsIteration(ev search.Event) bool {
	return ev.Kind == search.KindSample || ev.Kind == search.KindDone ||
		(ev.Kind == search.KindStep && ev.Phase != search.PhaseAlpha)
}

// Drive steps r until it is done, ctx is cancelled or MaxIterations are
// done. A step error (a *search.NonFiniteError among them) ends the run at
// once: nothing more is logged or saved, so the last good checkpoint stays.
func Drive(ctx context.Context, r *Run, h Hooks) (Outcome, error) {
	now := h.Now
	if now == nil {
		now = time.Now
	}
	var out Outcome
	start := now()
	lastSave := start
	var last search.Event // where a non-finite state is reported
	startIts := r.Iterations()
	total := r.Total()
	save := func() error {
		if h.Checkpoint == "" {
			return nil
		}
		off, err := h.Events.Flush()
		if err != nil {
			return err
		}
		if err := Save(h.Checkpoint, r, off); err != nil {
			var nf *search.NonFiniteError
			if errors.As(err, &nf) && nf.After { // where: the last event
				nf.Epoch, nf.Step, nf.Phase = last.Epoch, last.Step, last.Phase
			}
			return err
		}
		lastSave, out.Saved = now(), true
		return nil
	}
	for !r.Done() {
		switch {
		case ctx.Err() != nil:
			out.Stop = Interrupted
			return out, save()
		case h.MaxIterations > 0 && out.Iterations >= h.MaxIterations:
			out.Stop = Limit
			return out, save()
		}
		ev, err := r.Step()
		if err == nil {
			err = checkEvent(ev)
		}
		if err != nil {
			h.Events.Flush()
			return out, err
		}
		last = ev
		if h.Log == nil || h.Log(ev) {
			if err := h.Events.Write(ev); err != nil {
				return out, err
			}
		}
		out.Saved = false
		ends := EndsIteration(ev)
		if ends {
			out.Iterations++
		}
		if h.OnEvent != nil {
			p := Progress{Iterations: r.Iterations(), Total: total, Unit: r.Method.Unit}
			if done := p.Iterations - startIts; done > 0 && total > 0 {
				p.ETA = time.Duration(float64(now().Sub(start)) / float64(done) * float64(max(0, total-p.Iterations)))
			}
			if err := h.OnEvent(ev, p); err != nil {
				if sr := (StopRun{}); errors.As(err, &sr) {
					out.Stop, out.Reason = Stopped, sr.Reason
					return out, save()
				}
				h.Events.Flush()
				return out, err
			}
		}
		if ev.Kind == search.KindEpoch || (ends && h.SaveEvery > 0 && now().Sub(lastSave) >= h.SaveEvery) {
			if err := save(); err != nil {
				return out, err
			}
		}
	}
	out.Stop = Finished
	if out.Saved {
		return out, nil
	}
	return out, save()
}

// checkEvent rejects an event holding a NaN or ±Inf metric (a strategy that
// did not check its own): it is neither logged nor saved.
func checkEvent(ev search.Event) error {
	for _, v := range []struct {
		what string
		x    float64
	}{{"training loss", ev.TrainLoss}, {"validation loss", ev.ValLoss}, {"reward", ev.Reward}, {"learning rate", ev.LR}} {
		if math.IsNaN(v.x) || math.IsInf(v.x, 0) {
			return &search.NonFiniteError{What: ev.Method + ": " + v.what, Value: v.x, Epoch: ev.Epoch, Step: ev.Step, Phase: ev.Phase}
		}
	}
	return nil
}

// IsNonFinite reports whether err is a *search.NonFiniteError.
func IsNonFinite(err error) bool {
	var nf *search.NonFiniteError
	return errors.As(err, &nf)
}

// KatibLines formats ev as Katib's stdout metrics collector reads them
// (name=value lines), the same way for every method: epoch events give
// epoch, Train-Loss, Train-Accuracy, Validation-Loss, Validation-Accuracy;
// the final summary of a sampling run gives samples and
// Validation-Accuracy (the best reward). Other events give nothing.
func KatibLines(ev search.Event) string {
	const f = "%s=%.6g\n"
	switch ev.Kind {
	case search.KindEpoch:
		return fmt.Sprintf("epoch=%d\n"+f+f+f+f, ev.Epoch, "Train-Loss", ev.TrainLoss, "Train-Accuracy", ev.TrainAcc,
			"Validation-Loss", ev.ValLoss, "Validation-Accuracy", ev.ValAcc)
	case search.KindDone:
		return fmt.Sprintf("samples=%d\n"+f, ev.Step, "Validation-Accuracy", ev.Best)
	}
	return ""
}
