//go:build js && wasm

package main

import (
	"encoding/json"
	"runtime/debug"
	"syscall/js"
	"time"

	"github.com/nasplayground/nas/core/nn"
	"github.com/nasplayground/nas/core/run"
	"github.com/nasplayground/nas/wasm/protocol"
)

// search is what the engine keeps of one scene's run.
type search struct {
	s         *run.Run
	labels    *protocol.Labels // the rl scene's space
	lastPreds time.Time
	rep       *run.Replica // this worker's share of a data-parallel DARTS run (replica.go), nil alone
	lastPost  time.Time    // replica mode: worker 0's last snapshot
}

// engine is the worker's state; every field is touched only from JS callbacks,
// which Go's wasm runs one at a time.
type engine struct {
	self      js.Value
	port      js.Value // MessageChannel port2: postMessage schedules the next slice
	timer     js.Func
	runs      protocol.Runs[*search] // one run per scene; the current one steps
	scheduled bool
	seq       int64 // the highest Command.Seq handled: every message carries it
}

type slot = protocol.Slot[*search]

func main() {
	// Keep the worker's memory flat: the search's buffers are reused every step,
	// so collect the little garbage early instead of letting the heap double.
	debug.SetGCPercent(10)
	nn.SetThreads(1) // Go wasm has no threads
	e := &engine{self: js.Global()}
	current = e // replica.go
	ch := js.Global().Get("MessageChannel").New()
	e.port = ch.Get("port2")
	ch.Get("port1").Set("onmessage", js.FuncOf(func(js.Value, []js.Value) any {
		e.scheduled = false
		e.tick()
		return nil
	}))
	e.timer = js.FuncOf(func(js.Value, []js.Value) any {
		e.scheduled = false
		e.tick()
		return nil
	})
	e.self.Set("nasEngine", js.FuncOf(func(_ js.Value, args []js.Value) any {
		e.handle(args[0].String())
		return nil
	}))
	e.post(protocol.Message{Type: protocol.MsgReady})
	select {}
}

func (e *engine) post(m protocol.Message) {
	m.Seq = e.seq
	b, err := json.Marshal(m)
	if err != nil {
		b, _ = json.Marshal(protocol.Message{Type: protocol.MsgError, Text: "engine: encode snapshot: " + err.Error()})
	}
	e.self.Call("postMessage", string(b))
}

// fail stops sl (if any) and reports err for command c's scene.
func (e *engine) fail(sl *slot, c protocol.Command, err error) {
	if sl != nil {
		sl.Running = false
		c = sl.Cmd
	}
	e.post(protocol.Message{Type: protocol.MsgError, Scene: c.Scene, Method: c.Method, Text: err.Error()})
}

// newSearch builds the run for a start command.
func newSearch(c protocol.Command) (*search, error) {
	s, err := build(c)
	if err != nil {
		return nil, err
	}
	return &search{s: s, labels: labels(s)}, nil
}

func (e *engine) handle(raw string) {
	c, err := protocol.DecodeCommand([]byte(raw))
	e.seq = max(e.seq, c.Seq)
	if err != nil {
		e.fail(e.runs.Current(), c, err)
		return
	}
	if c.Cmd == protocol.CmdSync {
		return
	}
	if c.Cmd == protocol.CmdStart {
		_, parked, kept, err := e.runs.Start(c, newSearch)
		if parked != nil {
			e.snapshot(parked, false) // the events it stepped since its last snapshot
		}
		if err != nil {
			e.fail(nil, c, err)
			return
		}
		if !kept { // a kept run waits, as parked, for the page's resume
			e.schedule(0)
		}
		return
	}
	sl := e.runs.Current()
	switch c.Cmd {
	case protocol.CmdPause:
		if sl == nil {
			return
		}
		sl.Running = false
		sl.Pacer.Idle()
		e.snapshot(sl, false)
	case protocol.CmdResume:
		if sl != nil && !sl.Run.s.Done() {
			sl.Running = true
			sl.Pacer.SetRate(sl.Pacer.Rate)
			e.schedule(0)
		}
	case protocol.CmdStep:
		if sl == nil {
			return
		}
		sl.Running = false
		if !sl.Run.s.Done() {
			ev, err := sl.Run.s.Step()
			if err != nil {
				e.fail(sl, c, err)
				return
			}
			sl.Pacer.Add(ev)
		}
		e.snapshot(sl, false)
	case protocol.CmdReset:
		scene := e.runs.Scene()
		e.runs.Drop()
		e.post(protocol.Message{Type: protocol.MsgSnapshot, Scene: scene})
	case protocol.CmdRate:
		if sl != nil {
			sl.Cmd.Rate = c.Rate
			sl.Pacer.SetRate(c.Rate)
		}
	}
}

func (e *engine) schedule(wait time.Duration) {
	if e.scheduled {
		return
	}
	e.scheduled = true
	if wait > 0 {
		e.self.Call("setTimeout", e.timer, wait.Milliseconds())
		return
	}
	e.port.Call("postMessage", nil)
}

// tick steps the current scene's run for one slice; parked runs wait.
func (e *engine) tick() {
	sl := e.runs.Current()
	if sl == nil || !sl.Running {
		return
	}
	s := sl.Run.s
	post, wait, err := sl.Pacer.Slice(s.Step, s.Done)
	if err != nil {
		e.fail(sl, sl.Cmd, err)
		return
	}
	if s.Done() {
		sl.Running = false
		post = true
	}
	if post {
		e.snapshot(sl, sl.Running)
	}
	if sl.Running {
		e.schedule(wait)
	}
}

// snapshot posts sl's state and the events since its last snapshot.
func (e *engine) snapshot(sl *slot, running bool) {
	m := protocol.Message{Type: protocol.MsgSnapshot, Scene: sl.Cmd.Scene, Method: sl.Cmd.Method, Running: running}
	m.Events, m.Dropped = sl.Pacer.Flush()
	m.StepsPerSec, m.ImagesPerSec = sl.Pacer.Rates()
	r := sl.Run
	snap := r.s.Snapshot()
	m.Step, m.Epoch, m.Last, m.Done = snap.Step, snap.Epoch, snap.Last, r.s.Done()
	if n := len(m.Events); n > 0 {
		m.Last = m.Events[n-1]
	}
	m.Curves = curves(r.s)
	if time.Since(r.lastPreds) > time.Second {
		m.Preds = predictions(r.s, 8)
		r.lastPreds = time.Now()
	}
	m.Labels = r.labels // every snapshot: the page may have reset its model
	e.post(m)
}
