// Package serve serves the built page (index.html, wasm_exec.js, the two wasm
// binaries, assets) with Go's file server: no Python, no Node. It adds the
// headers a wasm page wants and nothing else, so the same folder also works from
// any static file host.
package serve

import (
	"mime"
	"net/http"
	"strings"
)

func init() {
	// Go's table knows .wasm on most systems; make sure instantiateStreaming works.
	_ = mime.AddExtensionType(".wasm", "application/wasm")
	_ = mime.AddExtensionType(".jsonl", "application/x-ndjson")
}

// Handler serves the static page in dir. Responses are not cached, so a rebuilt
// wasm is picked up on reload while developing.
func Handler(dir string) http.Handler {
	fs := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		if strings.HasSuffix(r.URL.Path, ".wasm") {
			w.Header().Set("Content-Type", "application/wasm")
		}
		fs.ServeHTTP(w, r)
	})
}
