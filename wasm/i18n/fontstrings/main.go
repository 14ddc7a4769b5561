// Command fontstrings prints the non-ASCII characters of every UI string (one
// line), the text pyftsubset keeps in the font subset. Used by
// assets/fonts/make-subset.sh.
package main

import (
	"fmt"

	"github.com/nasplayground/nas/wasm/i18n"
)

func main() { fmt.Println(i18n.Runes()) }
