package evolution

import (
	"fmt"
	"math/rand/v2"

	"github.com/nasplayground/nas/core/search"
	"github.com/nasplayground/nas/core/search/sample"
	"github.com/nasplayground/nas/core/state"
)

// Method is the method name in events.
const Method = "evolution"

// Config holds the evolution hyperparameters.
type Config struct {
	Population int    // P; 100 by default (NNI)
	SampleSize int    // S, the tournament size; 25 by default (NNI)
	Samples    int    // budget: total architectures evaluated
	Seed       uint64 // PCG seed
}

// DefaultConfig returns P=100, S=25 (NNI's RegularizedEvolution defaults).
func DefaultConfig(samples int, seed uint64) Config {
	return Config{Population: 100, SampleSize: 25, Samples: samples, Seed: seed}
}

// Individual is an evaluated architecture with its birth step (its age key).
type Individual struct {
	Choices []int
	Reward  float64
	Born    int // the Step that created it, from 1
}

// Searcher runs regularized evolution; one Step is one evaluated child.
type Searcher struct {
	sample.Tracker
	cfg  Config
	eval sample.Evaluator
	pcg  *rand.PCG
	rng  *rand.Rand
	pop  []Individual // oldest first
}

var _ search.Searcher = (*Searcher)(nil)

// New returns an evolution searcher; it errors on P < 1 or S outside [1, P].
func New(space sample.Space, eval sample.Evaluator, cfg Config) (*Searcher, error) {
	if cfg.Population < 1 || cfg.SampleSize < 1 || cfg.SampleSize > cfg.Population {
		return nil, fmt.Errorf("evolution: population %d, sample size %d, want 1 <= S <= P", cfg.Population, cfg.SampleSize)
	}
	pcg := rand.NewPCG(cfg.Seed, 0x65766f6c) // "evol"
	return &Searcher{Tracker: sample.NewTracker(Method, space, cfg.Samples), cfg: cfg, eval: eval, pcg: pcg, rng: rand.New(pcg)}, nil
}

// Population returns a copy of the current population, oldest first.
func (s *Searcher) Population() []Individual {
	p := make([]Individual, len(s.pop))
	for i, ind := range s.pop {
		p[i] = ind
		p[i].Choices = append([]int(nil), ind.Choices...)
	}
	return p
}

// Step evaluates one architecture: a uniform one while the population is
// filling, then the mutation of the best of S individuals drawn uniformly
// with replacement (Real et al., Algorithm 1); the child joins the population
// and the oldest individual leaves it.
func (s *Searcher) Step() (search.Event, error) {
	var c []int
	var err error
	msg := "random (initial population)"
	if len(s.pop) < s.cfg.Population {
		c, err = sample.Uniform(s.Space, s.rng)
	} else {
		parent := s.pop[s.rng.IntN(len(s.pop))]
		for range s.cfg.SampleSize - 1 {
			if cand := s.pop[s.rng.IntN(len(s.pop))]; cand.Reward > parent.Reward {
				parent = cand
			}
		}
		c, err = sample.Mutate(s.Space, parent.Choices, s.rng)
		msg = fmt.Sprintf("mutated parent born at step %d", parent.Born)
	}
	if err != nil {
		return search.Event{}, err
	}
	r, err := s.eval.Evaluate(c)
	if err != nil {
		return search.Event{}, err
	}
	s.pop = append(s.pop, Individual{Choices: c, Reward: r, Born: s.Steps + 1})
	if len(s.pop) > s.cfg.Population {
		s.pop = append(s.pop[:0], s.pop[1:]...) // remove the oldest
	}
	return s.Record(search.Event{Choices: c, Reward: r, Message: msg}), nil
}

// saved is the gob checkpoint of a Searcher.
type saved struct {
	Config     Config
	Tracker    sample.TrackerState
	RNG        []byte
	Population []Individual
}

// MarshalBinary saves the population, the counters, the best so far and the RNG.
func (s *Searcher) MarshalBinary() ([]byte, error) {
	rng, err := s.pcg.MarshalBinary()
	if err != nil {
		return nil, err
	}
	return state.Encode(saved{Config: s.cfg, Tracker: s.State(), RNG: rng, Population: s.pop})
}

// UnmarshalBinary restores a state saved by MarshalBinary into a searcher
// built by New with the same configuration.
func (s *Searcher) UnmarshalBinary(b []byte) error {
	var st saved
	if err := state.Decode(b, Method, &st); err != nil {
		return err
	}
	if st.Config != s.cfg {
		return fmt.Errorf("evolution: state of %+v, this search is %+v", st.Config, s.cfg)
	}
	if err := s.pcg.UnmarshalBinary(st.RNG); err != nil {
		return err
	}
	for _, ind := range st.Population {
		if err := s.Space.Valid(ind.Choices); err != nil {
			return fmt.Errorf("evolution: state population: %w", err)
		}
	}
	s.pop = st.Population
	s.SetState(st.Tracker)
	return nil
}
