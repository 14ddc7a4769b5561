package lecture

import (
	"fmt"
	"time"

	"github.com/nasplayground/nas/core/run"
)

// Measured is one row the page measures itself: the mean (± std over runs)
// of the best NAS-Bench-201 CIFAR-10 test accuracy each run found.
type Measured struct {
	Method     string // run.CompareMethods name
	Mean, Std  float64
	Runs, Done int // runs planned, runs finished
	Samples    int // architectures evaluated per run: the search cost, counted in table look-ups
}

// Runs steps the run layer's NB201 comparison (run.Compare, interleaved: the
// methods take turns within a repeat, so every row fills together) a time
// budget at a time — a frame's worth in the page. When every run is done the
// rows equal run.CompareResults for the same configuration.
type Runs struct {
	c       *run.Compare
	samples int
	repeats int
}

// NewRuns prepares repeats runs of samples samples of every method of
// run.CompareMethods on the NAS-Bench-201 CIFAR-10 table, seeds seed+r.
func NewRuns(samples, repeats int, seed uint64) (*Runs, error) {
	if samples < 1 || repeats < 1 {
		return nil, fmt.Errorf("lecture: %d samples × %d runs, want ≥ 1 each", samples, repeats)
	}
	c, err := run.NewCompare(CompareConfig(samples, repeats, seed))
	if err != nil {
		return nil, err
	}
	return &Runs{c: c, samples: samples, repeats: repeats}, nil
}

// CompareConfig is the run layer's configuration of the lecture's comparison.
func CompareConfig(samples, repeats int, seed uint64) run.Config {
	cfg := run.DefaultConfig()
	cfg.Method, cfg.Space, cfg.Dataset, cfg.Seed = run.CompareMethod, run.SpaceNB201, "cifar10", seed
	cfg.Sampling.Samples, cfg.Sampling.Repeats, cfg.Sampling.Interleave = samples, repeats, true
	return cfg
}

// Finished reports whether every run is done.
func (r *Runs) Finished() bool { return r.c.Done() }

// Advance steps until budget has passed (at least one step) or all runs are done.
func (r *Runs) Advance(budget time.Duration) error {
	t0 := time.Now()
	for !r.c.Done() {
		if _, err := r.c.Step(); err != nil {
			return fmt.Errorf("lecture: %w", err)
		}
		if time.Since(t0) >= budget {
			return nil
		}
	}
	return nil
}

// Rows returns one row per method with the runs finished so far.
func (r *Runs) Rows() []Measured {
	cs := r.c.Curves(1)
	out := make([]Measured, len(cs))
	for i, cv := range cs {
		out[i] = Measured{Method: cv.Method, Runs: r.repeats, Done: cv.Trials, Samples: r.samples}
		if cv.Trials > 0 {
			out[i].Mean, out[i].Std = cv.Final, cv.Std
		}
	}
	return out
}
