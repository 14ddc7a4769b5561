package rnn

import (
	"fmt"
	"math"
	"time"

	"github.com/nasplayground/nas/core/genotype"
	"github.com/nasplayground/nas/core/optim"
	"github.com/nasplayground/nas/core/search"
	"github.com/nasplayground/nas/core/state"
	"github.com/nasplayground/nas/core/tensor"
)

// Method is the method name of recurrent-cell runs in events.
const Method = "darts-rnn"

// RunConfig is one run on the PTB text: a DARTS search of the recurrent cell
// (Genotype "") or the training of a recurrent genotype.
type RunConfig struct {
	Data       string      `json:"data"`     // folder of ptb.valid.txt and ptb.test.txt
	Genotype   string      `json:"genotype"` // "" searches; else a name or text (genotype.ResolveRecurrent)
	Hidden     int         `json:"hidden"`
	Nodes      int         `json:"nodes"` // search: nodes of the cell
	Iters      int         `json:"iters"` // training steps
	EvalEvery  int         `json:"eval_every"`
	EvalTokens int         `json:"eval_tokens"` // 0: the whole evaluation text
	MaxTokens  int         `json:"max_tokens"`  // 0: the whole training text
	Seed       uint64      `json:"seed"`
	Train      TrainConfig `json:"train"`
}

// DefaultRunConfig returns a short search: H = 64, 8 nodes, 100 steps, a
// validation perplexity every 10, on 4000 tokens of ptb.test.txt.
func DefaultRunConfig(data string) RunConfig {
	return RunConfig{Data: data, Hidden: 64, Nodes: 8, Iters: 100, EvalEvery: 10, EvalTokens: 4000, Seed: 1, Train: DefaultTrainConfig()}
}

// Searcher is a recurrent-cell run as a search.Searcher: each Step is one
// training step (a KindStep event with the training loss); every EvalEvery
// steps and at the end a KindEpoch event carries the validation perplexity
// (ValLoss = its log) and the genotype (derived from α when searching).
type Searcher struct {
	Cfg    RunConfig
	Corpus *Corpus
	T      *Trainer
	eval   []int32
	steps  int
	last   search.Event
	epochs []search.Event
	start  time.Time
	prev   float64
}

var _ search.Searcher = (*Searcher)(nil)

// NewSearcher loads the corpus and builds the model and its trainer.
func NewSearcher(cfg RunConfig) (*Searcher, error) {
	if cfg.Iters < 1 || cfg.EvalEvery < 1 || cfg.EvalTokens < 0 || cfg.MaxTokens < 0 {
		return nil, fmt.Errorf("rnn: iters %d, eval every %d, eval tokens %d, max tokens %d: want iters, eval every >= 1, tokens >= 0",
			cfg.Iters, cfg.EvalEvery, cfg.EvalTokens, cfg.MaxTokens)
	}
	c, err := LoadPTB(cfg.Data)
	if err != nil {
		return nil, err
	}
	var g *genotype.Recurrent
	if cfg.Genotype != "" {
		r, err := genotype.ResolveRecurrent(cfg.Genotype)
		if err != nil {
			return nil, err
		}
		g = &r
	}
	m, err := New(Config{Vocab: c.Vocab.Len(), Hidden: cfg.Hidden, Steps: cfg.Nodes}, g, tensor.NewRNG(cfg.Seed))
	if err != nil {
		return nil, err
	}
	train, eval := c.Train, c.Eval
	if cfg.MaxTokens > 0 && cfg.MaxTokens < len(train) {
		train = train[:cfg.MaxTokens]
	}
	if cfg.EvalTokens > 0 && cfg.EvalTokens < len(eval) {
		eval = eval[:cfg.EvalTokens]
	}
	tr, err := NewTrainer(m, cfg.Train, train)
	if err != nil {
		return nil, err
	}
	return &Searcher{Cfg: cfg, Corpus: c, T: tr, eval: eval}, nil
}

// EvalBatch is the number of streams the evaluation text is read in: 10, or
// fewer for a short text (at least 2: the search cell's batch norm needs 2 rows).
func (s *Searcher) EvalBatch() int {
	return max(2, min(10, len(s.eval)/(2*s.T.Cfg.BPTT)))
}

// Perplexity returns the validation perplexity on the evaluation text.
func (s *Searcher) Perplexity() float64 { return s.T.Perplexity(s.eval, s.EvalBatch()) }

// GenotypeText returns the trained genotype, or the one α derives.
func (s *Searcher) GenotypeText() string {
	if s.T.M.Genotype != nil {
		return s.T.M.Genotype.String()
	}
	r, err := s.T.M.Derive()
	if err != nil {
		return ""
	}
	return r.String()
}

// Step implements search.Searcher.
func (s *Searcher) Step() (search.Event, error) {
	if s.start.IsZero() {
		s.start = time.Now()
	}
	t0 := time.Now()
	loss, err := s.T.Step()
	if err != nil {
		return search.Event{}, err
	}
	s.steps++
	ev := search.Event{Kind: search.KindStep, Method: Method, Space: "rnn", Step: s.steps, Epoch: s.T.Epoch, Phase: search.PhaseWeights,
		TrainLoss: loss, LR: s.T.Cfg.LR, StepSeconds: time.Since(t0).Seconds(), Elapsed: s.prev + time.Since(s.start).Seconds()}
	if s.steps%s.Cfg.EvalEvery == 0 || s.Done() {
		ppl := s.Perplexity()
		ev.Kind, ev.ValLoss, ev.Genotype = search.KindEpoch, math.Log(ppl), s.GenotypeText()
		ev.Message = fmt.Sprintf("val ppl %.1f on %s (trains on %s)", ppl, s.Corpus.EvalName, s.Corpus.TrainName)
		s.epochs = append(s.epochs, ev)
	}
	s.last = ev
	return ev, nil
}

// Done implements search.Searcher.
func (s *Searcher) Done() bool { return s.steps >= s.Cfg.Iters }

// Snapshot implements search.Searcher.
func (s *Searcher) Snapshot() search.Snapshot {
	return search.Snapshot{Method: Method, Space: "rnn", Step: s.steps, Epoch: s.T.Epoch, Running: !s.Done(), Last: s.last,
		Epochs: append([]search.Event(nil), s.epochs...)}
}

// searcherState is the checkpoint of a Searcher.
type searcherState struct {
	Steps, Epoch, TrainSteps int
	Weights, Alpha           [][]float32
	BN                       [][]float32
	Adam                     *optim.AdamState
	TrainPos, ArchPos        int
	TrainH, ArchH            []float32
	Epochs                   []search.Event
	Elapsed                  float64
}

// MarshalBinary saves the weights, α, the batch-norm statistics, Adam's
// state, the stream positions and hidden states, and the counters.
func (s *Searcher) MarshalBinary() ([]byte, error) {
	m := s.T.M
	st := searcherState{Steps: s.steps, Epoch: s.T.Epoch, TrainSteps: s.T.Steps, Weights: state.CopyValues(m.Params()),
		TrainPos: s.T.train.pos, TrainH: append([]float32(nil), s.T.train.h.Data...), Epochs: s.epochs}
	if !s.start.IsZero() {
		st.Elapsed = s.prev + time.Since(s.start).Seconds()
	}
	if m.Alpha != nil {
		st.Alpha = [][]float32{append([]float32(nil), m.Alpha.Value.Data...)}
		for _, b := range m.BN {
			st.BN = append(st.BN, append([]float32(nil), b.Mean.Data...), append([]float32(nil), b.Var.Data...))
		}
		a := s.T.aopt.State()
		st.Adam = &a
		st.ArchPos, st.ArchH = s.T.arch.pos, append([]float32(nil), s.T.arch.h.Data...)
	}
	return state.Encode(st)
}

// UnmarshalBinary restores a state saved by MarshalBinary into a Searcher
// built by NewSearcher with the same configuration.
func (s *Searcher) UnmarshalBinary(b []byte) error {
	var st searcherState
	if err := state.Decode(b, "rnn", &st); err != nil {
		return err
	}
	m := s.T.M
	if err := state.Restore(state.Values(m.Params()), st.Weights, "weight"); err != nil {
		return err
	}
	if (m.Alpha != nil) != (st.Adam != nil) {
		return fmt.Errorf("rnn: checkpoint of a %s run, this one %s", map[bool]string{true: "search", false: "training"}[st.Adam != nil],
			map[bool]string{true: "searches", false: "trains"}[m.Alpha != nil])
	}
	if len(st.TrainH) != len(s.T.train.h.Data) || st.TrainPos < 0 || st.TrainPos >= s.T.train.steps {
		return fmt.Errorf("rnn: checkpoint stream state does not fit this text and batch")
	}
	if m.Alpha != nil {
		if err := state.Restore([][]float32{m.Alpha.Value.Data}, st.Alpha, "α"); err != nil {
			return err
		}
		var bn [][]float32
		for _, b := range m.BN {
			bn = append(bn, b.Mean.Data, b.Var.Data)
		}
		if err := state.Restore(bn, st.BN, "BN buffer"); err != nil {
			return err
		}
		if err := s.T.aopt.SetState(*st.Adam); err != nil {
			return err
		}
		if len(st.ArchH) != len(s.T.arch.h.Data) || st.ArchPos < 0 || st.ArchPos >= s.T.arch.steps {
			return fmt.Errorf("rnn: checkpoint α stream state does not fit this text and batch")
		}
		s.T.arch.pos = st.ArchPos
		copy(s.T.arch.h.Data, st.ArchH)
	}
	s.T.train.pos = st.TrainPos
	copy(s.T.train.h.Data, st.TrainH)
	s.steps, s.T.Epoch, s.T.Steps, s.epochs = st.Steps, st.Epoch, st.TrainSteps, st.Epochs
	s.prev, s.start = st.Elapsed, time.Time{}
	return nil
}
