//go:build js && wasm

// Command app is the page's Ebiten UI: a thin Game (Update/Draw/Layout) over
// the wasm/ui view model. It receives engine snapshots that index.html relays
// from the Web Worker (window.nasReceive), sends commands back
// (window.nasSend), plays replays in the page, and publishes its live state on
// window.nas. No search runs here: the UI never blocks on compute.
package main
