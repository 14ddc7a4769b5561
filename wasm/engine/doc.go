//go:build js && wasm

// Command engine is the page's search engine: a Go wasm instance running in a
// Web Worker (wasm/static/worker.js), so compute never blocks the page. It reads
// protocol.Command JSON strings, builds the run with core/run (the registry
// the CLI uses) and steps it in ~10 ms slices
// (yielding to the worker's event loop between slices with a MessageChannel
// ping) and posts protocol.Message JSON snapshots every ~100 ms. It keeps one
// run per scene (protocol.Runs): only the current scene's steps; a start with
// keep brings a parked one back where it was.
// Imports: core/run, core/nn, assets/demo, wasm/protocol; never ebiten (it panics in a Worker).
package main
