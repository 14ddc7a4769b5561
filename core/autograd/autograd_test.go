package autograd_test

import (
	"unsafe"

	"testing"

	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/tensor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// scale returns k·x as a test op.
func scale(tp *autograd.Tape, x *autograd.Var, k float32) *autograd.Var {
	y := tp.Alloc(x.Shape()...)
	for i, v := range x.Data() {
		y.Data[i] = k * v
	}
	return tp.Record("scale", y, func(dy *tensor.Tensor) {
		for i, d := range dy.Data {
			x.GradBuf().Data[i] += k * d
		}
	}, x)
}

// sum returns Σ of its inputs' elements (a scalar).
func sum(tp *autograd.Tape, xs ...*autograd.Var) *autograd.Var {
	y := tp.Alloc(1)
	y.Data[0] = 0
	for _, x := range xs {
		for _, v := range x.Data() {
			y.Data[0] += v
		}
	}
	return tp.Record("sum", y, func(dy *tensor.Tensor) {
		for _, x := range xs {
			if x.RequiresGrad() {
				for i := range x.Data() {
					x.GradBuf().Data[i] += dy.Data[0]
				}
			}
		}
	}, xs...)
}

// Fan-out: L = Σ(2x) + Σ(3x) → dL/dx = 5, because backward accumulates.
func TestFanOutAccumulates(t *testing.T) {
	x := autograd.Param(tensor.FromData([]float32{1, -2, 3}, 3), "x")
	tp := autograd.NewTape()
	tp.Backward(sum(tp, scale(tp, x, 2), scale(tp, x, 3)))
	assert.Equal(t, []float32{5, 5, 5}, x.Grad.Data)
	// a second backward adds to the leaf's gradient until ZeroGrad
	tp.Reset()
	tp.Backward(sum(tp, scale(tp, x, 1)))
	assert.Equal(t, []float32{6, 6, 6}, x.Grad.Data)
	x.ZeroGrad()
	assert.Equal(t, []float32{0, 0, 0}, x.Grad.Data)
}

func TestConstantsAndFrozenLeavesGetNoGradient(t *testing.T) {
	c := autograd.Const(tensor.FromData([]float32{1, 2}, 2))
	w := autograd.Param(tensor.FromData([]float32{3, 4}, 2), "w")
	w.SetRequiresGrad(false)
	tp := autograd.NewTape()
	l := sum(tp, scale(tp, c, 2), w)
	assert.False(t, l.RequiresGrad())
	assert.Equal(t, 0, tp.Len(), "nothing to differentiate, nothing recorded")
	assert.Nil(t, w.Grad)
}

func TestNoGradRecordsNothing(t *testing.T) {
	x := autograd.Param(tensor.FromData([]float32{1}, 1), "x")
	tp := autograd.NewTape()
	tp.SetNoGrad(true)
	y := scale(tp, x, 2)
	assert.Equal(t, float32(2), y.Data()[0])
	assert.Equal(t, 0, tp.Len())
}

func TestResetReusesBuffers(t *testing.T) {
	tp := autograd.NewTape()
	a := tp.Alloc(4, 4)
	tp.Reset()
	b := tp.Alloc(16)
	assert.Same(t, &a.Data[0], &b.Data[0], "same-sized buffer handed out again after Reset")
	assert.Equal(t, []int{16}, b.Shape)
}

func TestBackwardNeedsScalarLoss(t *testing.T) {
	x := autograd.Param(tensor.New(2), "x")
	tp := autograd.NewTape()
	var se *tensor.ShapeError
	func() {
		defer func() { se, _ = recover().(*tensor.ShapeError) }()
		tp.Backward(scale(tp, x, 1))
	}()
	require.NotNil(t, se)
	assert.Equal(t, "autograd.Backward", se.Op)
}

// CheckGrad must flag a backward that is off by a factor of two.
func TestCheckGradCatchesWrongBackward(t *testing.T) {
	x := autograd.Param(tensor.FromData([]float32{0.5, -1, 2}, 3), "x")
	good := autograd.CheckGrad(func(tp *autograd.Tape) *autograd.Var { return scale(tp, x, 3) }, []*autograd.Var{x}, 1e-3, 1)
	assert.Less(t, good.MaxErr, 1e-3, good.String())
	bad := autograd.CheckGrad(func(tp *autograd.Tape) *autograd.Var {
		y := tp.Alloc(3)
		for i, v := range x.Data() {
			y.Data[i] = 3 * v
		}
		return tp.Record("wrong", y, func(dy *tensor.Tensor) {
			for i, d := range dy.Data {
				x.GradBuf().Data[i] += 1.5 * d // should be 3
			}
		}, x)
	}, []*autograd.Var{x}, 1e-3, 1)
	assert.Greater(t, bad.MaxErr, 0.1, bad.String())
}

// A transient op's output goes back to the pool right after its backward
// (the gradients still to come reuse it), the root's never; gradients are
// those of the plain ops and Reset recycles every buffer exactly once.
func TestRecordTransient(t *testing.T) {
	tp := autograd.NewTape()
	x := autograd.Param(tensor.FromData([]float32{1, 2, 3, 4}, 4), "x")
	tscale := func(x *autograd.Var, k float32) *autograd.Var {
		y := tp.Alloc(x.Shape()...)
		for i, v := range x.Data() {
			y.Data[i] = k * v
		}
		return tp.RecordTransient("tscale", y, func(dy *tensor.Tensor) {
			for i, d := range dy.Data {
				x.GradBuf().Data[i] += k * d
			}
		}, x)
	}
	a := tscale(x, 2)
	b := tscale(a, 3)
	root := tscale(b, 0.5)
	tp.BackwardWith(root, tensor.FromData([]float32{1, 1, 1, 1}, 4))
	assert.Equal(t, []float32{3, 3, 3, 3}, x.Grad.Data)
	assert.Nil(t, a.Value, "a transient output is released after its backward")
	assert.Nil(t, b.Value)
	require.NotNil(t, root.Value, "the root stays readable")
	assert.Equal(t, []float32{3, 6, 9, 12}, root.Value.Data)
	tp.Reset()
	// 3 outputs + 2 intermediate gradients of 4 floats, each pooled once
	assert.Equal(t, 5*4*4, tp.PooledBytes())
}

// A consumer may hand a scalable op its gradient s·g without writing it;
// anything else accumulating into that op's output first gets it a buffer of
// its own. Either way the leaf gradients are the plain chain rule's.
func TestAliasGrad(t *testing.T) {
	for _, extra := range []bool{false, true} {
		tp := autograd.NewTape()
		x := autograd.Param(tensor.FromData([]float32{1, -2, 3}, 3), "x")
		// u = 2x, scalable: its backward reads GradScale
		uy := tp.Alloc(3)
		for i, v := range x.Data() {
			uy.Data[i] = 2 * v
		}
		var self *autograd.Var
		u := tp.RecordScalable("u", uy, func(dy *tensor.Tensor) {
			s := self.GradScale()
			for i, d := range dy.Data {
				x.GradBuf().Data[i] += 2 * s * d
			}
		}, &self, x)
		require.Same(t, u, self)
		var other *autograd.Var
		if extra {
			other = scale(tp, u, 5) // a second consumer, recorded before the aliasing one
		}
		// v = 3u through a consumer that aliases u's gradient to its own
		vy := tp.Alloc(3)
		for i, a := range u.Data() {
			vy.Data[i] = 3 * a
		}
		var vself *autograd.Var
		vself = tp.Record("v", vy, func(dy *tensor.Tensor) {
			if u.AliasGrad(dy, 3) {
				vself.KeepGrad()
				return
			}
			for i, d := range dy.Data {
				u.GradBuf().Data[i] += 3 * d
			}
		}, u)
		root := vself
		if extra {
			root = sum(tp, vself, other)
		} else {
			root = sum(tp, vself)
		}
		tp.Backward(root)
		want := float32(6) // d(3·2x)/dx
		if extra {
			want += 10 // d(5·2x)/dx
		}
		assert.Equal(t, []float32{want, want, want}, x.Grad.Data, "extra consumer %v", extra)
		tp.Reset()
	}
}

// Consecutive large buffers of a tape start at different addresses modulo
// 4 KiB (their colours), and a recycled buffer keeps its place.
func TestAllocColours(t *testing.T) {
	tp := autograd.NewTape()
	seen := map[uintptr]bool{}
	var bufs []*tensor.Tensor
	for range 16 {
		b := tp.Alloc(4, 1024)
		require.Len(t, b.Data, 4096)
		require.Equal(t, 4096, cap(b.Data), "no room past the end to write into")
		addr := uintptr(unsafe.Pointer(&b.Data[0]))
		assert.Zero(t, addr%64, "vector-aligned")
		seen[addr%4096] = true
		bufs = append(bufs, b)
	}
	assert.Len(t, seen, 16, "16 buffers, 16 places in the 4 KiB period")
	tp.Reset()
	again := tp.Alloc(4096)
	found := false
	for _, b := range bufs {
		found = found || &b.Data[0] == &again.Data[0]
	}
	assert.True(t, found, "a buffer of the same length comes back from the pool")
}

// A consumer that aliases its gradient g to a scalable op's output u may ask
// for ⟨g, u⟩ (AddGradDotTo): u's backward may put it from sums of its own,
// else the tape computes it after that backward, or, if another consumer
// breaks the alias first, at that moment from the alias alone.
func TestAddGradDotTo(t *testing.T) {
	for _, c := range []struct {
		name       string
		put, extra bool
	}{{"computed by the tape", false, false}, {"put by the op", true, false}, {"alias broken", false, true}} {
		tp := autograd.NewTape()
		x := autograd.Param(tensor.FromData([]float32{1, -2, 3}, 3), "x")
		uy := tp.Alloc(3)
		for i, v := range x.Data() {
			uy.Data[i] = 2 * v // u = 2x = (2, -4, 6)
		}
		const putValue = 1234 // what the op claims, not ⟨g, u⟩: the put must win
		var self *autograd.Var
		u := tp.RecordScalable("u", uy, func(dy *tensor.Tensor) {
			if c.put {
				require.True(t, self.WantsGradDot())
				self.PutGradDot(putValue)
				require.False(t, self.WantsGradDot(), "put once")
			}
			s := self.GradScale()
			for i, d := range dy.Data {
				x.GradBuf().Data[i] += 2 * s * d
			}
		}, &self, x)
		var other *autograd.Var
		if c.extra {
			other = scale(tp, u, 5) // its backward runs after the aliasing one's
		}
		var dot float32 = 0.5 // the consumer's weight gradient, already holding something
		gy := tp.Alloc(3)
		copy(gy.Data, u.Data()) // v = u, its gradient aliased as 3·g
		var vself *autograd.Var
		vself = tp.Record("v", gy, func(dy *tensor.Tensor) {
			require.True(t, u.AliasGrad(dy, 3))
			vself.KeepGrad()
			require.True(t, u.AddGradDotTo(&dot))
		}, u)
		var root *autograd.Var
		if c.extra {
			root = sum(tp, scale(tp, vself, 7), other)
		} else {
			root = sum(tp, scale(tp, vself, 7))
		}
		tp.Backward(root)
		want := float32(0.5 + 7*(2-4+6)) // g = 7 everywhere: ⟨g, u⟩ = 28
		if c.put {
			want = 0.5 + putValue
		}
		assert.Equal(t, want, dot, c.name)
		wantX := float32(2 * 3 * 7)
		if c.extra {
			wantX += 10
		}
		assert.Equal(t, []float32{wantX, wantX, wantX}, x.Grad.Data, c.name)
		assert.False(t, u.AddGradDotTo(&dot), "%s: no alias after backward", c.name)
		tp.Reset()
	}
}
