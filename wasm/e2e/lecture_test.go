//go:build !js

package e2e

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/genotype"
	"github.com/nasplayground/nas/core/run"
	"github.com/nasplayground/nas/native/serve"
	"github.com/nasplayground/nas/wasm/lecture"
	"github.com/nasplayground/nas/wasm/protocol"
	"github.com/nasplayground/nas/wasm/ui"
)

// lectureState is window.nas.lecture.
type lectureState struct {
	Step   int     `json:"step"`
	Steps  int     `json:"steps"`
	Title  string  `json:"title"`
	Ready  bool    `json:"ready"`
	Widget string  `json:"widget"`
	Edges  int     `json:"edges"`
	Rows   int     `json:"rows"`
	Error  string  `json:"error"`
	Sample int     `json:"sample"`
	Reward float64 `json:"reward"`
}

// TestLecture opens every step of the lecture by URL (English, 1280×720),
// waits until its widget has its data, checks that data and the page's text
// audit (no overlap, no cut text, no small type), and screenshots it; then
// walks the steps with the → key in Korean at 1920×1080, checking the same.
func TestLecture(t *testing.T) {
	chromium, dir := pageTest(t)
	shots := shotsDir(t)
	srv := httptest.NewServer(serve.Handler(dir))
	defer srv.Close()
	idx, err := os.ReadFile("../static/replays/index.json")
	require.NoError(t, err)
	shipped, err := ui.ParseReplayIndex("index.json", idx)
	require.NoError(t, err)

	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Minute) // a safety net: waits fail on a stalled page, not a slow one
	defer cancel()
	actx, acancel := chromedp.NewExecAllocator(ctx, chromiumFlags(chromium)...)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()

	read := func() lectureState {
		s, err := chromedp.Run(bctx, chromedp.Evaluate[lectureState](`window.nas.lecture`))
		require.NoError(t, err)
		return s
	}
	waitFor := func(expr string, d time.Duration) {
		err := waitUntil(bctx, expr, d) // d: how long the page may show no progress
		msg, _ := chromedp.Run(bctx, chromedp.Evaluate[string](`JSON.stringify(window.nas && window.nas.lecture) + " " + (window.nas && window.nas.message)`))
		require.NoError(t, err, "waiting for %s; window.nas.lecture = %s", expr, msg)
	}
	shot := func(name string) {
		time.Sleep(time.Second) // a few more frames: the layers settle
		b, err := chromedp.Run(bctx, chromedp.CaptureScreenshot())
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(shots, name), b, 0o644))
	}
	// check holds each step's widget to its data.
	check := func(s lectureState, lang string) {
		assert.Equal(t, len(lecture.Steps), s.Steps)
		assert.Equal(t, lecture.Title(lang, s.Step-1), s.Title)
		assert.Empty(t, s.Error)
		switch lecture.Widget(s.Widget) {
		case lecture.Controller:
			assert.GreaterOrEqual(t, s.Sample, 1, "the controller sampled a cell")
			assert.Greater(t, s.Reward, 10.0, "its reward is a NAS-Bench-201 accuracy in percent")
		case lecture.NASNet:
			assert.Equal(t, len(genotype.NASNet.Normal), s.Edges, "NASNet-A normal cell: 5 nodes × 2 edges")
		case lecture.Derive:
			assert.Equal(t, 8, s.Edges, "the derived discrete cell has 4 nodes × 2 edges")
		case lecture.Recurrent:
			assert.Equal(t, 8, s.Edges, "the recurrent cell has 8 edges")
		case lecture.Table:
			assert.Equal(t, len(lecture.Table1)+len(run.CompareMethods)+len(shipped), s.Rows, "published rows, one per NB201 method, the shipped recordings")
		}
	}
	for n := 1; n <= protocol.LectureSteps; n++ {
		require.NoError(t, chromedp.Do(bctx, chromedp.EmulateViewport(1280, 720),
			chromedp.Navigate(fmt.Sprintf("%s/?audit=1&scene=lecture&step=%d", srv.URL, n))))
		waitFor(`window.nas && window.nas.lecture && window.nas.lecture.ready`, 3*time.Minute)
		s := read()
		require.Equal(t, n, s.Step)
		check(s, "en")
		t.Logf("step %d (%s): %q edges %d rows %d", n, s.Widget, s.Title, s.Edges, s.Rows)
		assertReadable(t, bctx, fmt.Sprintf("step %d, en, 1280x720", n))
		shot(fmt.Sprintf("lecture-%d-en-1280x720.png", n))
	}
	// Korean, 1920×1080, stepping with the → key from step 1 (one page: the
	// DARTS search carries on from step to step).
	require.NoError(t, chromedp.Do(bctx, chromedp.EmulateViewport(1920, 1080),
		chromedp.Navigate(srv.URL+"/?audit=1&scene=lecture&step=1&lang=ko")))
	for n := 1; n <= protocol.LectureSteps; n++ {
		if n > 1 {
			// → held down until the page has moved on: Ebiten polls keys once
			// per frame, and a loaded software-GL frame can outlast a short tap.
			key := input.DispatchKeyEventParams{Key: "ArrowRight", Code: "ArrowRight", WindowsVirtualKeyCode: 39}
			down, up := key, key
			down.Type, up.Type = input.DispatchKeyEventTypeRawKeyDown, input.DispatchKeyEventTypeKeyUp
			require.NoError(t, chromedp.Do(bctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
				_, err := chromedp.Call(ctx, input.DispatchKeyEvent, down)
				return err
			})))
			waitFor(fmt.Sprintf(`window.nas && window.nas.lecture && window.nas.lecture.step === %d`, n), time.Minute)
			require.NoError(t, chromedp.Do(bctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
				_, err := chromedp.Call(ctx, input.DispatchKeyEvent, up)
				return err
			})))
		}
		waitFor(fmt.Sprintf(`window.nas && window.nas.lecture && window.nas.lecture.step === %d && window.nas.lecture.ready`, n), 3*time.Minute)
		s := read()
		check(s, "ko")
		url, err := chromedp.Run(bctx, chromedp.Evaluate[string](`location.search`))
		require.NoError(t, err)
		assert.Contains(t, url, fmt.Sprintf("step=%d", n), "the URL follows the step")
		assertReadable(t, bctx, fmt.Sprintf("step %d, ko, 1920x1080", n))
		shot(fmt.Sprintf("lecture-%d-ko-1920x1080.png", n))
	}
	t.Logf("screenshots in %s", shots)
}
