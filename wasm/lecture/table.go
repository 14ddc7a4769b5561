package lecture

import (
	"fmt"
	"math"

	"github.com/nasplayground/nas/wasm/i18n"
)

// Published is one row of the chapter's comparison table: CIFAR-10 test
// error of the final network (mean ± std where the paper gives one), its
// parameters and the search cost in GPU-days.
type Published struct {
	Method   string
	Err, Std float64 // test error %, std (0: a single number)
	ParamsM  float64
	GPUDays  float64
	Search   string // i18n key suffix of the search method: rl, evolution, smbo, random, gradient
	Cite     string // the row's paper (first author, year); the numbers are DARTS Table 1's
}

// Table1 is DARTS (Liu et al., ICLR 2019) Table 1, the rows the chapter
// compares (all "+ cutout"), with the sources the table cites. NASNet-A's
// cost is 2000 GPU-days as in the ICLR version (the first arXiv version
// wrote 1800). Checked against reproductions of the table in later papers
// (Li & Talwalkar 2019, Table 5; NAS surveys), not typed from memory.
var Table1 = []Published{
	{"NASNet-A", 2.65, 0, 3.3, 2000, "rl", "Zoph 2018"},
	{"AmoebaNet-A", 3.34, 0.06, 3.2, 3150, "evolution", "Real 2019"},
	{"PNAS", 3.41, 0.09, 3.2, 225, "smbo", "Liu 2018"},
	{"ENAS", 2.89, 0, 4.6, 0.5, "rl", "Pham 2018"},
	{"Random search", 3.29, 0.15, 3.2, 4, "random", "DARTS"},
	{"DARTS (1st order)", 3.00, 0.14, 3.3, 1.5, "gradient", "DARTS"},
	{"DARTS (2nd order)", 2.76, 0.09, 3.3, 4, "gradient", "DARTS"},
}

// ErrText formats a test error with its spread, e.g. "2.76 ± 0.09".
func (p Published) ErrText() string {
	if p.Std == 0 {
		return fmt.Sprintf("%.2f", p.Err)
	}
	return fmt.Sprintf("%.2f ± %.2f", p.Err, p.Std)
}

// Days formats a cost in GPU-days without trailing zeros.
func Days(d float64) string {
	if d == math.Trunc(d) {
		return fmt.Sprintf("%.0f", d)
	}
	return fmt.Sprintf("%g", d)
}

// methodKeys are the i18n keys of Table1's method names that are words
// rather than names (translated on screen).
var methodKeys = map[string]string{
	"Random search":     "lec.8.m.random",
	"DARTS (1st order)": "lec.8.m.darts1",
	"DARTS (2nd order)": "lec.8.m.darts2",
}

// Name returns the row's method name in lang.
func (p Published) Name(lang string) string {
	if k, ok := methodKeys[p.Method]; ok {
		return i18n.T(lang, k)
	}
	return p.Method
}

// PublishedHead returns the column heads of the published rows in lang.
func PublishedHead(lang string) []string {
	return []string{i18n.T(lang, "lec.8.method"), i18n.T(lang, "lec.8.err"), i18n.T(lang, "lec.8.params"), i18n.T(lang, "lec.8.unit"), i18n.T(lang, "lec.8.kind")}
}

// Cells returns the row's cells in lang: method, test error, parameters,
// GPU-days, search method · source.
func (p Published) Cells(lang string) []string {
	return []string{p.Name(lang), p.ErrText(), fmt.Sprintf("%.1f", p.ParamsM), Days(p.GPUDays), i18n.T(lang, "lec.8."+p.Search) + " · " + p.Cite}
}

// MeasuredHead returns the column heads of the measured rows in lang (the
// third column, the runs, has none).
func MeasuredHead(lang string) []string {
	return []string{i18n.T(lang, "lec.8.method"), i18n.T(lang, "lec.8.acc"), "", i18n.T(lang, "lec.8.cost")}
}

// Cells returns the row's cells in lang: method, accuracy (± std once two
// runs are done, "…" before the first), runs done, look-ups per run.
func (m Measured) Cells(lang string) []string {
	acc := "…"
	switch {
	case m.Done > 1:
		acc = fmt.Sprintf("%.2f ± %.2f", m.Mean, m.Std)
	case m.Done == 1:
		acc = fmt.Sprintf("%.2f", m.Mean)
	}
	return []string{i18n.T(lang, "m."+m.Method), acc, fmt.Sprintf(i18n.T(lang, "lec.8.runs"), m.Done, m.Runs), fmt.Sprintf(i18n.T(lang, "lec.8.lookups"), m.Samples)}
}

// RecordingCells returns the cells of a shipped recording's row in lang
// (below its title, which spans the table): what the number is (a search
// network's validation accuracy, not a final test error), the number in
// percent, no runs, the CPU time it took.
func RecordingCells(lang string, valAcc, secs float64) []string {
	return []string{i18n.T(lang, "lec.8.recacc"), fmt.Sprintf("%.1f", 100*valAcc), "", fmt.Sprintf(i18n.T(lang, "lec.8.cpu"), secs)}
}
