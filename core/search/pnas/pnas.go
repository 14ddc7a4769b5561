package pnas

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/nasplayground/nas/core/search"
	"github.com/nasplayground/nas/core/search/sample"
	"github.com/nasplayground/nas/core/state"
)

// Method is the method name in events.
const Method = "pnas"

// Config holds the PNAS hyperparameters.
type Config struct {
	Samples   int    // budget: total cells evaluated
	Beam      int    // K, cells kept per level; 0 = derived from Samples (see New)
	Seed      uint64 // PCG seed (level-1 subset, surrogate initialisation)
	Surrogate SurrogateConfig
}

// DefaultConfig returns a derived beam and DefaultSurrogate.
func DefaultConfig(samples int, seed uint64) Config {
	return Config{Samples: samples, Seed: seed, Surrogate: DefaultSurrogate()}
}

// candidate is a cell waiting for evaluation with the surrogate's prediction
// (hasPred is false on level 1, evaluated before any surrogate exists).
type candidate struct {
	cell    []int
	pred    float64
	hasPred bool
}

// Searcher runs PNAS; one Step evaluates one cell.
type Searcher struct {
	sample.Tracker
	space Space
	eval  sample.Evaluator
	cfg   Config
	pcg   *rand.PCG
	rng   *rand.Rand
	K     int // beam
	N1    int // level-1 cells evaluated

	Level   int         // blocks of the cells being evaluated (0 before the first Step)
	queue   []candidate // beam of the current level, best predicted first
	pending []candidate // ranked last-level cells beyond the beam
	done    bool        // the space is exhausted

	// every evaluated cell, in order, with its features, reward and level
	cells  [][]int
	xs     [][]float64
	ys     []float64
	levels []int
	seen   map[string]bool

	// held-out predictions: the surrogate never saw a cell it predicted
	heldPred, heldMeas []float64
}

var _ search.Searcher = (*Searcher)(nil)

// New returns a PNAS searcher. When cfg.Beam is 0, K = (Samples − n₁)/(B−1)
// with n₁ = min(one-block cells, Samples/2), so that the budget covers the
// first level and K cells on each further level; the first level then
// evaluates Samples − K·(B−1) one-block cells (all of them when they fit,
// else a uniform subset), and budget left after level B keeps taking the next
// best-predicted B-block cells.
func New(space Space, eval sample.Evaluator, cfg Config) (*Searcher, error) {
	b := space.MaxBlocks()
	switch {
	case cfg.Samples < 1:
		return nil, fmt.Errorf("pnas: samples %d, want >= 1", cfg.Samples)
	case b < 2:
		return nil, fmt.Errorf("pnas: %s has %d blocks, want >= 2", space.Name(), b)
	case cfg.Beam < 0:
		return nil, fmt.Errorf("pnas: beam %d, want >= 0", cfg.Beam)
	case cfg.Surrogate.Members < 1 || cfg.Surrogate.Hidden < 1 || cfg.Surrogate.Epochs < 1 || cfg.Surrogate.LR <= 0:
		return nil, fmt.Errorf("pnas: surrogate %+v, want members, hidden, epochs >= 1 and lr > 0", cfg.Surrogate)
	}
	l1 := len(space.Extend(nil))
	k := cfg.Beam
	if k == 0 {
		k = max(1, (cfg.Samples-min(l1, cfg.Samples/2))/(b-1))
	}
	pcg := rand.NewPCG(cfg.Seed, 0x706e6173) // "pnas"
	return &Searcher{
		Tracker: sample.NewTracker(Method, space, cfg.Samples),
		space:   space, eval: eval, cfg: cfg, K: k,
		N1:   min(l1, max(1, cfg.Samples-k*(b-1))),
		pcg:  pcg,
		rng:  rand.New(pcg),
		seen: map[string]bool{},
	}, nil
}

// Done reports whether the budget is spent or no cell is left to evaluate.
func (s *Searcher) Done() bool { return s.done || s.Tracker.Done() }

// Tau returns Kendall's τ between the surrogate's predictions and the measured
// rewards of every cell evaluated after being predicted (held out: each
// prediction came from a surrogate fit before the cell was evaluated), and
// the number of such cells.
func (s *Searcher) Tau() (tau float64, n int) {
	return KendallTau(s.heldPred, s.heldMeas), len(s.heldPred)
}

// Step evaluates the next cell of the beam, moving to the next level first
// when the beam is spent.
func (s *Searcher) Step() (search.Event, error) {
	if len(s.queue) == 0 {
		s.nextLevel()
		if len(s.queue) == 0 {
			s.done = true
			return search.Event{}, fmt.Errorf("pnas: no cell left to evaluate in %s", s.space.Name())
		}
	}
	c := s.queue[0]
	s.queue = s.queue[1:]
	r, err := s.eval.Evaluate(c.cell)
	if err != nil {
		return search.Event{}, err
	}
	s.cells = append(s.cells, c.cell)
	s.xs = append(s.xs, s.space.Features(c.cell))
	s.ys = append(s.ys, r)
	s.levels = append(s.levels, s.Level)
	ev := search.Event{Choices: c.cell, Reward: r,
		Message: fmt.Sprintf("level %d/%d (%d-block cells), beam %d", s.Level, s.space.MaxBlocks(), s.Level, s.K)}
	if c.hasPred {
		s.heldPred = append(s.heldPred, c.pred)
		s.heldMeas = append(s.heldMeas, r)
		ev.Predicted = c.pred
		tau, n := s.Tau()
		ev.Message += fmt.Sprintf("; surrogate τ %.3f over %d held-out cells", tau, n)
	}
	if len(s.queue) == 0 && len(s.pending) == 0 && s.Level == s.space.MaxBlocks() {
		s.done = true
	}
	return s.Record(ev), nil
}

func key(cell []int) string { return fmt.Sprint(cell) }

// nextLevel fills the queue: level 1 is N1 one-block cells in a seeded random
// order; after that the surrogate, refit on every evaluated cell, ranks the
// one-block extensions of the K best cells of the level just evaluated (or,
// past level B, the remaining B-block extensions), and the top K are queued.
func (s *Searcher) nextLevel() {
	if s.Level == 0 {
		cells := s.space.Extend(nil)
		s.rng.Shuffle(len(cells), func(i, j int) { cells[i], cells[j] = cells[j], cells[i] })
		for _, c := range cells[:s.N1] {
			s.queue = append(s.queue, candidate{cell: c})
			s.seen[key(c)] = true
		}
		s.Level = 1
		return
	}
	sur := FitSurrogate(s.cfg.Surrogate, s.xs, s.ys, s.rng)
	var cands []candidate
	if s.Level < s.space.MaxBlocks() {
		for _, i := range s.survivors() {
			for _, c := range s.space.Extend(s.cells[i]) {
				if k := key(c); !s.seen[k] {
					s.seen[k] = true
					cands = append(cands, candidate{cell: c})
				}
			}
		}
		s.Level++
	} else {
		cands, s.pending = s.pending, nil
	}
	for i := range cands {
		cands[i].pred, cands[i].hasPred = sur.Predict(s.space.Features(cands[i].cell)), true
	}
	slices.SortStableFunc(cands, func(a, b candidate) int {
		switch {
		case a.pred > b.pred:
			return -1
		case a.pred < b.pred:
			return 1
		}
		return 0
	})
	n := min(s.K, len(cands))
	s.queue = cands[:n]
	if s.Level == s.space.MaxBlocks() {
		s.pending = cands[n:]
	}
}

// survivors returns the indices of the K best evaluated cells of the current level.
func (s *Searcher) survivors() []int {
	var idx []int
	var r []float64
	for i, l := range s.levels {
		if l == s.Level {
			idx = append(idx, i)
			r = append(r, s.ys[i])
		}
	}
	var out []int
	for _, j := range rankDesc(r)[:min(s.K, len(r))] {
		out = append(out, idx[j])
	}
	return out
}

// state is the checkpoint of a Searcher.
type pnasState struct {
	Config             Config
	Tracker            sample.TrackerState
	RNG                []byte
	Level              int
	Done               bool
	Queue, Pending     []savedCandidate
	Cells              [][]int
	Rewards            []float64
	Levels             []int
	HeldPred, HeldMeas []float64
}

type savedCandidate struct {
	Cell    []int
	Pred    float64
	HasPred bool
}

func save(cs []candidate) []savedCandidate {
	out := make([]savedCandidate, len(cs))
	for i, c := range cs {
		out[i] = savedCandidate{c.cell, c.pred, c.hasPred}
	}
	return out
}

// MarshalBinary saves the levels, every evaluated cell with its reward, the
// queued candidates with their predictions, the counters and the RNG; the
// surrogate is refit from the cells when it is next needed.
func (s *Searcher) MarshalBinary() ([]byte, error) {
	rng, err := s.pcg.MarshalBinary()
	if err != nil {
		return nil, err
	}
	return state.Encode(pnasState{Config: s.cfg, Tracker: s.State(), RNG: rng, Level: s.Level, Done: s.done,
		Queue: save(s.queue), Pending: save(s.pending), Cells: s.cells, Rewards: s.ys, Levels: s.levels,
		HeldPred: s.heldPred, HeldMeas: s.heldMeas})
}

// UnmarshalBinary restores a state saved by MarshalBinary into a searcher
// built by New with the same configuration and space.
func (s *Searcher) UnmarshalBinary(b []byte) error {
	var st pnasState
	if err := state.Decode(b, Method, &st); err != nil {
		return err
	}
	if st.Config != s.cfg || len(st.Cells) != len(st.Rewards) || len(st.Cells) != len(st.Levels) || len(st.HeldPred) != len(st.HeldMeas) {
		return fmt.Errorf("pnas: state of %+v with %d cells, this search is %+v", st.Config, len(st.Cells), s.cfg)
	}
	if err := s.pcg.UnmarshalBinary(st.RNG); err != nil {
		return err
	}
	load := func(ss []savedCandidate) ([]candidate, error) {
		out := make([]candidate, len(ss))
		for i, c := range ss {
			if err := s.space.Valid(c.Cell); err != nil {
				return nil, fmt.Errorf("pnas: state: %w", err)
			}
			out[i] = candidate{c.Cell, c.Pred, c.HasPred}
		}
		return out, nil
	}
	var err error
	if s.queue, err = load(st.Queue); err != nil {
		return err
	}
	if s.pending, err = load(st.Pending); err != nil {
		return err
	}
	s.seen = map[string]bool{}
	s.cells, s.xs, s.ys, s.levels = nil, nil, st.Rewards, st.Levels
	for _, c := range st.Cells {
		if err := s.space.Valid(c); err != nil {
			return fmt.Errorf("pnas: state: %w", err)
		}
		s.cells = append(s.cells, c)
		s.xs = append(s.xs, s.space.Features(c))
	}
	// seen: the cells evaluated, queued or pending. The extensions ranked
	// below the beam are left out: only cells of the next level, which have
	// one more block, are generated after this.
	for _, c := range s.cells {
		s.seen[key(c)] = true
	}
	for _, c := range append(append([]candidate(nil), s.queue...), s.pending...) {
		s.seen[key(c.cell)] = true
	}
	s.Level, s.done, s.heldPred, s.heldMeas = st.Level, st.Done, st.HeldPred, st.HeldMeas
	s.SetState(st.Tracker)
	return nil
}
