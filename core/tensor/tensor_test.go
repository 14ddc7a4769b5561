package tensor_test

import (
	"math"
	"testing"

	"github.com/nasplayground/nas/core/tensor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestShapeErrorMessage(t *testing.T) {
	assert.PanicsWithError(t, "nn.Conv2D: w has shape [16 3 3 3], want [* 16 * *]", func() {
		tensor.MustShape("nn.Conv2D", "w", []int{16, 3, 3, 3}, tensor.Any, 16, tensor.Any, tensor.Any)
	})
	assert.NotPanics(t, func() { tensor.MustShape("op", "x", []int{2, 3}, 2, tensor.Any) })
	assert.Panics(t, func() { tensor.MustShape("op", "x", []int{2, 3}, 2) }, "rank mismatch")
}

func TestReshapeSharesData(t *testing.T) {
	x := tensor.New(2, 3)
	y := x.Reshape(3, 2)
	y.Data[5] = 7
	assert.Equal(t, float32(7), x.Data[5])
	assert.Panics(t, func() { x.Reshape(4, 2) })
}

// PyTorch's defaults: kaiming_uniform_(a=√5) gives U(±1/√fan_in) for weights,
// and biases U(±1/√fan_in); the sample should fill that range uniformly.
func TestPyTorchInitBounds(t *testing.T) {
	for _, fanIn := range []int{3, 27, 144, 1024} {
		w := tensor.New(20000)
		tensor.NewRNG(1).KaimingUniform(w, fanIn)
		bound := 1 / math.Sqrt(float64(fanIn))
		var mx, sum2 float64
		for _, v := range w.Data {
			mx = math.Max(mx, math.Abs(float64(v)))
			sum2 += float64(v) * float64(v)
		}
		assert.LessOrEqual(t, mx, bound)
		assert.Greater(t, mx, 0.99*bound)
		// variance of U(−b, b) is b²/3
		assert.InDelta(t, bound*bound/3, sum2/float64(len(w.Data)), 0.03*bound*bound/3)
	}
}

func TestRNGStateRoundTrip(t *testing.T) {
	r := tensor.NewRNG(42)
	r.Float64()
	state, err := r.MarshalBinary()
	require.NoError(t, err)
	a := []float64{r.Float64(), r.NormFloat64(), float64(r.IntN(1000))}
	r2 := tensor.NewRNG(0)
	require.NoError(t, r2.UnmarshalBinary(state))
	b := []float64{r2.Float64(), r2.NormFloat64(), float64(r2.IntN(1000))}
	assert.Equal(t, a, b)
	assert.NotEqual(t, tensor.NewRNG(1).Float64(), tensor.NewRNG(2).Float64())
}
