package random

import (
	"math/rand/v2"

	"github.com/nasplayground/nas/core/search"
	"github.com/nasplayground/nas/core/search/sample"
	"github.com/nasplayground/nas/core/state"
)

// Method is the method name in events.
const Method = "random"

// Searcher samples uniformly; one Step is one sample.
type Searcher struct {
	sample.Tracker
	eval sample.Evaluator
	pcg  *rand.PCG
	rng  *rand.Rand
}

var _ search.Searcher = (*Searcher)(nil)

// New returns a random searcher drawing budget samples, seeded by seed.
func New(space sample.Space, eval sample.Evaluator, budget int, seed uint64) *Searcher {
	pcg := rand.NewPCG(seed, 0x7261_6e64) // "rand"
	return &Searcher{Tracker: sample.NewTracker(Method, space, budget), eval: eval, pcg: pcg, rng: rand.New(pcg)}
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

// saved is the gob checkpoint of a Searcher.
type saved struct {
	Tracker sample.TrackerState
	RNG     []byte
}

// MarshalBinary saves the counters, the best so far and the RNG.
func (s *Searcher) MarshalBinary() ([]byte, error) {
	rng, err := s.pcg.MarshalBinary()
	if err != nil {
		return nil, err
	}
	return state.Encode(saved{Tracker: s.State(), RNG: rng})
}

// UnmarshalBinary restores a state saved by MarshalBinary.
func (s *Searcher) UnmarshalBinary(b []byte) error {
	var st saved
	if err := state.Decode(b, Method, &st); err != nil {
		return err
	}
	if err := s.pcg.UnmarshalBinary(st.RNG); err != nil {
		return err
	}
	s.SetState(st.Tracker)
	return nil
}
