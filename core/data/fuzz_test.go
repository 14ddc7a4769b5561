package data_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/data"
)

// consistent checks the invariants every decoded Dataset must hold.
func consistent(t *testing.T, d *data.Dataset) {
	require.Equal(t, d.N*d.C*d.H*d.W, len(d.Pixels))
	require.Equal(t, d.N, len(d.Labels))
	for i, l := range d.Labels {
		require.Less(t, int(l), len(d.Classes), "label %d", i)
	}
}

func FuzzReadCIFAR10(f *testing.F) {
	seed := twoImages()
	if dir := findShared(); dir != "" { // a few records of the real file
		fh, err := os.Open(filepath.Join(dir, "cifar-10-batches-bin", "data_batch_1.bin"))
		require.NoError(f, err)
		seed = make([]byte, 3*3073)
		_, err = io.ReadFull(fh, seed)
		fh.Close()
		require.NoError(f, err)
	}
	f.Add(seed, uint8(32), uint8(32))
	f.Add(gz(f, seed), uint8(32), uint8(32))
	f.Add(seed[:769*2], uint8(16), uint8(16))
	f.Add([]byte{1, 2, 3, 4}, uint8(1), uint8(1))
	f.Fuzz(func(t *testing.T, b []byte, h, w uint8) {
		d, err := data.ReadCIFAR10Records(bytes.NewReader(b), "fuzz", int(h%40), int(w%40))
		if err != nil {
			return
		}
		consistent(t, d)
		assert.Equal(t, 3, d.C)
		if len(b) > 1 && !(b[0] == 0x1f && b[1] == 0x8b) { // a plain stream re-encodes to itself
			var re []byte
			for i := range d.N {
				re = append(re, d.Labels[i])
				re = append(re, d.Image(i)...)
			}
			assert.Equal(t, b, re)
		}
	})
}

func FuzzReadIDX(f *testing.F) {
	im, lb := tinyIDX()
	f.Add(im, lb)
	f.Add(gz(f, im), gz(f, lb))
	f.Add(im[:20], lb)
	f.Fuzz(func(t *testing.T, im, lb []byte) {
		d, err := data.ReadIDX(bytes.NewReader(im), bytes.NewReader(lb), "im", "lb")
		if err != nil {
			return
		}
		consistent(t, d)
		assert.Equal(t, 1, d.C)
		// Plain files re-encode to themselves: nothing was skipped or invented.
		if len(im) > 1 && !(im[0] == 0x1f && im[1] == 0x8b) {
			assert.Equal(t, im, idxFile(0x803, []uint32{uint32(d.N), uint32(d.H), uint32(d.W)}, d.Pixels))
		}
		if len(lb) > 1 && !(lb[0] == 0x1f && lb[1] == 0x8b) {
			assert.Equal(t, lb, idxFile(0x801, []uint32{uint32(d.N)}, d.Labels))
		}
	})
}

// FuzzIDXRoundTrip: any images and labels written as IDX (plain or gzipped)
// read back equal: the same N, H, W, pixels and labels. Sizes are kept small
// (N <= 16, H, W <= 16) and the gzip writer is reused, so a run reaches 1M
// execs in minutes on a busy 2-core machine.
func FuzzIDXRoundTrip(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15}, []byte{1, 4}, uint8(2), uint8(3), false)
	f.Add([]byte{255}, []byte{9}, uint8(1), uint8(1), true)
	f.Add(bytes.Repeat([]byte{7, 200}, 16*16), []byte{3, 0}, uint8(16), uint8(16), true)
	zw := gzip.NewWriter(io.Discard)
	gzipped := func(b []byte) []byte {
		var buf bytes.Buffer
		zw.Reset(&buf)
		_, _ = zw.Write(b)
		_ = zw.Close()
		return buf.Bytes()
	}
	f.Fuzz(func(t *testing.T, pix, labels []byte, h, w uint8, compress bool) {
		n, hh, ww := len(labels), int(h%16)+1, int(w%16)+1
		if n == 0 || n > 16 {
			return
		}
		img := make([]byte, n*hh*ww)
		for i := range img { // the fuzzed bytes, cycled to fill N×H×W
			if len(pix) > 0 {
				img[i] = pix[i%len(pix)]
			}
		}
		imf := idxFile(0x803, []uint32{uint32(n), uint32(hh), uint32(ww)}, img)
		lbf := idxFile(0x801, []uint32{uint32(n)}, labels)
		if compress {
			imf, lbf = gzipped(imf), gzipped(lbf)
		}
		d, err := data.ReadIDX(bytes.NewReader(imf), bytes.NewReader(lbf), "im", "lb")
		require.NoError(t, err)
		consistent(t, d)
		assert.Equal(t, []int{n, 1, hh, ww}, []int{d.N, d.C, d.H, d.W})
		assert.Equal(t, img, d.Pixels)
		assert.Equal(t, labels, d.Labels)
	})
}
