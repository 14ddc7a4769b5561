package data_test

import (
	"encoding/binary"
	"encoding/json"
	"hash/fnv"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/data"
)

// labelled returns n random-looking 3×8×8 images named "cifar10" whose label is their index.
func labelled(n int) *data.Dataset {
	d := &data.Dataset{Name: "cifar10", N: n, C: 3, H: 8, W: 8, Pixels: make([]uint8, n*3*64)}
	for i := range d.Pixels {
		d.Pixels[i] = uint8(i*7 + i/13)
	}
	for i := range n {
		d.Labels = append(d.Labels, uint8(i))
	}
	return d
}

// batches runs k batches of 4 and returns copies of the labels and pixels of each.
func batches(l *data.Loader, k int) (labels [][]int32, xs [][]float32) {
	ds := l.Dataset()
	const bs = 4
	x := make([]float32, bs*ds.ImageSize())
	y := make([]int32, bs)
	for range k {
		n := l.Next(x, y)
		labels = append(labels, append([]int32(nil), y[:n]...))
		xs = append(xs, append([]float32(nil), x[:n*ds.ImageSize()]...))
	}
	return labels, xs
}

func TestLoaderEpochs(t *testing.T) {
	full := data.Augment{Crop: 2, Flip: true, Cutout: 4}
	for _, tc := range []struct {
		name    string
		shuffle bool
	}{{"shuffled", true}, {"file order", false}} {
		t.Run(tc.name, func(t *testing.T) {
			l := data.NewLoader(labelled(10), 4, tc.shuffle, full, 1)
			require.Equal(t, 3, l.BatchesPerEpoch())
			var orders [][]int32
			for epoch := range 3 {
				assert.Equal(t, epoch, l.Epoch())
				var order []int32
				ys, _ := batches(l, 3)
				assert.Equal(t, []int{4, 4, 2}, []int{len(ys[0]), len(ys[1]), len(ys[2])}, "short last batch")
				for _, y := range ys {
					order = append(order, y...)
				}
				seen := map[int32]int{}
				for _, v := range order {
					seen[v]++
				}
				assert.Len(t, seen, 10, "every image once per epoch")
				orders = append(orders, order)
				assert.Equal(t, 0, l.Pos())
			}
			if tc.shuffle {
				assert.NotEqual(t, orders[0], orders[1], "reshuffled each epoch")
			} else {
				assert.Equal(t, []int32{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, orders[2])
			}
		})
	}
}

func TestLoaderDeterminismAndRestore(t *testing.T) {
	aug := data.Augment{Crop: 2, Flip: true, Cutout: 4}
	ds := labelled(10)
	ya, xa := batches(data.NewLoader(ds, 4, true, aug, 7), 10)
	yb, xb := batches(data.NewLoader(ds, 4, true, aug, 7), 10)
	assert.Equal(t, ya, yb)
	assert.Equal(t, xa, xb, "same seed, same batches")
	_, xc := batches(data.NewLoader(ds, 4, true, aug, 8), 8)
	assert.NotEqual(t, xa, xc, "another seed")

	for _, k := range []int{0, 2, 3, 5} { // restore mid-epoch and on epoch boundaries
		a := data.NewLoader(ds, 4, true, aug, 7)
		batches(a, k)
		js, err := json.Marshal(a.State())
		require.NoError(t, err)
		var st data.LoaderState
		require.NoError(t, json.Unmarshal(js, &st))
		b := data.NewLoader(ds, 4, true, aug, 12345)
		require.NoError(t, b.Restore(st))
		assert.Equal(t, a.Epoch(), b.Epoch())
		assert.Equal(t, a.Pos(), b.Pos())
		y1, x1 := batches(a, 5)
		y2, x2 := batches(b, 5)
		assert.Equal(t, y1, y2, "after %d batches", k)
		assert.Equal(t, x1, x2, "after %d batches", k)
		assert.Equal(t, ya[k:k+5], y1, "continues the original run")
	}
}

func TestLoaderEmpty(t *testing.T) {
	l := data.NewLoader(&data.Dataset{Name: "cifar10", C: 3, H: 2, W: 2}, 4, true, data.DARTSAugment, 1)
	assert.Equal(t, 0, l.Next(nil, nil))
	assert.Equal(t, 0, l.Epoch())
	assert.Equal(t, 0, l.BatchesPerEpoch())
}

func TestLoaderRestoreErrors(t *testing.T) {
	l := data.NewLoader(labelled(4), 2, true, data.Augment{}, 1)
	good := l.State()
	for _, tc := range []struct {
		name   string
		change func(s *data.LoaderState)
		want   string
	}{
		{"size", func(s *data.LoaderState) { s.N = 5 }, "loader state for 5 images (perm 4), want 4"},
		{"pos", func(s *data.LoaderState) { s.Pos = 4 }, "pos 4, want epoch >= 0 and pos in [0, 4)"},
		{"perm", func(s *data.LoaderState) { s.Perm = []int{0, 1, 1, 2} }, "perm[2] = 1 is not part of a permutation of 0..3"},
		{"rng", func(s *data.LoaderState) { s.RNG = []byte("x") }, "loader state rng:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := good
			s.Perm = append([]int(nil), good.Perm...)
			tc.change(&s)
			assert.ErrorContains(t, l.Restore(s), tc.want)
		})
	}
}

func TestLoaderNormalisation(t *testing.T) {
	// A white 3×8×8 "cifar10" image: without augmentation every value is (1-mean)/std; with a crop the
	// zero padding becomes -mean/std (torchvision pads the PIL image with 0 before ToTensor and Normalize);
	// cutout writes exact zeros after normalisation.
	ds := &data.Dataset{Name: "cifar10", N: 1, C: 3, H: 8, W: 8, Pixels: make([]uint8, 192), Labels: []uint8{0}}
	for i := range ds.Pixels {
		ds.Pixels[i] = 255
	}
	mean, std := data.Stats("cifar10")
	x := make([]float32, 192)
	y := make([]int32, 1)
	for _, tc := range []struct {
		name string
		aug  data.Augment
	}{{"none", data.Augment{}}, {"crop", data.Augment{Crop: 2}}, {"cutout", data.Augment{Cutout: 4}}} {
		t.Run(tc.name, func(t *testing.T) {
			l := data.NewLoader(ds, 1, false, tc.aug, 3)
			padded, cut := 0, 0
			for range 20 {
				require.Equal(t, 1, l.Next(x, y))
				for c := range 3 {
					for _, v := range x[c*64 : (c+1)*64] {
						switch v {
						case (1 - mean[c]) / std[c]:
						case -mean[c] / std[c]:
							padded++
						case 0:
							cut++
						default:
							t.Fatalf("channel %d value %v", c, v)
						}
					}
				}
			}
			assert.Equal(t, tc.aug.Crop > 0, padded > 0, "padding seen")
			assert.Equal(t, tc.aug.Cutout > 0, cut > 0, "cutout seen")
		})
	}
}

func TestLoaderNoAllocs(t *testing.T) {
	ds := labelled(10)
	l := data.NewLoader(ds, 4, true, data.Augment{Crop: 2, Flip: true, Cutout: 4}, 1)
	x := make([]float32, 4*ds.ImageSize())
	y := make([]int32, 4)
	// AllocsPerRun averages with integer division: count a whole run of 30 batches (10 reshuffles) as one.
	assert.Zero(t, testing.AllocsPerRun(5, func() {
		for range 30 {
			l.Next(x, y)
		}
	}))
}

// TestLoaderGolden pins the batches of one seed, so native and js/wasm runs (go test -exec go_js_wasm_exec)
// are checked to replay identically. The hash was recorded natively; a change of the draw order changes it.
func TestLoaderGolden(t *testing.T) {
	l := data.NewLoader(labelled(10), 4, true, data.Augment{Crop: 2, Flip: true, Cutout: 4}, 42)
	ys, xs := batches(l, 7)
	h := fnv.New64a()
	for i := range ys {
		for _, y := range ys[i] {
			h.Write([]byte{byte(y)})
		}
		for _, v := range xs[i] {
			h.Write(binary.LittleEndian.AppendUint32(nil, math.Float32bits(v)))
		}
	}
	assert.Equal(t, uint64(0x27c8085e3b71f197), h.Sum64())
}

// BenchmarkLoaderNext measures one DARTS-augmented batch of 64 CIFAR-sized images.
func BenchmarkLoaderNext(b *testing.B) {
	ds := &data.Dataset{Name: "cifar10", N: 256, C: 3, H: 32, W: 32, Pixels: make([]uint8, 256*3072), Labels: make([]uint8, 256)}
	l := data.NewLoader(ds, 64, true, data.Augment{Crop: 4, Flip: true, Cutout: 16}, 1)
	x := make([]float32, 64*3072)
	y := make([]int32, 64)
	for b.Loop() {
		l.Next(x, y)
	}
	b.ReportMetric(64*float64(b.N)/b.Elapsed().Seconds(), "images/s")
}
