//go:build js && wasm

package main

import (
	"math"
	"strconv"
	"strings"
	"syscall/js"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"

	"github.com/nasplayground/nas/wasm/i18n"
	"github.com/nasplayground/nas/wasm/protocol"
	"github.com/nasplayground/nas/wasm/ui"
)

// game is the Ebiten adapter: input → commands, snapshots → model, model → pixels.
type game struct {
	params protocol.Params
	rate   float64 // effective steps (or replayed events) per second; 0 = unlimited
	model  ui.Model
	replay ui.Replay
	// replayName is the URL or file name of the loaded recording; shipped
	// are the recordings listed in replays/index.json (shippedErr if it is bad).
	replayName string
	shipped    []ui.ReplayEntry
	shippedErr string
	br         *bridge
	src        *text.GoTextFaceSource
	faces      map[float64]*text.GoTextFace
	wraps      map[wrapKey][]string
	texts      textCache
	runeAdv    map[runeKey]float64 // advance per character and face size (measure)
	layers     map[string]*layer
	// layerRedraws counts layer re-renders (window.nas.layer_redraws).
	layerRedraws int
	layout       ui.Layout
	w, h         float64
	dpr          float64
	frames       int
	started      bool                      // a start command was sent for the current scene
	paused       bool                      // the user paused the current scene's run
	run          protocol.Command          // the start command of the current scene's engine run (Cmd "" if none)
	waiting      bool                      // see ui.SceneState.Waiting
	kept         map[string]*ui.SceneState // the scenes not on screen as they were left; the engine keeps their runs parked (protocol.Runs)
	last         time.Time
	thumbs       thumbCache
	chrome       chrome
	drawMS       float64            // mean CPU time of Draw over the last len(drawRing) frames (command building; the GPU work is not in it)
	drawRing     [30]float64        // recent Draw times, ms
	drawN        int                // Draw times recorded since the scene started
	parts        map[string]float64 // Draw time per section, ms, smoothed (window.nas.draw_parts)
	partT        time.Time
	guard        ui.StaleGuard // drops snapshots of a restarted run
	urlErr       string        // what was wrong with the address's parameters ("" if nothing)
	lec          lectureState
	edgeSel      string    // the heat-map row followed over time ("edge.C.E"), "" for none
	redraw       ui.Redraw // whether the next Draw must draw (only what changed is redrawn)
	engineSeen   string    // the engine status line last seen (a change is redrawn)
}

func newGame(p protocol.Params, src *text.GoTextFaceSource, br *bridge) *game {
	g := &game{params: p, src: src, br: br, faces: map[float64]*text.GoTextFace{}, wraps: map[wrapKey][]string{}, dpr: 1, kept: map[string]*ui.SceneState{}}
	g.rate = p.EffectiveRate()
	g.replay.Rate = protocol.DefaultRate(protocol.SceneReplay)
	if p.Scene == protocol.SceneReplay && p.Rate > 0 {
		g.replay.Rate = p.Rate
	}
	return g
}

func (g *game) lang() string        { return g.params.Lang }
func (g *game) t(key string) string { return i18n.T(g.params.Lang, key) }

// start (re)starts the current scene's engine from scratch.
func (g *game) start() {
	g.guard.Restart(g.model.Step)
	g.model.Reset()
	g.drawN = 0
	g.paused = false
	g.started = true
	g.run = protocol.Command{}
	if g.params.Scene == protocol.SceneLecture {
		g.lec.dartsOn = false // model reset: start the lecture's DARTS search again if a step needs it
		g.lectureEnter()
		return
	}
	if g.params.Scene == protocol.SceneReplay {
		g.replay.Rewind()
		g.replay.Playing = len(g.replay.Events) > 0
		return
	}
	c := g.params.StartCommand()
	c.Rate = g.rate
	g.startRun(c)
}

// startRun sends c, the start command of a new run for the scene on screen
// (the lecture's DARTS steps call it too), and records it as the scene's run.
func (g *game) startRun(c protocol.Command) {
	g.run, g.waiting = c, true
	send(c)
}

// setScene shows scene s. The scene left keeps its state and its run waits,
// paused, in the engine; a scene shown before comes back as it was left and
// its run continues where it was (resumed if it was running), unless a
// setting that defines the run changed meanwhile: then it starts anew.
func (g *game) setScene(s string) {
	if s == g.params.Scene && g.started {
		return
	}
	if g.run.Cmd != "" {
		send(protocol.Command{Cmd: protocol.CmdPause})
	}
	g.kept[g.params.Scene] = &ui.SceneState{Model: g.model, Guard: g.guard, Run: g.run, Started: g.started,
		Paused: g.paused, Waiting: g.waiting, Rate: g.rate, URLRate: g.params.Rate}
	st := g.kept[s]
	delete(g.kept, s)
	if st == nil {
		st = &ui.SceneState{}
		st.Rate = protocol.DefaultRate(s) // EffectiveRate with no ?rate=
	}
	g.model, g.guard, g.run, g.started, g.paused, g.waiting = st.Model, st.Guard, st.Run, st.Started, st.Paused, st.Waiting
	g.params.Scene, g.params.Rate, g.rate = s, st.URLRate, st.Rate
	if s != protocol.SceneReplay {
		g.params.Replay = "" // a reload shows this scene, not the recording
	}
	setURL(g.params)
	g.drawN = 0
	want := g.params.StartCommand()
	switch {
	case !g.started, g.run.Cmd != "" && !st.Keeps(want):
		g.start()
	case s == protocol.SceneReplay: // the recording and its position are kept in g.replay
	case s == protocol.SceneLecture:
		if g.run.Cmd != "" {
			g.keepRun(want)
			g.waiting = !g.paused
		}
		g.lectureEnter() // its DARTS steps resume the lecture's run (unless paused), the others keep it paused
	case g.run.Cmd != "":
		g.keepRun(want)
		if !g.paused && !g.model.Done {
			g.waiting = true
			send(protocol.Command{Cmd: protocol.CmdResume})
		}
	default:
		g.start()
	}
}

// keepRun makes the engine's current run the parked run of the scene on
// screen again (want: its start command), as it was left.
func (g *game) keepRun(want protocol.Command) {
	want.Keep, want.Rate = true, g.rate
	send(want)
}

func (g *game) togglePause() {
	if g.params.Scene == protocol.SceneLecture {
		g.lectureRun()
		return
	}
	if !g.started {
		g.start()
		return
	}
	if g.params.Scene == protocol.SceneReplay {
		if g.replay.Pos() >= len(g.replay.Events) {
			g.replay.Rewind()
			g.model.Reset()
		}
		g.replay.Playing = !g.replay.Playing && len(g.replay.Events) > 0
		return
	}
	g.paused = !g.paused
	if g.paused {
		send(protocol.Command{Cmd: protocol.CmdPause})
	} else {
		g.waiting = true
		send(protocol.Command{Cmd: protocol.CmdResume})
	}
}

func (g *game) step() {
	if g.params.Scene == protocol.SceneLecture {
		g.lectureStepOnce()
		return
	}
	if g.params.Scene == protocol.SceneReplay {
		g.replay.Playing = false
		for _, ev := range g.replay.StepOne() {
			g.model.Fold(ev)
		}
		return
	}
	if !g.started {
		g.start()
	}
	g.paused = true
	send(protocol.Command{Cmd: protocol.CmdStep})
}

func (g *game) reset() {
	if g.params.Scene == protocol.SceneReplay {
		g.replay.Rewind()
		g.replay.Playing = false
		g.model.Reset()
		return
	}
	send(protocol.Command{Cmd: protocol.CmdReset})
	g.guard.Restart(g.model.Step)
	g.model.Reset()
	g.started, g.paused, g.run = false, false, protocol.Command{}
}

// speed multiplies the rate by f; for DARTS, "unlimited" sits above 1000/s.
func (g *game) speed(f float64) {
	if g.params.Scene == protocol.SceneReplay {
		g.replay.Rate = math.Max(0.5, math.Min(5000, g.replay.Rate*f))
		g.params.Rate = g.replay.Rate
		setURL(g.params)
		return
	}
	switch {
	case g.rate == 0 && f < 1:
		g.rate = math.Max(1, math.Round(g.model.StepsPerSec/2))
	case g.rate == 0:
		return
	default:
		g.rate = math.Max(0.5, g.rate*f)
		if g.rate > 2000 {
			g.rate = 0
		}
	}
	g.params.Rate = g.rate
	setURL(g.params)
	send(protocol.Command{Cmd: protocol.CmdRate, Rate: g.rate})
}

func (g *game) cycleMethod() {
	ms := protocol.RLMethods
	for i, m := range ms {
		if m == g.params.Method {
			g.params.Method = ms[(i+1)%len(ms)]
			break
		}
	}
	setURL(g.params)
	if g.params.Scene == protocol.SceneRL {
		g.start()
	}
}

func (g *game) toggleOrder() {
	g.params.Order = 3 - g.params.Order
	setURL(g.params)
	if g.params.Scene == protocol.SceneDARTS || g.params.Scene == protocol.SceneLecture && g.lecCur().DARTS {
		g.start()
	}
}

func (g *game) toggleLang() {
	if g.params.Lang == "ko" {
		g.params.Lang = "en"
	} else {
		g.params.Lang = "ko"
	}
	setURL(g.params)
}

func (g *game) press(id string) {
	g.urlErr = ""
	switch {
	case strings.HasPrefix(id, "scene."):
		g.setScene(strings.TrimPrefix(id, "scene."))
	case id == "lang":
		g.toggleLang()
	case id == "lec.prev":
		g.lectureGo(-1)
	case id == "lec.next":
		g.lectureGo(1)
	case id == "run":
		g.togglePause()
	case id == "step":
		g.step()
	case id == "reset":
		g.reset()
	case id == "order":
		g.toggleOrder()
	case id == "method":
		g.cycleMethod()
	case id == "rate-":
		g.speed(0.5)
	case id == "rate+":
		g.speed(2)
	case strings.HasPrefix(id, "replays."):
		g.loadShipped(strings.TrimPrefix(id, "replays."))
	case strings.HasPrefix(id, "replaycard."):
		g.loadShipped(strings.TrimPrefix(id, "replaycard."))
	case strings.HasPrefix(id, "edge."):
		if g.edgeSel == id || id == "edge.none" {
			g.edgeSel = ""
		} else {
			g.edgeSel = id
		}
	case id == "val.rate":
		g.defaultSpeed()
	case strings.HasPrefix(id, "val."):
		g.setParam(strings.TrimPrefix(id, "val."), 0)
	case strings.HasSuffix(id, "-"):
		g.setParam(strings.TrimSuffix(id, "-"), -1)
	case strings.HasSuffix(id, "+"):
		g.setParam(strings.TrimSuffix(id, "+"), 1)
	}
}

// lrParam returns a pointer to p's learning rate with URL key k, or nil.
func lrParam(p *protocol.Params, k string) *float64 {
	switch k {
	case "lr":
		return &p.LR
	case "arch_lr":
		return &p.ArchLR
	case "ctrl_lr":
		return &p.CtrlLR
	}
	return nil
}

// setParam steps the seed or a learning rate (dir ±1; 0 restores the
// default), writes the URL and restarts the scene with it.
func (g *game) setParam(k string, dir int) {
	d := protocol.DefaultParams()
	switch k {
	case "seed":
		switch {
		case dir == 0:
			g.params.Seed = d.Seed
		case dir > 0:
			g.params.Seed++
		case g.params.Seed > 0:
			g.params.Seed--
		}
	default:
		p := lrParam(&g.params, k)
		if p == nil {
			return
		}
		if dir == 0 {
			*p = *lrParam(&d, k)
		} else {
			*p = protocol.StepLadder(protocol.Ladders[k], *p, dir)
		}
	}
	setURL(g.params)
	if g.params.Scene != protocol.SceneReplay {
		g.start()
	}
}

// nthLR returns the URL key of the scene's i-th learning-rate control, or "".
func (g *game) nthLR(i int) string {
	n := 0
	for _, k := range protocol.Controls(g.params.Scene, g.params.Method) {
		if lrParam(&g.params, k) != nil {
			if n == i {
				return k
			}
			n++
		}
	}
	return ""
}

// defaultSpeed restores the scene's default rate.
func (g *game) defaultSpeed() {
	g.params.Rate = 0
	if g.params.Scene == protocol.SceneReplay {
		g.replay.Rate = protocol.DefaultRate(protocol.SceneReplay)
		setURL(g.params)
		return
	}
	g.rate = g.params.EffectiveRate()
	setURL(g.params)
	send(protocol.Command{Cmd: protocol.CmdRate, Rate: g.rate})
}

// Update implements ebiten.Game.
func (g *game) Update() error {
	if !g.started {
		g.start()
	}
	now := time.Now()
	dt := 0.0
	if !g.last.IsZero() {
		dt = math.Min(0.25, now.Sub(g.last).Seconds())
	}
	g.last = now
	msgs, files, index := g.br.take()
	stepBefore := g.model.Step
	if len(msgs) > 0 || len(files) > 0 || index != nil {
		g.redraw.Dirty = true
	}
	if index != nil {
		es, err := ui.ParseReplayIndex("replays/index.json", []byte(*index))
		g.shipped, g.shippedErr = es, ""
		if err != nil {
			g.shippedErr = err.Error()
		}
	}
	for _, m := range msgs {
		if m.Scene != "" && m.Scene != g.params.Scene { // a scene not on screen: its last events before the pause
			if st := g.kept[m.Scene]; st != nil {
				st.Fold(m)
			}
			continue
		}
		if g.params.Scene == protocol.SceneReplay || !g.guard.Accept(m) {
			continue // a late snapshot of the run we restarted
		}
		g.model.Apply(m)
		current := ui.Current(m, sentSeq) // not a snapshot from before the engine saw the page's last command
		if current && (m.Running || m.Type == protocol.MsgError) {
			g.waiting = false
		}
		parked := g.params.Scene == protocol.SceneLecture && g.lec.parked
		if g.started && current && ui.StoppedByItself(m, g.paused || parked, g.waiting) {
			g.paused = true
		}
	}
	for _, f := range files {
		g.loadReplay(f)
	}
	if g.params.Scene == protocol.SceneLecture {
		g.lectureUpdate(dt)
		g.redraw.Dirty = g.redraw.Dirty || g.lectureAnimates()
	}
	if g.params.Scene == protocol.SceneReplay {
		for _, ev := range g.replay.Advance(dt) {
			g.model.Fold(ev)
		}
		g.model.Running = g.replay.Playing
		g.redraw.Dirty = g.redraw.Dirty || g.replay.Playing
	}
	g.input()
	if s := g.engineStatus(); s != g.engineSeen {
		g.engineSeen, g.redraw.Dirty = s, true
	}
	// window.nas every 10 frames, and at once when a run's first step
	// arrives (this frame draws it; the page times the first step by it).
	if g.frames%10 == 0 || stepBefore < 1 && g.model.Step >= 1 {
		publish(g, ebiten.ActualFPS(), ebiten.ActualTPS())
	}
	return nil
}

// loadShipped fetches the i-th shipped recording (a decimal string) and
// puts its address in the URL, so the link opens it.
func (g *game) loadShipped(i string) {
	n, err := strconv.Atoi(i)
	if err != nil || n < 0 || n >= len(g.shipped) {
		return
	}
	if g.params.Scene != protocol.SceneReplay {
		g.setScene(protocol.SceneReplay)
	}
	g.params.Replay = g.shipped[n].URL()
	setURL(g.params)
	fetchReplay(g.params.Replay)
}

// shippedTitle returns the title of the loaded recording if it is a shipped one.
func (g *game) shippedTitle() string {
	for _, e := range g.shipped {
		if e.URL() == g.replayName {
			return e.TitleIn(g.lang())
		}
	}
	return ""
}

func (g *game) loadReplay(f replayFile) {
	if g.params.Scene == protocol.SceneLecture {
		g.lectureRecording(f) // fetched for the lecture's table
		return
	}
	evs, err := ui.ParseEvents(f.name, strings.NewReader(f.text))
	if g.params.Scene != protocol.SceneReplay {
		g.setScene(protocol.SceneReplay) // the scene left keeps its search
	}
	g.replayName = f.name
	if f.name != g.params.Replay { // a local file has no URL
		g.params.Replay = ""
		setURL(g.params)
	}
	g.model.Reset()
	if err != nil {
		g.replay = ui.Replay{Rate: g.replay.Rate}
		g.model.Text = err.Error()
		return
	}
	g.replay = ui.Replay{Events: evs, Rate: g.replay.Rate, Playing: true}
	g.started = true
}

// input handles the clicks and keys queued since the last Update.
func (g *game) input() {
	var lrs []string
	for i := 0; g.nthLR(i) != ""; i++ {
		lrs = append(lrs, g.nthLR(i))
	}
	for _, in := range g.br.takeInputs() {
		g.redraw.Dirty = true
		id := ""
		if in.Key != "" {
			id = ui.KeyAction(in.Key, lrs)
		} else {
			id = g.layout.Click(in.X, in.Y, g.dpr)
			if bar, ok := g.layout.Button("replay.seek"); ok && id == "replay.seek" && bar.W > 0 {
				g.seek((in.X*g.dpr - bar.X) / bar.W)
				continue
			}
		}
		if id != "" && id != "open" {
			g.press(id)
		}
	}
}

// mark adds the time since the previous mark to Draw section name.
func (g *game) mark(name string) {
	now := time.Now()
	if g.parts == nil {
		g.parts = map[string]float64{}
	}
	g.parts[name] = 0.9*g.parts[name] + 0.1*float64(now.Sub(g.partT).Microseconds())/1000
	g.partT = now
}

// Layout implements ebiten.LayoutFer: the screen is the window in device
// pixels, so type stays sharp on HiDPI projectors and laptops.
func (g *game) LayoutF(ow, oh float64) (float64, float64) {
	g.dpr = ebiten.Monitor().DeviceScaleFactor()
	return ow * g.dpr, oh * g.dpr
}

// Layout implements ebiten.Game (LayoutF takes precedence).
func (g *game) Layout(ow, oh int) (int, int) {
	w, h := g.LayoutF(float64(ow), float64(oh))
	return int(w), int(h)
}

// Draw implements ebiten.Game.
func (g *game) Draw(screen *ebiten.Image) {
	g.frames++
	b := screen.Bounds()
	cx, cy := ebiten.CursorPosition()
	if !g.redraw.Needed(time.Now(), b, cx, cy, auditing()) {
		return // the screen keeps the last frame; Ebiten skips presenting it
	}
	if g.redraw.Drawn%textTTL == 0 { // caches unused for textTTL drawn frames go
		g.sweepLayers()
	}
	g.w, g.h = float64(b.Dx()), float64(b.Dy())
	g.layout = ui.ComputeLayout(g.params.Scene, g.params.Method, replayOf(&g.model), g.w, g.h)
	if g.params.Scene == protocol.SceneReplay {
		g.layout.AddReplayChoices(len(g.shipped))
	}
	t0 := time.Now()
	if g.chrome.img == nil || g.chrome.img.Bounds() != b {
		if g.chrome.img != nil {
			g.chrome.img.Deallocate()
		}
		g.chrome.img = ebiten.NewImageWithOptions(b, nil)
		g.chrome.valid = false
	}
	if g.chrome.valid {
		screen.DrawImage(g.chrome.img, nil) // opaque: covers every pixel, no clear needed
	} else {
		screen.Fill(colBG)
		g.chrome.img.Fill(colBG)
	}
	g.chrome.sig = 0
	g.partT = t0
	g.mark("chrome")
	g.draw(screen)
	g.mark("scene")
	switch {
	case g.chrome.sig != g.chrome.built:
		g.chrome.built, g.chrome.valid = g.chrome.sig, false
	case !g.chrome.valid:
		g.chrome.valid = true
	}
	g.drawRing[g.drawN%len(g.drawRing)] = float64(time.Since(t0).Microseconds()) / 1000
	g.drawN++
	n := min(g.drawN, len(g.drawRing))
	g.drawMS = 0
	for _, v := range g.drawRing[:n] {
		g.drawMS += v / float64(n)
	}
	if r, ok := g.layout.Button("open"); ok {
		js.Global().Set("nasOpenRect", js.ValueOf(map[string]any{"x": r.X / g.dpr, "y": r.Y / g.dpr, "w": r.W / g.dpr, "h": r.H / g.dpr}))
	} else {
		js.Global().Set("nasOpenRect", js.Null())
	}
	if g.frames == 1 {
		if f := js.Global().Get("nasFirstFrame"); f.Type() == js.TypeFunction {
			f.Invoke()
		}
	}
}
