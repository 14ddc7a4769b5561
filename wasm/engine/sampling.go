//go:build js && wasm

package main

import (
	"fmt"

	"github.com/nasplayground/nas/assets/demo"
	"github.com/nasplayground/nas/core/nb201"
	"github.com/nasplayground/nas/core/nn"
	"github.com/nasplayground/nas/core/search"
	"github.com/nasplayground/nas/core/search/enas"
	"github.com/nasplayground/nas/core/search/evolution"
	"github.com/nasplayground/nas/core/search/random"
	"github.com/nasplayground/nas/core/search/rl"
	"github.com/nasplayground/nas/core/search/sample"
	"github.com/nasplayground/nas/wasm/protocol"
)

// rlBudget is the RL scene's sample budget: effectively open-ended at the
// scene's pace of a few samples per second.
const rlBudget = 1_000_000

// enasBudget is the ENAS variant's sample budget, the horizon of its shared
// weights' cosine learning rate: ~20 minutes at the page's pace.
const enasBudget = 10_000

// newSampling builds the RL scene's searcher from core: on the NAS-Bench-201
// table (CIFAR-10 test accuracy in percent as the reward), or ENAS on the
// demo set.
func (e *engine) newSampling(c protocol.Command) (search.Searcher, sample.Space, error) {
	space, eval := nb201.Space{}, nb201.Evaluator{Table: e.nb, Dataset: "cifar10"}
	switch c.Method {
	case rl.Method:
		cfg := rl.DefaultConfig(rlBudget, c.Seed)
		// The page's default controller lr is 3e-3 (its -/+ ladder); with the
		// core's β = 1e-4 the controller collapsed to p ≈ 1 within ~250 samples
		// (seconds). β = 0.5 keeps max p at 0.57 after 250, 0.64 after 1000 and
		// 0.79 after 3000 samples while still finding the table's optimum
		// (94.37%) by 1000 (wasm/ui rlpick_test.go, -tags settle).
		cfg.EntropyWeight = 0.5
		if c.CtrlLR > 0 {
			cfg.LR = c.CtrlLR
		}
		return rl.New(space, eval, cfg), space, nil
	case enas.Method:
		s, err := newENAS(c)
		if err != nil {
			return nil, nil, err
		}
		return s, s.Shared.Space, nil
	case evolution.Method:
		s, err := evolution.New(space, eval, evolution.DefaultConfig(rlBudget, c.Seed))
		return s, space, err
	case random.Method:
		return random.New(space, eval, rlBudget, c.Seed), space, nil
	}
	return nil, nil, fmt.Errorf("engine: method %q, want one of %v", c.Method, protocol.RLMethods)
}

// labelsOf returns sp's decision and choice names for the page.
func labelsOf(sp sample.Space) *protocol.Labels {
	l := &protocol.Labels{Decisions: sp.DecisionLabels()}
	for d := range sp.Decisions() {
		l.Choices = append(l.Choices, sp.ChoiceLabels(d))
	}
	return l
}

// newENAS builds ENAS (core/search/enas) over the DARTS micro space on the
// demo set, as small as the page's DARTS: C = 4, 3 layers, batch 16, no
// augmentation, one kernel thread. One Step is one controller sample, one
// shared-weight minibatch and one validation minibatch (the reward).
func newENAS(c protocol.Command) (*enas.Searcher, error) {
	train, err := demo.Train()
	if err != nil {
		return nil, err
	}
	nn.SetThreads(1)
	cfg := enas.DefaultConfig(enasBudget, c.Seed)
	cfg.Child.C, cfg.Child.Layers, cfg.Child.Batch, cfg.Child.Augment = 4, 3, 16, false
	if c.LR > 0 {
		cfg.Child.LR = c.LR
	}
	if c.CtrlLR > 0 {
		cfg.RL.LR = c.CtrlLR
	}
	return enas.New(cfg, train)
}
