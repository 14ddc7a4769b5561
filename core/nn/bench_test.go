package nn_test

import (
	"fmt"
	"testing"

	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/internal/kernels"
	"github.com/nasplayground/nas/core/nn"
	"github.com/nasplayground/nas/core/tensor"
)

// benchShape is one stage of the DARTS search network (batch 64, C = 16):
// C=16 at 32×32, C=32 at 16×16, C=64 at 8×8.
type benchShape struct{ n, c, hw int }

func (s benchShape) Name() string { return fmt.Sprintf("N%d_C%d_%dx%d", s.n, s.c, s.hw, s.hw) }

var dartsShapes = []benchShape{{64, 16, 32}, {64, 32, 16}, {64, 64, 8}}

// benchOp builds a module for channel count c and gives its forward conv
// FLOPs for shape s (0 for ops that are not convolutions).
type benchOp struct {
	name  string
	build func(rng *tensor.RNG, c int) nn.Module
	flops func(s benchShape) float64
}

// dwPw is the FLOPs of one ReLU–depthwise k×k–pointwise 1×1 unit (DilConv).
func dwPw(s benchShape, k, pad, dil int) float64 {
	return nn.ConvFLOPs(s.n, s.c, s.hw, s.hw, s.c, k, k, nn.Square(1, pad, dil, s.c)) +
		nn.ConvFLOPs(s.n, s.c, s.hw, s.hw, s.c, 1, 1, nn.ConvOpts{})
}

var benchOps = []benchOp{
	{"SepConv3x3", func(r *tensor.RNG, c int) nn.Module { return nn.SepConv(r, c, c, 3, 1, 1, false) },
		func(s benchShape) float64 { return 2 * dwPw(s, 3, 1, 1) }},
	{"SepConv5x5", func(r *tensor.RNG, c int) nn.Module { return nn.SepConv(r, c, c, 5, 1, 2, false) },
		func(s benchShape) float64 { return 2 * dwPw(s, 5, 2, 1) }},
	{"DilConv3x3", func(r *tensor.RNG, c int) nn.Module { return nn.DilConv(r, c, c, 3, 1, 2, 2, false) },
		func(s benchShape) float64 { return dwPw(s, 3, 2, 2) }},
	{"DilConv5x5", func(r *tensor.RNG, c int) nn.Module { return nn.DilConv(r, c, c, 5, 1, 4, 2, false) },
		func(s benchShape) float64 { return dwPw(s, 5, 4, 2) }},
	{"Conv1x1", func(r *tensor.RNG, c int) nn.Module { return nn.NewConv(r, c, c, 1, 1, nn.ConvOpts{}, false) },
		func(s benchShape) float64 { return nn.ConvFLOPs(s.n, s.c, s.hw, s.hw, s.c, 1, 1, nn.ConvOpts{}) }},
	{"BatchNorm", func(_ *tensor.RNG, c int) nn.Module { return nn.NewBN(c, false) }, nil},
	{"MaxPool3x3", func(*tensor.RNG, int) nn.Module { return nn.Pool{Max: true, K: 3, Stride: 1, Pad: 1} }, nil},
	{"AvgPool3x3", func(*tensor.RNG, int) nn.Module { return nn.Pool{K: 3, Stride: 1, Pad: 1} }, nil},
}

// BenchmarkDartsOps times forward + backward (dx and every dw) of each DARTS
// op at the search network's shapes, on 1 kernel worker (T1) and on all of
// them. GFLOP/s counts 3× the forward conv FLOPs (backward = dx and dw, each
// as costly as the forward). Run e.g. `-bench 'DartsOps/.*/.*/T1' -benchtime=3x`.
func BenchmarkDartsOps(b *testing.B) {
	all := kernels.Workers()
	defer kernels.SetWorkers(all)
	threads := []int{1}
	if all > 1 {
		threads = append(threads, all)
	}
	for _, op := range benchOps {
		for _, s := range dartsShapes {
			for _, th := range threads {
				b.Run(fmt.Sprintf("%s/%s/T%d", op.name, s.Name(), th), func(b *testing.B) {
					kernels.SetWorkers(th)
					benchOne(b, op, s)
				})
			}
		}
	}
}

func benchOne(b *testing.B, op benchOp, s benchShape) {
	rng := tensor.NewRNG(1)
	m := op.build(rng, s.c)
	x := param(uniform(rng, -1, 1, s.n, s.c, s.hw, s.hw), "x")
	tp := autograd.NewTape()
	ctx := &nn.Ctx{Tape: tp, Training: true}
	var dy *tensor.Tensor
	for b.Loop() {
		tp.Reset()
		y := m.Forward(ctx, x)
		if dy == nil {
			dy = uniform(rng, -1, 1, y.Shape()...)
		}
		tp.BackwardWith(y, dy)
	}
	sec := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(float64(s.n)/sec, "images/s")
	if op.flops != nil {
		b.ReportMetric(3*op.flops(s)/sec/1e9, "GFLOP/s")
	}
}
