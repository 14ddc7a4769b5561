package serve

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// site is a built page as `make wasm` leaves it, inside a repository-like
// folder: app.wasm with its .gz sibling, replays/ without an index.html, and
// dotfiles that must never be served.
func site(t *testing.T) (dir string, wasm, gz []byte) {
	t.Helper()
	dir = t.TempDir()
	rng := rand.New(rand.NewPCG(1, 2))
	wasm = []byte("\x00asm\x01\x00\x00\x00")
	for range 8000 {
		wasm = append(wasm, "abcdefghijklmnop"[rng.IntN(16)]) // compresses to about half
	}
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	_, _ = zw.Write(wasm)
	require.NoError(t, zw.Close())
	gz = b.Bytes()
	files := map[string][]byte{
		"index.html":               []byte("<!doctype html><title>NAS</title>"),
		"app.wasm":                 wasm,
		"app.wasm.gz":              gz,
		"engine.wasm":              []byte("\x00asmplain"),
		"replays/index.json":       []byte(`["a.jsonl"]`),
		"replays/a.jsonl":          []byte(`{"kind":"step"}` + "\n"),
		".git/config":              []byte("[remote \"origin\"]\n\turl = secret\n"),
		".env":                     []byte("TOKEN=secret"),
		"replays/.hidden.jsonl":    []byte("{}"),
		"sub/index.html":           []byte("<p>sub</p>"),
		"web/.well-known/security": []byte("x"),
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, data, 0o644))
	}
	// The sibling is written after its file (as make wasm does).
	now := time.Now()
	require.NoError(t, os.Chtimes(filepath.Join(dir, "app.wasm"), now.Add(-time.Minute), now.Add(-time.Minute)))
	return dir, wasm, gz
}

func get(t *testing.T, h http.Handler, path string, header ...string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "http://127.0.0.1:8080/", nil)
	req.URL.Path = path // raw, as a client may send it (no cleaning by NewRequest)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, r *http.Response) []byte {
	t.Helper()
	b, err := io.ReadAll(r.Body)
	require.NoError(t, err)
	return b
}

// No dotfile is served, whatever the path looks like: with --dir at a
// repository root, /.git/config used to be answered 200 with its contents.
func TestNoDotfiles(t *testing.T) {
	dir, _, _ := site(t)
	h := Handler(dir)
	for _, p := range []string{"/.git/config", "/.git/", "/.git", "/.env", "/replays/.hidden.jsonl",
		"/replays/../.git/config", "/web/.well-known/security", "//.git//config"} {
		r := get(t, h, p)
		assert.Equal(t, http.StatusNotFound, r.StatusCode, p)
		assert.NotContains(t, string(body(t, r)), "secret", p)
	}
}

// A folder is never listed: /replays/ used to answer its file names. Its
// files are still served, and a folder with an index.html serves that.
func TestNoDirectoryListings(t *testing.T) {
	dir, _, _ := site(t)
	h := Handler(dir)
	for _, p := range []string{"/replays/", "/replays"} {
		r := get(t, h, p)
		assert.Equal(t, http.StatusNotFound, r.StatusCode, p)
		assert.NotContains(t, string(body(t, r)), "a.jsonl", p)
	}
	r := get(t, h, "/replays/index.json")
	assert.Equal(t, http.StatusOK, r.StatusCode)
	assert.Equal(t, `["a.jsonl"]`, string(body(t, r)))
	r = get(t, h, "/replays/a.jsonl")
	assert.Equal(t, http.StatusOK, r.StatusCode)
	assert.Equal(t, "application/x-ndjson", r.Header.Get("Content-Type"))

	r = get(t, h, "/")
	assert.Equal(t, http.StatusOK, r.StatusCode)
	assert.Contains(t, string(body(t, r)), "<title>NAS</title>")
	r = get(t, h, "/sub/")
	assert.Equal(t, http.StatusOK, r.StatusCode)
	assert.Equal(t, "<p>sub</p>", string(body(t, r)))
	r = get(t, h, "/sub")
	assert.Equal(t, http.StatusMovedPermanently, r.StatusCode)
	assert.Equal(t, "/sub/", r.Header.Get("Location"))
}

// A path element longer than a file name can be is not found (it used to be
// a 500 from ENAMETOOLONG), and so is a very long path.
func TestLongPathsAreNotFound(t *testing.T) {
	dir, _, _ := site(t)
	h := Handler(dir)
	for _, p := range []string{"/" + strings.Repeat("a", 256), "/replays/" + strings.Repeat("b", 300) + ".jsonl",
		strings.Repeat("/a", 3000)} {
		r := get(t, h, p)
		assert.Equal(t, http.StatusNotFound, r.StatusCode, "%d chars", len(p))
	}
}

// A client that accepts gzip gets the .gz sibling with the headers a browser
// needs to compile it as wasm and a cache needs to keep the two apart; one
// that does not gets the plain file.
func TestPrecompressedWasm(t *testing.T) {
	dir, wasm, gz := site(t)
	h := Handler(dir)
	for _, ae := range []string{"gzip", "gzip, deflate, br", "br;q=1.0, gzip;q=0.8", "*"} {
		r := get(t, h, "/app.wasm", "Accept-Encoding", ae)
		assert.Equal(t, http.StatusOK, r.StatusCode, ae)
		assert.Equal(t, "gzip", r.Header.Get("Content-Encoding"), ae)
		assert.Equal(t, "application/wasm", r.Header.Get("Content-Type"), ae)
		assert.Equal(t, "Accept-Encoding", r.Header.Get("Vary"), ae)
		assert.Equal(t, "no-cache", r.Header.Get("Cache-Control"), ae)
		assert.NotEmpty(t, r.Header.Get("Last-Modified"), ae)
		assert.Equal(t, int64(len(gz)), r.ContentLength, ae)
		got := body(t, r)
		assert.Equal(t, gz, got, ae)
		zr, err := gzip.NewReader(bytes.NewReader(got))
		require.NoError(t, err)
		plain, err := io.ReadAll(zr)
		require.NoError(t, err)
		assert.Equal(t, wasm, plain, ae)
	}
	for _, ae := range []string{"", "identity", "deflate", "gzip;q=0", "*;q=0", "br"} {
		r := get(t, h, "/app.wasm", "Accept-Encoding", ae)
		assert.Equal(t, http.StatusOK, r.StatusCode, ae)
		assert.Empty(t, r.Header.Get("Content-Encoding"), ae)
		assert.Equal(t, "application/wasm", r.Header.Get("Content-Type"), ae)
		assert.Equal(t, "Accept-Encoding", r.Header.Get("Vary"), ae)
		assert.Equal(t, wasm, body(t, r), ae)
	}
	// The two representations have different validators.
	gzTag := get(t, h, "/app.wasm", "Accept-Encoding", "gzip").Header.Get("ETag")
	plainTag := get(t, h, "/app.wasm").Header.Get("ETag")
	assert.NotEmpty(t, gzTag)
	assert.NotEmpty(t, plainTag)
	assert.NotEqual(t, gzTag, plainTag)
	// A file without a sibling is plain and does not vary.
	r := get(t, h, "/engine.wasm", "Accept-Encoding", "gzip")
	assert.Empty(t, r.Header.Get("Content-Encoding"))
	assert.Empty(t, r.Header.Get("Vary"))
	assert.Equal(t, "application/wasm", r.Header.Get("Content-Type"))
}

// brotli is preferred when the client takes both and a .br sibling exists.
func TestBrotliPreferred(t *testing.T) {
	dir, _, _ := site(t)
	br := []byte("pretend brotli bytes")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "app.wasm.br"), br, 0o644))
	h := Handler(dir)
	r := get(t, h, "/app.wasm", "Accept-Encoding", "gzip, deflate, br")
	assert.Equal(t, "br", r.Header.Get("Content-Encoding"))
	assert.Equal(t, br, body(t, r))
	r = get(t, h, "/app.wasm", "Accept-Encoding", "gzip, br;q=0")
	assert.Equal(t, "gzip", r.Header.Get("Content-Encoding"))
}

// A sibling older than its file is left over from an earlier build: the
// fresh plain file is sent, never stale code.
func TestStaleSiblingIgnored(t *testing.T) {
	dir, wasm, _ := site(t)
	old := time.Now().Add(-time.Hour)
	require.NoError(t, os.Chtimes(filepath.Join(dir, "app.wasm.gz"), old, old))
	r := get(t, Handler(dir), "/app.wasm", "Accept-Encoding", "gzip")
	assert.Empty(t, r.Header.Get("Content-Encoding"))
	assert.Equal(t, wasm, body(t, r))
}

// Range and conditional requests work on the representation sent: a range of
// the gzip bytes, and 304 for a matching ETag.
func TestRangeAndConditionalOnPrecompressed(t *testing.T) {
	dir, wasm, gz := site(t)
	h := Handler(dir)
	r := get(t, h, "/app.wasm", "Accept-Encoding", "gzip", "Range", "bytes=10-99")
	assert.Equal(t, http.StatusPartialContent, r.StatusCode)
	assert.Equal(t, "gzip", r.Header.Get("Content-Encoding"))
	assert.Equal(t, gz[10:100], body(t, r))
	assert.Equal(t, "bytes 10-99/"+strconv.Itoa(len(gz)), r.Header.Get("Content-Range"))

	r = get(t, h, "/app.wasm", "Range", "bytes=10-99")
	assert.Equal(t, http.StatusPartialContent, r.StatusCode)
	assert.Equal(t, wasm[10:100], body(t, r))

	tag := get(t, h, "/app.wasm", "Accept-Encoding", "gzip").Header.Get("ETag")
	r = get(t, h, "/app.wasm", "Accept-Encoding", "gzip", "If-None-Match", tag)
	assert.Equal(t, http.StatusNotModified, r.StatusCode)
	assert.Empty(t, body(t, r))
	// The plain representation does not match the gzip tag.
	r = get(t, h, "/app.wasm", "If-None-Match", tag)
	assert.Equal(t, http.StatusOK, r.StatusCode)
}

func TestOnlyGetAndHead(t *testing.T) {
	dir, _, _ := site(t)
	h := Handler(dir)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/index.html", strings.NewReader("x")))
	assert.Equal(t, http.StatusMethodNotAllowed, rec.Code)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodHead, "/app.wasm", nil))
	assert.Equal(t, http.StatusOK, rec.Code)
	assert.Zero(t, rec.Body.Len())
}

func TestAccepts(t *testing.T) {
	for _, tc := range []struct {
		header, token string
		want          bool
	}{
		{"gzip", "gzip", true},
		{"GZIP", "gzip", true},
		{"deflate, gzip;q=0.5", "gzip", true},
		{"gzip;q=0", "gzip", false},
		{"gzip; q=0.000", "gzip", false},
		{"*", "br", true},
		{"*;q=0", "gzip", false},
		{"*, gzip;q=0", "gzip", false},
		{"gzip;q=0, *", "gzip", false},
		{"br", "gzip", false},
		{"", "gzip", false},
		{"x-gzip", "gzip", false},
	} {
		assert.Equal(t, tc.want, accepts(tc.header, tc.token), "%q %s", tc.header, tc.token)
	}
}

// The server has every timeout set, and a client that sends half a request
// header is disconnected instead of holding a connection forever (the old
// server held 1,200 of them). The timeout is shortened for the test; the
// 30 s read deadline is only a guard against the old behaviour hanging.
func TestServerTimeouts(t *testing.T) {
	srv := NewServer(http.NotFoundHandler())
	assert.Positive(t, srv.ReadHeaderTimeout)
	assert.Positive(t, srv.ReadTimeout)
	assert.Positive(t, srv.WriteTimeout)
	assert.Positive(t, srv.IdleTimeout)
	assert.Positive(t, srv.MaxHeaderBytes)
	assert.GreaterOrEqual(t, srv.ReadTimeout, srv.ReadHeaderTimeout)

	srv.ReadHeaderTimeout = 50 * time.Millisecond
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })

	conn, err := net.Dial("tcp", ln.Addr().String())
	require.NoError(t, err)
	defer conn.Close()
	_, err = conn.Write([]byte("GET / HTTP/1.1\r\nHost: x\r\n")) // no blank line: never finished
	require.NoError(t, err)
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(30*time.Second)))
	_, err = io.ReadAll(bufio.NewReader(conn)) // returns at EOF: the server closed it
	assert.NoError(t, err, "the server kept a half-sent request open")
}
