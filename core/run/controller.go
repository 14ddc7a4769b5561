package run

import (
	"github.com/nasplayground/nas/core/nb201"
	"github.com/nasplayground/nas/core/search"
	"github.com/nasplayground/nas/core/search/rl"
)

// Controller is REINFORCE on the NAS-Bench-201 table as a view steps it: one
// sample per Step, the baseline before the next update, and the controller's
// log p of a sample after the update (what the lecture shows beside the
// sample's log p before it). Best and BestArch come with each Event.
type Controller interface {
	search.Searcher
	Baseline() float64
	LogProb(choices []int) float64
}

// NewController returns REINFORCE on the NAS-Bench-201 CIFAR-10 table with
// the controller's Adam learning rate lr (0: rl's default), seeded with seed,
// for samples samples.
func NewController(samples int, lr float64, seed uint64) (Controller, error) {
	tab, err := Table()
	if err != nil {
		return nil, err
	}
	cfg := rl.DefaultConfig(samples, seed)
	if lr > 0 {
		cfg.LR = lr
	}
	return rl.New(nb201.Space{}, nb201.Evaluator{Table: tab, Dataset: "cifar10"}, cfg), nil
}
