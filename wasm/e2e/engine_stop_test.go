//go:build !js

package e2e

import (
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/native/serve"
)

// TestEngineStopSaysWhy: when the Go program in an engine worker dies (a
// panic in a search), worker.js tells the page why in an error message,
// instead of leaving the page waiting for snapshots that never come. A
// stand-in engine (testdata/enginepanic) panics on the command "boom".
func TestEngineStopSaysWhy(t *testing.T) {
	chromium := chromiumOrSkip(t)
	dir := t.TempDir()
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	cmd := exec.Command("go", "build", "-o", filepath.Join(dir, "engine.wasm"), "./testdata/enginepanic")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	copyFile(t, filepath.Join(runtime.GOROOT(), "lib", "wasm", "wasm_exec.js"), filepath.Join(dir, "wasm_exec.js"))
	copyFile(t, filepath.Join(root, "wasm", "static", "worker.js"), filepath.Join(dir, "worker.js"))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "index.html"), []byte(`<!doctype html><script>
window.got = [];
const w = new Worker('worker.js');
w.onmessage = (e) => window.got.push(e.data);
WebAssembly.compileStreaming(fetch('engine.wasm')).then((module) => {
  w.postMessage({ module });
  w.postMessage('hello');
  w.postMessage('boom');
});
</script>`), 0o644))
	srv := httptest.NewServer(serve.Handler(dir))
	defer srv.Close()

	bctx := newTab(t, chromium)
	require.NoError(t, chromedp.Do(bctx, chromedp.Navigate(srv.URL+"/")))
	// The messages come within milliseconds of each other once the worker
	// runs; the wait gives up when none came for two minutes.
	var got []string
	for last := time.Now(); len(got) < 3 && time.Since(last) < 2*time.Minute; time.Sleep(100 * time.Millisecond) {
		now, err := chromedp.Run(bctx, chromedp.Evaluate[[]string](`window.got.filter((m) => typeof m === 'string')`))
		require.NoError(t, err)
		if len(now) != len(got) {
			got, last = now, time.Now()
		}
	}
	require.Len(t, got, 3, "ready, the snapshot for hello, and the stop: %q", got)
	assert.Contains(t, got[0], `"ready"`)
	assert.Contains(t, got[1], `"snapshot"`)
	assert.True(t, strings.HasPrefix(got[2], `{"type":"error","text":"The search engine stopped: panic: assignment to entry in nil map`), "%s", got[2])
}
