package random

import (
	"math/rand/v2"

	"github.com/nasplayground/nas/core/search"
	"github.com/nasplayground/nas/core/search/sample"
)

// Method is the method name in events.
const Method = "random"

// Searcher samples uniformly; one Step is one sample.
type Searcher struct {
	sample.Tracker
	eval sample.Evaluator
	rng  *rand.Rand
}

var _ search.Searcher = (*Searcher)(nil)

// New returns a random searcher drawing budget samples, seeded by seed.
func New(space sample.Space, eval sample.Evaluator, budget int, seed uint64) *Searcher {
	return &Searcher{
		Tracker: sample.NewTracker(Method, space, budget),
		eval:    eval,
		rng:     rand.New(rand.NewPCG(seed, 0x7261_6e64)), // "rand"
	}
}

// Step draws and evaluates one architecture.
func (s *Searcher) Step() (search.Event, error) {
	c, err := sample.Uniform(s.Space, s.rng)
	if err != nil {
		return search.Event{}, err
	}
	r, err := s.eval.Evaluate(c)
	if err != nil {
		return search.Event{}, err
	}
	return s.Record(search.Event{Choices: c, Reward: r}), nil
}
