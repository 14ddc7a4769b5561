package kernels

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestClearAndScaleInto: the spread helpers give exactly the serial loop's
// result at any worker count, below and above spreadMin, and leave the
// elements past the length alone.
func TestClearAndScaleInto(t *testing.T) {
	defer SetWorkers(Workers())
	r := rand.New(rand.NewPCG(60, 61))
	for _, nw := range []int{1, 2, 5} {
		SetWorkers(nw)
		for _, n := range []int{0, 7, spreadMin - 1, spreadMin, 3*spreadMin + 11} {
			src := randSlice(r, n)
			dst := randSlice(r, n+5)
			tail := append([]float32(nil), dst[n:]...)
			ScaleInto(dst, src, -0.37)
			for i, v := range src {
				require.Equal(t, -0.37*v, dst[i], "workers=%d n=%d i=%d", nw, n, i)
			}
			require.Equal(t, tail, dst[n:])
			Clear(dst[:n])
			require.Equal(t, make([]float32, n), dst[:n])
			require.Equal(t, tail, dst[n:])
		}
	}
}
