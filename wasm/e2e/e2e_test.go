//go:build !js

package e2e

import (
	"context"
	"fmt"
	"io/fs"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/run"
	"github.com/nasplayground/nas/native/serve"
	"github.com/nasplayground/nas/wasm/ui"
)

// nasState is the part of window.nas the test reads.
type nasState struct {
	Scene        string             `json:"scene"`
	Method       string             `json:"method"`
	Running      bool               `json:"running"`
	Done         bool               `json:"done"`
	Step         int                `json:"step"`
	Epoch        int                `json:"epoch"`
	TrainLoss    float64            `json:"train_loss"`
	FirstLoss    float64            `json:"first_train_loss"`
	ValAcc       float64            `json:"val_acc"`
	Best         float64            `json:"best"`
	BestArch     string             `json:"best_arch"`
	Baseline     float64            `json:"baseline"`
	Genotype     string             `json:"genotype"`
	ImagesPerSec float64            `json:"images_per_s"`
	StepsPerSec  float64            `json:"steps_per_s"`
	FPS          float64            `json:"fps"`
	TPS          float64            `json:"tps"`
	DrawMS       float64            `json:"draw_ms"`
	DrawParts    map[string]float64 `json:"draw_parts"`
	LayerRedraws int                `json:"layer_redraws"`
	Reward       float64            `json:"reward"`
	ChromeCached bool               `json:"chrome_cached"`
	Frames       int                `json:"frames"`
	Message      string             `json:"message"`
	ReplayPos    int                `json:"replay_pos"`
	ReplayLen    int                `json:"replay_len"`
	ReplayFiles  int                `json:"replay_files"`
	ReplayName   string             `json:"replay_name"`
	StableSteps  *int               `json:"genotype_stable_steps"`
	GenoChanged  int                `json:"genotype_changed"`
	TieGap       float64            `json:"genotype_tie_gap"`
	Curves       []struct {
		Method string  `json:"method"`
		Final  float64 `json:"final"`
		Trials int     `json:"trials"`
	} `json:"curves"`
}

// pageTest skips a browser test where Chromium is missing or under -short,
// and returns Chromium's path and a folder holding the page built like
// `make wasm`.
func pageTest(t *testing.T) (chromium, dir string) {
	chromium = chromiumOrSkip(t)
	dir = t.TempDir()
	buildPage(t, dir)
	return chromium, dir
}

// chromiumOrSkip returns the path of chromium, or skips t when it is not
// installed or under -short.
func chromiumOrSkip(t *testing.T) string {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium not installed (apt-get install -y chromium): skipping the browser test")
	}
	if testing.Short() {
		t.Skip("-short: skipping the browser test")
	}
	return chromium
}

// shotsDir returns NAS_E2E_SHOTS (made if missing) or a temporary folder.
func shotsDir(t *testing.T) string {
	shots := os.Getenv("NAS_E2E_SHOTS")
	if shots == "" {
		shots = t.TempDir()
	}
	require.NoError(t, os.MkdirAll(shots, 0o755))
	return shots
}

// buildPage builds the page into dir exactly like `make wasm`.
func buildPage(t *testing.T, dir string) {
	t.Helper()
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	for _, b := range []struct{ out, pkg string }{{"app.wasm", "./wasm/app"}, {"engine.wasm", "./wasm/engine"}} {
		cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", filepath.Join(dir, b.out), b.pkg)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "go build %s: %s", b.pkg, out)
	}
	copyFile(t, filepath.Join(runtime.GOROOT(), "lib", "wasm", "wasm_exec.js"), filepath.Join(dir, "wasm_exec.js"))
	copyFile(t, filepath.Join(root, "index.html"), filepath.Join(dir, "index.html"))
	static := filepath.Join(root, "wasm", "static") // with its folders (replays/), as `cp -r wasm/static/. web/`
	require.NoError(t, filepath.WalkDir(static, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(static, path)
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dir, rel), 0o755)
		}
		copyFile(t, path, filepath.Join(dir, rel))
		return nil
	}))
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(to, b, 0o644))
}

func TestPage(t *testing.T) {
	chromium, dir := pageTest(t)
	shots := shotsDir(t)
	require.NoError(t, writeSyntheticDARTS(filepath.Join(dir, "synthetic-darts.jsonl"), 300))
	srv := httptest.NewServer(serve.Handler(dir)) // what `nas serve` serves
	defer srv.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Minute) // a safety net: waits fail on a stalled page, not a slow one
	defer cancel()
	actx, acancel := chromedp.NewExecAllocator(ctx, chromiumFlags(chromium)...)
	defer acancel() // cancels, then waits for the browser's exit and the profile's removal
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()

	read := func() nasState {
		s, err := chromedp.Run(bctx, chromedp.Evaluate[nasState](`window.nas`))
		require.NoError(t, err)
		return s
	}
	shot := func(name string) {
		b, err := chromedp.Run(bctx, chromedp.CaptureScreenshot())
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(shots, name), b, 0o644))
	}
	open := func(w, h int64, query string) {
		require.NoError(t, chromedp.Do(bctx, chromedp.EmulateViewport(w, h), chromedp.Navigate(srv.URL+"/"+query)))
	}
	waitFor := func(expr string, d time.Duration) {
		err := waitUntil(bctx, expr, d) // d: how long the page may show no progress
		require.NoError(t, err, "waiting for %s; window.nas = %+v", expr, read())
	}

	// 1. The default scene is DARTS.
	start := time.Now()
	open(1280, 720, "")
	waitFor(`window.nasFirstFrameMs > 0 && window.nas.frames > 5`, 90*time.Second)
	ttff, err := chromedp.Run(bctx, chromedp.Evaluate[float64](`window.nasFirstFrameMs`))
	require.NoError(t, err)
	t.Logf("time to first frame %.0f ms in the page (%.1f s with the browser start)", ttff, time.Since(start).Seconds())
	// DARTS runs live in the worker: steps happen and the training loss falls.
	waitFor(`window.nas.scene === "darts" && window.nas.step >= 3 && window.nas.train_loss > 0`, 120*time.Second)
	first := read()
	t.Logf("darts: first loss %.3f at step %d", first.FirstLoss, first.Step)
	waitFor(`window.nas.step >= 12 && window.nas.train_loss < window.nas.first_train_loss`, 240*time.Second)
	s := read()
	t.Logf("darts: step %d epoch %d, train loss %.3f (first %.3f), %.0f images/s, FPS %.1f, TPS %.1f, Draw %.1f ms, chrome cached %v\n  %s",
		s.Step, s.Epoch, s.TrainLoss, s.FirstLoss, s.ImagesPerSec, s.FPS, s.TPS, s.DrawMS, s.ChromeCached, s.Genotype)
	t.Logf("darts: Draw parts (ms) %v", s.DrawParts)
	assert.Equal(t, "darts", s.Method)
	assert.Contains(t, s.Genotype, "Genotype(normal=[")
	assert.Greater(t, s.ImagesPerSec, 0.0)
	require.NotNil(t, s.StableSteps, "window.nas.genotype_stable_steps")
	assert.True(t, *s.StableSteps >= 0 && *s.StableSteps <= s.Step, "stable for %d of %d steps", *s.StableSteps, s.Step)
	assert.Greater(t, s.TieGap, 0.0)
	t.Logf("darts: genotype unchanged for %d steps, %d edges changed in the last epoch (or since the start), median top-2 op gap %.5f", *s.StableSteps, s.GenoChanged, s.TieGap)
	shot("darts-1280x720.png")

	// 2. The RL scene: core REINFORCE on the NAS-Bench-201 table.
	open(1280, 720, "?scene=rl&rate=40")
	waitFor(`window.nas.scene === "rl" && window.nas.step >= 60`, 90*time.Second)
	waitFor(`window.nas.frames >= 60`, 60*time.Second) // steady state: draw_ms is the mean of the last 30 frames
	s = read()
	t.Logf("rl: Draw %.1f ms, %d layer redraws in %d frames, parts (ms) %v", s.DrawMS, s.LayerRedraws, s.Frames, s.DrawParts)
	t.Logf("rl: step %d, %.1f samples/s, best %.2f%% %s, FPS %.1f, TPS %.1f", s.Step, s.StepsPerSec, s.Best, s.BestArch, s.FPS, s.TPS)
	assert.Equal(t, "reinforce", s.Method)
	assert.True(t, s.Running)
	assert.Greater(t, s.Best, 80.0, "60 REINFORCE samples find a cell above 80%% on CIFAR-10")
	assert.Greater(t, s.Baseline, 0.0)
	assert.Greater(t, s.FPS, 0.0)
	shot("rl-1280x720.png")

	// 3. Switch scene with a click on the "3 Compare" tab (held 300 ms: Ebiten
	// polls input once per frame, and a software-GL frame can be that long).
	lay := ui.ComputeLayout("rl", "reinforce", "", 1280, 720)
	b, ok := lay.Button("scene.compare")
	require.True(t, ok)
	x, y := b.X+b.W/2, b.Y+b.H/2
	require.NoError(t, chromedp.Do(bctx,
		chromedp.MouseEvent(input.DispatchMouseEventTypeMousePressed, x, y, chromedp.ButtonLeft, chromedp.ClickCount(1)),
		chromedp.Sleep(1200*time.Millisecond), // a software-GL frame can take 300+ ms: the press must span frames
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseReleased, x, y, chromedp.ButtonLeft, chromedp.ClickCount(1))))
	waitFor(`window.nas.scene === "compare" && window.nas.curves && window.nas.curves.length > 0 && window.nas.curves.every(c => c.trials >= 1)`, 60*time.Second)
	// Every method, not only the first: interleaved, the methods finish their
	// first run one turn after another, and a state read between two turns
	// showed random done and PNAS not yet (CI, stop 16).
	s = read()
	require.Len(t, s.Curves, len(run.CompareMethods))
	for _, c := range s.Curves {
		t.Logf("compare: %s mean best %.2f%% over %d runs", c.Method, c.Final, c.Trials)
		assert.Greater(t, c.Final, 85.0, c.Method)
	}
	t.Logf("compare: FPS %.1f, %.0f steps/s, Draw %.1f ms", s.FPS, s.StepsPerSec, s.DrawMS)
	shot("compare-1280x720.png")

	// 4. Replay of a (synthetic, test-only) DARTS events.jsonl: the DARTS drawing.
	for _, sz := range [][2]int64{{1920, 1080}, {1280, 720}} {
		open(sz[0], sz[1], "?replay=synthetic-darts.jsonl&rate=400")
		waitFor(`window.nas.replay_len > 0 && window.nas.replay_pos === window.nas.replay_len`, 60*time.Second)
		s = read()
		assert.Less(t, s.TrainLoss, s.FirstLoss, "the replayed loss falls")
		assert.Contains(t, s.Genotype, "Genotype(normal=[")
		t.Logf("replay %dx%d: FPS %.1f, TPS %.1f", sz[0], sz[1], s.FPS, s.TPS)
		shot(fmt.Sprintf("replay-darts-%dx%d.png", sz[0], sz[1]))
	}

	// 4b. The real recordings shipped with the page (wasm/static/replays):
	// one by the URL parameter, then one click on its button.
	idx, err := os.ReadFile("../static/replays/index.json")
	require.NoError(t, err)
	shipped, err := ui.ParseReplayIndex("index.json", idx)
	require.NoError(t, err)
	require.NotEmpty(t, shipped)
	for _, c := range []struct {
		w, h       int64
		lang, name string
	}{{1280, 720, "en", "replay-shipped-1280x720.png"}, {1920, 1080, "ko", "replay-shipped-ko-1920x1080.png"}} {
		open(c.w, c.h, "?replay="+shipped[0].URL()+"&rate=400&lang="+c.lang)
		waitFor(`window.nas.replay_len > 0 && window.nas.replay_pos === window.nas.replay_len && window.nas.frames > 30`, 60*time.Second)
		s = read()
		assert.Greater(t, s.ReplayLen, 0)
		assert.GreaterOrEqual(t, s.ReplayFiles, 1, "replays/index.json is listed")
		assert.Equal(t, shipped[0].URL(), s.ReplayName)
		assert.Contains(t, s.Genotype, "Genotype(normal=[")
		require.NotNil(t, s.StableSteps)
		t.Logf("shipped replay %s (%dx%d %s): %d events, step %d, genotype unchanged for %d steps, %d edges changed in the last epoch, median top-2 op gap %.5f",
			shipped[0].File, c.w, c.h, c.lang, s.ReplayLen, s.Step, *s.StableSteps, s.GenoChanged, s.TieGap)
		shot(c.name)
	}
	open(1280, 720, "?scene=replay")
	waitFor(`window.nas.scene === "replay" && window.nas.replay_files >= 1 && window.nas.frames > 10`, 60*time.Second)
	shot("replay-empty-1280x720.png")
	lay = ui.ComputeLayout("replay", "", "", 1280, 720)
	lay.AddReplayChoices(len(shipped))
	rb, ok := lay.Button("replays.0")
	require.True(t, ok)
	require.NoError(t, chromedp.Do(bctx,
		chromedp.MouseEvent(input.DispatchMouseEventTypeMousePressed, rb.X+rb.W/2, rb.Y+rb.H/2, chromedp.ButtonLeft, chromedp.ClickCount(1)),
		chromedp.Sleep(1200*time.Millisecond),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseReleased, rb.X+rb.W/2, rb.Y+rb.H/2, chromedp.ButtonLeft, chromedp.ClickCount(1))))
	waitFor(`window.nas.replay_len > 0 && location.search.includes("replay=replays")`, 30*time.Second)

	// 5. ENAS in the RL scene: core/search/enas on the demo set; the
	// controller samples, the reward is a validation-minibatch accuracy and
	// the baseline follows it. Parameters come from the URL (lecturer preset).
	open(1280, 720, "?scene=rl&method=enas&seed=2&ctrl_lr=0.001")
	waitFor(`window.nas.scene === "rl" && window.nas.method === "enas" && window.nas.step >= 5 && window.nas.baseline > 0`, 120*time.Second)
	waitFor(`window.nas.frames >= 60`, 60*time.Second)
	s = read()
	t.Logf("enas: step %d, %.1f samples/s, reward %.3f, baseline %.3f, best %.3f, FPS %.1f, Draw %.1f ms, parts (ms) %v", s.Step, s.StepsPerSec, s.Reward, s.Baseline, s.Best, s.FPS, s.DrawMS, s.DrawParts)
	assert.Contains(t, s.BestArch, "Genotype(normal=[")
	assert.True(t, s.Best > 0 && s.Best <= 1, "ENAS reward is an accuracy fraction: %v", s.Best)
	url, err := chromedp.Run(bctx, chromedp.Evaluate[string](`location.search`))
	require.NoError(t, err)
	assert.Contains(t, url, "ctrl_lr=0.001")
	shot("rl-enas-1280x720.png")
	// The + of the seed control restarts with seed 3 and writes it into the URL.
	lay = ui.ComputeLayout("rl", "enas", "", 1280, 720)
	b, ok = lay.Button("seed+")
	require.True(t, ok)
	x, y = b.X+b.W/2, b.Y+b.H/2
	require.NoError(t, chromedp.Do(bctx,
		chromedp.MouseEvent(input.DispatchMouseEventTypeMousePressed, x, y, chromedp.ButtonLeft, chromedp.ClickCount(1)),
		chromedp.Sleep(1200*time.Millisecond),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseReleased, x, y, chromedp.ButtonLeft, chromedp.ClickCount(1))))
	waitFor(`location.search.includes("seed=3") && window.nas.seed === 3`, 30*time.Second)

	// 6. Korean at 1920×1080. Whether every glyph exists (no tofu box) is not
	// judged from pixels: assets/fonts' TestSubsetCoversUI checks the font
	// against every string literal of wasm/**/*.go and the i18n table.
	open(1920, 1080, "?scene=rl&lang=ko&rate=40")
	waitFor(`window.nas.scene === "rl" && window.nas.lang === "ko" && window.nas.step >= 20`, 60*time.Second)
	time.Sleep(2 * time.Second)
	s = read()
	t.Logf("rl ko 1920x1080: FPS %.1f, Draw %.1f ms", s.FPS, s.DrawMS)
	shot("rl-ko-1920x1080.png")
	open(1920, 1080, "?scene=rl&method=enas&lang=ko")
	waitFor(`window.nas.method === "enas" && window.nas.step >= 3`, 120*time.Second)
	shot("rl-enas-ko-1920x1080.png")
	open(1920, 1080, "?scene=compare")
	waitFor(`window.nas.scene === "compare" && window.nas.curves && window.nas.curves.length > 0 && window.nas.curves.every(c => c.trials >= 1)`, 60*time.Second)
	shot("compare-1920x1080.png")
	t.Logf("screenshots in %s", shots)
}
