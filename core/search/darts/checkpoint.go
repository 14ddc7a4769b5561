package darts

import (
	"errors"
	"fmt"
	"time"

	"github.com/nasplayground/nas/core/data"
	"github.com/nasplayground/nas/core/optim"
	"github.com/nasplayground/nas/core/search"
	"github.com/nasplayground/nas/core/state"
	"github.com/nasplayground/nas/core/tensor"
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

// Checkpoint captures the search state.
func (s *Search) Checkpoint() *Checkpoint {
	ck := &Checkpoint{Config: s.cfg, Weights: state.CopyValues(s.Net.Weights()), Alphas: state.CopyValues(s.Net.Alphas()),
		Buffers: state.CopyTensors(s.Net.Buffers()),
		SGD:     s.wOpt.State(), Adam: s.arch.Opt.State(), TrainLoader: s.trainL.State(), ValLoader: s.valL.State(),
		Step: s.step, Epoch: s.epoch, AlphaNext: s.alphaNext, EpochPending: s.epochPending,
		EpochLoss: s.epochLoss, EpochAcc: s.epochAcc, EpochN: s.epochN, Elapsed: s.Elapsed(),
		Epochs: append([]search.Event(nil), s.epochs...)}
	ck.RNG, _ = s.rng.MarshalBinary()
	if !s.alphaNext && s.xt != nil {
		ck.PendingX = append([]float32(nil), s.xt.Data...)
		ck.PendingY = append([]int32(nil), s.yt...)
		ck.PendingShape = append([]int(nil), s.xt.Shape...)
	}
	return ck
}

// Resume rebuilds a search from a checkpoint over the same data set.
func Resume(ck *Checkpoint, ds *data.Dataset) (*Search, error) {
	s, err := New(ck.Config, ds)
	if err != nil {
		return nil, err
	}
	return s, s.restore(ck)
}

// restore sets s, built by New with ck.Config, to the state of ck.
func (s *Search) restore(ck *Checkpoint) error {
	if err := state.Restore(state.Values(s.Net.Weights()), ck.Weights, "weight"); err != nil {
		return fmt.Errorf("darts: %w", err)
	}
	if err := state.Restore(state.Values(s.Net.Alphas()), ck.Alphas, "α"); err != nil {
		return fmt.Errorf("darts: %w", err)
	}
	if err := state.Restore(state.TensorData(s.Net.Buffers()), ck.Buffers, "BN buffer"); err != nil {
		return fmt.Errorf("darts: %w", err)
	}
	if err := s.wOpt.SetState(ck.SGD); err != nil {
		return err
	}
	if err := s.arch.Opt.SetState(ck.Adam); err != nil {
		return err
	}
	if err := s.trainL.Restore(ck.TrainLoader); err != nil {
		return fmt.Errorf("darts: checkpoint does not fit this data set: %w", err)
	}
	if err := s.valL.Restore(ck.ValLoader); err != nil {
		return fmt.Errorf("darts: checkpoint does not fit this data set: %w", err)
	}
	if err := s.rng.UnmarshalBinary(ck.RNG); err != nil {
		return fmt.Errorf("darts: checkpoint RNG: %w", err)
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
		return errors.New("darts: checkpoint stopped between halves without the pending batch")
	}
	s.done = s.epoch >= s.cfg.Epochs
	s.started = time.Now()
	return nil
}

// MarshalBinary encodes the search state (core/run's checkpoints); it refuses
// a state holding NaN or ±Inf (a *search.NonFiniteError).
func (s *Search) MarshalBinary() ([]byte, error) {
	ck := s.Checkpoint()
	return state.Marshal(ck, "darts: weight", ck.Weights, ck.Alphas, ck.Buffers)
}

// UnmarshalBinary restores a state saved by MarshalBinary into a search built
// by New with the same configuration and data set.
func (s *Search) UnmarshalBinary(b []byte) error {
	ck := new(Checkpoint)
	if err := state.Decode(b, "darts", ck); err != nil {
		return err
	}
	return s.restore(ck)
}
