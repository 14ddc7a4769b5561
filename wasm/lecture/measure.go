package lecture

import (
	"time"

	"github.com/nasplayground/nas/core/run"
)

// Measured is one row the page measures itself: the mean (± std over runs)
// of the best NAS-Bench-201 CIFAR-10 test accuracy each run found.
type Measured struct {
	Method     string
	Mean, Std  float64
	Runs, Done int // runs planned, runs finished
	Samples    int // architectures evaluated per run: the search cost, counted in table look-ups
}

// Runs steps core/run's NAS-Bench-201 comparison (run.CompareMethods: random,
// evolution, REINFORCE, PNAS; the methods take turns) a time budget at a time, a frame's
// worth in the page.
type Runs struct {
	c                *run.Compare
	samples, repeats int
	steps            int
}

// The table's NB201 runs: 5 runs of 100 samples per method. A REINFORCE
// sample (H = 100 controller, forward and backward) costs milliseconds in
// wasm, so 300 × 10 like the Compare scene would take minutes of frames.
// Natively (seed 1, a loaded 2-core box, 6 s): random 93.92 ± 0.26,
// evolution 93.89 ± 0.13, REINFORCE 93.82 ± 0.17 — at this budget the three
// are within one std, which is the lesson the row teaches beside Table 1.
const (
	TableSamples = 100
	TableRuns    = 5
)

// NewRuns prepares repeats runs of samples samples of every compared method.
func NewRuns(samples, repeats int, seed uint64) (*Runs, error) {
	c, err := run.NewCompare(compareConfig(samples, repeats, seed, true))
	if err != nil {
		return nil, err
	}
	return &Runs{c: c, samples: samples, repeats: repeats}, nil
}

func compareConfig(samples, repeats int, seed uint64, interleave bool) run.Config {
	cfg := run.DefaultConfig()
	cfg.Method, cfg.Space, cfg.Dataset, cfg.Seed = run.CompareMethod, "nb201", "cifar10", seed
	cfg.Sampling.Samples, cfg.Sampling.Repeats, cfg.Sampling.Interleave = samples, repeats, interleave
	return cfg
}

// Finished reports whether every run is done.
func (r *Runs) Finished() bool { return r.c.Done() }

// Advance steps until budget has passed (at least one step) or all runs are done.
func (r *Runs) Advance(budget time.Duration) error {
	t0 := time.Now()
	for !r.c.Done() {
		if _, err := r.c.Step(); err != nil {
			return err
		}
		r.steps++
		if time.Since(t0) >= budget {
			return nil
		}
	}
	return nil
}

// Rows returns one row per method with the runs finished so far.
func (r *Runs) Rows() []Measured {
	res := r.c.Results()
	done := 0
	if len(res) > 0 {
		done = min(r.repeats, r.steps/(r.samples*len(res)))
	}
	out := make([]Measured, len(res))
	for i, x := range res {
		out[i] = Measured{Method: x.Method, Runs: r.repeats, Done: done, Samples: r.samples}
		if done > 0 {
			out[i].Mean, out[i].Std = x.BestMean, x.BestStd
		}
	}
	return out
}
