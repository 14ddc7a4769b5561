package autograd

import (
	"github.com/nasplayground/nas/core/internal/kernels"
	"github.com/nasplayground/nas/core/tensor"
)

// Var is a tensor in a computation: a leaf (a parameter, an input, α) or the
// output of an op recorded on a Tape.
type Var struct {
	Value *tensor.Tensor
	Grad  *tensor.Tensor // dL/dValue; nil until something flows into it
	Name  string

	requiresGrad bool
	leaf         bool
	tape         *Tape // owner of an op output's buffers
	transient    bool  // Value goes back to the pool once backward ran
	scalable     bool  // backward honours GradScale (RecordScalable)
	aliased      bool  // Grad is another op's buffer, times gradScale
	keepGrad     bool  // Grad outlives backward (aliased by inputs)
	gradScale    float32
	gradDot      *float32                // where ⟨Grad, Value⟩ goes (AddGradDotTo), until it is put
	backward     func(dy *tensor.Tensor) // nil for leaves
	group        func()                  // a Fork's node: runs its branches' backward
}

// Param returns a leaf that collects gradients (weights, α, or an input whose
// gradient is wanted). Its Grad persists across Tape.Reset until ZeroGrad.
func Param(t *tensor.Tensor, name string) *Var {
	return &Var{Value: t, Name: name, requiresGrad: true, leaf: true}
}

// Const returns a leaf that collects no gradient (data, labels, masks).
func Const(t *tensor.Tensor) *Var { return &Var{Value: t, leaf: true} }

// RequiresGrad reports whether gradients flow into v.
func (v *Var) RequiresGrad() bool { return v.requiresGrad }

// SetRequiresGrad turns gradient collection of a leaf on or off (for example,
// freeze the weights during an architecture step).
func (v *Var) SetRequiresGrad(on bool) {
	if !v.leaf {
		panic("autograd: SetRequiresGrad on a non-leaf Var " + v.Name)
	}
	v.requiresGrad = on
}

// Shape returns the value's shape.
func (v *Var) Shape() []int { return v.Value.Shape }

// Dim returns dimension i of the value (negative counts from the end).
func (v *Var) Dim(i int) int { return v.Value.Dim(i) }

// Data returns the value's data.
func (v *Var) Data() []float32 { return v.Value.Data }

// GradBuf returns v's gradient buffer, allocating it zeroed on first use, for a
// backward closure to accumulate into. Intermediate gradients come from the
// tape's pool; leaf gradients are owned by the leaf.
func (v *Var) GradBuf() *tensor.Tensor {
	if v.aliased { // someone else accumulates: give v its own gradient, scale·alias
		v.flushGradDot() // while Grad is still the alias alone
		g := v.tape.Alloc(v.Value.Shape...)
		kernels.ScaleInto(g.Data, v.Grad.Data, v.gradScale)
		v.Grad, v.aliased = g, false
	}
	if v.Grad == nil {
		if v.tape != nil {
			v.Grad = v.tape.AllocZero(v.Value.Shape...)
		} else {
			v.Grad = tensor.New(v.Value.Shape...)
		}
	}
	return v.Grad
}

// ZeroGrad clears a leaf's accumulated gradient.
func (v *Var) ZeroGrad() {
	if v.Grad != nil {
		v.Grad.Zero()
	}
}

// ZeroGrads clears the gradients of every leaf in vs.
func ZeroGrads(vs []*Var) {
	for _, v := range vs {
		v.ZeroGrad()
	}
}

// GradScale returns s such that dL/dValue = s·Grad: 1 unless the consumer
// that produced Grad shared its own buffer (AliasGrad).
func (v *Var) GradScale() float32 {
	if v.aliased {
		return v.gradScale
	}
	return 1
}

// AliasGrad lets a consumer op hand v the gradient s·g without writing it:
// v.Grad becomes g itself (not copied) and GradScale s. It returns false, and
// does nothing, unless v was recorded with RecordScalable (its backward reads
// GradScale), belongs to the consumer's tape and has no gradient yet. The
// consumer must keep g alive until v's backward has run (KeepGrad). If
// anything else later accumulates into v (GradBuf), v gets its own buffer.
func (v *Var) AliasGrad(g *tensor.Tensor, s float32) bool {
	if !v.scalable || v.Grad != nil || v.tape == nil {
		return false
	}
	v.Grad, v.gradScale, v.aliased = g, s, true
	return true
}

// AddGradDotTo asks that ⟨g, v⟩, g the gradient v aliases (AliasGrad,
// without its scale), be added to *dst by the time v's backward has run: the
// weight's gradient in a weighted sum of op outputs (nn.MixedNode). v's
// backward may hand it over from sums it forms anyway (PutGradDot: a
// BatchNorm's Σ dy·x̂ over its channels); otherwise the tape computes it
// after that backward, or when the alias ends (GradBuf). It returns false,
// and does nothing, unless v's gradient is aliased and v has a backward to
// run. Ops whose backward runs concurrently (Fork branches) must be given
// distinct dst.
func (v *Var) AddGradDotTo(dst *float32) bool {
	if !v.aliased || v.backward == nil {
		return false
	}
	v.gradDot = dst
	return true
}

// WantsGradDot reports whether ⟨Grad, Value⟩ is still to be put
// (AddGradDotTo); only v's own backward should ask.
func (v *Var) WantsGradDot() bool { return v.gradDot != nil }

// PutGradDot adds d = ⟨Grad, Value⟩, as v's backward summed it, where
// AddGradDotTo asked (once; nothing if nobody asked).
func (v *Var) PutGradDot(d float64) {
	if v.gradDot != nil {
		*v.gradDot += float32(d)
		v.gradDot = nil
	}
}

// flushGradDot computes and puts the ⟨Grad, Value⟩ still wanted.
func (v *Var) flushGradDot() {
	if v.gradDot != nil {
		*v.gradDot += kernels.Dot(v.Grad.Data, v.Value.Data)
		v.gradDot = nil
	}
}

// KeepGrad marks v's gradient buffer as still read after v's backward ran
// (inputs alias it): BackwardWith then leaves it to Reset instead of
// recycling it at once.
func (v *Var) KeepGrad() { v.keepGrad = true }
