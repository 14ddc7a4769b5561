package main

import (
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"

	"github.com/nasplayground/nas/native/serve"
)

func init() {
	register(command{name: "serve", summary: "serve the demo page (built by `make wasm`) on this machine", run: runServe})
}

// defaultServeAddr keeps the page on this machine: `--addr :8080` shares it.
const defaultServeAddr = "127.0.0.1:8080"

func runServe(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", stderr)
	addr := fs.String("addr", defaultServeAddr, "listen address (host:port); :8080 or 0.0.0.0:8080 shares the page with the network")
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
	defer ln.Close()
	url, shared := serveURL(ln.Addr())
	fmt.Fprintf(stdout, "NAS Playground: open %s  (serving %s, Ctrl-C to stop)\n", url, *dir)
	if shared {
		fmt.Fprintf(stdout, "Shared: %s listens beyond this machine, so the page and the files in %s are now reachable from the network.\n", ln.Addr(), *dir)
	}
	return serve.NewServer(serve.Handler(*dir)).Serve(ln)
}

// serveURL is the URL to open for a listener, and whether the listener is
// reachable from other machines (any address but a loopback one).
func serveURL(a net.Addr) (url string, shared bool) {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return "http://" + a.String() + "/", true
	}
	ip := net.ParseIP(host)
	switch {
	case ip == nil:
		shared = host != "localhost"
	case ip.IsUnspecified(): // 0.0.0.0 or ::: every interface, this machine included
		host, shared = "localhost", true
	default:
		shared = !ip.IsLoopback()
	}
	return "http://" + net.JoinHostPort(host, port) + "/", shared
}
