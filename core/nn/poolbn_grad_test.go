package nn_test

import (
	"fmt"
	"testing"

	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/nn"
	"github.com/nasplayground/nas/core/tensor"
)

// The fused PoolBN against central differences (TestFusedMatchesChain only
// compares it with the unfused chain, which shares nothing with a numerical
// derivative). Max-pool inputs are distinct, so no window has a near-tie.
func TestPoolBNGrad(t *testing.T) {
	var cases []gradCase
	for _, pc := range []poolCase{{3, 1, 1, true, false}, {3, 2, 1, true, false}, {3, 1, 1, false, false}, {3, 2, 1, false, false}, {5, 2, 2, true, false}} {
		for _, training := range []bool{true, false} {
			pc, training := pc, training
			cases = append(cases, gradCase{name: fmt.Sprintf("%s_train%v", pc.name(), training), setup: func(rng *tensor.RNG) (func(*autograd.Tape) *autograd.Var, []*autograd.Var) {
				x := param(distinct(rng, 2, 3, 5, 5), "x")
				st := nn.NewBNStats(3)
				rng.Uniform(st.Mean, -0.5, 0.5)
				rng.Uniform(st.Var, 0.5, 2)
				return func(tp *autograd.Tape) *autograd.Var {
					s := *st // running statistics must not drift between evaluations
					s.Mean, s.Var = st.Mean.Clone(), st.Var.Clone()
					return nn.PoolBN(tp, x, pc.max, pc.k, pc.s, pc.p, &s, training)
				}, []*autograd.Var{x}
			}})
		}
	}
	runGradCases(t, cases)
}
