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

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/native/serve"
)

// switchState is the part of window.nas the scene-switch test reads.
type switchState struct {
	Scene       string  `json:"scene"`
	Running     bool    `json:"running"`
	Step        int     `json:"step"`
	Frames      int     `json:"frames"`
	Genotype    string  `json:"genotype"`
	StableSteps *int    `json:"genotype_stable_steps"`
	Points      int     `json:"curve_points"`
	FirstX      float64 `json:"curve_first_step"`
	AlphaPoints int     `json:"alpha_points"`
	Preds       int     `json:"preds"`
	Kept        map[string]struct {
		Step    int  `json:"step"`
		Running bool `json:"running"`
	} `json:"kept"`
}

// TestSceneSwitchKeepsSearch: DARTS runs, the page switches to RL (which
// runs) and back; the DARTS search comes back where it was (its step, its
// curve points, its α history and images) and goes on stepping, and it did
// not step while RL was on screen. A paused DARTS search comes back paused
// and unchanged; the lecture's own DARTS search does not touch it; Reset
// still starts anew with no point of the old run. With one engine worker
// and with two (the data-parallel DARTS of the coordinator), in English at
// 1280×720 and in Korean at 1920×1080.
func TestSceneSwitchKeepsSearch(t *testing.T) {
	chromium, dir := pageTest(t)
	shots := shotsDir(t)
	srv := httptest.NewServer(serve.Handler(dir))
	defer srv.Close()

	for _, c := range []struct {
		workers int
		w, h    int64
		lang    string
	}{{1, 1280, 720, "en"}, {2, 1920, 1080, "ko"}} {
		workers := c.workers
		t.Run(fmt.Sprintf("workers=%d", workers), func(t *testing.T) {
			bctx := newTab(t, chromium)

			read := func() switchState {
				s, err := chromedp.Run(bctx, chromedp.Evaluate[switchState](`window.nas`))
				require.NoError(t, err)
				return s
			}
			// waitFor waits for expr while the run makes progress: d is how
			// long its scene, step, running state, the kept runs and the
			// engine's status may stay as they are (frames do not count: a
			// page that draws while its search is stuck is stuck).
			waitFor := func(expr string, d time.Duration) {
				progress := runProgressExpr
				if strings.Contains(expr, "window.nas.frames") {
					progress = progressExpr
				}
				if err := waitProgress(bctx, expr, progress, d); err != nil {
					trace, _ := chromedp.Run(bctx, chromedp.Evaluate[[]string](`window.nasTrace || []`))
					t.Logf("the page's last commands (>) and messages (<):\n%s", strings.Join(trace, "\n"))
					require.NoError(t, err, "waiting for %s; window.nas = %+v", expr, read())
				}
			}
			// waitLoad waits for expr while the page loads (frames count).
			waitLoad := func(expr string, d time.Duration) {
				require.NoError(t, waitUntil(bctx, expr, d), "waiting for %s; window.nas = %+v", expr, read())
			}
			shot := func(name string) {
				b, err := chromedp.Run(bctx, chromedp.CaptureScreenshot())
				require.NoError(t, err)
				require.NoError(t, os.WriteFile(filepath.Join(shots, fmt.Sprintf("switch-w%d-%s-%s-%dx%d.png", workers, name, c.lang, c.w, c.h)), b, 0o644))
			}
			// press types one key; the page queues every keydown, however long its frames.
			press := func(key, code string) {
				k := input.DispatchKeyEventParams{Key: key, Code: code}
				if len(key) == 1 {
					k.Text = key
				}
				if key == " " {
					k.WindowsVirtualKeyCode = 32
				}
				down, up := k, k
				down.Type, up.Type = input.DispatchKeyEventTypeKeyDown, input.DispatchKeyEventTypeKeyUp
				require.NoError(t, chromedp.Do(bctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
					if _, err := chromedp.Call(ctx, input.DispatchKeyEvent, down); err != nil {
						return err
					}
					_, err := chromedp.Call(ctx, input.DispatchKeyEvent, up)
					return err
				})))
			}

			require.NoError(t, chromedp.Do(bctx, chromedp.EmulateViewport(c.w, c.h),
				chromedp.Navigate(fmt.Sprintf("%s/?workers=%d&lang=%s", srv.URL, workers, c.lang))))
			const n = 6 // DARTS iterations before the switch
			waitLoad(fmt.Sprintf(`window.nas.scene === "darts" && window.nas.step >= %d && window.nas.curve_points > 0 && window.nas.alpha_points > 0 && window.nas.preds > 0`, n), 4*time.Minute)
			before := read()
			t.Logf("darts before the switch: step %d, %d loss points from step %g, %d α points, %d images", before.Step, before.Points, before.FirstX, before.AlphaPoints, before.Preds)
			shot("1-darts-before")

			// To RL: it runs; DARTS waits, parked, not stepping.
			press("2", "Digit2")
			waitFor(`window.nas.scene === "rl" && window.nas.step >= 10 && window.nas.kept.darts && window.nas.kept.darts.running === false`, 2*time.Minute)
			away := read()
			parked := away.Kept["darts"].Step
			assert.GreaterOrEqual(t, parked, before.Step, "the DARTS step did not go back")
			waitFor(fmt.Sprintf(`window.nas.scene === "rl" && window.nas.step >= %d`, away.Step+16), 2*time.Minute)
			rl := read()
			assert.Equal(t, parked, rl.Kept["darts"].Step, "DARTS stepped while RL was on screen")
			t.Logf("rl ran from step %d to %d while DARTS waited at step %d", away.Step, rl.Step, parked)
			shot("2-rl")

			// Back to DARTS: where it was, and it runs on.
			press("1", "Digit1")
			waitFor(`window.nas.scene === "darts"`, time.Minute)
			back := read()
			t.Logf("darts after the switch: step %d, %d loss points from step %g, %d α points, %d images", back.Step, back.Points, back.FirstX, back.AlphaPoints, back.Preds)
			assert.GreaterOrEqual(t, back.Step, parked, "the DARTS step did not go back")
			assert.GreaterOrEqual(t, back.Points, before.Points, "the loss curve kept its points")
			assert.Equal(t, before.FirstX, back.FirstX, "the loss curve starts where it started")
			assert.GreaterOrEqual(t, back.AlphaPoints, before.AlphaPoints, "the α history kept its points")
			assert.Positive(t, back.Preds, "the validation images are still there")
			assert.Contains(t, back.Genotype, "Genotype(normal=[")
			shot("3-darts-after")
			waitFor(fmt.Sprintf(`window.nas.scene === "darts" && window.nas.running && window.nas.step >= %d`, back.Step+3), 4*time.Minute)
			t.Logf("darts runs on: step %d", read().Step)

			// RL kept its run too.
			rlLeft := read().Kept["rl"].Step
			press("2", "Digit2")
			waitFor(`window.nas.scene === "rl"`, time.Minute)
			assert.GreaterOrEqual(t, read().Step, rlLeft, "the RL step did not go back")
			press("1", "Digit1")
			waitFor(`window.nas.scene === "darts" && window.nas.running`, 2*time.Minute)

			// A paused search comes back paused and unchanged.
			press(" ", "Space")
			waitFor(`window.nas.scene === "darts" && window.nas.running === false`, 4*time.Minute)
			waitFor(fmt.Sprintf(`window.nas.frames >= %d`, read().Frames+20), time.Minute) // the pause's last snapshot is in
			paused := read()
			press("2", "Digit2")
			waitFor(fmt.Sprintf(`window.nas.scene === "rl" && window.nas.step >= %d`, rl.Step+8), 2*time.Minute)
			press("1", "Digit1")
			waitFor(`window.nas.scene === "darts"`, time.Minute)
			waitFor(fmt.Sprintf(`window.nas.frames >= %d`, read().Frames+20), time.Minute)
			again := read()
			assert.False(t, again.Running)
			assert.Equal(t, paused.Step, again.Step)
			assert.Equal(t, paused.Points, again.Points)
			assert.Equal(t, paused.AlphaPoints, again.AlphaPoints)
			assert.Equal(t, paused.Genotype, again.Genotype)
			if assert.NotNil(t, again.StableSteps) && assert.NotNil(t, paused.StableSteps) {
				assert.Equal(t, *paused.StableSteps, *again.StableSteps, "the genotype's stability counter")
			}
			press(" ", "Space")
			waitFor(fmt.Sprintf(`window.nas.scene === "darts" && window.nas.running && window.nas.step > %d`, paused.Step), 4*time.Minute)

			if workers == 1 {
				// The lecture runs a DARTS search of its own (step 4, one edge
				// live); the DARTS scene's waits and comes back.
				left := read().Step
				press("0", "Digit0")
				waitFor(`window.nas.scene === "lecture" && window.nas.lecture`, time.Minute)
				for range 3 {
					press("ArrowRight", "ArrowRight")
				}
				waitFor(`window.nas.lecture.step === 4 && window.nas.lecture.ready && window.nas.step >= 1`, 4*time.Minute)
				lec := read().Step // the lecture's own search
				shot("4-lecture")
				press("1", "Digit1")
				waitFor(`window.nas.scene === "darts"`, time.Minute)
				assert.GreaterOrEqual(t, read().Step, left, "the lecture left the DARTS search where it was")
				waitFor(fmt.Sprintf(`window.nas.scene === "darts" && window.nas.running && window.nas.step >= %d`, left+2), 4*time.Minute)
				press("0", "Digit0")
				waitFor(`window.nas.scene === "lecture" && window.nas.lecture.step === 4 && window.nas.lecture.ready`, time.Minute)
				assert.GreaterOrEqual(t, read().Step, lec, "the lecture's search came back where it was")
				// A step without a DARTS widget parks the lecture's search (the
				// page's pause, not the user's); the next DARTS step resumes it:
				// 4 → 3 → 4 used to leave it paused.
				press("ArrowLeft", "ArrowLeft")
				waitFor(`window.nas.lecture.step === 3 && window.nas.running === false`, 2*time.Minute)
				paused, err := chromedp.Run(bctx, chromedp.Evaluate[bool](`window.nas.paused`))
				require.NoError(t, err)
				assert.False(t, paused, "leaving a DARTS step is not a pause by the user")
				press("ArrowRight", "ArrowRight")
				at4 := read().Step
				waitFor(fmt.Sprintf(`window.nas.lecture.step === 4 && window.nas.running && window.nas.step > %d`, at4), 4*time.Minute)
				press("1", "Digit1")
				waitFor(`window.nas.scene === "darts" && window.nas.running`, 2*time.Minute)
				t.Logf("lecture: its own search at step %d, the DARTS scene's at %d", lec, read().Step)
			}

			// Reset starts anew, and the curves hold no point of the old run.
			old := read().Step
			press("r", "KeyR")
			waitFor(fmt.Sprintf(`window.nas.step >= 3 && window.nas.step < %d && window.nas.curve_points > 0`, old), 4*time.Minute)
			fresh := read()
			assert.LessOrEqual(t, fresh.FirstX, 2.0, "the new curve starts at the new run's first steps")
			assert.LessOrEqual(t, fresh.Points, fresh.Step+1, "one loss point per iteration of the new run, none of the old (%d steps)", old)
			shot("5-after-reset")
		})
	}
}

// newTab starts Chromium for one test and returns its tab; the browser
// closes when the test ends (first the tab, then the browser, which removes
// its profile). The 40-minute deadline is a safety net: waits fail on a
// stalled page, not a slow one.
func newTab(t *testing.T, chromium string) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Minute)
	actx, acancel := chromedp.NewExecAllocator(ctx, chromiumFlags(chromium)...)
	bctx, bcancel := chromedp.NewContext(actx)
	t.Cleanup(func() { bcancel(); acancel(); cancel() })
	return bctx
}
