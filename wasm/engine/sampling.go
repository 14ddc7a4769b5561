//go:build js && wasm

package main

import (
	"fmt"

	"github.com/nasplayground/nas/core/nb201"
	"github.com/nasplayground/nas/core/search"
	"github.com/nasplayground/nas/core/search/evolution"
	"github.com/nasplayground/nas/core/search/random"
	"github.com/nasplayground/nas/core/search/rl"
	"github.com/nasplayground/nas/wasm/protocol"
)

// rlBudget is the RL scene's sample budget: effectively open-ended at the
// scene's pace of a few samples per second.
const rlBudget = 1_000_000

// newSampling builds the RL scene's searcher from core on the NAS-Bench-201
// table (CIFAR-10 test accuracy in percent as the reward).
func (e *engine) newSampling(c protocol.Command) (search.Searcher, error) {
	space, eval := nb201.Space{}, nb201.Evaluator{Table: e.nb, Dataset: "cifar10"}
	switch c.Method {
	case "reinforce":
		cfg := rl.DefaultConfig(rlBudget, c.Seed)
		if c.LR > 0 {
			cfg.LR = c.LR
		}
		return rl.New(space, eval, cfg), nil
	case "evolution":
		return evolution.New(space, eval, evolution.DefaultConfig(rlBudget, c.Seed))
	case "random":
		return random.New(space, eval, rlBudget, c.Seed), nil
	}
	return nil, fmt.Errorf("engine: method %q, want one of %v", c.Method, protocol.RLMethods)
}
