//go:build js && wasm

// Command engine is the page's search engine: a Go wasm instance running in a
// Web Worker (wasm/static/worker.js), so compute never blocks the page. It reads
// protocol.Command JSON strings, steps a search.Searcher in ~10 ms slices
// (yielding to the worker's event loop between slices with a MessageChannel
// ping) and posts protocol.Message JSON snapshots every ~100 ms.
// Imports: core, wasm/protocol, wasm/engine/live; never ebiten (it panics in a Worker).
package main
