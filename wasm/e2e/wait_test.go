//go:build !js

package e2e

import (
	"context"
	"fmt"
	"time"

	"github.com/chromedp/chromedp"
)

// progressExpr is what changes while the page is alive and working: frames
// drawn, engine steps, the engine's status line, the replay's position and the
// lecture's step. waitUntil watches it to tell a slow page from a stuck one.
const progressExpr = `JSON.stringify(window.nas ? [window.nas.frames, window.nas.step, window.nas.engine, window.nas.replay_pos,
	window.nas.lecture && window.nas.lecture.step, window.nasFirstFrameMs] : [document.readyState, performance.now() > 0])`

// runProgressExpr is what changes while a search on the page makes progress,
// without the frames: a page that draws but whose run is stuck (a scene
// switch that did not resume it, an engine that died) shows no progress here.
const runProgressExpr = `JSON.stringify(window.nas ? [window.nas.scene, window.nas.step, window.nas.running, window.nas.engine,
	window.nas.kept, window.nas.replay_pos, window.nas.lecture && [window.nas.lecture.step, window.nas.lecture.ready]] : [document.readyState])`

// waitUntil polls expr until it is true. It gives up only when the page has
// made no progress (progressExpr unchanged) for stall, or when ctx ends: on a
// loaded machine the page is slower, not stuck, so no wait fails for the
// machine being busy. A timing budget per wait (chromedp.WithPollingTimeout)
// failed passing runs at a load of 30-46 on 2 cores.
func waitUntil(ctx context.Context, expr string, stall time.Duration) error {
	return waitProgress(ctx, expr, progressExpr, stall)
}

// waitProgress is waitUntil with progress read by the expression progress
// (progressExpr, runProgressExpr).
func waitProgress(ctx context.Context, expr, progress string, stall time.Duration) error {
	last, lastChange := "", time.Now()
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!(`+expr+`)`))
		if err == nil && ok {
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("%w (last error %v)", ctx.Err(), err)
		}
		p, perr := chromedp.Run(ctx, chromedp.Evaluate[string](progress))
		if perr == nil && p != last {
			last, lastChange = p, time.Now()
		}
		if time.Since(lastChange) > stall {
			return fmt.Errorf("no progress for %v (page state %s; last error %v)", stall, last, err)
		}
		select {
		case <-ctx.Done():
		case <-time.After(200 * time.Millisecond):
		}
	}
}
