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

// The replica mode: this worker's share of a data-parallel DARTS search (see
// run.Replica), one per scene that runs DARTS (the DARTS scene, the
// lecture), kept in the scene's slot beside the run it wraps. The page's
// coordinator (wasm/static/coordinator.js) drives the rounds, sums the
// partial vectors and hands every worker the same sum. Worker 0 posts the
// snapshots the app sees, as in the single-worker mode.
func init() {
	// nasReplica(op, arg) is called by worker.js for the coordinator:
	//   "start", {cmd: JSON start command, shard, shards} → "kept" (cmd.keep and the
	//       scene's replica was kept), "built" or an error
	//   "partial", scene → Float32Array (this replica's partial of the round)
	//   "apply", {scene, sum: Float32Array} → {done: the step is complete, over: the search is}
	//   "snapshot", {scene, running} → posts a snapshot (worker 0)
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

// replicaOf returns scene's replica.
func (e *engine) replicaOf(scene string) (*slot, error) {
	sl := e.runs.Get(scene)
	if sl == nil || sl.Run.rep == nil {
		return nil, fmt.Errorf("engine: no replica started for scene %q", scene)
	}
	return sl, nil
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
		shard, shards := arg.Get("shard").Int(), arg.Get("shards").Int()
		buildReplica := func(c protocol.Command) (*search, error) {
			s, err := newSearch(c)
			if err != nil {
				return nil, err
			}
			if s.rep, err = run.NewReplica(s.s, shard, shards); err != nil {
				return nil, err
			}
			return s, nil
		}
		sl, parked, kept, err := e.runs.Start(c, buildReplica)
		if parked != nil && shard == 0 { // worker 0 posts the snapshots
			e.snapshot(parked, false)
		}
		if err == nil && kept && (sl.Run.rep == nil || sl.Run.rep.Shard != shard || sl.Run.rep.Shards != shards) {
			c.Keep = false // a run of the single-worker mode: build the replica
			sl, _, kept, err = e.runs.Start(c, buildReplica)
		}
		if err != nil {
			return nil, err
		}
		// The engine's own loop stays idle: the coordinator steps the replica.
		sl.Running = false
		if kept {
			return "kept", nil
		}
		sl.Run.lastPost = time.Now()
		return "built", nil
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
		sl, err := e.replicaOf(arg.String())
		if err != nil {
			return nil, err
		}
		p, err := sl.Run.rep.Partial()
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
		sl, err := e.replicaOf(arg.Get("scene").String())
		if err != nil {
			return nil, err
		}
		v := arg.Get("sum")
		n := v.Get("length").Int()
		sum := make([]float32, n)
		if n > 0 {
			u8 := js.Global().Get("Uint8Array").New(v.Get("buffer"), v.Get("byteOffset"), 4*n)
			js.CopyBytesToGo(unsafe.Slice((*byte)(unsafe.Pointer(&sum[0])), 4*n), u8)
		}
		r := sl.Run.rep
		ev, done, err := r.Apply(sum)
		if err != nil {
			return nil, err
		}
		if done && r.Shard == 0 {
			sl.Pacer.Add(ev)
			if time.Since(sl.Run.lastPost) >= sl.Pacer.PostEvery || r.Done() {
				sl.Run.lastPost = time.Now()
				e.snapshot(sl, !r.Done())
			}
		}
		return js.ValueOf(map[string]any{"done": done, "over": r.Done()}), nil
	case "snapshot":
		sl, err := e.replicaOf(arg.Get("scene").String())
		if err != nil {
			return nil, err
		}
		if r := sl.Run.rep; r.Shard == 0 {
			running := arg.Get("running").Truthy() && !r.Done()
			if !running {
				sl.Pacer.Idle()
			}
			sl.Run.lastPost = time.Now()
			e.snapshot(sl, running)
		}
		return "", nil
	}
	return nil, fmt.Errorf("engine: replica op %q, want start|partial|apply|snapshot|command", op)
}
