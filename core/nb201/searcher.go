package nb201

import "github.com/nasplayground/nas/core/search"

// NewSearcher returns the searcher Compare runs for method (one of Methods)
// with seed, so a caller can step runs itself (e.g. a frame budget at a time)
// and get what Compare gets.
func NewSearcher(method string, cfg CompareConfig, eval Evaluator, seed uint64) (search.Searcher, error) {
	return newSearcher(method, cfg, eval, seed)
}
