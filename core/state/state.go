package state

import (
	"bufio"
	"bytes"
	"encoding/gob"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/search"
	"github.com/nasplayground/nas/core/tensor"
)

// Magic starts every checkpoint; Version is the format this build writes and reads.
const (
	Magic   = "NASPLAYGROUND-STATE"
	Version = 2
)

// MaxPayload bounds the payload a header may announce (4 GiB): a corrupt
// length fails fast instead of allocating.
const MaxPayload = 4 << 30

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Write encodes v as gob behind the header line
// "NASPLAYGROUND-STATE 2 KIND LEN CRC32C\n"; kind names the state ("darts",
// "train", "run") and must be one word.
func Write(w io.Writer, kind string, v any) error {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(v); err != nil {
		return err
	}
	b := buf.Bytes()
	if _, err := fmt.Fprintf(w, "%s %d %s %d %08x\n", Magic, Version, kind, len(b), crc32.Checksum(b, castagnoli)); err != nil {
		return err
	}
	_, err := w.Write(b)
	return err
}

// Read decodes a state written by Write with the same kind into v. Every
// failure is one line: not a checkpoint, another kind, another format
// version, cut, or a checksum mismatch.
func Read(r io.Reader, kind string, v any) error {
	br := bufio.NewReader(r)
	line, err := br.ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("reading the checkpoint header: %w", err)
	}
	f := strings.Fields(line)
	if len(f) != 5 || f[0] != Magic {
		return errors.New("not a NAS Playground checkpoint (bad header)")
	}
	var ver, n int
	var sum uint32
	if _, err := fmt.Sscanf(f[1]+" "+f[3]+" "+f[4], "%d %d %x", &ver, &n, &sum); err != nil {
		return errors.New("not a NAS Playground checkpoint (bad header)")
	}
	switch {
	case ver != Version:
		return fmt.Errorf("checkpoint format version %d, this build reads %d", ver, Version)
	case f[2] != kind:
		return fmt.Errorf("a %s checkpoint, want %s", f[2], kind)
	case n < 0 || n > MaxPayload:
		return fmt.Errorf("checkpoint header announces %d bytes", n)
	}
	b := make([]byte, 0, min(n, 1<<20))
	b, err = readN(br, b, n)
	if err != nil {
		return fmt.Errorf("checkpoint is cut: %w", err)
	}
	if extra, _ := br.Peek(1); len(extra) > 0 {
		return errors.New("checkpoint has bytes after its payload")
	}
	if got := crc32.Checksum(b, castagnoli); got != sum {
		return fmt.Errorf("checkpoint is corrupt: CRC32C %08x, header says %08x", got, sum)
	}
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(v); err != nil {
		return fmt.Errorf("checkpoint payload does not decode: %w", err)
	}
	return nil
}

// readN appends exactly n bytes of r to b, growing b as data arrives (a lying
// length never allocates more than what is there plus 1 MiB).
func readN(r io.Reader, b []byte, n int) ([]byte, error) {
	for len(b) < n {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		k := min(cap(b), n)
		m, err := r.Read(b[len(b):k])
		b = b[:len(b)+m]
		if err != nil {
			if errors.Is(err, io.EOF) && len(b) < n {
				return b, fmt.Errorf("%d of %d payload bytes", len(b), n)
			}
			if !errors.Is(err, io.EOF) {
				return b, err
			}
		}
	}
	return b, nil
}

// Marshal is Encode after checking that the tensors ts are finite (Finite).
func Marshal(v any, what string, ts ...[][]float32) ([]byte, error) {
	if err := Finite(what, ts...); err != nil {
		return nil, err
	}
	return Encode(v)
}

// Encode returns v as gob bytes (a searcher's MarshalBinary payload).
func Encode(v any) ([]byte, error) {
	var buf bytes.Buffer
	err := gob.NewEncoder(&buf).Encode(v)
	return buf.Bytes(), err
}

// Decode decodes gob bytes written by Encode into v; what names the state in errors.
func Decode(b []byte, what string, v any) error {
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(v); err != nil {
		return fmt.Errorf("%s state does not decode: %w", what, err)
	}
	return nil
}

// WriteFile writes path atomically: into a temporary file in the same folder,
// synced, then renamed over path, so a kill leaves the old file or the new
// one, never half of one. Temporary files of earlier killed writers of path
// (".NAME.tmp*") are removed first.
func WriteFile(path string, write func(io.Writer) error) error {
	dir, base := filepath.Dir(path), filepath.Base(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	CleanTemp(path)
	f, err := os.CreateTemp(dir, "."+base+".tmp*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	err = f.Chmod(0o644) // CreateTemp makes the file 0600; outputs are ordinary files
	bw := bufio.NewWriterSize(f, 1<<20)
	if err == nil {
		err = write(bw)
	}
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// CleanTemp removes the temporary files WriteFile leaves when killed while
// writing path.
func CleanTemp(path string) {
	old, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp*"))
	for _, o := range old {
		os.Remove(o)
	}
}

// CopyValues returns copies of the values of vs.
func CopyValues(vs []*autograd.Var) [][]float32 {
	out := make([][]float32, len(vs))
	for i, v := range vs {
		out[i] = append([]float32(nil), v.Value.Data...)
	}
	return out
}

// CopyTensors returns copies of the data of ts.
func CopyTensors(ts []*tensor.Tensor) [][]float32 {
	out := make([][]float32, len(ts))
	for i, t := range ts {
		out[i] = append([]float32(nil), t.Data...)
	}
	return out
}

// Values returns the value slices of vs (not copies).
func Values(vs []*autograd.Var) [][]float32 {
	out := make([][]float32, len(vs))
	for i, v := range vs {
		out[i] = v.Value.Data
	}
	return out
}

// TensorData returns the data slices of ts (not copies).
func TensorData(ts []*tensor.Tensor) [][]float32 {
	out := make([][]float32, len(ts))
	for i, t := range ts {
		out[i] = t.Data
	}
	return out
}

// Restore copies src into dst after checking that counts and sizes agree;
// what names the tensors in errors ("weight", "α", "BN buffer").
func Restore(dst, src [][]float32, what string) error {
	if len(dst) != len(src) {
		return fmt.Errorf("checkpoint has %d %s tensors, the network %d", len(src), what, len(dst))
	}
	for i := range dst {
		if len(dst[i]) != len(src[i]) {
			return fmt.Errorf("checkpoint %s tensor %d has %d values, want %d (another data set or network size?)", what, i, len(src[i]), len(dst[i]))
		}
	}
	for i := range dst {
		copy(dst[i], src[i])
	}
	return nil
}

// Finite returns a *search.NonFiniteError (After, no position) naming the
// first value of ts that is NaN or ±Inf; what names the tensors ("weight").
func Finite(what string, ts ...[][]float32) error {
	for _, group := range ts {
		for i, t := range group {
			for j, v := range t {
				if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
					return &search.NonFiniteError{What: fmt.Sprintf("%s tensor %d value %d", what, i, j), Value: float64(v), After: true}
				}
			}
		}
	}
	return nil
}

// Finite64 is Finite for float64 slices (controller weights).
func Finite64(what string, xs ...[]float64) error {
	for i, x := range xs {
		for j, v := range x {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return &search.NonFiniteError{What: fmt.Sprintf("%s %d value %d", what, i, j), Value: v, After: true}
			}
		}
	}
	return nil
}
