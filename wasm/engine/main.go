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

// engine is the worker's state; every field is touched only from JS callbacks,
// which Go's wasm runs one at a time.
type engine struct {
	self      js.Value
	port      js.Value // MessageChannel port2: postMessage schedules the next slice
	timer     js.Func
	cmd       protocol.Command
	s         *run.Run
	labels    *protocol.Labels // the rl scene's space
	pacer     *protocol.Pacer
	running   bool
	scheduled bool
	lastPreds time.Time
}

func main() {
	// Keep the worker's memory flat: the search's buffers are reused every step,
	// so collect the little garbage early instead of letting the heap double.
	debug.SetGCPercent(10)
	nn.SetThreads(1) // Go wasm has no threads
	e := &engine{self: js.Global(), pacer: protocol.NewPacer()}
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
	b, err := json.Marshal(m)
	if err != nil {
		b, _ = json.Marshal(protocol.Message{Type: protocol.MsgError, Text: "engine: encode snapshot: " + err.Error()})
	}
	e.self.Call("postMessage", string(b))
}

func (e *engine) fail(err error) {
	e.running = false
	e.post(protocol.Message{Type: protocol.MsgError, Scene: e.cmd.Scene, Method: e.cmd.Method, Text: err.Error()})
}

func (e *engine) handle(raw string) {
	c, err := protocol.DecodeCommand([]byte(raw))
	if err != nil {
		e.fail(err)
		return
	}
	switch c.Cmd {
	case protocol.CmdStart:
		e.cmd = c
		e.s, e.labels = nil, nil
		e.pacer = protocol.NewPacer()
		e.pacer.SetRate(c.Rate)
		s, err := build(c)
		if err != nil {
			e.fail(err)
			return
		}
		e.s, e.labels, e.lastPreds = s, labels(s), time.Time{}
		e.running = true
		e.schedule(0)
	case protocol.CmdPause:
		e.running = false
		e.pacer.Idle()
		e.snapshot()
	case protocol.CmdResume:
		if e.s != nil && !e.s.Done() {
			e.running = true
			e.pacer.SetRate(e.pacer.Rate)
			e.schedule(0)
		}
	case protocol.CmdStep:
		e.running = false
		if e.s != nil && !e.s.Done() {
			ev, err := e.s.Step()
			if err != nil {
				e.fail(err)
				return
			}
			e.pacer.Add(ev)
		}
		e.snapshot()
	case protocol.CmdReset:
		e.running = false
		e.s = nil
		e.pacer = protocol.NewPacer()
		e.post(protocol.Message{Type: protocol.MsgSnapshot, Scene: e.cmd.Scene, Method: e.cmd.Method})
	case protocol.CmdRate:
		e.pacer.SetRate(c.Rate)
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

func (e *engine) tick() {
	if !e.running || e.s == nil {
		return
	}
	post, wait, err := e.pacer.Slice(e.s.Step, e.s.Done)
	if err != nil {
		e.fail(err)
		return
	}
	if e.s.Done() {
		e.running = false
		post = true
	}
	if post {
		e.snapshot()
	}
	if e.running {
		e.schedule(wait)
	}
}

func (e *engine) snapshot() {
	m := protocol.Message{Type: protocol.MsgSnapshot, Scene: e.cmd.Scene, Method: e.cmd.Method, Running: e.running}
	m.Events, m.Dropped = e.pacer.Flush()
	m.StepsPerSec, m.ImagesPerSec = e.pacer.Rates()
	if e.s != nil {
		snap := e.s.Snapshot()
		m.Step, m.Epoch, m.Last, m.Done = snap.Step, snap.Epoch, snap.Last, e.s.Done()
		if n := len(m.Events); n > 0 {
			m.Last = m.Events[n-1]
		}
	}
	if e.s != nil {
		m.Curves = curves(e.s)
		if time.Since(e.lastPreds) > time.Second {
			m.Preds = predictions(e.s, 8)
			e.lastPreds = time.Now()
		}
	}
	m.Labels = e.labels // every snapshot: the page may have reset its model
	e.post(m)
}
