package data_test

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/data"
)

// idxFile builds an IDX file: magic, big-endian dims, then payload.
func idxFile(magic uint32, dims []uint32, payload []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, magic)
	for _, d := range dims {
		b = binary.BigEndian.AppendUint32(b, d)
	}
	return append(b, payload...)
}

// tinyIDX is a valid pair: two 2×3 images (0..5 and 10..15), labels 1 and 4.
func tinyIDX() (images, labels []byte) {
	return idxFile(0x803, []uint32{2, 2, 3}, []byte{0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15}),
		idxFile(0x801, []uint32{2}, []byte{1, 4})
}

func TestReadIDX(t *testing.T) {
	im, lb := tinyIDX()
	for _, tc := range []struct {
		name   string
		im, lb []byte
	}{
		{"plain", im, lb},
		{"gzip images", gz(t, im), lb},
		{"gzip both", gz(t, im), gz(t, lb)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := data.ReadIDX(bytes.NewReader(tc.im), bytes.NewReader(tc.lb), "im", "lb")
			require.NoError(t, err)
			assert.Equal(t, []int{2, 1, 2, 3}, []int{d.N, d.C, d.H, d.W})
			assert.Equal(t, []uint8{10, 11, 12, 13, 14, 15}, d.Image(1))
			assert.Equal(t, []uint8{1, 4}, d.Labels)
			assert.Equal(t, []string{"0", "1", "2", "3", "4"}, d.Classes)
		})
	}
}

func TestIDXErrors(t *testing.T) {
	im, lb := tinyIDX()
	for _, tc := range []struct {
		name   string
		im, lb []byte
		want   string
	}{
		{"images magic", idxFile(0x801, []uint32{2}, []byte{1, 4}), lb, "idx: /d/im: magic 0x00000801, want 0x00000803"},
		{"labels magic", im, im, "idx: /d/lb: magic 0x00000803, want 0x00000801"},
		{"truncated images", im[:len(im)-1], lb, "idx: /d/im: size 27, want 28 (header 16 + [2 2 3] bytes)"},
		{"long images", append(append([]byte(nil), im...), 9), lb, "idx: /d/im: size 29 or more, want 28 (header 16 + [2 2 3] bytes)"},
		{"truncated labels gz", im, gz(t, lb[:9]), "idx: /d/lb: size 9, want 10 (header 8 + [2] bytes)"},
		{"short header", im[:10], lb, "idx: /d/im: size 10, shorter than the 16-byte header"},
		{"no magic", im[:3], lb, "idx: /d/im: size 3, shorter than the 4-byte magic"},
		{"zero dim", idxFile(0x803, []uint32{2, 0, 3}, nil), lb, "idx: /d/im: dimension 1 is 0"},
		{"count mismatch", im, idxFile(0x801, []uint32{3}, []byte{1, 2, 3}), "idx: /d/im has 2 images but /d/lb has 3 labels"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := data.ReadIDX(bytes.NewReader(tc.im), bytes.NewReader(tc.lb), "/d/im", "/d/lb")
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestLoadMNISTNames(t *testing.T) {
	im, lb := tinyIDX()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "t10k-images-idx3-ubyte"), im, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "t10k-labels-idx1-ubyte.gz"), gz(t, lb), 0o644))
	d, err := data.LoadMNIST(dir, false)
	require.NoError(t, err)
	assert.Equal(t, "mnist", d.Name)
	assert.Equal(t, data.MNISTClasses, d.Classes)
	_, err = data.LoadMNIST(dir, true)
	assert.ErrorContains(t, err, "mnist: neither train-images-idx3-ubyte nor train-images-idx3-ubyte.gz in "+dir)
}

func TestRealFashionMNIST(t *testing.T) {
	if _, err := os.Stat(data.FashionMNISTDir); err != nil {
		t.Skip("Fashion-MNIST not installed (apt-get install dataset-fashion-mnist): skipping")
	}
	for _, tc := range []struct {
		train bool
		n     int
	}{{true, 60000}, {false, 10000}} {
		d, err := data.Load("fashion-mnist", "", tc.train)
		require.NoError(t, err)
		assert.Equal(t, []int{tc.n, 1, 28, 28}, []int{d.N, d.C, d.H, d.W})
		for c, n := range d.Counts() {
			assert.Equal(t, tc.n/10, n, "class %d", c)
		}
		if tc.train { // Stats holds the usual constants; recompute them from the pixels
			mean, std := data.MeanStd(d)
			wm, ws := data.Stats("fashion-mnist")
			assert.InDelta(t, wm[0], mean[0], 1e-6)
			assert.InDelta(t, ws[0], std[0], 1e-6)
		}
	}
}
