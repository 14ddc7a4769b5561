// Package fonts embeds the page's UI font: PlaygroundGothic.ttf, a subset of
// NanumGothic (NAVER, SIL OFL 1.1, see OFL.txt) holding printable Latin-1 and
// the characters of the UI strings (strings.txt). make-subset.sh regenerates it.
// Imports: stdlib only.
package fonts

import _ "embed"

// TTF is the PlaygroundGothic subset (TrueType).
//
//go:embed PlaygroundGothic.ttf
var TTF []byte
