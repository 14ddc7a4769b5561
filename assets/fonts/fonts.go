// Package fonts embeds the page's UI font: PlaygroundGothic.ttf, a subset of
// NanumGothic (NAVER, SIL OFL 1.1, see OFL.txt) holding printable Latin-1 and
// every character the page can draw (strings.txt: the i18n table, string
// literals under wasm/, core labels). make-subset.sh regenerates it.
// Imports: stdlib only.
package fonts

import _ "embed"

// TTF is the PlaygroundGothic subset (TrueType).
//
//go:embed PlaygroundGothic.ttf
var TTF []byte
