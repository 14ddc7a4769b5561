// Package glyphs lists the characters the page can draw, for the font subset
// (assets/fonts/make-subset.sh via wasm/i18n/fontstrings) and its coverage
// test: the i18n table, every string literal of the page's Go sources (parsed
// with go/parser) and core's search-space labels. Kept out of wasm/i18n so the
// page's binary does not link go/parser. Imports: stdlib, core, wasm/i18n.
package glyphs
