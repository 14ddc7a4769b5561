package run

import (
	"github.com/nasplayground/nas/core/rnn"
	"github.com/nasplayground/nas/core/search"
)

// SpaceRNN is the recurrent cell of DARTS on word-level text.
const SpaceRNN = "rnn"

func init() {
	Register(Method{Name: rnn.Method, Spaces: []string{SpaceRNN}, Unit: UnitSteps,
		New:   func(cfg Config, _ Data) (search.Searcher, error) { return rnn.NewSearcher(cfg.RNN) },
		Total: func(cfg Config, _ search.Searcher) int { return cfg.RNN.Iters }})
}
