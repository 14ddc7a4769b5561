// Command fontstrings prints the non-ASCII characters the page can draw (one
// line): those of every UI string (the i18n table), of every string literal in
// the page's Go sources under wasm/, and of the core search-space labels the
// page shows. It is the text pyftsubset keeps in the font subset; used by
// assets/fonts/make-subset.sh (run from the repository root).
package main

import (
	"fmt"
	"os"

	"github.com/nasplayground/nas/wasm/i18n/glyphs"
)

func main() {
	all, err := glyphs.All("wasm")
	if err != nil {
		fmt.Fprintln(os.Stderr, "fontstrings:", err)
		os.Exit(1)
	}
	fmt.Println(all)
}
