//go:build js && wasm

package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"syscall/js"
	"time"
	"unsafe"

	"github.com/nasplayground/nas/core/run"
	"github.com/nasplayground/nas/wasm/protocol"
)

// current is the worker's engine (set by main), for the replica mode's
// snapshots.
var current *engine

// replica is this worker's share of a data-parallel DARTS search (see
// run.Replica): the page's coordinator (wasm/static/coordinator.js) drives
// the rounds, sums the partial vectors and hands every worker the same sum.
// Worker 0 posts the snapshots the app sees, as in the single-worker mode.
type replicaState struct {
	r        *run.Replica
	lastPost time.Time
}

var rep replicaState

func init() {
	// nasReplica(op, arg) is called by worker.js for the coordinator:
	//   "start", {cmd: JSON start command, shard, shards} → "" or an error
	//   "partial" → Float32Array (this replica's partial of the round)
	//   "apply", Float32Array (the sum) → {done: the step is complete, over: the search is}
	//   "snapshot", running (bool) → posts a snapshot (worker 0)
	//   "command", location.search → the app's first start command (JSON) or ""
	js.Global().Set("nasReplica", js.FuncOf(func(_ js.Value, args []js.Value) any {
		op := args[0].String()
		var arg js.Value
		if len(args) > 1 {
			arg = args[1]
		}
		v, err := replicaOp(op, arg)
		if err != nil {
			return js.ValueOf(map[string]any{"error": err.Error()})
		}
		return v
	}))
}

func replicaOp(op string, arg js.Value) (any, error) {
	e := current
	if e == nil {
		return nil, errors.New("engine: not started")
	}
	switch op {
	case "start":
		c, err := protocol.DecodeCommand([]byte(arg.Get("cmd").String()))
		if err != nil {
			return nil, err
		}
		if c.Scene != protocol.SceneDARTS {
			return nil, fmt.Errorf("engine: replicas run the DARTS scene, not %q", c.Scene)
		}
		rn, err := build(c)
		if err != nil {
			return nil, err
		}
		r, err := run.NewReplica(rn, arg.Get("shard").Int(), arg.Get("shards").Int())
		if err != nil {
			return nil, err
		}
		rep = replicaState{r: r, lastPost: time.Now()}
		// The engine's own loop stays idle (running is false but while a
		// snapshot is built, so a pending tick never steps); its snapshot code
		// serves worker 0.
		e.running = false
		e.cmd, e.s, e.labels = c, rn, nil
		e.pacer = protocol.NewPacer()
		e.lastPreds = time.Time{}
		return "", nil
	case "command":
		// The start command the app will send for the page's URL (the app
		// builds it the same way), so the coordinator can start the search
		// while the app still loads; "" when the URL's scene has no engine.
		p, err := protocol.ParseParams(arg.String())
		if err != nil || (p.Scene != protocol.SceneDARTS && p.Scene != protocol.SceneRL && p.Scene != protocol.SceneCompare) {
			return "", nil
		}
		b, err := json.Marshal(p.StartCommand())
		if err != nil {
			return nil, err
		}
		return string(b), nil
	case "partial":
		if rep.r == nil {
			return nil, errors.New("engine: no replica started")
		}
		p, err := rep.r.Partial()
		if err != nil {
			return nil, err
		}
		out := js.Global().Get("Float32Array").New(len(p))
		if len(p) > 0 {
			u8 := js.Global().Get("Uint8Array").New(out.Get("buffer"))
			js.CopyBytesToJS(u8, unsafe.Slice((*byte)(unsafe.Pointer(&p[0])), 4*len(p)))
		}
		return out, nil
	case "apply":
		if rep.r == nil {
			return nil, errors.New("engine: no replica started")
		}
		n := arg.Get("length").Int()
		sum := make([]float32, n)
		if n > 0 {
			u8 := js.Global().Get("Uint8Array").New(arg.Get("buffer"), arg.Get("byteOffset"), 4*n)
			js.CopyBytesToGo(unsafe.Slice((*byte)(unsafe.Pointer(&sum[0])), 4*n), u8)
		}
		ev, done, err := rep.r.Apply(sum)
		if err != nil {
			return nil, err
		}
		if done && rep.r.Shard == 0 {
			e.pacer.Add(ev)
			if time.Since(rep.lastPost) >= e.pacer.PostEvery || rep.r.Done() {
				rep.post(e, !rep.r.Done())
			}
		}
		return js.ValueOf(map[string]any{"done": done, "over": rep.r.Done()}), nil
	case "snapshot":
		if rep.r != nil && rep.r.Shard == 0 {
			running := arg.Truthy() && !rep.r.Done()
			if !running {
				e.pacer.Idle()
			}
			rep.post(e, running)
		}
		return "", nil
	}
	return nil, fmt.Errorf("engine: replica op %q, want start|partial|apply|snapshot", op)
}

// post sends worker 0's snapshot through the engine's own snapshot code.
func (r *replicaState) post(e *engine, running bool) {
	r.lastPost = time.Now()
	e.running = running
	e.snapshot()
	e.running = false
}
