package data

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCropFlip(t *testing.T) {
	src := []uint8{ // one 3×3 plane, then a second plane of 10·(first)
		1, 2, 3,
		4, 5, 6,
		7, 8, 9,
		10, 20, 30,
		40, 50, 60,
		70, 80, 90,
	}
	for _, tc := range []struct {
		name   string
		dx, dy int
		flip   bool
		want   []uint8 // first plane
	}{
		{"centre is identity", 1, 1, false, []uint8{1, 2, 3, 4, 5, 6, 7, 8, 9}},
		{"top-left shifts down-right", 0, 0, false, []uint8{0, 0, 0, 0, 1, 2, 0, 4, 5}},
		{"right edge shifts left", 2, 1, false, []uint8{2, 3, 0, 5, 6, 0, 8, 9, 0}},
		{"bottom shifts up", 1, 2, false, []uint8{4, 5, 6, 7, 8, 9, 0, 0, 0}},
		{"flip", 1, 1, true, []uint8{3, 2, 1, 6, 5, 4, 9, 8, 7}},
		{"crop then flip", 2, 0, true, []uint8{0, 0, 0, 0, 3, 2, 0, 6, 5}}, // crop rows [2 3 0] → flip [0 3 2]
	} {
		t.Run(tc.name, func(t *testing.T) {
			dst := make([]uint8, 18)
			for i := range dst {
				dst[i] = 77 // every byte must be written
			}
			cropFlip(dst, src, 2, 3, 3, 1, tc.dx, tc.dy, tc.flip)
			assert.Equal(t, tc.want, dst[:9])
			for i, v := range tc.want {
				assert.Equal(t, 10*v, dst[9+i], "second plane, byte %d", i)
			}
		})
	}
}

func TestCutout(t *testing.T) {
	for _, tc := range []struct {
		name           string
		length, cy, cx int
		zero           [][2]int // (y, x) zeroed in both channels
	}{
		{"corner clipped", 2, 0, 3, [][2]int{{0, 2}, {0, 3}}},
		{"inside", 2, 2, 1, [][2]int{{1, 0}, {1, 1}, {2, 0}, {2, 1}}},
		{"odd length floors", 3, 1, 1, [][2]int{{0, 0}, {0, 1}, {1, 0}, {1, 1}}},
		{"larger than image", 16, 2, 2, func() (z [][2]int) {
			for y := range 4 {
				for x := range 4 {
					z = append(z, [2]int{y, x})
				}
			}
			return z
		}()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			img := make([]float32, 2*16)
			for i := range img {
				img[i] = -1.5
			}
			cutout(img, 2, 4, 4, tc.length, tc.cy, tc.cx)
			want := make([]float32, 2*16)
			for i := range want {
				want[i] = -1.5
			}
			for _, z := range tc.zero {
				want[z[0]*4+z[1]], want[16+z[0]*4+z[1]] = 0, 0
			}
			assert.Equal(t, want, img)
		})
	}
}

// TestCropFlipReference compares cropFlip with its doc comment's reference loop for every offset and flip.
func TestCropFlipReference(t *testing.T) {
	const c, h, w, pad = 2, 4, 5, 2
	src := make([]uint8, c*h*w)
	for i := range src {
		src[i] = uint8(1 + i*37%251)
	}
	for dy := range 2*pad + 1 {
		for dx := range 2*pad + 1 {
			for _, flip := range []bool{false, true} {
				want := make([]uint8, len(src))
				for ch := range c {
					for y := range h {
						for x := range w {
							xs := x
							if flip {
								xs = w - 1 - x
							}
							v, u := y+dy-pad, xs+dx-pad
							if v >= 0 && v < h && u >= 0 && u < w {
								want[(ch*h+y)*w+x] = src[(ch*h+v)*w+u]
							}
						}
					}
				}
				got := make([]uint8, len(src))
				cropFlip(got, src, c, h, w, pad, dx, dy, flip)
				assert.Equal(t, want, got, "dx %d dy %d flip %v", dx, dy, flip)
			}
		}
	}
}
