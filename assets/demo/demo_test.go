package demo_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/assets/demo"
	"github.com/nasplayground/nas/core/data"
)

func TestDemoSets(t *testing.T) {
	for _, tc := range []struct {
		name     string
		load     func() (*data.Dataset, error)
		n        int
		perClass int
	}{
		{"train", demo.Train, 2000, 200},
		{"test", demo.Test, 500, 50},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := tc.load()
			require.NoError(t, err)
			assert.Equal(t, []int{tc.n, 3, 16, 16}, []int{d.N, d.C, d.H, d.W})
			assert.Equal(t, data.CIFAR10Classes, d.Classes)
			for c, n := range d.Counts() {
				assert.Equal(t, tc.perClass, n, "class %d", c)
			}
			tr, va := d.Split(data.DefaultPortion)
			for c := range 10 {
				assert.Equal(t, tc.perClass/2, tr.Counts()[c], "w-train class %d", c)
				assert.Equal(t, tc.perClass/2, va.Counts()[c], "α-val class %d", c)
			}
			via, err := data.Load("demo", "", tc.name == "train") // registered by the import
			require.NoError(t, err)
			assert.Equal(t, d.Pixels, via.Pixels)
			fromDir, err := data.Load("demo", ".", tc.name == "train") // the files themselves
			require.NoError(t, err)
			assert.Equal(t, d.Labels, fromDir.Labels)
			assert.Equal(t, d.Pixels, fromDir.Pixels)
		})
	}
}

// TestDemoDerivation checks every demo image is the 2×2 area average of a distinct image of the source,
// with its label, when the shared CIFAR-10 copy is there.
func TestDemoDerivation(t *testing.T) {
	src := ""
	for _, d := range []string{os.Getenv("NAS_SHARED"), "../../../shared/data"} {
		if _, err := os.Stat(filepath.Join(d, "cifar-10-batches-bin", "test_batch.bin")); d != "" && err == nil {
			src = filepath.Join(d, "cifar-10-batches-bin")
		}
	}
	if src == "" {
		t.Skip("shared CIFAR-10 not found (../shared/data from the repo root, or $NAS_SHARED): skipping")
	}
	for _, tc := range []struct {
		file string
		load func() (*data.Dataset, error)
	}{{"data_batch_1.bin", demo.Train}, {"test_batch.bin", demo.Test}} {
		t.Run(tc.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join(src, tc.file))
			require.NoError(t, err)
			defer f.Close()
			full, err := data.ReadCIFAR10Records(f, tc.file, 32, 32)
			require.NoError(t, err)
			small := data.Downsample(full, 2)
			index := map[string]int{}
			for i := range small.N {
				index[string(small.Image(i))+string(rune(small.Labels[i]))] = i
			}
			d, err := tc.load()
			require.NoError(t, err)
			used := map[int]bool{}
			for i := range d.N {
				j, ok := index[string(d.Image(i))+string(rune(d.Labels[i]))]
				require.True(t, ok, "demo image %d is no downsampled %s image", i, tc.file)
				assert.False(t, used[j], "source image %d used twice", j)
				used[j] = true
			}
		})
	}
}
