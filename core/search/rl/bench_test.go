package rl_test

import (
	"testing"

	"github.com/nasplayground/nas/core/search/rl"
)

// BenchmarkStep is one REINFORCE step (sample, evaluate, BPTT, Adam) on a
// 6-decision, 5-choice space with H=100.
func BenchmarkStep(b *testing.B) {
	s := rl.New(nb201Like{}, sumReward{}, rl.DefaultConfig(1<<30, 1))
	for b.Loop() {
		if _, err := s.Step(); err != nil {
			b.Fatal(err)
		}
	}
}
