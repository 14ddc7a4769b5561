package run

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/nasplayground/nas/core/nb201"
	"github.com/nasplayground/nas/core/search"
	"github.com/nasplayground/nas/core/search/evolution"
	"github.com/nasplayground/nas/core/search/pnas"
	"github.com/nasplayground/nas/core/search/random"
	"github.com/nasplayground/nas/core/search/rl"
	"github.com/nasplayground/nas/core/state"
)

// CompareMethod is the method name of NB201 comparisons.
const CompareMethod = "compare"

// CompareMethods are the strategies a comparison runs, in table order.
var CompareMethods = []string{random.Method, evolution.Method, rl.Method, pnas.Method}

// Compare runs Sampling.Repeats searches of Sampling.Samples samples for
// each of Sampling.Methods on the NAS-Bench-201 table (run r of every method
// seeded Seed+r, the strategies' default configurations but for the
// Sampling fields), one sample per Step. Sequential (the CLI) runs method
// after method, repeat after repeat; Interleaved (the page) lets the methods
// take turns within a repeat so their curves grow together. The curves do not
// depend on the order.
type Compare struct {
	cfg     Config
	methods []string
	// Interleaved lets the methods take turns sample by sample.
	Interleaved bool
	// Label, when set, replaces the strategies' method name in events (the
	// page shows one "compare" stream) and Step counts all samples.
	Label string

	pos     int               // sequential: method·Repeats + repeat; interleaved: repeat
	runs    []search.Searcher // the searchers of pos
	turn    int               // interleaved: whose turn
	best    [][][]float64     // [method][repeat] best-so-far after each sample
	tau     [][]float64       // [method] surrogate τ of each finished run (pnas)
	step    int
	started time.Time
	prev    float64
}

func newCompare(cfg Config, _ Data) (search.Searcher, error) { return NewCompare(cfg) }

// NewCompare returns a comparison for cfg (Method compare, Space nb201);
// with cfg.Sampling.Interleave it is Interleaved and labelled "compare".
func NewCompare(cfg Config) (*Compare, error) {
	sc := cfg.Sampling
	if sc.Samples < 1 || sc.Repeats < 1 {
		return nil, fmt.Errorf("compare: samples %d, repeats %d, want >= 1", sc.Samples, sc.Repeats)
	}
	methods := sc.Methods
	if len(methods) == 0 {
		methods = CompareMethods
	}
	for _, m := range methods {
		if !slices.Contains(CompareMethods, m) {
			return nil, fmt.Errorf("compare: method %q, want %s", m, strings.Join(CompareMethods, ", "))
		}
	}
	c := &Compare{cfg: cfg, methods: methods, Interleaved: sc.Interleave, best: make([][][]float64, len(methods)),
		tau: make([][]float64, len(methods)), started: time.Now()}
	if sc.Interleave {
		c.Label = CompareMethod
	}
	for m := range c.best {
		c.best[m] = make([][]float64, sc.Repeats)
	}
	return c, c.open()
}

// open builds the searchers of the current position.
func (c *Compare) open() error {
	c.runs, c.turn = c.runs[:0], 0
	for _, m := range c.current() {
		s, err := nb201Sampler(c.methods[m], c.cfg.Sampling, c.cfg.Dataset, c.cfg.Seed+uint64(c.repeat()))
		if err != nil {
			return fmt.Errorf("compare: %w", err)
		}
		c.runs = append(c.runs, s)
	}
	return nil
}

// current returns the method indices running at the current position.
func (c *Compare) current() []int {
	if !c.Interleaved {
		return []int{c.pos / c.cfg.Sampling.Repeats}
	}
	idx := make([]int, len(c.methods))
	for i := range idx {
		idx[i] = i
	}
	return idx
}

func (c *Compare) repeat() int {
	if c.Interleaved {
		return c.pos
	}
	return c.pos % c.cfg.Sampling.Repeats
}

func (c *Compare) positions() int {
	if c.Interleaved {
		return c.cfg.Sampling.Repeats
	}
	return len(c.methods) * c.cfg.Sampling.Repeats
}

// Total returns the samples of the whole comparison.
func (c *Compare) Total() int {
	return len(c.methods) * c.cfg.Sampling.Repeats * c.cfg.Sampling.Samples
}

// Done implements search.Searcher.
func (c *Compare) Done() bool { return c.pos >= c.positions() }

// Elapsed returns the seconds the comparison ran (across resumes).
func (c *Compare) Elapsed() float64 { return c.prev + time.Since(c.started).Seconds() }

// Step evaluates one sample of the method whose turn it is. Its event keeps
// the strategy's fields with Epoch = the repeat and Elapsed the comparison's.
func (c *Compare) Step() (search.Event, error) {
	if c.Done() {
		return search.Event{}, fmt.Errorf("compare: %d repeats × %d samples are finished", c.cfg.Sampling.Repeats, c.cfg.Sampling.Samples)
	}
	k := c.turn
	m, r := c.current()[k], c.repeat()
	ev, err := c.runs[k].Step()
	if err != nil {
		return ev, fmt.Errorf("compare: %s repeat %d: %w", c.methods[m], r, err)
	}
	c.best[m][r] = append(c.best[m][r], ev.Best)
	if t, ok := c.runs[k].(interface{ Tau() (float64, int) }); ok && c.runs[k].Done() {
		tau, _ := t.Tau()
		c.tau[m] = append(c.tau[m], tau)
	}
	c.step++
	c.turn = (c.turn + 1) % len(c.runs)
	if c.turn == 0 && c.runs[len(c.runs)-1].Done() {
		c.pos++
		if !c.Done() {
			if err := c.open(); err != nil {
				return ev, err
			}
		}
	}
	ev.Epoch, ev.Elapsed = r, c.Elapsed()
	if c.Label != "" {
		ev.Method, ev.Step, ev.Message = c.Label, c.step, ""
	}
	if c.Done() && c.Label != "" {
		ev.Kind = search.KindDone
	}
	return ev, nil
}

// Snapshot implements search.Searcher.
func (c *Compare) Snapshot() search.Snapshot {
	return search.Snapshot{Method: CompareMethod, Space: SpaceNB201, Step: c.step, Epoch: c.repeat(), Running: !c.Done()}
}

// Results returns one nb201.Result per method of the finished runs, in
// method order: the best-so-far curve's mean and population standard
// deviation over repeats after each sample.
func (c *Compare) Results() []nb201.Result {
	sc := c.cfg.Sampling
	var out []nb201.Result
	for m, name := range c.methods {
		res := nb201.Result{Method: name, Samples: sc.Samples, Repeats: sc.Repeats, Dataset: c.cfg.Dataset,
			CurveMean: make([]float64, sc.Samples), CurveStd: make([]float64, sc.Samples)}
		col := make([]float64, 0, sc.Repeats)
		for i := range sc.Samples {
			col = col[:0]
			for _, run := range c.best[m] {
				if i < len(run) {
					col = append(col, run[i])
				}
			}
			if len(col) > 0 {
				res.CurveMean[i], res.CurveStd[i] = nb201.MeanStd(col)
			}
		}
		res.BestMean, res.BestStd = res.CurveMean[sc.Samples-1], res.CurveStd[sc.Samples-1]
		if len(c.tau[m]) > 0 {
			res.Tau, _ = nb201.MeanStd(c.tau[m])
			res.HasTau = true
		}
		out = append(out, res)
	}
	return out
}

// Curve is a mean best-so-far curve over repeats: Y[i] after X[i] samples.
type Curve struct {
	Method string
	X      []int
	Y      []float64
	Final  float64 // mean best reward of the finished runs
	Std    float64 // its population standard deviation
	Cost   int     // samples per run
	Trials int     // finished runs
}

// Curves returns, per method, the mean best-so-far accuracy after each sample
// count over the runs that reached it, at up to points positions plus the
// last. Once Done, Y is Results' CurveMean, which never decreases.
func (c *Compare) Curves(points int) []Curve {
	n := c.cfg.Sampling.Samples
	every := max(1, n/max(1, points))
	out := make([]Curve, 0, len(c.methods))
	for m, name := range c.methods {
		cv := Curve{Method: name, Cost: n}
		var finals []float64
		for _, r := range c.best[m] {
			if len(r) == n {
				finals = append(finals, r[n-1])
			}
		}
		cv.Trials = len(finals)
		if len(finals) > 0 {
			cv.Final, cv.Std = nb201.MeanStd(finals)
		}
		for i := range n {
			sum, k := 0.0, 0
			for _, r := range c.best[m] {
				if i < len(r) {
					sum, k = sum+r[i], k+1
				}
			}
			if k == 0 {
				break
			}
			if i%every == 0 || i == n-1 {
				cv.X, cv.Y = append(cv.X, i+1), append(cv.Y, sum/float64(k))
			}
		}
		out = append(out, cv)
	}
	return out
}

// compareState is the checkpoint of a Compare.
type compareState struct {
	Pos, Turn, Step int
	Best            [][][]float64
	Tau             [][]float64
	Runs            [][]byte
	Elapsed         float64
}

// MarshalBinary saves the curves so far and the running searchers.
func (c *Compare) MarshalBinary() ([]byte, error) {
	st := compareState{Pos: c.pos, Turn: c.turn, Step: c.step, Best: c.best, Tau: c.tau, Elapsed: c.Elapsed()}
	if !c.Done() {
		for _, s := range c.runs {
			b, err := marshal(s)
			if err != nil {
				return nil, err
			}
			st.Runs = append(st.Runs, b)
		}
	}
	return state.Encode(st)
}

// UnmarshalBinary restores a state saved by MarshalBinary into a Compare
// made by NewCompare with the same configuration.
func (c *Compare) UnmarshalBinary(b []byte) error {
	var st compareState
	if err := state.Decode(b, "compare", &st); err != nil {
		return err
	}
	if len(st.Best) != len(c.methods) || st.Pos < 0 || st.Pos > c.positions() {
		return fmt.Errorf("compare: state of %d methods at position %d, this comparison has %d methods and %d positions",
			len(st.Best), st.Pos, len(c.methods), c.positions())
	}
	c.pos, c.step, c.best = st.Pos, st.Step, st.Best
	if len(st.Tau) == len(c.methods) {
		c.tau = st.Tau
	}
	c.prev, c.started = st.Elapsed, time.Now()
	if c.Done() {
		return nil
	}
	if err := c.open(); err != nil {
		return err
	}
	if len(st.Runs) != len(c.runs) || st.Turn < 0 || st.Turn >= len(c.runs) {
		return fmt.Errorf("compare: state has %d running searchers (turn %d), want %d", len(st.Runs), st.Turn, len(c.runs))
	}
	for i, s := range c.runs {
		if err := unmarshal(s, st.Runs[i]); err != nil {
			return err
		}
	}
	c.turn = st.Turn
	return nil
}

// CompareResults runs a whole comparison and returns its Results (tests,
// plots; the CLI drives a Compare with Drive for checkpoints and events).
func CompareResults(cfg Config) ([]nb201.Result, error) {
	cfg.Method, cfg.Space = CompareMethod, SpaceNB201
	c, err := NewCompare(cfg)
	if err != nil {
		return nil, err
	}
	for !c.Done() {
		if _, err := c.Step(); err != nil {
			return nil, err
		}
	}
	return c.Results(), nil
}
