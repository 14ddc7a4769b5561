package child

import (
	"bytes"
	"encoding/gob"
	"fmt"

	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/data"
	"github.com/nasplayground/nas/core/model"
	"github.com/nasplayground/nas/core/nn"
	"github.com/nasplayground/nas/core/optim"
	"github.com/nasplayground/nas/core/search/sample"
	"github.com/nasplayground/nas/core/tensor"
)

// Shared is the ENAS evaluator: one DARTS supernet (α unused) whose weights
// all children share. Evaluate trains the shared weights along the sampled
// path on one training minibatch (SGD, momentum, weight decay, clipping; off-
// path weights are not touched), then returns the path's accuracy on one
// validation minibatch (Pham et al. 2018 §2.2).
type Shared struct {
	Cfg    Config
	Space  *sample.MicroSpace
	Net    *model.SearchNet
	opt    *optim.SGD
	rng    *tensor.RNG
	tape   *autograd.Tape
	trainB *batcher
	valB   *batcher
	lrAt   func(int) float64
	// Horizon is the number of Evaluate calls the lr is annealed over
	// (cosine from LR to 0); 0 keeps LR constant.
	Horizon   int
	Evaluated int
	Last      Stats
}

var _ sample.Evaluator = (*Shared)(nil)

// NewShared builds the supernet from cfg (C, Layers, Ops) and splits ds.
// Batches are shuffled and (with Augment) augmented from Seed.
func NewShared(cfg Config, ds *data.Dataset, horizon int) (*Shared, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	sp, ops, err := Space(cfg.Ops)
	if err != nil {
		return nil, err
	}
	train, val, err := split(ds, cfg.TrainPortion)
	if err != nil {
		return nil, err
	}
	mc := model.DefaultSearchConfig()
	mc.C, mc.Layers, mc.Steps, mc.Multiplier, mc.Ops = cfg.C, cfg.Layers, Steps, Steps, ops
	mc.Classes, mc.InChannels = classes(train), train.C
	rng := tensor.NewRNG(cfg.Seed)
	net, err := model.NewSearchNet(mc, rng)
	if err != nil {
		return nil, err
	}
	s := &Shared{Cfg: cfg, Space: sp, Net: net, rng: rng, tape: autograd.NewTape(), Horizon: horizon,
		opt:    optim.NewSGD(net.Weights(), cfg.LR, cfg.Momentum, cfg.WeightDecay, false),
		trainB: newBatcher(train, cfg.Batch, true, cfg.augment(), cfg.Seed+1),
		valB:   newBatcher(val, cfg.Batch, true, data.Augment{}, cfg.Seed+2)}
	if horizon > 0 {
		s.lrAt = optim.CosineLR(cfg.LR, 0, horizon)
	}
	return s, nil
}

// Path converts choices of Space into the supernet's chosen edges per node:
// normal[i] and reduce[i] hold node i's two (input, op) pairs, op indexing
// the op set with `none` first.
func (s *Shared) Path(choices []int) (normal, reduce [][]model.PathEdge, err error) {
	if err := s.Space.Valid(choices); err != nil {
		return nil, nil, err
	}
	cells := [2][][]model.PathEdge{}
	for c := range cells {
		for i := range Steps {
			d := choices[(c*Steps+i)*4:]
			// d: input A, input B, op A, op B; +1 skips `none` in the supernet's op set.
			cells[c] = append(cells[c], []model.PathEdge{{Input: d[0], Op: d[2] + 1}, {Input: d[1], Op: d[3] + 1}})
		}
	}
	return cells[0], cells[1], nil
}

// Evaluate implements sample.Evaluator: one shared-weight step on a
// training minibatch along the path, then the path's accuracy on one
// validation minibatch (BN in training mode would leak the batch; the
// running statistics are used, as ENAS evaluates in eval mode).
func (s *Shared) Evaluate(choices []int) (float64, error) {
	normal, reduce, err := s.Path(choices)
	if err != nil {
		return 0, err
	}
	forward := func(ctx *nn.Ctx, x *autograd.Var) *autograd.Var { return s.Net.ForwardPath(ctx, x, normal, reduce) }
	if s.lrAt != nil {
		s.opt.SetLR(s.lrAt(min(s.Evaluated, s.Horizon)))
	}
	x, y := s.trainB.next()
	st := Stats{Steps: 1, Images: len(y), LR: s.opt.LR}
	st.TrainLoss, st.TrainAcc, err = trainStep(s.tape, s.rng, s.opt, s.Cfg.GradClip, forward, x, y)
	if err != nil {
		return 0, fmt.Errorf("shared step %d: %w", s.Evaluated+1, err)
	}
	s.Evaluated++
	xv, yv := s.valB.next()
	st.ValLoss, st.ValAcc = evaluate(s.tape, forward, xv, yv, true)
	st.Images += len(yv)
	s.Last = st
	return st.ValAcc, nil
}

// sharedState is the resumable state of Shared (gob).
type sharedState struct {
	Weights, Buffers [][]float32
	Opt              optim.SGDState
	Train, Val       data.LoaderState
	RNG              []byte
	Evaluated        int
}

// MarshalBinary saves the shared weights, BN statistics, momentum buffers,
// loader positions, RNG and counter.
func (s *Shared) MarshalBinary() ([]byte, error) {
	st := sharedState{Opt: s.opt.State(), Train: s.trainB.l.State(), Val: s.valB.l.State(), Evaluated: s.Evaluated}
	for _, w := range s.Net.Weights() {
		st.Weights = append(st.Weights, append([]float32(nil), w.Value.Data...))
	}
	for _, b := range s.Net.Buffers() {
		st.Buffers = append(st.Buffers, append([]float32(nil), b.Data...))
	}
	rng, err := s.rng.MarshalBinary()
	if err != nil {
		return nil, err
	}
	st.RNG = rng
	var buf bytes.Buffer
	err = gob.NewEncoder(&buf).Encode(st)
	return buf.Bytes(), err
}

// UnmarshalBinary restores a state saved by MarshalBinary into a Shared
// built by NewShared with the same config and data.
func (s *Shared) UnmarshalBinary(b []byte) error {
	var st sharedState
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&st); err != nil {
		return fmt.Errorf("child: decoding shared state: %w", err)
	}
	if err := copyInto("weight", st.Weights, s.Net.Weights()); err != nil {
		return err
	}
	bufs := s.Net.Buffers()
	if len(st.Buffers) != len(bufs) {
		return fmt.Errorf("child: shared state has %d BN buffers, want %d", len(st.Buffers), len(bufs))
	}
	for i, t := range bufs {
		if len(st.Buffers[i]) != len(t.Data) {
			return fmt.Errorf("child: shared state BN buffer %d has %d values, want %d", i, len(st.Buffers[i]), len(t.Data))
		}
		copy(t.Data, st.Buffers[i])
	}
	if err := s.opt.SetState(st.Opt); err != nil {
		return err
	}
	if err := s.trainB.l.Restore(st.Train); err != nil {
		return err
	}
	if err := s.valB.l.Restore(st.Val); err != nil {
		return err
	}
	if err := s.rng.UnmarshalBinary(st.RNG); err != nil {
		return err
	}
	s.Evaluated = st.Evaluated
	return nil
}

func copyInto(what string, src [][]float32, dst []*autograd.Var) error {
	if len(src) != len(dst) {
		return fmt.Errorf("child: shared state has %d %ss, want %d", len(src), what, len(dst))
	}
	for i, v := range dst {
		if len(src[i]) != len(v.Value.Data) {
			return fmt.Errorf("child: shared state %s %d has %d values, want %d", what, i, len(src[i]), len(v.Value.Data))
		}
		copy(v.Value.Data, src[i])
	}
	return nil
}
