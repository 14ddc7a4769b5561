package autograd_test

import (
	"fmt"
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
// tape (one worker) or side by side on tapes of their own, and a second step
// after Reset takes every buffer from the pool.
// L = Σ(2x)² + 3·Σ(2x·x) + 5·Σx  →  dL/dx = 8x + 12x + 5.
func TestForkMatchesChainRule(t *testing.T) {
	defer kernels.SetWorkers(kernels.Workers())
	for _, w := range []int{1, 2, 3} {
		t.Run(fmt.Sprint("workers=", w), func(t *testing.T) {
			kernels.SetWorkers(w)
			x := autograd.Param(tensor.FromData([]float32{1, -2, 3}, 3), "x")
			tp := autograd.NewTape()
			var pooled int
			for step := range 3 {
				x.ZeroGrad()
				a := scale(tp, x, 2)
				outs := make([]*autograd.Var, 3)
				side := make([]bool, 3)
				tp.Fork(3, func(i int, b *autograd.Branch) {
					side[i] = b.Tape != tp
					switch i {
					case 0:
						outs[i] = mul(b.Tape, b.Input(a), b.Input(a))
					case 1:
						outs[i] = scale(b.Tape, mul(b.Tape, b.Input(a), b.Input(x)), 3)
					case 2:
						require.Same(t, b.Input(x), b.Input(x), "one stand-in per Var")
						outs[i] = scale(b.Tape, b.Input(x), 5)
					}
				})
				assert.Equal(t, []bool{w > 1, w > 1, w > 1}, side)
				tp.Backward(sum(tp, outs...))
				assert.Equal(t, []float32{25, -35, 65}, x.Grad.Data, "step %d", step)
				tp.Reset()
				if step == 1 {
					pooled = tp.PooledBytes()
				}
				if step == 2 {
					assert.Equal(t, pooled, tp.PooledBytes(), "the second step allocated")
				}
			}
		})
	}
}

// Without recording, a fork runs its branches and adds nothing to the tape.
func TestForkNoGrad(t *testing.T) {
	defer kernels.SetWorkers(kernels.Workers())
	kernels.SetWorkers(2)
	x := autograd.Param(tensor.FromData([]float32{1, 2}, 2), "x")
	tp := autograd.NewTape()
	tp.SetNoGrad(true)
	var y [2]*autograd.Var
	tp.Fork(2, func(i int, b *autograd.Branch) { y[i] = scale(b.Tape, b.Input(x), float32(i+2)) })
	assert.Equal(t, 0, tp.Len())
	assert.Equal(t, []float32{2, 4}, y[0].Data())
	assert.Equal(t, []float32{3, 6}, y[1].Data())
	assert.False(t, y[0].RequiresGrad())
}
