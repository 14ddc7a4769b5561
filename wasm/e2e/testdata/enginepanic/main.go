//go:build js && wasm

// Command enginepanic stands in for engine.wasm in TestEngineStopSaysWhy: it
// answers like the engine until a command "boom" panics it.
package main

import "syscall/js"

func main() {
	self := js.Global()
	self.Set("nasEngine", js.FuncOf(func(_ js.Value, args []js.Value) any {
		if args[0].String() == "boom" {
			var m map[string]int
			m["step"]++ // a nil map: the kind of bug a search could hit mid-run
		}
		self.Call("postMessage", `{"type":"snapshot","step":1}`)
		return nil
	}))
	self.Call("postMessage", `{"type":"ready"}`)
	select {}
}
