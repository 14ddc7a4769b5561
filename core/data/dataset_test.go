package data_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/data"
)

// counting returns a data set of n 1×1×2 images whose pixels are (i, i) and labels i%10.
func counting(n int) *data.Dataset {
	d := &data.Dataset{Name: "t", N: n, C: 1, H: 1, W: 2}
	for i := range n {
		d.Pixels = append(d.Pixels, uint8(i), uint8(i))
		d.Labels = append(d.Labels, uint8(i%10))
	}
	return d
}

func TestSplit(t *testing.T) {
	for _, tc := range []struct {
		name         string
		n            int
		portion      float64
		ntrain, nval int
	}{
		{"darts half", 10, data.DefaultPortion, 5, 5},
		{"odd floors", 7, 0.5, 3, 4},
		{"all train", 4, 1, 4, 0},
		{"all val", 4, 0, 0, 4},
		{"0.9 of 11", 11, 0.9, 9, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr, va := counting(tc.n).Split(tc.portion)
			require.Equal(t, tc.ntrain, tr.N)
			require.Equal(t, tc.nval, va.N)
			for i := range tr.N {
				assert.Equal(t, []uint8{uint8(i), uint8(i)}, tr.Image(i), "train in file order")
			}
			for i := range va.N {
				assert.Equal(t, uint8((tc.ntrain+i)%10), va.Labels[i], "val follows train")
			}
		})
	}
	assert.Panics(t, func() { counting(2).Split(1.5) })
}

func TestSubsetCopies(t *testing.T) {
	d := counting(5)
	s := d.Subset([]int{4, 1})
	assert.Equal(t, []uint8{4, 4, 1, 1}, s.Pixels)
	assert.Equal(t, []uint8{4, 1}, s.Labels)
	s.Pixels[0] = 99
	assert.Equal(t, uint8(4), d.Image(4)[0], "Subset copies pixels")
}

func TestDownsample(t *testing.T) {
	// One 4×4 plane worked by hand, blocks of 2×2:
	//   1  3 | 10 10      (1+3+5+8)/4 = 4.25 → 4     (10+10+20+21)/4 = 15.25 → 15
	//   5  8 | 20 21
	//   ---------------
	//   0  0 | 255 255    (0+0+0+1)/4 = 0.25 → 0      (255+255+254+255)/4 = 254.75 → 255
	//   0  1 | 254 255
	// and a second channel 2,2,2,... with one 3 per block: (2+2+2+3)/4 = 2.25 → 2; plus a block 1,1,2,2 = 1.5 → 2.
	d := &data.Dataset{N: 1, C: 2, H: 4, W: 4, Labels: []uint8{7}, Pixels: []uint8{
		1, 3, 10, 10,
		5, 8, 20, 21,
		0, 0, 255, 255,
		0, 1, 254, 255,

		2, 2, 1, 1,
		2, 3, 2, 2,
		2, 2, 2, 2,
		3, 2, 2, 3,
	}}
	got := data.Downsample(d, 2)
	assert.Equal(t, []int{1, 2, 2, 2}, []int{got.N, got.C, got.H, got.W})
	assert.Equal(t, []uint8{4, 15, 0, 255, 2, 2, 2, 2}, got.Pixels)
	assert.Equal(t, []uint8{7}, got.Labels)
	assert.Equal(t, d.Pixels, data.Downsample(d, 1).Pixels)
	assert.Equal(t, []uint8{(1 + 3 + 10 + 10 + 5 + 8 + 20 + 21 + 0 + 0 + 255 + 255 + 0 + 1 + 254 + 255 + 8) / 16, (2*11 + 1*2 + 3*3 + 8) / 16},
		data.Downsample(d, 4).Pixels, "4×4 → 1×1 rounds half up")
}

func TestStatsAndMeanStd(t *testing.T) {
	m, s := data.Stats("cifar10")
	assert.Equal(t, []float32{0.49139968, 0.48215827, 0.44653124}, m, "quark0/darts utils.py CIFAR_MEAN")
	assert.Equal(t, []float32{0.24703233, 0.24348505, 0.26158768}, s, "quark0/darts utils.py CIFAR_STD")
	m, s = data.Stats("nope")
	assert.Nil(t, m)
	assert.Nil(t, s)
	// Pixels 0 and 255 in equal numbers: mean 0.5, population std 0.5.
	d := &data.Dataset{N: 2, C: 1, H: 1, W: 1, Pixels: []uint8{0, 255}, Labels: []uint8{0, 0}}
	m, s = data.MeanStd(d)
	assert.InDeltaSlice(t, []float32{0.5}, m, 1e-7)
	assert.InDeltaSlice(t, []float32{0.5}, s, 1e-7)
}

func TestLoadErrors(t *testing.T) {
	for _, tc := range []struct{ name, dir, want string }{
		{"cifar10", "", "data: cifar10 needs a data directory (--data)"},
		{"mnist", "", "data: mnist needs a data directory (--data)"},
		{"imagenet", "", `data: unknown data set "imagenet", want one of cifar10, demo, fashion-mnist, mnist`},
		{"demo", "/nonexistent", "demo: open /nonexistent/cifar10_16_train.bin.gz"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := data.Load(tc.name, tc.dir, true)
			assert.ErrorContains(t, err, tc.want)
		})
	}
}
