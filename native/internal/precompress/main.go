// Command precompress writes the precompressed siblings of the page's wasm
// binaries: for each dir/*.wasm, name.wasm.br (brotli) and name.wasm.gz
// (gzip, best compression), atomically. `make wasm` runs it on web/;
// `nas serve` and static hosts that honour such siblings (nginx gzip_static,
// Caddy precompressed, Netlify...) send them to browsers that accept them.
//
//	go run ./native/internal/precompress web
package main

import (
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/andybalholm/brotli"

	"github.com/nasplayground/nas/native/internal/fsutil"
	"github.com/nasplayground/nas/native/serve"
)

// brotliQuality trades make-wasm time for bytes: on app.wasm (15.8 MB) quality 5
// gives 3.17 MB in 5.8 s, quality 9 gives 3.07 MB in 18.6 s (gzip -9: 3.77 MB, 2.6 s).
const brotliQuality = 5

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: precompress DIR   (writes DIR/*.wasm.br and DIR/*.wasm.gz)")
		os.Exit(2)
	}
	if err := precompressDir(os.Args[1], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "precompress:", err)
		os.Exit(1)
	}
}

// precompressDir writes every sibling of every dir/*.wasm and reports sizes on w.
func precompressDir(dir string, w io.Writer) error {
	names, err := filepath.Glob(filepath.Join(dir, "*.wasm"))
	if err != nil {
		return err
	}
	if len(names) == 0 {
		return fmt.Errorf("no .wasm files in %s (run the wasm build first)", dir)
	}
	for _, name := range names {
		src, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		for _, e := range serve.Encodings {
			out := name + e.Ext
			if err := fsutil.Write(out, func(w io.Writer) error { return compress(w, e.Token, src) }); err != nil {
				return err
			}
			st, err := os.Stat(out)
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "%s: %d -> %d bytes (%s)\n", out, len(src), st.Size(), e.Token)
		}
	}
	return nil
}

// compress writes src encoded as token (a Content-Encoding) to w.
func compress(w io.Writer, token string, src []byte) error {
	var zw io.WriteCloser
	switch token {
	case "gzip":
		gw, err := gzip.NewWriterLevel(w, gzip.BestCompression) // no name, no mod time: reproducible
		if err != nil {
			return err
		}
		zw = gw
	case "br":
		zw = brotli.NewWriterOptions(w, brotli.WriterOptions{Quality: brotliQuality, LGWin: 24})
	default:
		return fmt.Errorf("unknown encoding %q", token)
	}
	if _, err := zw.Write(src); err != nil {
		return err
	}
	return zw.Close()
}
