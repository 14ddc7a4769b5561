package lecture

import (
	"github.com/nasplayground/nas/core/nb201"
	"github.com/nasplayground/nas/core/run"
)

// Sample is one REINFORCE step as the lecture shows it: the controller's
// distributions and choices, the reward R (NAS-Bench-201 CIFAR-10 test
// accuracy, percent), the baseline b the advantage used, and log p(a) of the
// sampled cell before and after the update.
type Sample struct {
	N             int // 1-based sample number
	Probs         [][]float64
	Choices       []int
	Arch          string
	Reward        float64
	Baseline      float64 // b before this sample's update (the first sample sets b = R)
	LogP, LogPNew float64 // Σ_t log p(a_t) before and after the Adam step
}

// Advantage returns R − b.
func (s Sample) Advantage() float64 { return s.Reward - s.Baseline }

// ControllerDemo drives core's REINFORCE searcher (run.Controller) on the
// NAS-Bench-201 table, one sample at a time, and reveals the sample's
// decisions one by one as the controller emits them.
type ControllerDemo struct {
	s       run.Controller
	best    float64 // best reward so far, and its cell
	bestArc string
	last    Sample
	history []float64 // rewards
	base    []float64 // baselines after each update
	// Shown is how many of the current sample's decisions are on screen.
	Shown float64
	// Labels name the decisions ("edge 0→1 op") and the ops.
	Edges, Ops []string
}

// DemoLR is the controller's Adam learning rate in the lecture: 10× slower
// than the RL scene's 3e-3 so the distribution moves over a few dozen
// samples instead of collapsing in the first ones, faster than rl's tuned
// 3.5e-4 so it moves at all while a class watches.
const DemoLR = 1e-3

// NewControllerDemo returns a demo seeded with seed.
func NewControllerDemo(seed uint64) (*ControllerDemo, error) {
	s, err := run.NewController(1<<30, DemoLR, seed)
	if err != nil {
		return nil, err
	}
	sp := nb201.Space{}
	d := &ControllerDemo{s: s, Ops: sp.ChoiceLabels(0), Edges: sp.DecisionLabels()}
	return d, nil
}

// Step samples and evaluates one cell and updates the controller.
func (d *ControllerDemo) Step() (Sample, error) {
	b := d.s.Baseline()
	ev, err := d.s.Step()
	if err != nil {
		return Sample{}, err
	}
	if ev.Step == 1 {
		b = ev.Reward
	}
	d.last = Sample{N: ev.Step, Probs: ev.Probs, Choices: ev.Choices, Arch: ev.Arch, Reward: ev.Reward,
		Baseline: b, LogP: ev.LogProb, LogPNew: d.s.LogProb(ev.Choices)}
	d.best, d.bestArc = ev.Best, ev.BestArch
	d.history = append(d.history, ev.Reward)
	d.base = append(d.base, ev.Baseline)
	d.Shown = 0
	return d.last, nil
}

// Last returns the latest sample (zero before the first Step).
func (d *ControllerDemo) Last() Sample { return d.last }

// Rewards returns the rewards so far, oldest first (shared, do not edit).
func (d *ControllerDemo) Rewards() []float64 { return d.history }

// Baselines returns the baseline after each update, oldest first (shared, do not edit).
func (d *ControllerDemo) Baselines() []float64 { return d.base }

// Best returns the best reward so far and its cell.
func (d *ControllerDemo) Best() (float64, string) { return d.best, d.bestArc }

// Baseline returns the baseline after the latest update.
func (d *ControllerDemo) Baseline() float64 { return d.s.Baseline() }
