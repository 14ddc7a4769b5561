// Package bench201 is the page's minimal local adapter for the NAS-Bench-201
// scenes until core/nb201 and core/search/{rl,evolution,random} land: it decodes
// the embedded table (assets/nb201) and runs random search, REINFORCE with a
// moving-average baseline (Williams 1992; Zoph & Le 2017) and regularized
// evolution (Real et al. 2019) as search.Searcher step machines, one table
// look-up per Step. Imports: stdlib, core/search, assets/nb201.
package bench201
