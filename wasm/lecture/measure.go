package lecture

import (
	"fmt"
	"time"

	"github.com/nasplayground/nas/core/nb201"
	"github.com/nasplayground/nas/core/search"
)

// Measured is one row the page measures itself: the mean (± std over runs)
// of the best NAS-Bench-201 CIFAR-10 test accuracy each run found.
type Measured struct {
	Method     string // nb201.Methods name
	Mean, Std  float64
	Runs, Done int // runs planned, runs finished
	Samples    int // architectures evaluated per run: the search cost, counted in table look-ups
}

// Runs steps nb201.Compare's searchers a time budget at a time (a frame's
// worth in the page), one run of every method after another, and keeps each
// finished run's best accuracy: when every run is done, the rows equal what
// nb201.Compare returns for the same configuration.
type Runs struct {
	cfg     nb201.CompareConfig
	eval    nb201.Evaluator
	methods []string
	best    [][]float64 // per method, per finished run
	m, r    int         // current method, run
	cur     search.Searcher
	last    float64 // best reward of the current run so far
}

// NewRuns prepares cfg.Repeats runs of cfg.Samples samples of every method of nb201.Methods.
func NewRuns(cfg nb201.CompareConfig) (*Runs, error) {
	if cfg.Samples < 1 || cfg.Repeats < 1 {
		return nil, fmt.Errorf("lecture: %d samples × %d runs, want ≥ 1 each", cfg.Samples, cfg.Repeats)
	}
	tab, err := nb201.Load()
	if err != nil {
		return nil, err
	}
	if cfg.Dataset == "" {
		cfg.Dataset = "cifar10"
	}
	ms := cfg.Methods
	if len(ms) == 0 {
		ms = nb201.Methods
	}
	return &Runs{cfg: cfg, eval: nb201.Evaluator{Table: tab, Dataset: cfg.Dataset}, methods: ms, best: make([][]float64, len(ms))}, nil
}

// Finished reports whether every run is done.
func (r *Runs) Finished() bool { return r.r >= r.cfg.Repeats }

// Advance steps until budget has passed (at least one step) or all runs are done.
func (r *Runs) Advance(budget time.Duration) error {
	t0 := time.Now()
	for !r.Finished() {
		if r.cur == nil {
			s, err := nb201.NewSearcher(r.methods[r.m], r.cfg, r.eval, r.cfg.Seed+uint64(r.r))
			if err != nil {
				return err
			}
			r.cur = s
		}
		for !r.cur.Done() {
			ev, err := r.cur.Step()
			if err != nil {
				return fmt.Errorf("lecture: %s run %d: %w", r.methods[r.m], r.r, err)
			}
			r.last = ev.Best
			if time.Since(t0) >= budget && !r.cur.Done() {
				return nil
			}
		}
		r.best[r.m] = append(r.best[r.m], r.last)
		r.cur = nil
		if r.m++; r.m == len(r.methods) { // run r of every method, then run r+1: all rows fill together
			r.m, r.r = 0, r.r+1
		}
	}
	return nil
}

// Rows returns one row per method with the runs finished so far.
func (r *Runs) Rows() []Measured {
	out := make([]Measured, len(r.methods))
	for i, m := range r.methods {
		out[i] = Measured{Method: m, Runs: r.cfg.Repeats, Done: len(r.best[i]), Samples: r.cfg.Samples}
		if len(r.best[i]) > 0 {
			out[i].Mean, out[i].Std = nb201.MeanStd(r.best[i])
		}
	}
	return out
}
