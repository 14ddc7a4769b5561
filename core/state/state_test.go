package state_test

import (
	"bytes"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/search"
	"github.com/nasplayground/nas/core/state"
)

type payload struct {
	Name string
	W    [][]float32
}

func encoded(t *testing.T) []byte {
	var buf bytes.Buffer
	require.NoError(t, state.Write(&buf, "test", payload{Name: "p", W: [][]float32{{1, 2, 3}}}))
	return buf.Bytes()
}

func TestRoundTripAndDamage(t *testing.T) {
	b := encoded(t)
	var got payload
	require.NoError(t, state.Read(bytes.NewReader(b), "test", &got))
	assert.Equal(t, payload{Name: "p", W: [][]float32{{1, 2, 3}}}, got)

	head := b[:bytes.IndexByte(b, '\n')+1]
	flip := bytes.Clone(b)
	flip[len(flip)-3] ^= 1
	for _, tc := range []struct {
		name string
		b    []byte
		kind string
		want string
	}{
		{"not a checkpoint", []byte("hello\n"), "test", "bad header"},
		{"empty", nil, "test", "bad header"},
		{"other kind", b, "darts", "a test checkpoint, want darts"},
		{"other version", bytes.Replace(b, []byte(" 2 test "), []byte(" 1 test "), 1), "test", "format version 1"},
		{"cut", b[:len(b)-4], "test", "checkpoint is cut"},
		{"header only", head, "test", "checkpoint is cut"},
		{"flipped bit", flip, "test", "CRC32C"},
		{"trailing bytes", append(bytes.Clone(b), 'x'), "test", "bytes after its payload"},
		{"huge length", []byte(strings.Replace(string(head), " test ", " test 99999999999 ", 1)), "test", "bad header"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := state.Read(bytes.NewReader(tc.b), tc.kind, new(payload))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.NotContains(t, err.Error(), "\n")
		})
	}
}

func TestWriteFileAtomicAndCleans(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ck.bin")
	orphan := filepath.Join(dir, ".ck.bin.tmp42")
	require.NoError(t, os.WriteFile(orphan, []byte("half"), 0o644))
	require.NoError(t, state.WriteFile(path, func(w io.Writer) error { _, err := w.Write([]byte("x")); return err }))
	assert.NoFileExists(t, orphan, "a killed writer's temporary file is removed")
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "x", string(b))
}

func TestFinite(t *testing.T) {
	require.NoError(t, state.Finite("w", [][]float32{{1, 2}}))
	err := state.Finite("w", [][]float32{{1}, {2, float32(math.NaN())}})
	var nf *search.NonFiniteError
	require.ErrorAs(t, err, &nf)
	assert.True(t, nf.After)
	assert.Equal(t, "w tensor 1 value 1", nf.What)
	_, err = state.Marshal(payload{}, "w", [][]float32{{float32(math.Inf(-1))}})
	assert.ErrorAs(t, err, &nf)
}

// FuzzRead: decoding arbitrary bytes never panics and never allocates what
// the header claims without the bytes being there; valid files round-trip.
func FuzzRead(f *testing.F) {
	var buf bytes.Buffer
	_ = state.Write(&buf, "test", payload{Name: "seed", W: [][]float32{{1}}})
	f.Add(buf.Bytes())
	f.Add([]byte("NASPLAYGROUND-STATE 2 test 5 00000000\nabcde"))
	f.Add([]byte("hello"))
	f.Fuzz(func(t *testing.T, b []byte) {
		var p payload
		if err := state.Read(bytes.NewReader(b), "test", &p); err != nil {
			return
		}
		var again bytes.Buffer
		require.NoError(t, state.Write(&again, "test", p))
		var q payload
		require.NoError(t, state.Read(&again, "test", &q))
		assert.Equal(t, p, q)
	})
}
