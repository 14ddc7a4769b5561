// Package serve serves the built page (index.html, wasm_exec.js, the two wasm
// binaries, assets, replays) from a folder: no Python, no Node. It is a
// private static file server: no directory listings, no dotfiles (a --dir at
// a repository root does not give away .git), long paths answered 404, server
// timeouts set, and a file's precompressed sibling (app.wasm.br, app.wasm.gz,
// written by Precompress) sent to clients that accept it. The folder stays a
// plain static site that any file host serves.
package serve

import (
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path"
	"strconv"
	"strings"
	"time"
)

func init() {
	// Go's table knows .wasm on most systems; make sure instantiateStreaming works.
	_ = mime.AddExtensionType(".wasm", "application/wasm")
	_ = mime.AddExtensionType(".jsonl", "application/x-ndjson")
}

// maxName is the longest path element most file systems accept (NAME_MAX);
// longer request paths are answered 404 without touching the disk.
const maxName = 255

// Handler serves the static site in dir. GET and HEAD only. A path with an
// element starting with "." is not found; so is a folder without index.html
// (no listings). Responses carry ETag and Last-Modified with Cache-Control
// no-cache: the browser revalidates (a 304 costs one round trip), so a rebuilt
// wasm is picked up on reload while developing.
func Handler(dir string) http.Handler {
	root := os.DirFS(dir)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
			return
		}
		name, ok := fileName(r.URL.Path)
		if !ok {
			http.NotFound(w, r)
			return
		}
		st, err := fs.Stat(root, name)
		if err == nil && st.IsDir() {
			// A folder is its index.html, reached with the trailing slash so
			// that the page's relative URLs resolve; without one it is not found.
			if _, err := fs.Stat(root, path.Join(name, "index.html")); err != nil {
				http.NotFound(w, r)
				return
			}
			if !strings.HasSuffix(r.URL.Path, "/") {
				http.Redirect(w, r, path.Base(r.URL.Path)+"/", http.StatusMovedPermanently)
				return
			}
			name = path.Join(name, "index.html")
			st, err = fs.Stat(root, name)
		}
		if err != nil || !st.Mode().IsRegular() {
			http.NotFound(w, r)
			return
		}
		serveFile(w, r, root, name, st)
	})
}

// fileName maps a URL path to a name in the served folder; ok is false for
// paths the server never serves: dot elements (.git, .env, ..) and elements
// longer than maxName.
func fileName(urlPath string) (name string, ok bool) {
	if len(urlPath) > 4096 {
		return "", false
	}
	name = strings.Trim(path.Clean("/"+urlPath), "/")
	if name == "" {
		return ".", true
	}
	for _, el := range strings.Split(name, "/") {
		if strings.HasPrefix(el, ".") || len(el) > maxName {
			return "", false
		}
	}
	return name, true
}

// Encoding is a precompressed sibling of a file: its Content-Encoding token
// and the extension added to the file's name.
type Encoding struct{ Token, Ext string }

// Encodings are the siblings Handler looks for, preferred first (brotli is
// ~16% smaller than gzip on app.wasm). Precompress writes them.
var Encodings = []Encoding{{"br", ".br"}, {"gzip", ".gz"}}

// serveFile sends name, or its precompressed sibling when the client accepts
// that encoding. Range and conditional requests apply to the bytes sent (the
// encoded representation), as HTTP defines them, via http.ServeContent.
func serveFile(w http.ResponseWriter, r *http.Request, root fs.FS, name string, st fs.FileInfo) {
	h := w.Header()
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	h.Set("Content-Type", ctype)
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	served, encoding := name, ""
	for _, e := range Encodings {
		est, err := fs.Stat(root, name+e.Ext)
		if err != nil || !est.Mode().IsRegular() {
			continue
		}
		h.Set("Vary", "Accept-Encoding") // the answer depends on it whenever a sibling exists
		// A sibling older than its file is stale (rebuilt wasm, old .gz): never send it.
		if encoding == "" && accepts(r.Header.Get("Accept-Encoding"), e.Token) && !est.ModTime().Before(st.ModTime()) {
			served, encoding, st = name+e.Ext, e.Token, est
		}
	}
	f, err := root.Open(served)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	rs, ok := f.(interface {
		Read([]byte) (int, error)
		Seek(int64, int) (int64, error)
	})
	if !ok {
		http.Error(w, "500 file not seekable", http.StatusInternalServerError)
		return
	}
	if encoding != "" {
		h.Set("Content-Encoding", encoding)
		// ServeContent leaves Content-Length out once Content-Encoding is set
		// (for handlers that compress on the fly); these bytes are the file's.
		// Range answers set their own; 304 and error answers drop it.
		h.Set("Content-Length", strconv.FormatInt(st.Size(), 10))
	}
	h.Set("ETag", etag(st, encoding))
	http.ServeContent(w, r, name, st.ModTime(), rs)
}

// etag names one representation: modification time and size of the bytes
// sent, and their encoding (a gzip and a plain response never share a tag).
func etag(st fs.FileInfo, encoding string) string {
	t := `"` + strconv.FormatInt(st.ModTime().UnixNano(), 36) + "-" + strconv.FormatInt(st.Size(), 36)
	if encoding != "" {
		t += "-" + encoding
	}
	return t + `"`
}

// accepts reports whether an Accept-Encoding header value allows token:
// listed (or "*") with a q-value that is not zero (RFC 9110 §12.5.3).
func accepts(header, token string) bool {
	star := false
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
			if strings.EqualFold(strings.TrimSpace(k), "q") {
				if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
					q = f
				}
			}
		}
		switch coding {
		case token:
			return q > 0
		case "*":
			star = q > 0
		}
	}
	return star
}

// Timeouts of NewServer. Writes may take a while: app.wasm is megabytes and
// a slow laptop on café wifi still has to receive it.
const (
	ReadHeaderTimeout = 10 * time.Second
	ReadTimeout       = 30 * time.Second
	WriteTimeout      = 5 * time.Minute
	IdleTimeout       = 2 * time.Minute
	MaxHeaderBytes    = 64 << 10
)

// NewServer returns an http.Server for h with timeouts set, so half-sent
// requests and idle connections do not pile up.
func NewServer(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: ReadHeaderTimeout, ReadTimeout: ReadTimeout,
		WriteTimeout: WriteTimeout, IdleTimeout: IdleTimeout, MaxHeaderBytes: MaxHeaderBytes}
}
