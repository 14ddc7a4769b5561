//go:build settle

package ui_test

import (
	"testing"

	"github.com/nasplayground/nas/core/nb201"
	"github.com/nasplayground/nas/core/search/rl"
)

// TestPickRLDefaults measures, for the RL scene (REINFORCE on the
// NAS-Bench-201 table), how peaked the controller gets and how good its
// best cell is after n samples, per learning rate and entropy weight:
//
//	go test -tags settle -run PickRL -v ./wasm/ui/
func TestPickRLDefaults(t *testing.T) {
	tab, err := nb201.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, lr := range []float64{3e-3, 1e-3, 3e-4} {
		for _, beta := range []float64{1e-4, 0.1, 0.5} {
			for _, n := range []int{250, 1000, 3000} {
				cfg := rl.DefaultConfig(1_000_000, 1)
				cfg.LR, cfg.EntropyWeight = lr, beta
				s := rl.New(nb201.Space{}, nb201.Evaluator{Table: tab, Dataset: "cifar10"}, cfg)
				var maxP, best float64
				for range n {
					ev, err := s.Step()
					if err != nil {
						t.Fatal(err)
					}
					best = max(best, ev.Best)
					maxP = 0
					for _, row := range ev.Probs {
						for _, p := range row {
							maxP = max(maxP, p)
						}
					}
				}
				t.Logf("lr %g β %g after %d samples: max p %.3f, best %.2f%%", lr, beta, n, maxP, best)
			}
		}
	}
}
