// Package nb201 is NAS-Bench-201's tabular mode: the cell encoding (Arch, its
// benchmark string and canonical index), the embedded accuracy table, the
// sample.Space and Evaluator over it, and Result/FormatTable for the
// comparisons core/run's Compare runs (random search, regularized evolution
// and REINFORCE on the table for many seeds).
// Imports: stdlib, assets/nb201, core/search/sample.
// Reference: X. Dong, Y. Yang, "NAS-Bench-201", ICLR 2020.
package nb201
