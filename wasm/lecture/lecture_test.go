package lecture_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/genotype"
	"github.com/nasplayground/nas/core/nb201"
	"github.com/nasplayground/nas/core/run"
	"github.com/nasplayground/nas/wasm/i18n"
	"github.com/nasplayground/nas/wasm/lecture"
	"github.com/nasplayground/nas/wasm/protocol"
)

func TestStepsHaveTheirTexts(t *testing.T) {
	require.Len(t, lecture.Steps, protocol.LectureSteps, "the URL's step range is the lecture's")
	seen := map[lecture.Widget]bool{}
	for i, s := range lecture.Steps {
		assert.False(t, seen[s.Widget], "step %d repeats widget %s", i+1, s.Widget)
		seen[s.Widget] = true
		parts := []string{"title", "text"}
		if s.Formula {
			parts = append(parts, "formula")
		}
		for _, lang := range i18n.Languages {
			for _, p := range parts {
				v := i18n.T(lang, lecture.Key(i, p))
				assert.False(t, strings.HasPrefix(v, "["), "step %d has no %s in %s", i+1, p, lang)
			}
			if lang != "en" {
				assert.NotEqual(t, i18n.T("en", lecture.Key(i, "text")), i18n.T(lang, lecture.Key(i, "text")), "step %d text translated", i+1)
			}
		}
	}
	assert.Equal(t, 0, lecture.Clamp(-3))
	assert.Equal(t, len(lecture.Steps)-1, lecture.Clamp(99))
}

// Stepped a budget at a time with the methods taking turns, the runs give
// what core/run's comparison gives run after run.
func TestRunsMatchCompare(t *testing.T) {
	r, err := lecture.NewRuns(20, 2, 5)
	require.NoError(t, err)
	for !r.Finished() {
		require.NoError(t, r.Advance(time.Nanosecond))
	}
	cfg := run.DefaultConfig()
	cfg.Method, cfg.Space, cfg.Dataset, cfg.Seed = run.CompareMethod, "nb201", "cifar10", 5
	cfg.Sampling.Samples, cfg.Sampling.Repeats = 20, 2
	c, err := run.NewCompare(cfg)
	require.NoError(t, err)
	for !c.Done() {
		_, err := c.Step()
		require.NoError(t, err)
	}
	want := c.Results()
	rows := r.Rows()
	require.Len(t, rows, len(want))
	for i, w := range want {
		assert.Equal(t, w.Method, rows[i].Method)
		assert.Equal(t, 2, rows[i].Done)
		assert.InDelta(t, w.BestMean, rows[i].Mean, 1e-9, w.Method)
		assert.InDelta(t, w.BestStd, rows[i].Std, 1e-9, w.Method)
	}
	_, err = lecture.NewRuns(0, 1, 1)
	assert.Error(t, err)
}

// What the controller widget shows is what the core controller did: log p(a)
// is the sum of the logs of the drawn decisions' probabilities, the reward
// is the table's accuracy of the sampled cell, the baseline is the previous
// update's, and b starts at the first reward.
func TestControllerDemo(t *testing.T) {
	d, err := lecture.NewControllerDemo(3)
	require.NoError(t, err)
	tab, err := nb201.Load()
	require.NoError(t, err)
	require.Len(t, d.Edges, 6)
	require.Len(t, d.Ops, 5)
	for n := 1; n <= 20; n++ {
		s, err := d.Step()
		require.NoError(t, err)
		require.Equal(t, n, s.N)
		lp := 0.0
		for t2, c := range s.Choices {
			p := s.Probs[t2]
			sum := 0.0
			for _, v := range p {
				sum += v
			}
			assert.InDelta(t, 1, sum, 1e-9, "decision %d is a distribution", t2)
			lp += math.Log(p[c])
		}
		assert.InDelta(t, lp, s.LogP, 1e-9)
		a, err := nb201.Parse(s.Arch)
		require.NoError(t, err)
		acc, err := tab.Accuracy(a, "cifar10")
		require.NoError(t, err)
		assert.InDelta(t, acc, s.Reward, 1e-9)
		if n == 1 {
			assert.Equal(t, s.Reward, s.Baseline, "the first sample sets b = R")
		} else {
			assert.Equal(t, d.Baselines()[n-2], s.Baseline, "b is the previous update's")
		}
		assert.Len(t, d.Rewards(), n)
	}
	best, arch := d.Best()
	assert.NotEmpty(t, arch)
	for _, r := range d.Rewards() {
		assert.LessOrEqual(t, r, best)
	}
}

// The recurrent cell's drawing runs left to right: every edge points right,
// h_t is rightmost, no two states share a place.
func TestRecurrentLayout(t *testing.T) {
	r := genotype.DARTS_RNN_V2
	ps := lecture.RecurrentNodes(r, 600, 300)
	require.Len(t, ps, len(r.Nodes)+2)
	for i, e := range r.Nodes {
		assert.Less(t, ps[e.Input][0], ps[i+1][0], "edge %d→%d points right", e.Input, i+1)
	}
	for i, p := range ps {
		assert.True(t, p[0] > 0 && p[0] < 600 && p[1] > 0 && p[1] < 300, "state %d inside the box: %v", i, p)
		if i < len(ps)-1 {
			assert.Less(t, p[0], ps[len(ps)-1][0], "h_t is rightmost")
			for j := range i {
				assert.NotEqual(t, ps[j], p, "states %d and %d overlap", j, i)
			}
		}
	}
}

func TestOps(t *testing.T) {
	ops := lecture.NASNetOps()
	assert.Len(t, ops, 13, "the NASNet space has 13 ops")
	for _, lang := range i18n.Languages { // the cell drawings label edges with the short names
		seen := map[string]bool{}
		for _, p := range ops {
			assert.NotEqual(t, genotype.None, p)
			s := i18n.Op(lang, p.String())
			assert.False(t, seen[s], "%s: short name %q is unique", lang, s)
			seen[s] = true
		}
	}
	row := []float64{0.5, 0.1, 0.3, 0.1}
	assert.Equal(t, 2, lecture.ArgMaxOp(row, []string{"none", "a", "b", "c"}, "none"), "none is never the strongest")
	assert.Equal(t, 0, lecture.ArgMaxOp(row, []string{"x", "a", "b", "c"}, "none"))
}

func TestTable1(t *testing.T) {
	require.Len(t, lecture.Table1, 7)
	by := map[string]lecture.Published{}
	for _, p := range lecture.Table1 {
		by[p.Method] = p
		assert.NotEmpty(t, p.Cite)
		assert.False(t, strings.HasPrefix(i18n.T("en", "lec.8."+p.Search), "["), p.Search)
	}
	assert.Equal(t, "2.76 ± 0.09", by["DARTS (2nd order)"].ErrText())
	assert.Equal(t, "2.65", by["NASNet-A"].ErrText())
	assert.Equal(t, "0.5", lecture.Days(by["ENAS"].GPUDays))
	assert.Equal(t, "3150", lecture.Days(by["AmoebaNet-A"].GPUDays))
}
