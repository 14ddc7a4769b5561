package tensor

import (
	"fmt"
	"slices"
	"strings"
)

// Tensor is a contiguous row-major float32 array. Image tensors are NCHW.
type Tensor struct {
	Shape []int
	Data  []float32
}

// Numel returns the product of the dimensions of shape (1 for a scalar).
func Numel(shape []int) int {
	n := 1
	for _, d := range shape {
		if d < 0 {
			panic(fmt.Sprintf("tensor: negative dimension in shape %v", shape))
		}
		n *= d
	}
	return n
}

// New returns a zeroed tensor of the given shape.
func New(shape ...int) *Tensor {
	return &Tensor{Shape: append([]int(nil), shape...), Data: make([]float32, Numel(shape))}
}

// FromData wraps data (not copied) with shape; it panics if the sizes differ.
func FromData(data []float32, shape ...int) *Tensor {
	if len(data) != Numel(shape) {
		panic(&ShapeError{Op: "tensor.FromData", Arg: "data", Got: []int{len(data)}, Want: fmt.Sprint(shape)})
	}
	return &Tensor{Shape: append([]int(nil), shape...), Data: data}
}

// Scalar returns a 1-element tensor of shape [1].
func Scalar(v float32) *Tensor { return &Tensor{Shape: []int{1}, Data: []float32{v}} }

// Dim returns dimension i; negative i counts from the end.
func (t *Tensor) Dim(i int) int {
	if i < 0 {
		i += len(t.Shape)
	}
	return t.Shape[i]
}

// Len returns the number of elements.
func (t *Tensor) Len() int { return len(t.Data) }

// Zero sets every element to 0.
func (t *Tensor) Zero() { clear(t.Data) }

// Fill sets every element to v.
func (t *Tensor) Fill(v float32) {
	for i := range t.Data {
		t.Data[i] = v
	}
}

// Clone returns a deep copy.
func (t *Tensor) Clone() *Tensor {
	return &Tensor{Shape: append([]int(nil), t.Shape...), Data: append([]float32(nil), t.Data...)}
}

// CopyFrom copies src's data into t; shapes must have the same element count.
func (t *Tensor) CopyFrom(src *Tensor) {
	if len(src.Data) != len(t.Data) {
		panic(&ShapeError{Op: "tensor.CopyFrom", Arg: "src", Got: src.Shape, Want: fmt.Sprint(t.Shape)})
	}
	copy(t.Data, src.Data)
}

// Reshape returns a view sharing t's data with a new shape of equal size.
func (t *Tensor) Reshape(shape ...int) *Tensor {
	if Numel(shape) != len(t.Data) {
		panic(&ShapeError{Op: "tensor.Reshape", Arg: "shape", Got: shape, Want: fmt.Sprintf("%d elements (from %v)", len(t.Data), t.Shape)})
	}
	return &Tensor{Shape: append([]int(nil), shape...), Data: t.Data}
}

// SameShape reports whether a and b have identical shapes.
func SameShape(a, b []int) bool { return slices.Equal(a, b) }

// String prints the shape and up to 8 values.
func (t *Tensor) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Tensor%v[", t.Shape)
	for i, v := range t.Data {
		if i == 8 {
			b.WriteString(" …")
			break
		}
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%.4g", v)
	}
	b.WriteByte(']')
	return b.String()
}
