package darts

import (
	"bufio"
	"encoding/gob"
	"errors"
	"fmt"
	"io"

	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/data"
	"github.com/nasplayground/nas/core/optim"
	"github.com/nasplayground/nas/core/search"
	"github.com/nasplayground/nas/core/tensor"
)

// checkpointMagic starts every checkpoint file; the version follows it.
const (
	checkpointMagic   = "NASPLAYGROUND-DARTS-CKPT"
	checkpointVersion = 1
)

// Checkpoint is everything a search needs to continue exactly where it
// stopped: weights, BN statistics, α, both optimisers, both loaders' order and
// random state, the network RNG and the position (unlike the reference, α is
// saved too).
type Checkpoint struct {
	Config                   Config
	Weights, Buffers, Alphas [][]float32
	SGD                      optim.SGDState
	Adam                     optim.AdamState
	TrainLoader, ValLoader   data.LoaderState
	RNG                      []byte
	Step, Epoch              int
	AlphaNext, EpochPending  bool
	PendingX                 []float32 // the iteration's training batch when stopped between halves
	PendingY                 []int32
	PendingShape             []int
	EpochLoss, EpochAcc      float64
	EpochN                   int
	Elapsed                  float64
	Epochs                   []search.Event
}

func copies(vs []*autograd.Var) [][]float32 {
	out := make([][]float32, len(vs))
	for i, v := range vs {
		out[i] = append([]float32(nil), v.Value.Data...)
	}
	return out
}

// Checkpoint captures the search state.
func (s *Search) Checkpoint() *Checkpoint {
	ck := &Checkpoint{Config: s.cfg, Weights: copies(s.Net.Weights()), Alphas: copies(s.Net.Alphas()),
		SGD: s.wOpt.State(), Adam: s.arch.Opt.State(), TrainLoader: s.trainL.State(), ValLoader: s.valL.State(),
		Step: s.step, Epoch: s.epoch, AlphaNext: s.alphaNext, EpochPending: s.epochPending,
		EpochLoss: s.epochLoss, EpochAcc: s.epochAcc, EpochN: s.epochN, Elapsed: s.Elapsed(),
		Epochs: append([]search.Event(nil), s.epochs...)}
	for _, b := range s.Net.Buffers() {
		ck.Buffers = append(ck.Buffers, append([]float32(nil), b.Data...))
	}
	ck.RNG, _ = s.rng.MarshalBinary()
	if !s.alphaNext && s.xt != nil {
		ck.PendingX = append([]float32(nil), s.xt.Data...)
		ck.PendingY = append([]int32(nil), s.yt...)
		ck.PendingShape = append([]int(nil), s.xt.Shape...)
	}
	return ck
}

func load(dst [][]float32, src [][]float32, what string) error {
	if len(dst) != len(src) {
		return fmt.Errorf("darts: checkpoint has %d %s tensors, the network %d", len(src), what, len(dst))
	}
	for i := range dst {
		if len(dst[i]) != len(src[i]) {
			return fmt.Errorf("darts: checkpoint %s tensor %d has %d values, want %d", what, i, len(src[i]), len(dst[i]))
		}
	}
	for i := range dst {
		copy(dst[i], src[i])
	}
	return nil
}

func datas(vs []*autograd.Var) [][]float32 {
	out := make([][]float32, len(vs))
	for i, v := range vs {
		out[i] = v.Value.Data
	}
	return out
}

// Resume rebuilds a search from a checkpoint over the same data set.
func Resume(ck *Checkpoint, ds *data.Dataset) (*Search, error) {
	s, err := New(ck.Config, ds)
	if err != nil {
		return nil, err
	}
	if err := load(datas(s.Net.Weights()), ck.Weights, "weight"); err != nil {
		return nil, err
	}
	if err := load(datas(s.Net.Alphas()), ck.Alphas, "α"); err != nil {
		return nil, err
	}
	bufs := s.Net.Buffers()
	bd := make([][]float32, len(bufs))
	for i, b := range bufs {
		bd[i] = b.Data
	}
	if err := load(bd, ck.Buffers, "BN buffer"); err != nil {
		return nil, err
	}
	if err := s.wOpt.SetState(ck.SGD); err != nil {
		return nil, err
	}
	if err := s.arch.Opt.SetState(ck.Adam); err != nil {
		return nil, err
	}
	if err := s.trainL.Restore(ck.TrainLoader); err != nil {
		return nil, fmt.Errorf("darts: checkpoint does not fit this data set: %w", err)
	}
	if err := s.valL.Restore(ck.ValLoader); err != nil {
		return nil, fmt.Errorf("darts: checkpoint does not fit this data set: %w", err)
	}
	if err := s.rng.UnmarshalBinary(ck.RNG); err != nil {
		return nil, fmt.Errorf("darts: checkpoint RNG: %w", err)
	}
	s.step, s.epoch, s.alphaNext, s.epochPending = ck.Step, ck.Epoch, ck.AlphaNext, ck.EpochPending
	s.epochLoss, s.epochAcc, s.epochN = ck.EpochLoss, ck.EpochAcc, ck.EpochN
	s.elapsedPrev = ck.Elapsed
	s.epochs = append([]search.Event(nil), ck.Epochs...)
	if len(ck.PendingX) > 0 {
		n := copy(s.xTrain, ck.PendingX)
		copy(s.yTrain, ck.PendingY)
		s.xt = tensor.FromData(s.xTrain[:n], ck.PendingShape...)
		s.yt = s.yTrain[:len(ck.PendingY)]
	} else if !s.alphaNext {
		return nil, errors.New("darts: checkpoint stopped between halves without the pending batch")
	}
	s.done = s.epoch >= s.cfg.Epochs
	return s, nil
}

// WriteCheckpoint encodes ck (magic, version, gob).
func WriteCheckpoint(w io.Writer, ck *Checkpoint) error {
	bw := bufio.NewWriter(w)
	if _, err := fmt.Fprintf(bw, "%s %d\n", checkpointMagic, checkpointVersion); err != nil {
		return err
	}
	if err := gob.NewEncoder(bw).Encode(ck); err != nil {
		return err
	}
	return bw.Flush()
}

// ReadCheckpoint decodes a checkpoint written by WriteCheckpoint.
func ReadCheckpoint(r io.Reader) (*Checkpoint, error) {
	br := bufio.NewReader(r)
	var magic string
	var version int
	if _, err := fmt.Fscanf(br, "%s %d\n", &magic, &version); err != nil || magic != checkpointMagic {
		return nil, errors.New("darts: not a NAS Playground DARTS checkpoint (bad header)")
	}
	if version != checkpointVersion {
		return nil, fmt.Errorf("darts: checkpoint version %d, this build reads %d", version, checkpointVersion)
	}
	ck := new(Checkpoint)
	if err := gob.NewDecoder(br).Decode(ck); err != nil {
		return nil, fmt.Errorf("darts: checkpoint is truncated or corrupt: %w", err)
	}
	return ck, nil
}
