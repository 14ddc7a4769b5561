package data_test

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/data"
)

// record builds one CIFAR-10 record of an h×w image whose R, G, B planes are filled by f(c, y, x).
func record(label uint8, h, w int, f func(c, y, x int) uint8) []byte {
	b := []byte{label}
	for c := range 3 {
		for y := range h {
			for x := range w {
				b = append(b, f(c, y, x))
			}
		}
	}
	return b
}

// twoImages is a hand-made file of two 32×32 records: label 3 with R=y, G=x, B=7; label 9 all 200.
func twoImages() []byte {
	a := record(3, 32, 32, func(c, y, x int) uint8 { return []uint8{uint8(y), uint8(x), 7}[c] })
	b := record(9, 32, 32, func(c, y, x int) uint8 { return 200 })
	return append(a, b...)
}

func gz(t testing.TB, b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, err := zw.Write(b)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

func TestReadCIFAR10Records(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []byte
	}{
		{"plain", twoImages()},
		{"gzip", gz(t, twoImages())},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := data.ReadCIFAR10Records(bytes.NewReader(tc.in), "x.bin", 32, 32)
			require.NoError(t, err)
			assert.Equal(t, 2, d.N)
			assert.Equal(t, []int{3, 32, 32}, []int{d.C, d.H, d.W})
			assert.Equal(t, []uint8{3, 9}, d.Labels)
			assert.Len(t, d.Pixels, 2*3072)
			img := d.Image(0)
			assert.Equal(t, uint8(5), img[0*1024+5*32+17], "R = y")
			assert.Equal(t, uint8(17), img[1*1024+5*32+17], "G = x")
			assert.Equal(t, uint8(7), img[2*1024+5*32+17], "B = 7")
			assert.Equal(t, uint8(200), d.Image(1)[3071])
			assert.Equal(t, data.CIFAR10Classes, d.Classes)
		})
	}
}

func TestLoadCIFAR10(t *testing.T) {
	dir := t.TempDir()
	two := twoImages()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "data_batch_2.bin"), two[3073:], 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "data_batch_1.bin"), two[:3073], 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "test_batch.bin"), two, 0o644))
	names := "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "batches.meta.txt"), []byte(names), 0o644))

	train, err := data.LoadCIFAR10(dir, true)
	require.NoError(t, err)
	assert.Equal(t, []uint8{3, 9}, train.Labels, "batches in name order")
	assert.Equal(t, "j", train.Classes[9])
	test, err := data.LoadCIFAR10(dir, false)
	require.NoError(t, err)
	assert.Equal(t, 2, test.N)
	assert.Equal(t, train.Pixels, test.Pixels)
}

func TestCIFAR10Errors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string][]byte
		train bool
		want  string
	}{
		{"truncated", map[string][]byte{"data_batch_1.bin": make([]byte, 3000)}, true,
			"data_batch_1.bin: size 3000 is not a multiple of 3073 bytes (want 30730000)"},
		{"one byte long", map[string][]byte{"test_batch.bin": append(twoImages(), 0)}, false,
			"test_batch.bin: size 6147 is not a multiple of 3073 bytes (want 30730000)"},
		{"empty", map[string][]byte{"test_batch.bin": nil}, false,
			"test_batch.bin: size 0 is not a multiple of 3073 bytes (want 30730000)"},
		{"bad label", map[string][]byte{"test_batch.bin": record(10, 32, 32, func(c, y, x int) uint8 { return 0 })}, false,
			"record 0 (offset 0) has label 10, want 0..9"},
		{"no batches", map[string][]byte{"test_batch.bin": twoImages()}, true, "no data_batch_*.bin files in "},
		{"no test", map[string][]byte{"data_batch_1.bin": twoImages()}, false, "test_batch.bin"},
		{"bad meta", map[string][]byte{"test_batch.bin": twoImages(), "batches.meta.txt": []byte("a\nb\n")}, false,
			"batches.meta.txt: 2 class names, want 10"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, b := range tc.files {
				require.NoError(t, os.WriteFile(filepath.Join(dir, name), b, 0o644))
			}
			_, err := data.LoadCIFAR10(dir, tc.train)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Contains(t, err.Error(), dir, "the error names the file or dir")
			assert.NotContains(t, err.Error(), "\n")
		})
	}
	_, err := data.ReadCIFAR10Records(bytes.NewReader(make([]byte, 800)), "demo.bin", 16, 16)
	assert.EqualError(t, err, "cifar10: demo.bin: size 800 is not a multiple of 769 bytes (want 1538)")
}

// findShared returns the shared data folder (../shared/data from the repo root, or $NAS_SHARED) or "".
func findShared() string {
	for _, d := range []string{os.Getenv("NAS_SHARED"), "../../../shared/data"} {
		if st, err := os.Stat(filepath.Join(d, "cifar-10-batches-bin")); d != "" && err == nil && st.IsDir() {
			return d
		}
	}
	return ""
}

// sharedData returns findShared(), skipping the test when it is absent.
func sharedData(t *testing.T) string {
	t.Helper()
	d := findShared()
	if d == "" {
		t.Skip("shared data not found (../shared/data from the repo root, or $NAS_SHARED): skipping real CIFAR-10 checks")
	}
	return d
}

func TestRealCIFAR10(t *testing.T) {
	dir := filepath.Join(sharedData(t), "cifar-10-batches-bin")
	for _, train := range []bool{true, false} {
		d, err := data.Load("cifar10", dir, train)
		require.NoError(t, err)
		assert.Equal(t, 0, d.N%10000)
		for c, n := range d.Counts() {
			assert.Equal(t, d.N/10, n, "class %d", c)
		}
		assert.Equal(t, data.CIFAR10Classes, d.Classes, "batches.meta.txt")
		if train {
			// The README's 125.27/122.93/113.86 is the mean over all 50,000 train images; the shared folder
			// keeps data_batch_1 only (measured 125.82/123.19/114.00), a 1/5 sample, so it gets a loose band.
			tol := 0.01
			if d.N != 50000 {
				tol = 1.0
			}
			mean, std := data.MeanStd(d)
			assert.InDeltaSlice(t, []float64{125.27, 122.93, 113.86},
				[]float64{float64(mean[0]) * 255, float64(mean[1]) * 255, float64(mean[2]) * 255}, tol)
			dm, ds := data.Stats("cifar10")
			for c := range 3 { // the official 50,000 give the DARTS constants; this JPEG copy is close
				assert.InDelta(t, dm[c], mean[c], 0.005)
				assert.InDelta(t, ds[c], std[c], 0.005)
			}
		}
	}
}
