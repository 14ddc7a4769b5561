package bench201

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/nasplayground/nas/core/search"
)

// Config configures a sampling search on the table.
type Config struct {
	Method  string  // random | reinforce | evolution
	Seed    uint64  // PCG seed
	Samples int     // budget; 0 means unbounded
	LR      float64 // REINFORCE learning rate (default 0.1)
	Decay   float64 // REINFORCE baseline decay (default 0.9)
	Pop     int     // evolution population (default 20)
	Tourn   int     // evolution tournament size (default 5)
}

// Search is a sampling search on the NAS-Bench-201 table; Step evaluates one
// architecture (a table look-up) and returns a KindSample event whose Reward
// and Best are CIFAR-10 test accuracies in percent.
type Search struct {
	cfg   Config
	tab   *Table
	rng   *rand.Rand
	start time.Time

	step     int
	best     float64
	bestArch string
	history  []search.Event

	logits   [Edges][]float64 // REINFORCE: one softmax per edge
	baseline float64

	pop [][]int // evolution: oldest first
	fit []float64
}

// New returns a search over t.
func New(cfg Config, t *Table) (*Search, error) {
	switch cfg.Method {
	case "random", "reinforce", "evolution":
	default:
		return nil, fmt.Errorf("bench201: method %q, want random|reinforce|evolution", cfg.Method)
	}
	if cfg.LR == 0 {
		cfg.LR = 0.1
	}
	if cfg.Decay == 0 {
		cfg.Decay = 0.9
	}
	if cfg.Pop == 0 {
		cfg.Pop = 20
	}
	if cfg.Tourn == 0 {
		cfg.Tourn = 5
	}
	s := &Search{cfg: cfg, tab: t, rng: rand.New(rand.NewPCG(cfg.Seed, 0x9e3779b97f4a7c15)), start: time.Now()}
	for e := range s.logits {
		s.logits[e] = make([]float64, len(Ops))
	}
	return s, nil
}

// Done implements search.Searcher.
func (s *Search) Done() bool { return s.cfg.Samples > 0 && s.step >= s.cfg.Samples }

// Probs returns the controller's current softmax per edge (uniform for random
// search and evolution).
func (s *Search) Probs() [][]float64 {
	p := make([][]float64, Edges)
	for e := range p {
		p[e] = softmax(s.logits[e])
	}
	return p
}

func softmax(z []float64) []float64 {
	m := math.Inf(-1)
	for _, v := range z {
		m = max(m, v)
	}
	p, sum := make([]float64, len(z)), 0.0
	for i, v := range z {
		p[i] = math.Exp(v - m) // subtract the max: no overflow
		sum += p[i]
	}
	for i := range p {
		p[i] /= sum
	}
	return p
}

func (s *Search) uniform() []int {
	ops := make([]int, Edges)
	for e := range ops {
		ops[e] = s.rng.IntN(len(Ops))
	}
	return ops
}

// Step implements search.Searcher.
func (s *Search) Step() (search.Event, error) {
	if s.Done() {
		return search.Event{}, fmt.Errorf("bench201: %s: budget of %d samples spent", s.cfg.Method, s.cfg.Samples)
	}
	s.step++
	ev := search.Event{Kind: search.KindSample, Method: s.cfg.Method, Space: "nb201", Step: s.step}
	var ops []int
	switch s.cfg.Method {
	case "random":
		ops = s.uniform()
	case "reinforce":
		probs := s.Probs()
		ops = make([]int, Edges)
		logp := 0.0
		for e, p := range probs {
			u, c := s.rng.Float64(), 0
			for acc := p[0]; u > acc && c < len(p)-1; acc += p[c] {
				c++
			}
			ops[e] = c
			logp += math.Log(p[c])
		}
		r := s.tab.Accuracy(ops) / 100
		if s.step == 1 {
			s.baseline = r
		}
		adv := r - s.baseline
		// ∇ log π(a) for a softmax is onehot(a) − p; ascend adv·∇ log π.
		for e, p := range probs {
			for k := range p {
				g := -p[k]
				if k == ops[e] {
					g++
				}
				s.logits[e][k] += s.cfg.LR * adv * g * 10 // rewards are fractions near 0.9; scale the advantage
			}
		}
		s.baseline = s.cfg.Decay*s.baseline + (1-s.cfg.Decay)*r
		ev.Phase, ev.Probs, ev.Baseline, ev.LogProb = search.PhaseCtrl, probs, s.baseline*100, logp
		for _, p := range probs {
			for _, v := range p {
				if v > 0 {
					ev.Entropy -= v * math.Log(v)
				}
			}
		}
	case "evolution":
		if len(s.pop) < s.cfg.Pop {
			ops = s.uniform()
		} else {
			parent, pf := -1, math.Inf(-1)
			for range s.cfg.Tourn {
				i := s.rng.IntN(len(s.pop))
				if s.fit[i] > pf {
					parent, pf = i, s.fit[i]
				}
			}
			ops = append([]int(nil), s.pop[parent]...)
			e := s.rng.IntN(Edges)
			ops[e] = (ops[e] + 1 + s.rng.IntN(len(Ops)-1)) % len(Ops) // a different op on one edge
			s.pop, s.fit = s.pop[1:], s.fit[1:]                       // aging: the oldest dies
		}
	}
	acc := s.tab.Accuracy(ops)
	if s.cfg.Method == "evolution" {
		s.pop, s.fit = append(s.pop, ops), append(s.fit, acc)
	}
	if acc > s.best || s.step == 1 {
		s.best, s.bestArch = acc, Arch(ops)
	}
	ev.Choices, ev.Arch, ev.Genotype, ev.Reward = ops, Arch(ops), Arch(ops), acc
	ev.Best, ev.BestArch = s.best, s.bestArch
	ev.Elapsed = time.Since(s.start).Seconds()
	if s.Done() {
		ev.Kind = search.KindDone
	}
	s.history = append(s.history, ev)
	if len(s.history) > 1000 {
		s.history = s.history[len(s.history)-1000:]
	}
	return ev, nil
}

// Snapshot implements search.Searcher.
func (s *Search) Snapshot() search.Snapshot {
	var last search.Event
	if n := len(s.history); n > 0 {
		last = s.history[n-1]
	}
	return search.Snapshot{Method: s.cfg.Method, Space: "nb201", Step: s.step, Running: !s.Done(),
		Last: last, History: append([]search.Event(nil), s.history...)}
}
