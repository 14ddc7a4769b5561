//go:build js && wasm

package main

import (
	"bytes"
	"encoding/json"
	"log"
	"sync"
	"syscall/js"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"

	"github.com/nasplayground/nas/assets/fonts"
	"github.com/nasplayground/nas/core/metric"
	"github.com/nasplayground/nas/wasm/protocol"
	"github.com/nasplayground/nas/wasm/ui"
)

// bridge holds what JS callbacks hand to the game between frames.
type bridge struct {
	mu     sync.Mutex
	inbox  []protocol.Message
	replay []replayFile
	index  *string // replays/index.json as fetched by the page, once
	inputs []ui.Input
}

// takeInputs returns and clears the queued clicks and keys.
func (b *bridge) takeInputs() []ui.Input {
	b.mu.Lock()
	defer b.mu.Unlock()
	in := b.inputs
	b.inputs = nil
	return in
}

// listen queues every pointer release and key press from the browser, so
// none is lost when a frame takes longer than the tap (Ebiten polls the
// input state once per frame).
func (b *bridge) listen(win js.Value) {
	push := func(in ui.Input) {
		b.mu.Lock()
		b.inputs = append(b.inputs, in)
		b.mu.Unlock()
	}
	win.Call("addEventListener", "pointerup", js.FuncOf(func(_ js.Value, args []js.Value) any {
		e := args[0]
		if t := e.Get("target"); t.Type() == js.TypeObject && t.Get("tagName").Type() == js.TypeString && t.Get("tagName").String() != "CANVAS" {
			return nil // the page's own controls (file picker)
		}
		push(ui.Input{X: e.Get("clientX").Float(), Y: e.Get("clientY").Float()})
		return nil
	}))
	win.Call("addEventListener", "keydown", js.FuncOf(func(_ js.Value, args []js.Value) any {
		e := args[0]
		if e.Get("repeat").Truthy() || e.Get("ctrlKey").Truthy() || e.Get("metaKey").Truthy() || e.Get("altKey").Truthy() {
			return nil
		}
		push(ui.Input{Key: e.Get("key").String()})
		return nil
	}))
}

type replayFile struct{ name, text string }

func (b *bridge) take() ([]protocol.Message, []replayFile, *string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	m, r, x := b.inbox, b.replay, b.index
	b.inbox, b.replay, b.index = nil, nil, nil
	return m, r, x
}

// mark records a start-up stage in window.nasMarks (index.html).
func mark(name string) {
	if f := js.Global().Get("nasMark"); f.Type() == js.TypeFunction {
		f.Invoke(name)
	}
}

func main() {
	mark("app_main")
	win := js.Global()
	p, err := protocol.ParseParams(win.Get("location").Get("search").String())
	perr := ""
	if err != nil {
		perr = err.Error() // shown on screen; the defaults (with the good keys) still run
	}
	src, err := text.NewGoTextFaceSource(bytes.NewReader(fonts.TTF))
	if err != nil {
		log.Fatalf("app: font: %v", err)
	}
	br := &bridge{}
	win.Set("nasReceive", js.FuncOf(func(_ js.Value, args []js.Value) any {
		var m protocol.Message
		if err := json.Unmarshal([]byte(args[0].String()), &m); err != nil {
			m = protocol.Message{Type: protocol.MsgError, Text: "app: bad snapshot: " + err.Error()}
		}
		br.mu.Lock()
		br.inbox = append(br.inbox, m)
		br.mu.Unlock()
		return nil
	}))
	win.Set("nasReplay", js.FuncOf(func(_ js.Value, args []js.Value) any {
		br.mu.Lock()
		br.replay = append(br.replay, replayFile{args[0].String(), args[1].String()})
		br.mu.Unlock()
		return nil
	}))
	win.Set("nasReplayIndex", js.FuncOf(func(_ js.Value, args []js.Value) any {
		s := args[0].String()
		br.mu.Lock()
		br.index = &s
		br.mu.Unlock()
		return nil
	}))
	br.listen(win)
	g := newGame(p, src, br)
	g.urlErr = perr // shown over the help line until the first click or key
	ebiten.SetTPS(ebiten.SyncWithFPS)
	ebiten.SetWindowTitle("NAS Playground")
	ebiten.SetWindowResizingMode(ebiten.WindowResizingModeEnabled)
	ebiten.SetScreenClearedEveryFrame(false) // Draw covers the screen (chrome image or Fill)
	if f := win.Get("nasAppReady"); f.Type() == js.TypeFunction {
		f.Invoke()
	}
	mark("app_run")
	if err := ebiten.RunGame(g); err != nil {
		log.Fatal(err)
	}
}

// sentSeq is the Seq of the last command sent.
var sentSeq int64

// send posts a command to the engine worker through the page.
//
// Every command gets the next Seq (sentSeq): see ui.Current.
func send(c protocol.Command) {
	sentSeq++
	c.Seq = sentSeq
	b, _ := json.Marshal(c) // plain struct: cannot fail
	if f := js.Global().Get("nasSend"); f.Type() == js.TypeFunction {
		f.Invoke(string(b))
	}
}

// setURL writes the parameters into the address bar without reloading.
func setURL(p protocol.Params) {
	h := js.Global().Get("history")
	if h.Type() == js.TypeObject {
		h.Call("replaceState", nil, "", "?"+p.Query())
	}
}

// fetchReplay asks the page to fetch an events.jsonl at url and hand it to
// nasReplay.
func fetchReplay(url string) {
	if f := js.Global().Get("nasLoadReplay"); f.Type() == js.TypeFunction {
		f.Invoke(url)
	}
}

// openFile asks the page to show its file picker (must run in a user gesture:
// Ebiten's input handlers are called from the browser's event, but Update is
// not; the page wires a click on the canvas to this when armed).
func openFile() {
	if f := js.Global().Get("nasOpenFile"); f.Type() == js.TypeFunction {
		f.Invoke()
	}
}

// publish sets window.nas for tests and curious students.
func publish(g *game, fps, tps float64) {
	m := &g.model
	o := map[string]any{
		"scene": g.params.Scene, "method": m.Method, "running": m.Running, "paused": g.paused, "done": m.Done,
		"step": m.Step, "epoch": m.Epoch, "lang": g.params.Lang, "order": g.params.Order, "seed": g.params.Seed,
		"rate": g.rate, "events": m.Events, "images_per_s": m.ImagesPerSec, "steps_per_s": m.StepsPerSec,
		"fps": fps, "tps": tps, "draw_ms": g.drawMS, "layer_redraws": g.layerRedraws, "text_cache": len(g.texts.m), "chrome_cached": g.chrome.valid, "message": m.Text, "url_error": g.urlErr, "genotype": m.Genotype, "frames": g.frames, "draws": g.redraw.Drawn,
	}
	if pts := m.TrainLoss.All(); len(pts) > 0 {
		o["curve_points"], o["curve_first_step"] = len(pts), pts[0].X
	}
	if a := m.AlphaSeries[0]; len(a) > 0 && len(a[0]) > 0 {
		o["alpha_points"] = len(a[0][0].All())
	}
	o["preds"] = len(m.Preds)
	kept := map[string]any{} // the scenes not on screen, as they wait
	for s, st := range g.kept {
		kept[s] = map[string]any{"step": st.Model.Step, "running": st.Model.Running, "events": st.Model.Events}
	}
	o["kept"] = kept
	if p, ok := m.TrainLoss.Last(); ok {
		o["train_loss"] = p.Y
		a, _ := m.TrainAcc.Last()
		o["train_acc"] = a.Y
		if first := m.TrainLoss.All(); len(first) > 0 {
			o["first_train_loss"] = first[0].Y
		}
	}
	if p, ok := m.ValLoss.Last(); ok {
		o["val_loss"] = p.Y
		a, _ := m.ValAcc.Last()
		o["val_acc"] = a.Y
	}
	if m.Arch != "" {
		o["arch"], o["reward"], o["best"], o["best_arch"] = m.Arch, m.Last.Reward, m.BestReward, m.BestArch
		if p, ok := m.Baseline.Last(); ok {
			o["baseline"] = p.Y
		}
	}
	if st := &m.Stability; st.Edges != nil {
		o["genotype_stable_steps"] = st.StableSteps(m.Step)
		o["genotype_changed"] = count(st.ChangedSince(st.EpochWindow(m.Step)))
		o["genotype_settled"] = st.EpochSteps > 0 && st.StableSteps(m.Step) >= st.EpochSteps
		o["genotype_settled_at"] = st.SettledAt
		if gaps := ui.TieGaps(m.AlphaNormal, m.AlphaReduce, m.Ops, st.Edges, g.nodes()); len(gaps) > 0 {
			o["genotype_tie_gap"] = metric.Median(gaps)
		}
	}
	if len(m.Curves) > 0 {
		cs := make([]any, len(m.Curves))
		for i, c := range m.Curves {
			cs[i] = map[string]any{"method": c.Method, "final": c.Final, "std": c.Std, "trials": c.Trials, "cost": c.Cost}
		}
		o["curves"] = cs
	}
	parts := map[string]any{}
	for k, v := range g.parts {
		parts[k] = v
	}
	o["draw_parts"] = parts
	if g.replay.Events != nil {
		o["replay_pos"], o["replay_len"] = g.replay.Pos(), len(g.replay.Events)
	}
	o["replay_name"], o["replay_files"] = g.replayName, len(g.shipped)
	if g.params.Scene == protocol.SceneLecture {
		o["lecture"] = g.lecturePublish()
	}
	js.Global().Set("nas", js.ValueOf(o))
}

// replayOf returns which scene layout a replay draws.
func replayOf(m *ui.Model) string {
	switch {
	case m.Events == 0:
		return ""
	case m.IsDARTS():
		return protocol.SceneDARTS
	}
	return protocol.SceneRL
}
