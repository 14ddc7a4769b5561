package autograd

import "github.com/nasplayground/nas/core/tensor"

// Var is a tensor in a computation: a leaf (a parameter, an input, α) or the
// output of an op recorded on a Tape.
type Var struct {
	Value *tensor.Tensor
	Grad  *tensor.Tensor // dL/dValue; nil until something flows into it
	Name  string

	requiresGrad bool
	leaf         bool
	tape         *Tape                   // owner of an op output's buffers
	transient    bool                    // Value goes back to the pool once backward ran
	backward     func(dy *tensor.Tensor) // nil for leaves
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
