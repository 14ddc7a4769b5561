package run

import (
	"errors"
	"fmt"
	"sync"

	"github.com/nasplayground/nas/core/nb201"
	"github.com/nasplayground/nas/core/search"
	"github.com/nasplayground/nas/core/search/child"
	"github.com/nasplayground/nas/core/search/darts"
	"github.com/nasplayground/nas/core/search/enas"
	"github.com/nasplayground/nas/core/search/evolution"
	"github.com/nasplayground/nas/core/search/pnas"
	"github.com/nasplayground/nas/core/search/random"
	"github.com/nasplayground/nas/core/search/rl"
	"github.com/nasplayground/nas/core/search/sample"
	"github.com/nasplayground/nas/core/state"
	"github.com/nasplayground/nas/core/train"
)

// Spaces.
const (
	SpaceDARTS  = "darts"
	SpaceNASNet = "nasnet"
	SpaceNB201  = "nb201"
)

// Units of an iteration.
const (
	UnitSteps   = "steps"
	UnitSamples = "samples"
)

var imageSpaces = []string{SpaceDARTS, SpaceNASNet}

func init() {
	Register(Method{Name: "darts", Spaces: imageSpaces, Unit: UnitSteps, New: newDARTS,
		Total: func(cfg Config, s search.Searcher) int {
			d := s.(*DARTS)
			return d.StepsPerEpoch() * d.Config().Epochs
		}})
	Register(Method{Name: "train", Unit: UnitSteps, New: newTrain,
		Total: func(cfg Config, s search.Searcher) int {
			t := s.(*Trainer)
			return t.StepsPerEpoch() * t.Config().Epochs
		}})
	samples := func(cfg Config, _ search.Searcher) int { return cfg.Sampling.Samples }
	for _, name := range []string{random.Method, evolution.Method, rl.Method} {
		Register(Method{Name: name, Spaces: []string{SpaceDARTS, SpaceNASNet, SpaceNB201}, Unit: UnitSamples,
			New: newSampling, Total: samples})
	}
	Register(Method{Name: enas.Method, Spaces: imageSpaces, Unit: UnitSamples, New: newSampling, Total: samples})
	Register(Method{Name: CompareMethod, Spaces: []string{SpaceNB201}, Unit: UnitSamples, New: newCompare,
		Total: func(cfg Config, s search.Searcher) int { return s.(*Compare).Total() }})
}

// DARTS is the darts method's step machine: darts.Search with the run's
// answer and predictions.
type DARTS struct{ *darts.Search }

// GenotypeText returns the derived genotype.
func (d *DARTS) GenotypeText() string {
	g, err := d.Genotype()
	if err != nil {
		return ""
	}
	return g.String()
}

// Prediction is one validation image with the supernet's guess (darts.Prediction).
type Prediction = darts.Prediction

func newDARTS(cfg Config, d Data) (search.Searcher, error) {
	dc := cfg.DARTS
	dc.Ops, dc.Seed, dc.Threads = cfg.Space, cfg.Seed, 0
	s, err := darts.New(dc, d.Train)
	if err != nil {
		return nil, err
	}
	return &DARTS{s}, nil
}

// Bench is the DARTS iteration benchmark of `nas bench` (darts.Bench).
type Bench = darts.Bench

// NewBench builds the supernet benchmark (darts.NewBench).
func NewBench(c, layers, batch, size, classes int, alphasOnly bool, seed uint64) (*Bench, error) {
	return darts.NewBench(c, layers, batch, size, classes, alphasOnly, seed)
}

// Trainer is the train method's step machine.
type Trainer struct{ *train.Trainer }

// GenotypeText returns the trained genotype.
func (t *Trainer) GenotypeText() string { return t.Config().Genotype.String() }

func newTrain(cfg Config, d Data) (search.Searcher, error) {
	tc := cfg.Train
	tc.Seed, tc.Threads = cfg.Seed, 0
	t, err := train.New(tc, d.Train, d.Test)
	if err != nil {
		return nil, err
	}
	return &Trainer{t}, nil
}

var table struct {
	once sync.Once
	t    *nb201.Table
	err  error
}

// Table returns the NAS-Bench-201 table, loaded once.
func Table() (*nb201.Table, error) {
	table.once.Do(func() { table.t, table.err = nb201.Load() })
	return table.t, table.err
}

// nb201Sampler builds method on the NAS-Bench-201 table with seed.
func nb201Sampler(method string, sc Sampling, dataset string, seed uint64) (search.Searcher, error) {
	tab, err := Table()
	if err != nil {
		return nil, err
	}
	if _, err := tab.Accuracy(nb201.Arch{}, dataset); err != nil {
		return nil, err
	}
	eval := nb201.Evaluator{Table: tab, Dataset: dataset}
	if method == pnas.Method {
		return pnas.New(pnas.NB201{}, eval, pnas.DefaultConfig(sc.Samples, seed))
	}
	return sampler(method, sc, nb201.Space{}, eval, seed)
}

// sampler builds random, evolution or reinforce over space: the one factory
// of the sampling strategies (NB201 runs, comparisons, children on images).
func sampler(method string, sc Sampling, space sample.Space, eval sample.Evaluator, seed uint64) (search.Searcher, error) {
	switch method {
	case random.Method:
		return random.New(space, eval, sc.Samples, seed), nil
	case evolution.Method:
		ec := evolution.DefaultConfig(sc.Samples, seed)
		if sc.Population > 0 {
			ec.Population = sc.Population
		}
		if sc.Tournament > 0 {
			ec.SampleSize = sc.Tournament
		}
		return evolution.New(space, eval, ec)
	case rl.Method:
		return rl.New(space, eval, rlConfig(sc, seed)), nil
	}
	return nil, fmt.Errorf("method %q has no sampler", method)
}

func rlConfig(sc Sampling, seed uint64) rl.Config {
	rc := rl.DefaultConfig(sc.Samples, seed)
	if sc.CtrlLR > 0 {
		rc.LR = sc.CtrlLR
	}
	if sc.Hidden > 0 {
		rc.Controller.Hidden = sc.Hidden
	}
	if sc.Entropy > 0 {
		rc.EntropyWeight = sc.Entropy
	}
	return rc
}

func newSampling(cfg Config, d Data) (search.Searcher, error) {
	sc := cfg.Sampling
	if sc.Samples < 1 {
		return nil, fmt.Errorf("samples = %d, want >= 1", sc.Samples)
	}
	var s search.Searcher
	var err error
	if cfg.Space == SpaceNB201 {
		s, err = nb201Sampler(cfg.Method, sc, cfg.Dataset, cfg.Seed)
	} else {
		s, err = newMicro(cfg, d)
	}
	if err != nil {
		return nil, err
	}
	return &Sampler{Searcher: s}, nil
}

// Sampler is a sampling method's step machine: it adds the cells of the best
// architecture to events when it changes, and the space's layout.
type Sampler struct {
	search.Searcher
	best string
}

// Step implements search.Searcher.
func (s *Sampler) Step() (search.Event, error) {
	ev, err := s.Searcher.Step()
	if err == nil && ev.BestArch != s.best {
		s.best = ev.BestArch
		search.SetCells(&ev, ev.BestArch)
	}
	return ev, err
}

// samplerState is the checkpoint of a Sampler.
type samplerState struct {
	Searcher []byte
	Best     string // the best architecture whose cells were last sent
}

// MarshalBinary implements encoding.BinaryMarshaler.
func (s *Sampler) MarshalBinary() ([]byte, error) {
	b, err := marshal(s.Searcher)
	if err != nil {
		return nil, err
	}
	return state.Encode(samplerState{Searcher: b, Best: s.best})
}

// UnmarshalBinary implements encoding.BinaryUnmarshaler.
func (s *Sampler) UnmarshalBinary(b []byte) error {
	var st samplerState
	if err := state.Decode(b, "sampling search", &st); err != nil {
		return err
	}
	s.best = st.Best
	return unmarshal(s.Searcher, st.Searcher)
}

// Layout returns the decision layout of the space.
func (s *Sampler) Layout() []search.Decision {
	if l, ok := s.Searcher.(interface{ Layout() []search.Decision }); ok {
		return l.Layout()
	}
	return nil
}

type binary interface {
	MarshalBinary() ([]byte, error)
	UnmarshalBinary([]byte) error
}

func marshal(s any) ([]byte, error) {
	b, ok := s.(binary)
	if !ok {
		return nil, fmt.Errorf("%T cannot save its state", s)
	}
	return b.MarshalBinary()
}

func unmarshal(s any, data []byte) error {
	b, ok := s.(binary)
	if !ok {
		return fmt.Errorf("%T cannot restore a state", s)
	}
	return b.UnmarshalBinary(data)
}

// micro is a sampling search on the darts/nasnet space whose children are
// trained on images: from scratch, or with shared supernet weights (enas,
// --weight-sharing).
type micro struct {
	search.Searcher
	scratch *child.FromScratch
	shared  *child.Shared
	enas    bool
}

func newMicro(cfg Config, d Data) (search.Searcher, error) {
	cc := cfg.Sampling.Child
	cc.Ops, cc.Seed = cfg.Space, cfg.Seed
	if err := cc.Validate(); err != nil {
		return nil, err
	}
	if d.Train == nil {
		return nil, errors.New("the search needs a training set")
	}
	if cfg.Method == enas.Method {
		s, err := enas.New(enas.Config{Child: cc, RL: rlConfig(cfg.Sampling, cfg.Seed)}, d.Train)
		if err != nil {
			return nil, err
		}
		return &micro{Searcher: s, shared: s.Shared, enas: true}, nil
	}
	m := &micro{}
	var eval sample.Evaluator
	var sp sample.Space
	if cfg.Sampling.WeightSharing {
		sh, err := child.NewShared(cc, d.Train, cfg.Sampling.Samples)
		if err != nil {
			return nil, err
		}
		m.shared, eval, sp = sh, sh, sh.Space
	} else {
		fs, err := child.NewFromScratch(cc, d.Train)
		if err != nil {
			return nil, err
		}
		m.scratch, eval, sp = fs, fs, fs.Space
	}
	s, err := sampler(cfg.Method, cfg.Sampling, sp, eval, cfg.Seed)
	if err != nil {
		return nil, err
	}
	m.Searcher = s
	return m, nil
}

// Step adds the child's own losses to the sample event (a from-scratch
// child's last training minibatch and validation pass).
func (m *micro) Step() (search.Event, error) {
	ev, err := m.Searcher.Step()
	if err != nil || m.enas {
		return ev, err
	}
	st := m.stats()
	ev.TrainLoss, ev.TrainAcc, ev.ValLoss, ev.ValAcc, ev.LR, ev.Images = st.TrainLoss, st.TrainAcc, st.ValLoss, st.ValAcc, st.LR, st.Images
	return ev, nil
}

func (m *micro) stats() child.Stats {
	if m.scratch != nil {
		return m.scratch.Last
	}
	return m.shared.Last
}

// Layout returns the decision layout of the micro space.
func (m *micro) Layout() []search.Decision {
	if m.scratch != nil {
		return sample.Layout(m.scratch.Space)
	}
	return sample.Layout(m.shared.Space)
}

// microState is the checkpoint of a micro search.
type microState struct {
	Searcher  []byte // the strategy (enas: controller and supernet)
	Shared    []byte // --weight-sharing supernet
	Evaluated int    // children trained from scratch so far (their seeds)
}

func (m *micro) MarshalBinary() ([]byte, error) {
	var st microState
	var err error
	if st.Searcher, err = marshal(m.Searcher); err != nil {
		return nil, err
	}
	if m.shared != nil && !m.enas {
		if st.Shared, err = m.shared.MarshalBinary(); err != nil {
			return nil, err
		}
	}
	if m.scratch != nil {
		st.Evaluated = m.scratch.Evaluated
	}
	return state.Encode(st)
}

func (m *micro) UnmarshalBinary(b []byte) error {
	var st microState
	if err := state.Decode(b, "sampling search", &st); err != nil {
		return err
	}
	if err := unmarshal(m.Searcher, st.Searcher); err != nil {
		return err
	}
	if m.shared != nil && !m.enas {
		if err := m.shared.UnmarshalBinary(st.Shared); err != nil {
			return err
		}
	}
	if m.scratch != nil {
		m.scratch.Evaluated = st.Evaluated
	}
	return nil
}
