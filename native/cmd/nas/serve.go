package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"

	"github.com/nasplayground/nas/native/serve"
)

func init() {
	register(command{name: "serve", summary: "serve the demo page (built by `make wasm`) on localhost", run: runServe})
}

func runServe(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", stderr)
	addr := fs.String("addr", ":8080", "listen address")
	dir := fs.String("dir", "web", "folder holding the built page (index.html, *.wasm)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(*dir, "index.html")); err != nil {
		return usagef("--dir %s: no index.html there (run `make wasm` first)", *dir)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", *addr, err)
	}
	host, port, _ := net.SplitHostPort(ln.Addr().String())
	if host == "" || host == "::" || host == "0.0.0.0" {
		host = "localhost"
	}
	fmt.Fprintf(stdout, "NAS Playground: open http://%s:%s/  (serving %s, Ctrl-C to stop)\n", host, port, *dir)
	return http.Serve(ln, serve.Handler(*dir))
}
