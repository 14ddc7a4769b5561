// Package ui is the page's view model, free of Ebiten and syscall/js so it is
// tested natively: it folds search.Event streams (live snapshots or a replayed
// events.jsonl) into the series and state the scenes draw, and holds the layout
// math (panel rectangles, buttons, the DARTS cell DAG, strand geometry).
// Imports: stdlib, core/search, wasm/protocol.
package ui
