// Command fontstrings prints the non-ASCII characters the page can draw (one
// line): those of every UI string (the i18n table), of every string literal in
// the page's Go sources under wasm/, and of the core search-space labels the
// page shows. It is the text pyftsubset keeps in the font subset; used by
// assets/fonts/make-subset.sh (run from the repository root).
package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/nasplayground/nas/core/nb201"
	"github.com/nasplayground/nas/core/search/sample"
	"github.com/nasplayground/nas/wasm/i18n"
)

func main() {
	src, err := i18n.SourceRunes("wasm")
	if err != nil {
		fmt.Fprintln(os.Stderr, "fontstrings:", err)
		os.Exit(1)
	}
	fmt.Println(i18n.Runes() + src + CoreLabels())
}

// CoreLabels joins the decision and choice labels of the spaces the page
// draws (NAS-Bench-201 edges "0→1", the DARTS micro space).
func CoreLabels() string {
	var all []string
	for _, sp := range []sample.Space{nb201.Space{}, sample.DARTSMicroSpace([]string{"sep_conv_3x3"}, 4)} {
		all = append(all, sp.DecisionLabels()...)
		for d := range sp.Decisions() {
			all = append(all, sp.ChoiceLabels(d)...)
		}
	}
	return strings.Join(all, "")
}
