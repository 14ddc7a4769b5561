package nn_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/internal/kernels"
	"github.com/nasplayground/nas/core/nn"
	"github.com/nasplayground/nas/core/tensor"
)

// naiveConv is the 7-loop direct convolution (the spec of Conv2D), in
// float64, with its adjoint: given dy it returns y, dx and dw.
//
//	y[n][f][oh][ow] = Σ_{c∈group(f), kh, kw} w[f][c][kh][kw] · x[n][g·C/G+c][oh·S−P+kh·D][ow·S−P+kw·D]
func naiveConv(x, w, dy []float32, n, c, h, wd, f, kh, kw int, o nn.ConvOpts) (y, dx, dw []float64) {
	cg, fg := c/o.Groups, f/o.Groups
	oh := (h+2*o.PH-o.DH*(kh-1)-1)/o.SH + 1
	ow := (wd+2*o.PW-o.DW*(kw-1)-1)/o.SW + 1
	y, dx, dw = make([]float64, n*f*oh*ow), make([]float64, len(x)), make([]float64, len(w))
	for i := 0; i < n; i++ {
		for fi := 0; fi < f; fi++ {
			g := fi / fg
			for oy := 0; oy < oh; oy++ {
				for ox := 0; ox < ow; ox++ {
					yi := ((i*f+fi)*oh+oy)*ow + ox
					for ci := 0; ci < cg; ci++ {
						for ky := 0; ky < kh; ky++ {
							for kx := 0; kx < kw; kx++ {
								iy, ix := oy*o.SH-o.PH+ky*o.DH, ox*o.SW-o.PW+kx*o.DW
								if iy < 0 || iy >= h || ix < 0 || ix >= wd {
									continue
								}
								xi := ((i*c+g*cg+ci)*h+iy)*wd + ix
								wi := ((fi*cg+ci)*kh+ky)*kw + kx
								y[yi] += float64(w[wi]) * float64(x[xi])
								dx[xi] += float64(w[wi]) * float64(dy[yi])
								dw[wi] += float64(x[xi]) * float64(dy[yi])
							}
						}
					}
				}
			}
		}
	}
	return y, dx, dw
}

func assertClose(t *testing.T, want []float64, got []float32, tol float64, what string) {
	t.Helper()
	require.Len(t, got, len(want), what)
	for i := range want {
		if !nearly(want[i], float64(got[i]), tol) {
			assert.Failf(t, "mismatch", "%s[%d]: got %g, want %g", what, i, got[i], want[i])
			return
		}
	}
}

func TestConv2DNaive(t *testing.T) {
	type shape struct {
		n, c, h, w, f, kh, kw int
		o                     nn.ConvOpts
	}
	shapes := []shape{
		{1, 1, 1, 1, 1, 1, 1, nn.ConvOpts{}},
		{2, 3, 7, 7, 4, 3, 3, nn.Square(1, 1, 1, 1)},
		{3, 5, 9, 7, 6, 3, 3, nn.Square(2, 1, 1, 1)},
		{2, 4, 11, 11, 8, 5, 5, nn.Square(2, 2, 1, 1)},
		{2, 3, 9, 9, 5, 3, 3, nn.Square(1, 2, 2, 1)},
		{2, 3, 13, 9, 4, 5, 5, nn.Square(2, 4, 2, 1)},
		{1, 6, 7, 7, 4, 3, 3, nn.Square(1, 1, 1, 2)},
		{2, 6, 8, 8, 9, 3, 3, nn.Square(2, 1, 1, 3)},
		{2, 8, 9, 9, 8, 3, 3, nn.Square(1, 1, 1, 8)}, // depthwise
		{3, 8, 9, 9, 8, 5, 5, nn.Square(2, 2, 1, 8)},
		{2, 5, 10, 10, 5, 3, 3, nn.Square(1, 2, 2, 5)},
		{2, 5, 11, 11, 5, 5, 5, nn.Square(2, 4, 2, 5)},
		{2, 4, 8, 8, 8, 3, 3, nn.Square(1, 1, 1, 4)}, // groups = C, F = 2C (not the depthwise path)
		{2, 7, 6, 6, 3, 1, 1, nn.ConvOpts{}},
		{2, 7, 7, 7, 3, 1, 1, nn.Square(2, 0, 1, 1)},
		{2, 4, 9, 9, 4, 1, 7, nn.ConvOpts{SW: 2, PW: 3}},
		{2, 4, 9, 9, 4, 7, 1, nn.ConvOpts{SH: 2, PH: 3}},
		{2, 4, 6, 7, 4, 1, 3, nn.ConvOpts{PW: 1}},
		{2, 4, 7, 6, 4, 3, 1, nn.ConvOpts{PH: 1}},
		{1, 2, 5, 8, 3, 2, 4, nn.ConvOpts{SH: 1, SW: 3, PH: 1, PW: 0, DH: 2, DW: 1}},
		{2, 3, 4, 4, 2, 3, 3, nn.Square(3, 0, 1, 1)},
		{1, 16, 8, 8, 16, 3, 3, nn.Square(1, 1, 1, 1)}, // more than one GEMM block row
		{5, 3, 5, 5, 4, 3, 3, nn.Square(1, 1, 1, 1)},   // odd batch across workers
	}
	rng := tensor.NewRNG(42)
	for _, s := range shapes {
		o := s.o
		if o.Groups == 0 {
			o.Groups = 1
		}
		for _, k := range []*int{&o.SH, &o.SW, &o.DH, &o.DW} {
			if *k == 0 {
				*k = 1
			}
		}
		name := fmt.Sprintf("N%d_C%d_%dx%d_F%d_K%dx%d_S%d,%d_P%d,%d_D%d,%d_G%d", s.n, s.c, s.h, s.w, s.f, s.kh, s.kw, o.SH, o.SW, o.PH, o.PW, o.DH, o.DW, o.Groups)
		t.Run(name, func(t *testing.T) {
			x := param(uniform(rng, -1, 1, s.n, s.c, s.h, s.w), "x")
			w := param(uniform(rng, -1, 1, s.f, s.c/o.Groups, s.kh, s.kw), "w")
			b := param(uniform(rng, -1, 1, s.f), "b")
			tp := autograd.NewTape()
			y := nn.Conv2D(tp, x, w, b, s.o)
			dy := uniform(rng, -1, 1, y.Shape()...)
			wantY, wantDX, wantDW := naiveConv(x.Data(), w.Data(), dy.Data, s.n, s.c, s.h, s.w, s.f, s.kh, s.kw, o)
			ohw := len(wantY) / (s.n * s.f)
			wantDB := make([]float64, s.f)
			for i := range wantY {
				fi := i / ohw % s.f
				wantY[i] += float64(b.Data()[fi])
				wantDB[fi] += float64(dy.Data[i])
			}
			tp.BackwardWith(y, dy)
			assertClose(t, wantY, y.Data(), 1e-5, "y")
			assertClose(t, wantDX, x.Grad.Data, 1e-5, "dx")
			assertClose(t, wantDW, w.Grad.Data, 1e-5, "dw")
			assertClose(t, wantDB, b.Grad.Data, 1e-5, "db")
		})
	}
}

// shapePanic runs f and returns the *tensor.ShapeError it panics with.
func shapePanic(t *testing.T, f func()) (err *tensor.ShapeError) {
	t.Helper()
	defer func() {
		r := recover()
		require.NotNil(t, r, "no panic")
		var ok bool
		err, ok = r.(*tensor.ShapeError)
		require.True(t, ok, "panic value %T (%v), want *tensor.ShapeError", r, r)
	}()
	f()
	return nil
}

func TestShapeErrors(t *testing.T) {
	v := func(shape ...int) *autograd.Var { return autograd.Const(tensor.New(shape...)) }
	tp := autograd.NewTape()
	cases := []struct {
		name string
		f    func()
		msg  string
		arg  string
	}{
		{"conv_w_channels", func() { nn.Conv2D(tp, v(2, 16, 8, 8), v(16, 3, 3, 3), nil, nn.ConvOpts{}) },
			"nn.Conv2D: w has shape [16 3 3 3], want [16 16 * *]", "w"},
		{"conv_w_rank", func() { nn.Conv2D(tp, v(2, 3, 8, 8), v(4, 3, 3), nil, nn.ConvOpts{}) },
			"nn.Conv2D: w has shape [4 3 3], want [4 3 * *]", "w"},
		{"conv_w_groups", func() { nn.Conv2D(tp, v(2, 6, 8, 8), v(6, 6, 3, 3), nil, nn.Square(1, 1, 1, 3)) },
			"nn.Conv2D: w has shape [6 6 3 3], want [6 2 * *]", "w"},
		{"conv_bias", func() { nn.Conv2D(tp, v(2, 3, 8, 8), v(4, 3, 3, 3), v(3), nn.ConvOpts{}) },
			"nn.Conv2D: b has shape [3], want [4]", "b"},
		{"conv_x_rank", func() { nn.Conv2D(tp, v(3, 8, 8), v(4, 3, 3, 3), nil, nn.ConvOpts{}) },
			"nn.Conv2D: x has shape [3 8 8], want [N C H W]", "x"},
		{"conv_too_small", func() { nn.Conv2D(tp, v(1, 3, 2, 2), v(4, 3, 3, 3), nil, nn.ConvOpts{}) },
			"nn.Conv2D: x has shape [1 3 2 2], want an image large enough for kernel 3x3", "x"},
		{"linear_w", func() { nn.Linear(tp, v(2, 5), v(3, 4), nil) },
			"nn.Linear: w has shape [3 4], want [3 5]", "w"},
		{"linear_b", func() { nn.Linear(tp, v(2, 5), v(3, 5), v(5)) },
			"nn.Linear: b has shape [5], want [3]", "b"},
		{"bn_gamma", func() { nn.BatchNorm(tp, v(2, 3, 4, 4), v(4), v(3), nn.NewBNStats(3), true) },
			"nn.BatchNorm: gamma has shape [4], want [3]", "gamma"},
		{"bn_stats", func() { nn.BatchNorm(tp, v(2, 3, 4, 4), nil, nil, nn.NewBNStats(2), true) },
			"nn.BatchNorm: running mean has shape [2], want [3]", "running mean"},
		{"concat_hw", func() { nn.Concat(tp, v(2, 3, 4, 4), v(2, 1, 4, 5)) },
			"nn.Concat: xs[1] has shape [2 1 4 5], want [2 * 4 4]", "xs[1]"},
		{"add", func() { nn.Add(tp, v(2, 3), v(2, 3), v(3, 2)) },
			"nn.Add: xs[2] has shape [3 2], want [2 3] (shape of xs[0])", "xs[2]"},
		{"weighted_sum_k", func() { nn.WeightedSum(tp, v(2, 3), 0, []*autograd.Var{v(1, 1), v(1, 1)}) },
			"nn.WeightedSum: w has shape [2 3], want [* 2]", "w"},
		{"mask", func() { nn.Mask(tp, v(2, 3), tensor.New(3, 2)) },
			"nn.Mask: m has shape [3 2], want [2 3] (shape of x)", "m"},
		{"softmax_rank", func() { nn.Softmax(tp, v(2, 3, 1)) },
			"nn.Softmax: x has shape [2 3 1], want [R K]", "x"},
		{"xent_labels", func() { nn.CrossEntropy(tp, v(2, 3), []int32{0}) },
			"nn.CrossEntropy: labels has shape [1], want [2] (N of logits)", "labels"},
		{"maxpool_small", func() { nn.MaxPool2D(tp, v(1, 1, 2, 2), 5, 1, 1) },
			"nn.MaxPool2D: x has shape [1 1 2 2], want an image large enough for a 5×5 window with pad 1", "x"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.PanicsWithError(t, tc.msg, tc.f)
			err := shapePanic(t, tc.f)
			assert.Equal(t, tc.arg, err.Arg)
			assert.Contains(t, tc.msg, err.Op)
			assert.NotEmpty(t, err.Got)
			assert.NotEmpty(t, err.Want)
		})
	}
}

// TestConv2DNestedParallel runs convolutions whose per-image GEMM is large
// enough to be split over workers itself (m·n·k ≥ 64³) while Conv2D already
// spreads the images over the same workers: the search network's first stage
// (C = 16, 32×32). With 2 workers the nested kernels.Parallel calls must not
// deadlock on the shared pool (they did until kernels d200d65 ran nested
// calls inline).
func TestConv2DNestedParallel(t *testing.T) {
	was := kernels.Workers()
	kernels.SetWorkers(2)
	rng := tensor.NewRNG(8)
	x := param(uniform(rng, -1, 1, 4, 16, 32, 32), "x")
	w3 := param(uniform(rng, -1, 1, 16, 16, 3, 3), "w3")
	w1 := param(uniform(rng, -1, 1, 16, 16, 1, 1), "w1")
	done := make(chan struct{})
	go func() {
		defer close(done)
		tp := autograd.NewTape()
		y := nn.Conv2D(tp, nn.Conv2D(tp, x, w3, nil, nn.Square(1, 1, 1, 1)), w1, nil, nn.ConvOpts{})
		dy := tensor.New(y.Shape()...)
		dy.Fill(1)
		tp.BackwardWith(y, dy)
	}()
	select {
	case <-done:
		kernels.SetWorkers(was)
	case <-time.After(10 * time.Second):
		kernels.SetWorkers(1) // the pool is stuck for good: run the remaining tests inline
		t.Fatal("Conv2D did not finish in 10 s with 2 workers: nested kernels.Parallel " +
			"(images in nn.convForward, rows/tiles in the GEMM) deadlocks on the shared pool")
	}
	require.NotNil(t, w3.Grad)
}
