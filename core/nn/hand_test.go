package nn_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/nn"
	"github.com/nasplayground/nas/core/tensor"
)

// Hand-worked cases: every expected value below was computed on paper; the
// working is in the comments.

// seq returns [start, start+1, …] of length n.
func seq(start float32, n int) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = start + float32(i)
	}
	return v
}

func ones(n int) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = 1
	}
	return v
}

func TestConv2DHand(t *testing.T) {
	cases := []struct {
		name  string
		x     *tensor.Tensor
		w     *tensor.Tensor
		o     nn.ConvOpts
		shape []int
		want  []float32
	}{
		{
			// x = 1..16 on 4×4, w = ones 3×3, S=2 P=1: OH = (4+2−3)/2+1 = 2.
			// y[0][0]: rows −1..1, cols −1..1 → 1+2+5+6 = 14
			// y[0][1]: rows −1..1, cols 1..3 → 2+3+4+6+7+8 = 30
			// y[1][0]: rows 1..3, cols −1..1 → 5+6+9+10+13+14 = 57
			// y[1][1]: rows 1..3, cols 1..3 → 6+7+8+10+11+12+14+15+16 = 99
			name: "stride2_pad1", x: tensor.FromData(seq(1, 16), 1, 1, 4, 4), w: tensor.FromData(ones(9), 1, 1, 3, 3),
			o: nn.Square(2, 1, 1, 1), shape: []int{1, 1, 2, 2}, want: []float32{14, 30, 57, 99},
		},
		{
			// x[r][c] = 5r+c on 5×5, w = ones 3×3, D=2 P=0: the taps cover rows,
			// cols {0,2,4}; OH = 5−4 = 1. Σ = 3·(0+10+20) + 3·(0+2+4) = 108.
			name: "dilation2", x: tensor.FromData(seq(0, 25), 1, 1, 5, 5), w: tensor.FromData(ones(9), 1, 1, 3, 3),
			o: nn.Square(1, 0, 2, 1), shape: []int{1, 1, 1, 1}, want: []float32{108},
		},
		{
			// Same x, D=2 P=2 S=2: OH = (5+4−5)/2+1 = 3; output (oy, ox) reads
			// rows R = {2oy−2, 2oy, 2oy+2} and cols C likewise, inside the image:
			// oy=0 → R={0,2}, oy=1 → {0,2,4}, oy=2 → {2,4}. Σ_{R×C} (5r+c) = 5·|C|·ΣR + |R|·ΣC:
			// y00 = 5·2·2+2·2 = 24, y01 = 5·3·2+2·6 = 42, y02 = 5·2·2+2·6 = 32,
			// y10 = 5·2·6+3·2 = 66, y11 = 5·3·6+3·6 = 108, y12 = 5·2·6+3·6 = 78,
			// y20 = 5·2·6+2·2 = 64, y21 = 5·3·6+2·6 = 102, y22 = 5·2·6+2·6 = 72.
			name: "dilation2_pad2_stride2", x: tensor.FromData(seq(0, 25), 1, 1, 5, 5), w: tensor.FromData(ones(9), 1, 1, 3, 3),
			o: nn.Square(2, 2, 2, 1), shape: []int{1, 1, 3, 3}, want: []float32{24, 42, 32, 66, 108, 78, 64, 102, 72},
		},
		{
			// Depthwise (groups = C = F = 2), P=1. Channel 0: x = ones, w = 2s:
			// corners see 4 pixels (8), edges 6 (12), the centre 9 (18).
			// Channel 1: x = [1 2 3; 4 5 6; 7 8 9], w picks the right neighbour
			// (w[1][2] = 1): y[r][c] = x[r][c+1], 0 in the last column.
			name: "depthwise",
			x:    tensor.FromData(append(ones(9), seq(1, 9)...), 1, 2, 3, 3),
			w:    tensor.FromData([]float32{2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0, 1, 0, 0, 0}, 2, 1, 3, 3),
			o:    nn.Square(1, 1, 1, 2), shape: []int{1, 2, 3, 3},
			want: []float32{8, 12, 8, 12, 18, 12, 8, 12, 8, 2, 3, 0, 5, 6, 0, 8, 9, 0},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tp := autograd.NewTape()
			y := nn.Conv2D(tp, autograd.Const(tc.x), autograd.Const(tc.w), nil, tc.o)
			require.Equal(t, tc.shape, y.Shape())
			assert.InDeltaSlice(t, tc.want, y.Data(), 1e-5)
		})
	}
}

func TestPoolHand(t *testing.T) {
	neg := tensor.FromData([]float32{-1, -2, -3, -4, -5, -6, -7, -8, -9}, 1, 1, 3, 3)
	x16 := tensor.FromData(seq(1, 16), 1, 1, 4, 4)
	cases := []struct {
		name   string
		x      *tensor.Tensor
		max    bool
		k, s   int
		p      int
		incPad bool
		want   []float32
		dx     []float32 // gradient for dy = ones
	}{
		{
			// All-negative x, k3 S2 P1: OH = (3+2−3)/2+1 = 2. Padding never wins
			// (a zero pad would give 0): y = max{−1,−2,−4,−5}, max{−2,−3,−5,−6},
			// max{−4,−5,−7,−8}, max{−5,−6,−8,−9} = −1, −2, −4, −5; dy = 1 lands
			// on those four pixels.
			name: "max_pad1_negative", x: neg, max: true, k: 3, s: 2, p: 1,
			want: []float32{-1, -2, -4, -5}, dx: []float32{1, 1, 0, 1, 1, 0, 0, 0, 0},
		},
		{
			// k3 S1 P1 on the 3×3 negative x: every window holds −1 or a larger
			// neighbour; y[r][c] = x[max(r−1,0)][max(c−1,0)]. Pixel −1 wins 4 windows.
			name: "max_pad1_stride1", x: neg, max: true, k: 3, s: 1, p: 1,
			want: []float32{-1, -1, -2, -1, -1, -2, -4, -4, -5},
			dx:   []float32{4, 2, 0, 2, 1, 0, 0, 0, 0},
		},
		{
			// count_include_pad=False, x = 1..16 (4×4), k3 S1 P1. Corner y[0][0]
			// = (1+2+5+6)/4 = 3.5 (divisor 4, not 9); edge y[0][1] = (1+2+3+5+6+7)/6
			// = 4; interior y[1][1] = (1+2+3+5+6+7+9+10+11)/9 = 6.
			name: "avg_exclude_pad_corner", x: x16, k: 3, s: 1, p: 1,
			want: []float32{3.5, 4, 5, 5.5, 5.5, 6, 7, 7.5, 9.5, 10, 11, 11.5, 11.5, 12, 13, 13.5},
		},
		{
			// count_include_pad=True: divisor 9 everywhere. y[0][0] = 14/9,
			// y[0][1] = 24/9, y[1][1] = 54/9 = 6. Stride 2: OH = (4+2−3)/2+1 = 2,
			// y = 14/9, (2+3+4+6+7+8)/9 = 30/9, 57/9, 99/9 (conv-by-ones case above).
			name: "avg_include_pad_stride2", x: x16, k: 3, s: 2, p: 1, incPad: true,
			want: []float32{14.0 / 9, 30.0 / 9, 57.0 / 9, 99.0 / 9},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tp := autograd.NewTape()
			x := param(tc.x.Clone(), "x")
			var y *autograd.Var
			if tc.max {
				y = nn.MaxPool2D(tp, x, tc.k, tc.s, tc.p)
			} else {
				y = nn.AvgPool2D(tp, x, tc.k, tc.s, tc.p, tc.incPad)
			}
			assert.InDeltaSlice(t, tc.want, y.Data(), 1e-5)
			if tc.dx != nil {
				dy := tensor.New(y.Shape()...)
				dy.Fill(1)
				tp.BackwardWith(y, dy)
				assert.InDeltaSlice(t, tc.dx, x.Grad.Data, 1e-6)
			}
		})
	}
}

func TestBatchNormHand(t *testing.T) {
	// x: (N=2, C=2, 1, 2). Channel 0 holds {1, 2, 3, 4}: μ = 2.5, biased
	// σ² = (2.25+0.25+0.25+2.25)/4 = 1.25, unbiased 5/3. Channel 1 holds
	// {5, 5, 5, 5}: μ = 5, σ² = 0.
	x := tensor.FromData([]float32{1, 2, 5, 5, 3, 4, 5, 5}, 2, 2, 1, 2)
	gamma := param(tensor.FromData([]float32{2, 3}, 2), "gamma")
	beta := param(tensor.FromData([]float32{1, -1}, 2), "beta")
	st := nn.NewBNStats(2)
	tp := autograd.NewTape()
	y := nn.BatchNorm(tp, autograd.Const(x), gamma, beta, st, true)
	// x̂ = (x − 2.5)/√(1.25+1e-5): ±1.5/1.1180385 = ±1.3416328, ±0.5/1.1180385 = ±0.4472109.
	// y = 2·x̂ + 1; channel 1: x̂ = 0 → y = β = −1.
	a, b := float32(1.5/math.Sqrt(1.25+1e-5)), float32(0.5/math.Sqrt(1.25+1e-5))
	want := []float32{1 - 2*a, 1 - 2*b, -1, -1, 1 + 2*b, 1 + 2*a, -1, -1}
	// Channel 1 has invstd = 1/√1e-5 ≈ 316: y = x·(γ·invstd) + (β − μ·γ·invstd)
	// (PyTorch's scale/shift form) cancels terms of size ≈ 4743 in float32, so
	// each rounding costs ≈ 4743·2⁻²⁴ ≈ 3e-4 (a few of them: ≲ 1e-3);
	// channel 0 is exact to 1e-5.
	for i, tol := range []float64{1e-5, 1e-5, 1e-3, 1e-3, 1e-5, 1e-5, 1e-3, 1e-3} {
		assert.InDelta(t, want[i], y.Data()[i], tol, "y[%d]", i)
	}
	assert.InDelta(t, 1-2*1.3416328, y.Data()[0], 1e-5)
	// Running stats after one step, momentum 0.1: mean = 0.9·0 + 0.1·μ,
	// var = 0.9·1 + 0.1·σ²_unbiased → (0.25, 0.5) and (0.9 + 0.5/3, 0.9).
	assert.InDeltaSlice(t, []float32{0.25, 0.5}, st.Mean.Data, 1e-6)
	assert.InDeltaSlice(t, []float32{0.9 + 0.1*5.0/3, 0.9}, st.Var.Data, 1e-6)

	// Eval uses the running statistics: y = γ·(x − 0.25)/√(1.0666667+1e-5) + β.
	tp2 := autograd.NewTape()
	ye := nn.BatchNorm(tp2, autograd.Const(x), gamma, beta, st, false)
	is := 1 / math.Sqrt(0.9+0.1*5.0/3+1e-5)
	assert.InDelta(t, 2*(1-0.25)*is+1, ye.Data()[0], 1e-5)
	assert.InDelta(t, 3*(5-0.5)/math.Sqrt(0.9+1e-5)-1, ye.Data()[2], 1e-5)
	assert.InDeltaSlice(t, []float32{0.25, 0.5}, st.Mean.Data, 1e-6, "eval leaves the running stats alone")

	// Backward, training, dy = 1 everywhere: dβ = Σdy = 4, dγ = Σ dy·x̂ = 0,
	// and dx = γ·invstd/M·(M·dy − Σdy − x̂·Σ dy·x̂) = 0.
	xv := param(x.Clone(), "x")
	tp3 := autograd.NewTape()
	y3 := nn.BatchNorm(tp3, xv, gamma, beta, nn.NewBNStats(2), true)
	gamma.ZeroGrad()
	beta.ZeroGrad()
	dy := tensor.New(y3.Shape()...)
	dy.Fill(1)
	tp3.BackwardWith(y3, dy)
	assert.InDeltaSlice(t, []float32{4, 4}, beta.Grad.Data, 1e-6)
	assert.InDeltaSlice(t, []float32{0, 0}, gamma.Grad.Data, 1e-5)
	assert.InDeltaSlice(t, make([]float32, 8), xv.Grad.Data, 1e-5)
}

func TestSoftmaxHand(t *testing.T) {
	cases := []struct {
		name string
		x    []float32
		want []float32
	}{
		// e^1 : e^2 : e^3 = 2.7182818 : 7.3890561 : 20.0855369, Σ = 30.1928748.
		{"1_2_3", []float32{1, 2, 3}, []float32{0.09003057, 0.24472847, 0.66524096}},
		// Shifting by 1000 changes nothing (and must not overflow).
		{"1001_1002_1003", []float32{1001, 1002, 1003}, []float32{0.09003057, 0.24472847, 0.66524096}},
		{"equal", []float32{-5, -5, -5, -5}, []float32{0.25, 0.25, 0.25, 0.25}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			y := nn.Softmax(autograd.NewTape(), autograd.Const(tensor.FromData(tc.x, 1, len(tc.x))))
			assert.InDeltaSlice(t, tc.want, y.Data(), 1e-6)
		})
	}
}

func TestCrossEntropyHand(t *testing.T) {
	cases := []struct {
		name   string
		logits []float32
		k      int
		labels []int32
		want   float64
	}{
		// −log softmax([1,2,3])[2] = −log 0.66524096 = 0.40760596.
		{"1_2_3_label2", []float32{1, 2, 3}, 3, []int32{2}, 0.40760596},
		// −log 0.09003057 = 2.40760596.
		{"1_2_3_label0", []float32{1, 2, 3}, 3, []int32{0}, 2.40760596},
		// logsumexp(1000, 1000) − 1000 = log 2; (1000, 0) label 1: 1000 + log(1+e^−1000) − 0 = 1000.
		// Mean of the two rows: (0.69314718 + 1000)/2.
		{"large_logits", []float32{1000, 1000, 1000, 0}, 2, []int32{0, 1}, (0.69314718 + 1000) / 2},
		// (−1000, −1000, −1000): uniform, log 3 = 1.09861229.
		{"large_negative", []float32{-1000, -1000, -1000}, 3, []int32{1}, 1.09861229},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			n := len(tc.labels)
			z := param(tensor.FromData(append([]float32(nil), tc.logits...), n, tc.k), "z")
			tp := autograd.NewTape()
			loss := nn.CrossEntropy(tp, z, tc.labels)
			require.Equal(t, 1, loss.Value.Len())
			assert.InDelta(t, tc.want, float64(loss.Data()[0]), 1e-4*math.Max(1, tc.want))
			tp.Backward(loss)
			// dz = (softmax(z) − onehot)/N: finite, and each row sums to 0.
			for i := 0; i < n; i++ {
				var s float64
				for j := 0; j < tc.k; j++ {
					g := float64(z.Grad.Data[i*tc.k+j])
					require.False(t, math.IsNaN(g) || math.IsInf(g, 0))
					s += g
				}
				assert.InDelta(t, 0, s, 1e-6)
			}
		})
	}
	// Gradient of the first case: (softmax − onehot)/1 = (0.0900, 0.2447, −0.3348).
	z := param(tensor.FromData([]float32{1, 2, 3}, 1, 3), "z")
	tp := autograd.NewTape()
	tp.Backward(nn.CrossEntropy(tp, z, []int32{2}))
	assert.InDeltaSlice(t, []float32{0.09003057, 0.24472847, 0.66524096 - 1}, z.Grad.Data, 1e-6)
}

func TestLinearHand(t *testing.T) {
	// x = [1 2; 3 −1], w = [1 0; 0 1; 1 1], b = [0.5 −1 0]:
	// row 0: (1, 2, 3) + b = (1.5, 1, 3); row 1: (3, −1, 2) + b = (3.5, −2, 2).
	x := param(tensor.FromData([]float32{1, 2, 3, -1}, 2, 2), "x")
	w := param(tensor.FromData([]float32{1, 0, 0, 1, 1, 1}, 3, 2), "w")
	b := param(tensor.FromData([]float32{0.5, -1, 0}, 3), "b")
	tp := autograd.NewTape()
	y := nn.Linear(tp, x, w, b)
	assert.InDeltaSlice(t, []float32{1.5, 1, 3, 3.5, -2, 2}, y.Data(), 1e-6)
	dy := tensor.New(2, 3)
	dy.Fill(1)
	tp.BackwardWith(y, dy)
	// dx = dy·w = (1+0+1, 0+1+1) per row; dw = dyᵀ·x = (4, 1) per row; db = (2, 2, 2).
	assert.InDeltaSlice(t, []float32{2, 2, 2, 2}, x.Grad.Data, 1e-6)
	assert.InDeltaSlice(t, []float32{4, 1, 4, 1, 4, 1}, w.Grad.Data, 1e-6)
	assert.InDeltaSlice(t, []float32{2, 2, 2}, b.Grad.Data, 1e-6)

	// Non-constant dy = [1 2 3; −1 0 2] (dy = 1 weighs every term the same):
	// dx = dy·w: row 0 = 1·(1,0) + 2·(0,1) + 3·(1,1) = (4, 5); row 1 = −1·(1,0) + 2·(1,1) = (1, 2).
	// dw = dyᵀ·x: f0 = 1·(1,2) − 1·(3,−1) = (−2, 3); f1 = 2·(1,2) = (2, 4); f2 = 3·(1,2) + 2·(3,−1) = (9, 4).
	// db = Σₙ dy = (0, 2, 5).
	autograd.ZeroGrads([]*autograd.Var{x, w, b})
	tp.Reset()
	tp.BackwardWith(nn.Linear(tp, x, w, b), tensor.FromData([]float32{1, 2, 3, -1, 0, 2}, 2, 3))
	assert.InDeltaSlice(t, []float32{4, 5, 1, 2}, x.Grad.Data, 1e-6)
	assert.InDeltaSlice(t, []float32{-2, 3, 2, 4, 9, 4}, w.Grad.Data, 1e-6)
	assert.InDeltaSlice(t, []float32{0, 2, 5}, b.Grad.Data, 1e-6)
}

func TestDropHand(t *testing.T) {
	x := autograd.Const(tensor.FromData(ones(4*2*2*2), 4, 2, 2, 2))
	tp := autograd.NewTape()
	// Eval mode and p = 0 return x itself.
	assert.Same(t, x, nn.Dropout(tp, x, 0.5, tensor.NewRNG(1), false))
	assert.Same(t, x, nn.DropPath(tp, x, 0, tensor.NewRNG(1), true))
	// DropPath p = 0.5: each sample is all 0 or all 2 (= 1/(1−0.5)).
	y := nn.DropPath(tp, x, 0.5, tensor.NewRNG(9), true)
	for i := 0; i < 4; i++ {
		v := y.Data()[i*8]
		require.True(t, v == 0 || v == 2, "sample %d: %v", i, v)
		for _, u := range y.Data()[i*8 : (i+1)*8] {
			assert.Equal(t, v, u)
		}
	}
	// Dropout p = 0.25: elements are 0 or 4/3, the mean over many stays ≈ 1.
	big := autograd.Const(tensor.FromData(ones(20000), 20000))
	d := nn.Dropout(tp, big, 0.25, tensor.NewRNG(2), true)
	var s float64
	for _, v := range d.Data() {
		require.True(t, v == 0 || math.Abs(float64(v)-4.0/3) < 1e-6)
		s += float64(v)
	}
	assert.InDelta(t, 1, s/20000, 0.02)
}
