package bench201

import (
	"math"

	"github.com/nasplayground/nas/core/search"
	"github.com/nasplayground/nas/wasm/protocol"
)

// CompareMethods are the strategies of the compare scene.
var CompareMethods = []string{"random", "reinforce", "evolution"}

// Compare runs Repeats searches of Samples samples per method, all methods in
// lock step, and averages best-so-far curves: the NAS-Bench-201 paper's Fig. 6
// style comparison, live.
type Compare struct {
	tab              *Table
	seed             uint64
	Repeats, Samples int

	rep  int         // current repeat
	runs []*Search   // one per method, current repeat
	sum  [][]float64 // [method][sample] Σ best over finished repeats plus the current one
	fin  [][]float64 // [method][repeat] final best
	step int
}

// NewCompare returns a comparison over t.
func NewCompare(t *Table, seed uint64, repeats, samples int) *Compare {
	c := &Compare{tab: t, seed: seed, Repeats: repeats, Samples: samples}
	c.sum = make([][]float64, len(CompareMethods))
	c.fin = make([][]float64, len(CompareMethods))
	for m := range c.sum {
		c.sum[m] = make([]float64, samples)
	}
	c.newRepeat()
	return c
}

func (c *Compare) newRepeat() {
	c.runs = c.runs[:0]
	for m, name := range CompareMethods {
		s, _ := New(Config{Method: name, Seed: c.seed*1000 + uint64(c.rep)*10 + uint64(m), Samples: c.Samples}, c.tab) // names are valid
		c.runs = append(c.runs, s)
	}
}

// Done implements search.Searcher.
func (c *Compare) Done() bool { return c.rep >= c.Repeats }

// Step evaluates one sample for every method and returns the REINFORCE event.
func (c *Compare) Step() (search.Event, error) {
	c.step++
	var out search.Event
	for m, s := range c.runs {
		ev, err := s.Step()
		if err != nil {
			return ev, err
		}
		c.sum[m][ev.Step-1] += ev.Best
		if m == 1 {
			out = ev
		}
		if s.Done() {
			c.fin[m] = append(c.fin[m], ev.Best)
		}
	}
	if c.runs[0].Done() {
		c.rep++
		if !c.Done() {
			c.newRepeat()
		}
	}
	out.Method, out.Step, out.Epoch, out.Kind = "compare", c.step, c.rep, search.KindSample
	if c.Done() {
		out.Kind = search.KindDone
	}
	return out, nil
}

// Snapshot implements search.Searcher.
func (c *Compare) Snapshot() search.Snapshot {
	return search.Snapshot{Method: "compare", Space: "nb201", Step: c.step, Epoch: c.rep, Running: !c.Done()}
}

// Curves returns the mean best-so-far accuracy per method over the repeats
// done so far (the current repeat counts up to the sample it reached), sampled
// at up to points positions.
func (c *Compare) Curves(points int) []protocol.Curve {
	var out []protocol.Curve
	for m, name := range CompareMethods {
		cur := 0
		if !c.Done() {
			cur = c.runs[m].step
		}
		cv := protocol.Curve{Method: name, Cost: c.Samples, Trials: len(c.fin[m])}
		for i := range c.Samples {
			n := c.rep
			if i < cur {
				n++
			}
			if n == 0 {
				break
			}
			if i%max(1, c.Samples/points) == 0 || i == c.Samples-1 {
				cv.X = append(cv.X, i+1)
				cv.Y = append(cv.Y, c.sum[m][i]/float64(n))
			}
		}
		if k := len(c.fin[m]); k > 0 {
			mean := 0.0
			for _, v := range c.fin[m] {
				mean += v
			}
			mean /= float64(k)
			v := 0.0
			for _, x := range c.fin[m] {
				v += (x - mean) * (x - mean)
			}
			cv.Final, cv.Std = mean, math.Sqrt(v/float64(k))
		}
		out = append(out, cv)
	}
	return out
}
