package train

import (
	"fmt"
	"time"

	"github.com/nasplayground/nas/core/data"
	"github.com/nasplayground/nas/core/optim"
	"github.com/nasplayground/nas/core/search"
	"github.com/nasplayground/nas/core/state"
)

// Checkpoint is everything a run needs to continue exactly where it stopped:
// weights (auxiliary head included), BN statistics, the SGD momentum, the
// loader's order and random state, the drop-path RNG and the position.
type Checkpoint struct {
	Config       Config
	Weights      [][]float32
	Buffers      [][]float32
	SGD          optim.SGDState
	Loader       data.LoaderState
	RNG          []byte
	Step, Epoch  int
	EpochPending bool
	EpochLoss    float64
	EpochAcc     float64
	EpochN       int
	Elapsed      float64
	Epochs       []search.Event
}

// Checkpoint captures the training state.
func (t *Trainer) Checkpoint() *Checkpoint {
	ck := &Checkpoint{Config: t.cfg, SGD: t.opt.State(), Loader: t.loader.State(),
		Step: t.step, Epoch: t.epoch, EpochPending: t.epochPending,
		EpochLoss: t.epochLoss, EpochAcc: t.epochAcc, EpochN: t.epochN, Elapsed: t.Elapsed(),
		Epochs: append([]search.Event(nil), t.epochs...), Weights: state.CopyValues(t.params), Buffers: state.CopyTensors(t.Net.Buffers())}
	ck.RNG, _ = t.rng.MarshalBinary()
	return ck
}

// Resume rebuilds a trainer from a checkpoint over the same data sets.
func Resume(ck *Checkpoint, trainSet, testSet *data.Dataset) (*Trainer, error) {
	t, err := New(ck.Config, trainSet, testSet)
	if err != nil {
		return nil, err
	}
	return t, t.restore(ck)
}

// restore sets t, built by New with ck.Config, to the state of ck.
func (t *Trainer) restore(ck *Checkpoint) error {
	if err := state.Restore(state.Values(t.params), ck.Weights, "weight"); err != nil {
		return fmt.Errorf("train: %w", err)
	}
	if err := state.Restore(state.TensorData(t.Net.Buffers()), ck.Buffers, "BN buffer"); err != nil {
		return fmt.Errorf("train: %w", err)
	}
	if err := t.opt.SetState(ck.SGD); err != nil {
		return err
	}
	if err := t.loader.Restore(ck.Loader); err != nil {
		return fmt.Errorf("train: checkpoint does not fit this data set: %w", err)
	}
	if err := t.rng.UnmarshalBinary(ck.RNG); err != nil {
		return fmt.Errorf("train: checkpoint RNG: %w", err)
	}
	t.step, t.epoch, t.epochPending = ck.Step, ck.Epoch, ck.EpochPending
	t.epochLoss, t.epochAcc, t.epochN = ck.EpochLoss, ck.EpochAcc, ck.EpochN
	t.elapsedPrev = ck.Elapsed
	t.started = time.Now()
	t.epochs = append([]search.Event(nil), ck.Epochs...)
	if len(t.epochs) > 0 {
		t.last = t.epochs[len(t.epochs)-1]
	}
	t.done = t.epoch >= t.cfg.Epochs
	return nil
}

// MarshalBinary encodes the training state (core/run's checkpoints); it
// refuses a state holding NaN or ±Inf (a *search.NonFiniteError).
func (t *Trainer) MarshalBinary() ([]byte, error) {
	ck := t.Checkpoint()
	return state.Marshal(ck, "train: weight", ck.Weights, ck.Buffers)
}

// UnmarshalBinary restores a state saved by MarshalBinary into a trainer
// built by New with the same configuration and data.
func (t *Trainer) UnmarshalBinary(b []byte) error {
	ck := new(Checkpoint)
	if err := state.Decode(b, "train", ck); err != nil {
		return err
	}
	return t.restore(ck)
}
