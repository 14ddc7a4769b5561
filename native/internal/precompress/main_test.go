package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/native/serve"
)

// Every sibling decodes to its file, is smaller, and is what serve.Handler
// sends to a client that accepts its encoding.
func TestPrecompressRoundTrip(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(3, 4))
	files := map[string][]byte{}
	for _, name := range []string{"app.wasm", "engine.wasm"} {
		b := []byte("\x00asm\x01\x00\x00\x00")
		for range 20000 + rng.IntN(1000) {
			b = append(b, byte(rng.IntN(32)))
		}
		files[name] = b
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), b, 0o644))
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "index.html"), []byte("<p>"), 0o644))
	var log bytes.Buffer
	require.NoError(t, precompressDir(dir, &log))
	assert.Contains(t, log.String(), "app.wasm.gz")

	decode := map[string]func(io.Reader) (io.Reader, error){
		"gzip": func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) },
		"br":   func(r io.Reader) (io.Reader, error) { return brotli.NewReader(r), nil },
	}
	h := serve.Handler(dir)
	for name, want := range files {
		for _, e := range serve.Encodings {
			enc, err := os.ReadFile(filepath.Join(dir, name+e.Ext))
			require.NoError(t, err, name+e.Ext)
			assert.Less(t, len(enc), len(want), name+e.Ext)
			r, err := decode[e.Token](bytes.NewReader(enc))
			require.NoError(t, err)
			got, err := io.ReadAll(r)
			require.NoError(t, err)
			assert.Equal(t, want, got, name+e.Ext)

			req := httptest.NewRequest(http.MethodGet, "/"+name, nil)
			req.Header.Set("Accept-Encoding", e.Token)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			assert.Equal(t, e.Token, rec.Header().Get("Content-Encoding"), name)
			assert.Equal(t, enc, rec.Body.Bytes(), name)
		}
	}
	_, err := os.Stat(filepath.Join(dir, "index.html.gz"))
	assert.True(t, os.IsNotExist(err), "only .wasm files get siblings")
}

func TestPrecompressEmptyDir(t *testing.T) {
	assert.Error(t, precompressDir(t.TempDir(), io.Discard))
}
