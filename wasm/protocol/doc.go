// Package protocol is the message contract between the page's UI (wasm/app), its
// JavaScript glue (index.html) and the search engine running in a Web Worker
// (wasm/engine): JSON commands in, JSON snapshots out, the URL parameters a
// lecturer can link, and the time-budgeted stepping loop the worker runs.
// Build-tag free so it is tested natively. Imports: stdlib, core/search.
package protocol
