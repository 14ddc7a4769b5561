package nn_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/internal/kernels"
	"github.com/nasplayground/nas/core/nn"
	"github.com/nasplayground/nas/core/optim"
	"github.com/nasplayground/nas/core/tensor"
)

// stripes returns n single-channel s×s images of 4 classes (16 per class for
// n = 64): horizontal, vertical, diagonal and anti-diagonal stripes of
// period 4 with a random phase and contrast ±[0.6, 1), plus U(−0.4, 0.4) noise. Global
// average pooling cannot see where a pattern is, only what it looks like, so
// the net must learn oriented filters.
func stripes(rng *tensor.RNG, n, s int) (*tensor.Tensor, []int32) {
	x := tensor.New(n, 1, s, s)
	labels := make([]int32, n)
	for i := 0; i < n; i++ {
		cls := i % 4
		labels[i] = int32(cls)
		phase := rng.IntN(4)
		amp := 0.6 + 0.4*rng.Float32()
		for r := 0; r < s; r++ {
			for c := 0; c < s; c++ {
				var u int
				switch cls {
				case 0:
					u = r
				case 1:
					u = c
				case 2:
					u = r + c
				case 3:
					u = r - c + s
				}
				v := float32(-amp)
				if (u+phase)%4 < 2 {
					v = amp
				}
				x.Data[(i*s+r)*s+c] = v + 0.8*(rng.Float32()-0.5)
			}
		}
	}
	return x, labels
}

// tinyNet is conv 3×3 (1→8) → BN → ReLU → conv 3×3 (8→8) → global pool → linear (8→4).
type tinyNet struct {
	conv1 *nn.Conv
	bn    *nn.BN
	conv2 *nn.Conv
	fc    *nn.Dense
}

func newTinyNet(rng *tensor.RNG) *tinyNet {
	return &tinyNet{
		conv1: nn.NewConv(rng, 1, 8, 3, 3, nn.Square(1, 1, 1, 1), false),
		bn:    nn.NewBN(8, true),
		conv2: nn.NewConv(rng, 8, 8, 3, 3, nn.Square(1, 1, 1, 1), true),
		fc:    nn.NewDense(rng, 8, 4),
	}
}

func (m *tinyNet) forward(ctx *nn.Ctx, x *autograd.Var) *autograd.Var {
	h := nn.ReLU(ctx.Tape, m.bn.Forward(ctx, m.conv1.Forward(ctx, x)))
	h = m.conv2.Forward(ctx, h)
	return m.fc.Forward(ctx, nn.GlobalAvgPool(ctx.Tape, h))
}

func (m *tinyNet) params() []*autograd.Var {
	return append(append(append(m.conv1.Params(), m.bn.Params()...), m.conv2.Params()...), m.fc.Params()...)
}

// trainStripes trains tinyNet with full-batch SGD (lr 0.05, momentum 0.9; core/optim) and
// returns the final training loss and the training accuracy in eval mode.
func trainStripes(t *testing.T, steps int) (loss0, loss, acc float64) {
	t.Helper()
	rng := tensor.NewRNG(2026)
	xs, labels := stripes(rng, 64, 8)
	m := newTinyNet(rng)
	opt := optim.NewSGD(m.params(), 0.05, 0.9, 0, false)
	x := autograd.Const(xs)
	tp := autograd.NewTape()
	ctx := &nn.Ctx{Tape: tp, Training: true}
	for s := 0; s < steps; s++ {
		tp.Reset()
		opt.ZeroGrad()
		l := nn.CrossEntropy(tp, m.forward(ctx, x), labels)
		tp.Backward(l)
		opt.Step()
		loss = float64(l.Data()[0])
		require.False(t, math.IsNaN(loss), "step %d", s)
		if s == 0 {
			loss0 = loss
		}
	}
	tp.Reset()
	tp.SetNoGrad(true)
	logits := m.forward(&nn.Ctx{Tape: tp}, x) // eval: running BN statistics
	return loss0, loss, nn.Accuracy(logits.Value, labels)
}

// TestTrainStripes is the end-to-end proof that the ops compose and learn:
// a 2-layer conv net reaches 100% training accuracy on 64 stripe images,
// with the CPU's fast kernels and with the portable generic ones.
func TestTrainStripes(t *testing.T) {
	was := kernels.FastPath() != "generic"
	defer kernels.SetFastPath(was)
	modes := []bool{false}
	if kernels.SetFastPath(true); kernels.FastPath() != "generic" {
		modes = append(modes, true)
	} else {
		t.Log("this build has no fast kernels (wasm, -tags noasm or no GOEXPERIMENT=simd): generic only")
	}
	var first []float64
	for _, fast := range modes {
		kernels.SetFastPath(fast)
		t.Run(kernels.FastPath(), func(t *testing.T) {
			loss0, loss, acc := trainStripes(t, 60)
			t.Logf("loss %.4f → %.4f, train accuracy %.3f", loss0, loss, acc)
			assert.InDelta(t, math.Log(4), loss0, 0.1, "chance-level loss at the start")
			assert.Less(t, loss, 0.05)
			assert.Equal(t, 1.0, acc)
			first = append(first, loss0)
		})
	}
	// Both kernel sets compute the same first forward pass (up to summation order).
	for _, l := range first {
		assert.InDelta(t, first[0], l, 1e-5)
	}
}
