package lecture

import (
	"fmt"
	"math"
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
