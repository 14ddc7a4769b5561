package autograd_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/internal/kernels"
	"github.com/nasplayground/nas/core/tensor"
)

// mul returns a⊙b as a test op.
func mul(tp *autograd.Tape, a, b *autograd.Var) *autograd.Var {
	y := tp.Alloc(a.Shape()...)
	for i := range y.Data {
		y.Data[i] = a.Data()[i] * b.Data()[i]
	}
	return tp.Record("mul", y, func(dy *tensor.Tensor) {
		for i, d := range dy.Data {
			if a.RequiresGrad() {
				a.GradBuf().Data[i] += d * b.Data()[i]
			}
			if b.RequiresGrad() {
				b.GradBuf().Data[i] += d * a.Data()[i]
			}
		}
	}, a, b)
}

// A fork's branches read what was recorded before it (a leaf and an op's
// output, one branch reading x twice) and their results are read after it:
// the gradient is the chain rule's, whether the branches run in order on the
// tape (one worker) or side by side on tapes of their own, and the steps
// after the first take their buffers from the pool: one after the other every
// one (the pool stays as it is), side by side nearly every one (the pool may
// grow by what branches that happened to overlap held at once, up to one
// step's worth, never with the step count).
// Three rounds of L = Σ(2x)² + 3·Σ(2x·x) + 5·Σx  →  dL/dx = 3·(8x + 12x + 5).
func TestForkMatchesChainRule(t *testing.T) {
	defer kernels.SetWorkers(kernels.Workers())
	for _, w := range []int{1, 2, 3} {
		t.Run(fmt.Sprint("workers=", w), func(t *testing.T) {
			kernels.SetWorkers(w)
			x := autograd.Param(tensor.FromData([]float32{1, -2, 3}, 3), "x")
			tp := autograd.NewTape()
			var first int
			for step := range 20 {
				x.ZeroGrad()
				a := scale(tp, x, 2)
				n := 3 * autograd.ForkMin()
				outs := make([]*autograd.Var, n)
				side := make([]bool, n)
				tp.Fork(n, func(i int, b *autograd.Branch) {
					side[i] = b.Tape != tp
					switch i % 3 {
					case 0:
						outs[i] = mul(b.Tape, b.Input(a), b.Input(a))
					case 1:
						outs[i] = scale(b.Tape, mul(b.Tape, b.Input(a), b.Input(x)), 3)
					case 2:
						require.Same(t, b.Input(x), b.Input(x), "one stand-in per Var")
						outs[i] = scale(b.Tape, b.Input(x), 5)
					}
				})
				for i := range side {
					assert.Equal(t, w > 1, side[i], "branch %d on a tape of its own", i)
				}
				tp.Backward(sum(tp, outs...))
				assert.Equal(t, []float32{75, -105, 195}, x.Grad.Data, "step %d", step)
				tp.Reset()
				switch {
				case step == 0:
					first = tp.PooledBytes()
				case w == 1:
					require.Equal(t, first, tp.PooledBytes(), "step %d allocated", step)
				default:
					require.LessOrEqual(t, tp.PooledBytes(), 2*first, "step %d", step)
				}
			}
		})
	}
}

// The branches' gradients are summed in branch order whatever the worker
// count, spread over the workers by element ranges: a leaf read by every
// branch, with sums that round differently in another order, gets the same
// gradient bit for bit at 2, 3 and 4 workers.
func TestForkSumsInBranchOrder(t *testing.T) {
	defer kernels.SetWorkers(kernels.Workers())
	// n spans several of the sums' blocks and ends inside one
	const n = 5000
	data := make([]float32, n)
	for i := range data {
		data[i] = float32(math.Sin(float64(i))) * 1e3
	}
	grad := func(forked bool) []float32 {
		x := autograd.Param(tensor.FromData(append([]float32(nil), data...), n), "x")
		tp := autograd.NewTape()
		outs := make([]*autograd.Var, 4*autograd.ForkMin())
		tp.Fork(len(outs), func(i int, b *autograd.Branch) {
			if forked {
				require.NotSame(t, tp, b.Tape)
			}
			// scales of very different sizes: the sum's rounding depends on its order
			outs[i] = mul(b.Tape, scale(b.Tape, b.Input(x), float32(math.Pow(7.3, float64(i%7-3)))), b.Input(x))
		})
		tp.Backward(sum(tp, outs...))
		return x.Grad.Data
	}
	// the branches run in order on one worker: the chain rule's sum, in
	// another order, so equal up to rounding
	kernels.SetWorkers(1)
	serial := grad(false)
	var want []float32
	for _, w := range []int{2, 3, 4} {
		kernels.SetWorkers(w)
		got := grad(true)
		if want == nil {
			want = got
			for i := range want {
				require.InDelta(t, serial[i], want[i], 1e-5*math.Abs(float64(serial[i])), "element %d", i)
			}
			continue
		}
		assert.Equal(t, want, got, "workers=%d", w)
	}
}

// Without recording, a fork runs its branches and adds nothing to the tape.
func TestForkNoGrad(t *testing.T) {
	defer kernels.SetWorkers(kernels.Workers())
	kernels.SetWorkers(2)
	x := autograd.Param(tensor.FromData([]float32{1, 2}, 2), "x")
	tp := autograd.NewTape()
	tp.SetNoGrad(true)
	y := make([]*autograd.Var, 2*autograd.ForkMin())
	tp.Fork(len(y), func(i int, b *autograd.Branch) {
		require.NotSame(t, tp, b.Tape)
		y[i] = scale(b.Tape, b.Input(x), float32(i+2))
	})
	assert.Equal(t, 0, tp.Len())
	assert.Equal(t, []float32{2, 4}, y[0].Data())
	assert.Equal(t, []float32{3, 6}, y[1].Data())
	assert.False(t, y[0].RequiresGrad())
}

// TestKeepBudget: Keep grants bytes until the step's budget is spent,
// counts the branch tapes of Fork against the same budget, refuses while
// recording is off, and Reset refills it.
func TestKeepBudget(t *testing.T) {
	tp := autograd.NewTape()
	tp.SetKeepBudget(100)
	assert.True(t, tp.Keep(60))
	assert.False(t, tp.Keep(50), "over the budget")
	assert.True(t, tp.Keep(40), "a refusal takes nothing")
	assert.False(t, tp.Keep(1))
	tp.Reset()
	granted := make([]bool, 4)
	tp.Fork(4, func(i int, b *autograd.Branch) { granted[i] = b.Tape.Keep(30) })
	n := 0
	for _, g := range granted {
		if g {
			n++
		}
	}
	assert.Equal(t, 3, n, "four branches asking 30 of 100")
	tp.Reset()
	tp.SetNoGrad(true)
	assert.False(t, tp.Keep(1), "recording off")
	tp.SetNoGrad(false)
	assert.True(t, tp.Keep(100))
}
