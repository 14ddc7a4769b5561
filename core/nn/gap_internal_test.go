package nn

import "testing"

// What follows a region of n floats and its gap starts 2 KiB from the
// region's start modulo 4 KiB, with a gap under 4 KiB.
func TestHalfPeriodGap(t *testing.T) {
	for _, n := range []int{0, 1, 64, 511, 512, 513, 1024, 16 * 1024, 16*1024 + 3, 32 * 49} {
		g := halfPeriodGap(n)
		if g < 0 || g >= 1024 || (n+g)%1024 != 512 {
			t.Errorf("halfPeriodGap(%d) = %d: the next region at %d floats mod 1024, want 512", n, g, (n+g)%1024)
		}
	}
}
