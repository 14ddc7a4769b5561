package sample

import (
	"fmt"
	"math/rand/v2"

	"github.com/nasplayground/nas/core/state"
)

// Space is a discrete architecture space sampled decision by decision.
type Space interface {
	// Name is the space's short name for events: nb201, darts, nasnet.
	Name() string
	// Decisions returns the number of choices of each decision, in sampling order.
	Decisions() []int
	// Valid returns nil when choices is a complete, valid architecture.
	Valid(choices []int) error
	// Describe returns the architecture as text (NB201 string or DARTS genotype).
	Describe(choices []int) string
	// DecisionLabels names each decision, e.g. "edge 0→1 op".
	DecisionLabels() []string
	// ChoiceLabels names the choices of decision d.
	ChoiceLabels(d int) []string
}

// Evaluator scores an architecture; higher rewards are better.
type Evaluator interface {
	Evaluate(choices []int) (reward float64, err error)
}

// maxTries bounds rejection sampling in Uniform and Mutate.
const maxTries = 1000

// CheckRange returns an error unless choices has one in-range value per decision.
func CheckRange(s Space, choices []int) error {
	dec := s.Decisions()
	if len(choices) != len(dec) {
		return fmt.Errorf("%s: %d choices, want %d", s.Name(), len(choices), len(dec))
	}
	for d, c := range choices {
		if c < 0 || c >= dec[d] {
			return fmt.Errorf("%s: decision %d (%s) = %d, want 0..%d", s.Name(), d, s.DecisionLabels()[d], c, dec[d]-1)
		}
	}
	return nil
}

// Uniform draws each decision uniformly and rejects invalid results, so it is
// uniform over the valid architectures.
func Uniform(s Space, rng *rand.Rand) ([]int, error) {
	dec := s.Decisions()
	c := make([]int, len(dec))
	for range maxTries {
		for d, k := range dec {
			c[d] = rng.IntN(k)
		}
		if s.Valid(c) == nil {
			return c, nil
		}
	}
	return nil, fmt.Errorf("%s: no valid architecture in %d uniform draws", s.Name(), maxTries)
}

// Mutate returns a copy of parent with exactly one decision changed to a
// different value (one op or one input, Real et al. 2019 §2), chosen uniformly
// among the decisions with more than one choice and rejected until Valid.
func Mutate(s Space, parent []int, rng *rand.Rand) ([]int, error) {
	dec := s.Decisions()
	var free []int
	for d, k := range dec {
		if k > 1 {
			free = append(free, d)
		}
	}
	if len(free) == 0 {
		return nil, fmt.Errorf("%s: no decision has more than one choice", s.Name())
	}
	child := make([]int, len(parent))
	for range maxTries {
		copy(child, parent)
		d := free[rng.IntN(len(free))]
		v := rng.IntN(dec[d] - 1) // a different value: skip the parent's one
		if v >= parent[d] {
			v++
		}
		child[d] = v
		if s.Valid(child) == nil {
			return child, nil
		}
	}
	return nil, fmt.Errorf("%s: no valid mutation in %d tries", s.Name(), maxTries)
}

// Encode returns v as gob bytes (a searcher's MarshalBinary payload; state.Encode).
func Encode(v any) ([]byte, error) { return state.Encode(v) }

// Decode decodes gob bytes written by Encode into v; method names the
// searcher in errors (state.Decode).
func Decode(b []byte, method string, v any) error { return state.Decode(b, method, v) }
