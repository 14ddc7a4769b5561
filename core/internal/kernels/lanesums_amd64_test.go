//go:build goexperiment.simd && amd64 && !noasm

package kernels

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestLaneSums8: each row's sum lands in its own slot (integer lanes, where
// every order of the adds is exact), and random lanes sum to within rounding.
func TestLaneSums8(t *testing.T) {
	var l [64]float32
	for i := range l {
		l[i] = float32(100*(i/8) + i%8) // row k: 100k + 0..7
	}
	got := laneSums8(&l)
	for k, v := range got {
		require.Equal(t, float32(800*k+28), v, "row %d", k)
	}
	r := rand.New(rand.NewPCG(40, 41))
	for i := range l {
		l[i] = r.Float32()*2 - 1
	}
	got = laneSums8(&l)
	for k, v := range got {
		var want float64
		for _, x := range l[8*k : 8*k+8] {
			want += float64(x)
		}
		require.InDelta(t, want, v, 1e-5, "row %d", k)
	}
}
