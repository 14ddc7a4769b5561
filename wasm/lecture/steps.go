package lecture

import (
	"fmt"

	"github.com/nasplayground/nas/wasm/i18n"
)

// Widget names what a step draws.
type Widget string

// The widgets, one per step.
const (
	Pipeline   Widget = "pipeline"   // search space → strategy → estimation, feedback loop (drawn)
	Controller Widget = "controller" // REINFORCE controller on NAS-Bench-201 (live, in the page)
	NASNet     Widget = "nasnet"     // NASNet-A cells, the 13 ops, the stacked network (drawn)
	Relax      Widget = "relax"      // one DARTS edge opened up, then the cell (live, engine)
	Bilevel    Widget = "bilevel"    // alternating w and α half-steps (live, engine; s steps)
	Derive     Widget = "derive"     // discrete cell derived from the live α beside DARTS_V2 (live, engine)
	Recurrent  Widget = "recurrent"  // the DARTS recurrent cell learned on PTB (drawn)
	Table      Widget = "table"      // DARTS Table 1 beside rows the page measures (live)
)

// Step is one step of the lecture.
type Step struct {
	Widget Widget
	// DARTS is true when the widget draws the live DARTS search of the
	// engine worker (the DARTS scene's search).
	DARTS bool
	// Formula is true when the step has a formula line (key Key(i, "formula")).
	Formula bool
}

// Steps are the lecture's steps in order; the URL's step=N is 1-based.
var Steps = []Step{
	{Widget: Pipeline},
	{Widget: Controller, Formula: true},
	{Widget: NASNet},
	{Widget: Relax, DARTS: true, Formula: true},
	{Widget: Bilevel, DARTS: true, Formula: true},
	{Widget: Derive, DARTS: true},
	{Widget: Recurrent, Formula: true},
	{Widget: Table},
}

// Key returns the i18n key of part ("title", "text", "formula") of step i (0-based).
func Key(i int, part string) string { return fmt.Sprintf("lec.%d.%s", i+1, part) }

// Clamp returns step i (0-based) limited to the lecture's range.
func Clamp(i int) int { return max(0, min(len(Steps)-1, i)) }

// Title returns step i's title in lang.
func Title(lang string, i int) string { return i18n.T(lang, Key(i, "title")) }
