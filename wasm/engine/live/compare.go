package live

import (
	"fmt"

	"github.com/nasplayground/nas/core/nb201"
	"github.com/nasplayground/nas/core/search"
	"github.com/nasplayground/nas/core/search/evolution"
	"github.com/nasplayground/nas/core/search/random"
	"github.com/nasplayground/nas/core/search/rl"
	"github.com/nasplayground/nas/wasm/protocol"
)

// Method is the method name of Compare's events.
const Method = "compare"

// Compare runs Repeats searches of Samples samples for each of nb201.Methods,
// repeat after repeat. Within a repeat the methods take turns, one sample per
// Step, so their curves grow together. Run r of every method uses seed Seed+r
// and the strategies' default configs (REINFORCE with LR when set), exactly as
// nb201.Compare does, so the finished curves are nb201.Compare's.
type Compare struct {
	Eval             nb201.Evaluator
	Seed             uint64
	LR               float64 // REINFORCE Adam learning rate; 0 = rl.DefaultConfig's
	Repeats, Samples int

	rep  int               // current repeat
	runs []search.Searcher // current repeat, one per method
	best [][][]float64     // [method][repeat] best-so-far after each sample
	step int
}

// NewCompare returns a comparison on eval's table; it errors on a bad budget.
func NewCompare(eval nb201.Evaluator, seed uint64, lr float64, repeats, samples int) (*Compare, error) {
	if repeats < 1 || samples < 1 {
		return nil, fmt.Errorf("live: repeats %d, samples %d, want >= 1", repeats, samples)
	}
	c := &Compare{Eval: eval, Seed: seed, LR: lr, Repeats: repeats, Samples: samples,
		best: make([][][]float64, len(nb201.Methods))}
	return c, c.newRepeat()
}

func (c *Compare) newRepeat() error {
	seed := c.Seed + uint64(c.rep)
	c.runs = c.runs[:0]
	for m, name := range nb201.Methods {
		var s search.Searcher
		switch name {
		case random.Method:
			s = random.New(nb201.Space{}, c.Eval, c.Samples, seed)
		case evolution.Method:
			e, err := evolution.New(nb201.Space{}, c.Eval, evolution.DefaultConfig(c.Samples, seed))
			if err != nil {
				return err
			}
			s = e
		case rl.Method:
			cfg := rl.DefaultConfig(c.Samples, seed)
			if c.LR > 0 {
				cfg.LR = c.LR
			}
			s = rl.New(nb201.Space{}, c.Eval, cfg)
		default:
			return fmt.Errorf("live: method %q has no searcher", name)
		}
		c.runs = append(c.runs, s)
		c.best[m] = append(c.best[m], make([]float64, 0, c.Samples))
	}
	return nil
}

// Done implements search.Searcher: every repeat of every method is finished.
func (c *Compare) Done() bool { return c.rep >= c.Repeats }

// Step evaluates one sample of the method whose turn it is and returns its
// event, relabelled: Method "compare", Step the global sample count, Epoch
// the repeat.
func (c *Compare) Step() (search.Event, error) {
	if c.Done() {
		return search.Event{}, fmt.Errorf("live: comparison of %d repeats × %d samples is finished", c.Repeats, c.Samples)
	}
	m := c.step % len(c.runs)
	ev, err := c.runs[m].Step()
	if err != nil {
		return ev, fmt.Errorf("live: %s repeat %d: %w", nb201.Methods[m], c.rep, err)
	}
	c.best[m][c.rep] = append(c.best[m][c.rep], ev.Best)
	c.step++
	if m == len(c.runs)-1 && c.runs[m].Done() {
		c.rep++
		if !c.Done() {
			if err := c.newRepeat(); err != nil {
				return ev, err
			}
		}
	}
	ev.Method, ev.Step, ev.Epoch = Method, c.step, c.rep
	ev.Message = "" // a strategy's note (e.g. evolution's parent) is not the comparison's
	if c.Done() {
		ev.Kind = search.KindDone
	}
	return ev, nil
}

// Snapshot implements search.Searcher.
func (c *Compare) Snapshot() search.Snapshot {
	return search.Snapshot{Method: Method, Space: "nb201", Step: c.step, Epoch: c.rep, Running: !c.Done()}
}

// Curves returns, per method, the mean best-so-far accuracy after each sample
// count over the runs that reached it (finished repeats and the running one),
// at up to points positions plus the last. Final and Std are the mean and
// population standard deviation over finished runs; Trials counts them. Once
// Done, the curve is nb201.Compare's CurveMean, which never decreases (during
// a repeat a sample count the running run has reached averages one run more
// than the next, so the mean can dip there).
func (c *Compare) Curves(points int) []protocol.Curve {
	every := max(1, c.Samples/max(1, points))
	out := make([]protocol.Curve, 0, len(nb201.Methods))
	for m, name := range nb201.Methods {
		runs := c.best[m]
		cv := protocol.Curve{Method: name, Cost: c.Samples}
		var finals []float64
		for _, r := range runs {
			if len(r) == c.Samples {
				finals = append(finals, r[c.Samples-1])
			}
		}
		cv.Trials = len(finals)
		if len(finals) > 0 {
			cv.Final, cv.Std = nb201.MeanStd(finals)
		}
		for i := range c.Samples {
			sum, n := 0.0, 0
			for _, r := range runs {
				if i < len(r) {
					sum, n = sum+r[i], n+1
				}
			}
			if n == 0 {
				break
			}
			if i%every == 0 || i == c.Samples-1 {
				cv.X, cv.Y = append(cv.X, i+1), append(cv.Y, sum/float64(n))
			}
		}
		out = append(out, cv)
	}
	return out
}
