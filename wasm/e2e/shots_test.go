//go:build shots && !js

package e2e

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/native/serve"
)

// browser builds the page, serves it and starts headless Chromium; run
// returns the tab's context.
func browser(t *testing.T, d time.Duration) (context.Context, string, func()) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium not installed")
	}
	dir := t.TempDir()
	buildPage(t, dir)
	require.NoError(t, writeSyntheticDARTS(filepath.Join(dir, "synthetic-darts.jsonl"), 300))
	srv := serveDir(dir)
	ctx, cancel := context.WithTimeout(context.Background(), d)
	actx, acancel := chromedp.NewExecAllocator(ctx, chromiumFlags(chromium)...)
	bctx, bcancel := chromedp.NewContext(actx)
	return bctx, srv.URL, func() { bcancel(); acancel(); cancel(); srv.Close() }
}

// TestShots saves screenshots for looking at, not checking:
// NAS_SHOTS=DIR NAS_SHOTS_LIST='name|1280x720|?scene=rl|window.nas.step>=20;…'
// (with audit=1 in an address, also name.audit.json: window.nasAudit)
//
//	go test -tags shots -run Shots -v ./wasm/e2e/
func TestShots(t *testing.T) {
	out := os.Getenv("NAS_SHOTS")
	list := os.Getenv("NAS_SHOTS_LIST")
	if out == "" || list == "" {
		t.Skip("set NAS_SHOTS and NAS_SHOTS_LIST")
	}
	require.NoError(t, os.MkdirAll(out, 0o755))
	bctx, base, done := browser(t, 20*time.Minute)
	defer done()
	for _, item := range strings.Split(list, ";") {
		f := strings.SplitN(strings.TrimSpace(item), "|", 4)
		require.Len(t, f, 4, item)
		wh := strings.Split(f[1], "x")
		w, _ := strconv.Atoi(wh[0])
		h, _ := strconv.Atoi(wh[1])
		require.NoError(t, chromedp.Do(bctx, chromedp.EmulateViewport(int64(w), int64(h)), chromedp.Navigate(base+"/"+f[2])))
		err := waitUntil(bctx, f[3], 4*time.Minute)
		if err != nil {
			t.Errorf("%s: waiting for %s: %v", f[0], f[3], err)
		}
		time.Sleep(time.Second)
		b, err := chromedp.Run(bctx, chromedp.CaptureScreenshot())
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(out, f[0]+".png"), b, 0o644))
		// With audit=1 in the address, the page's text audit of the same moment.
		audit, err := chromedp.Run(bctx, chromedp.Evaluate[string](`window.nasAudit ? JSON.stringify(window.nasAudit, null, 1) : ""`))
		require.NoError(t, err)
		if audit != "" {
			require.NoError(t, os.WriteFile(filepath.Join(out, f[0]+".audit.json"), []byte(audit), 0o644))
		}
		t.Logf("%s saved", f[0])
	}
}

// TestSettleChromium opens the DARTS scene with the defaults and measures the
// wall time until the derived genotype has stayed unchanged for a whole
// epoch (window.nas.genotype_settled_at, the first step it did), as a student
// would see it:
//
//	go test -tags shots -run SettleChromium -v -timeout 40m ./wasm/e2e/
func TestSettleChromium(t *testing.T) {
	bctx, base, done := browser(t, 35*time.Minute)
	defer done()
	q := os.Getenv("NAS_SETTLE_QUERY")
	require.NoError(t, chromedp.Do(bctx, chromedp.EmulateViewport(1280, 720), chromedp.Navigate(base+"/"+q)))
	start := time.Now()
	for time.Since(start) < 30*time.Minute {
		s, err := chromedp.Run(bctx, chromedp.Evaluate[map[string]any](`window.nas || {}`))
		require.NoError(t, err)
		// genotype_settled_at is latched: a settle that a later flip ends
		// between two polls still counts (the wall time is then up to a poll late).
		if at, _ := s["genotype_settled_at"].(float64); at > 0 {
			t.Logf("settled after %.0f s: at step %v (now step %v, epoch %v, settled now %v), %v steps/s, %v images/s, FPS %v; load %s", time.Since(start).Seconds(), at, s["step"], s["epoch"], s["genotype_settled"], s["steps_per_s"], s["images_per_s"], s["fps"], loadavg())
			if out := os.Getenv("NAS_SHOTS"); out != "" { // the settled page, for looking at
				b, err := chromedp.Run(bctx, chromedp.CaptureScreenshot())
				require.NoError(t, err)
				require.NoError(t, os.WriteFile(filepath.Join(out, "settled.png"), b, 0o644))
			}
			return
		}
		if int(time.Since(start).Seconds())%60 < 1 {
			t.Logf("%.0f s: step %v epoch %v stable %v", time.Since(start).Seconds(), s["step"], s["epoch"], s["genotype_stable_steps"])
		}
		time.Sleep(time.Second)
	}
	t.Errorf("not settled in 30 min")
}

type server struct {
	URL   string
	close func()
}

func (s server) Close() { s.close() }

func serveDir(dir string) server {
	srv := httptest.NewServer(serve.Handler(dir))
	return server{URL: srv.URL, close: srv.Close}
}
