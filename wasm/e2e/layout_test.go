//go:build !js

package e2e

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/native/serve"
)

// auditState is window.nasAudit: the page's check of one frame's text
// (ui.AuditText) when its address has audit=1.
type auditState struct {
	Frame  int      `json:"frame"`
	Texts  int      `json:"texts"`
	Issues []string `json:"issues"`
}

// freshAudit waits for an audit of a frame drawn after this call (the data
// the test waited for is on screen) and returns it.
func freshAudit(t *testing.T, bctx context.Context) auditState {
	t.Helper()
	frames, err := chromedp.Run(bctx, chromedp.Evaluate[int](`window.nas.frames || 0`))
	require.NoError(t, err)
	require.NoError(t, waitUntil(bctx, fmt.Sprintf(`window.nasAudit && window.nasAudit.frame > %d`, frames), time.Minute), "no text audit: is audit=1 in the address?")
	a, err := chromedp.Run(bctx, chromedp.Evaluate[auditState](`window.nasAudit`))
	require.NoError(t, err)
	return a
}

// assertReadable fails for every problem the page's text audit found: two
// strings overlapping or running together, a string cut by its panel or the
// screen, type under 16 px at 1280×720.
func assertReadable(t *testing.T, bctx context.Context, what string) {
	t.Helper()
	a := freshAudit(t, bctx)
	assert.Greater(t, a.Texts, 10, "%s: the audit saw the page's text", what)
	assert.Empty(t, a.Issues, "%s: text a reader cannot read:\n%s", what, strings.Join(a.Issues, "\n"))
}

// TestLayout opens every scene (each RL method, a shipped recording, the
// empty replay) at 1280×720 in English and at 1920×1080 in Korean, waits
// for its data, and holds the page's text audit to no overlap, no cut text
// and no small type; it saves a screenshot of each. The lecture's steps are
// checked so in TestLecture.
func TestLayout(t *testing.T) {
	chromium, dir := pageTest(t)
	shots := shotsDir(t)
	srv := httptest.NewServer(serve.Handler(dir))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Minute) // a safety net: waits fail on a stalled page, not a slow one
	defer cancel()
	actx, acancel := chromedp.NewExecAllocator(ctx, chromiumFlags(chromium)...)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()

	scenes := []struct{ name, query, ready string }{
		{"darts", "scene=darts", `window.nas.scene === "darts" && window.nas.step >= 8 && window.nas.genotype`},
		{"rl-reinforce", "scene=rl&method=reinforce", `window.nas.scene === "rl" && window.nas.step >= 10 && window.nas.best_arch`},
		{"rl-evolution", "scene=rl&method=evolution", `window.nas.scene === "rl" && window.nas.step >= 10 && window.nas.best_arch`},
		{"rl-random", "scene=rl&method=random", `window.nas.scene === "rl" && window.nas.step >= 10 && window.nas.best_arch`},
		{"rl-enas", "scene=rl&method=enas", `window.nas.scene === "rl" && window.nas.step >= 5 && window.nas.best_arch`},
		{"compare", "scene=compare", `window.nas.scene === "compare" && window.nas.curves && window.nas.curves.length > 0 && window.nas.curves.every(c => c.trials >= 1)`},
		{"replay-empty", "scene=replay", `window.nas.scene === "replay" && window.nas.replay_files >= 1`},
		{"replay-cifar", "replay=replays/darts-cifar10-8px-30epochs.jsonl", `window.nas.replay_len > 0 && window.nas.replay_pos === window.nas.replay_len`},
	}
	for _, v := range []struct {
		w, h int64
		lang string
	}{{1280, 720, "en"}, {1920, 1080, "ko"}} {
		for _, s := range scenes {
			what := fmt.Sprintf("%s-%s-%dx%d", s.name, v.lang, v.w, v.h)
			require.NoError(t, chromedp.Do(bctx, chromedp.EmulateViewport(v.w, v.h),
				chromedp.Navigate(fmt.Sprintf("%s/?audit=1&lang=%s&%s", srv.URL, v.lang, s.query))))
			err := waitUntil(bctx, s.ready, 3*time.Minute)
			msg, _ := chromedp.Run(bctx, chromedp.Evaluate[string](`JSON.stringify(window.nas && [window.nas.scene, window.nas.step, window.nas.message, window.nas.engine])`))
			require.NoError(t, err, "%s: waiting for %s (page: %s)", what, s.ready, msg)
			assertReadable(t, bctx, what)
			b, err := chromedp.Run(bctx, chromedp.CaptureScreenshot())
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(filepath.Join(shots, what+".png"), b, 0o644))
		}
	}
	t.Logf("screenshots in %s", shots)
}
