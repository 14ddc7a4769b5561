// Package random is random search as a search.Searcher: each Step draws one
// architecture uniformly from a sample.Space and evaluates it. The baseline every
// NAS method must beat (Li & Talwalkar 2019; Dong & Yang, NAS-Bench-201, 2020).
// Imports: stdlib, core/search, core/search/sample.
package random
