// Package live steps the page's comparison scene: core's random search,
// regularized evolution and REINFORCE (core/search/{random,evolution,rl}) on the
// NAS-Bench-201 table (core/nb201), one sample per Step, with the mean
// best-so-far curves of nb201.Compare (Dong & Yang 2020, Fig. 6) growing live.
// Build-tag free so it is tested natively. Imports: core, wasm/protocol.
package live
