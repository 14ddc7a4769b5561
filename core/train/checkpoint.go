package train

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
)

// checkpointMagic starts every checkpoint file; the version follows it.
const (
	checkpointMagic   = "NASPLAYGROUND-TRAIN-CKPT"
	checkpointVersion = 1
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
		Epochs: append([]search.Event(nil), t.epochs...)}
	for _, p := range t.params {
		ck.Weights = append(ck.Weights, append([]float32(nil), p.Value.Data...))
	}
	for _, b := range t.Net.Buffers() {
		ck.Buffers = append(ck.Buffers, append([]float32(nil), b.Data...))
	}
	ck.RNG, _ = t.rng.MarshalBinary()
	return ck
}

func load(dst, src [][]float32, what string) error {
	if len(dst) != len(src) {
		return fmt.Errorf("train: checkpoint has %d %s tensors, the network %d", len(src), what, len(dst))
	}
	for i := range dst {
		if len(dst[i]) != len(src[i]) {
			return fmt.Errorf("train: checkpoint %s tensor %d has %d values, want %d", what, i, len(src[i]), len(dst[i]))
		}
	}
	for i := range dst {
		copy(dst[i], src[i])
	}
	return nil
}

// Resume rebuilds a trainer from a checkpoint over the same data sets.
func Resume(ck *Checkpoint, trainSet, testSet *data.Dataset) (*Trainer, error) {
	t, err := New(ck.Config, trainSet, testSet)
	if err != nil {
		return nil, err
	}
	if err := load(values(t.params), ck.Weights, "weight"); err != nil {
		return nil, err
	}
	bufs := t.Net.Buffers()
	bd := make([][]float32, len(bufs))
	for i, b := range bufs {
		bd[i] = b.Data
	}
	if err := load(bd, ck.Buffers, "BN buffer"); err != nil {
		return nil, err
	}
	if err := t.opt.SetState(ck.SGD); err != nil {
		return nil, err
	}
	if err := t.loader.Restore(ck.Loader); err != nil {
		return nil, fmt.Errorf("train: checkpoint does not fit this data set: %w", err)
	}
	if err := t.rng.UnmarshalBinary(ck.RNG); err != nil {
		return nil, fmt.Errorf("train: checkpoint RNG: %w", err)
	}
	t.step, t.epoch, t.epochPending = ck.Step, ck.Epoch, ck.EpochPending
	t.epochLoss, t.epochAcc, t.epochN = ck.EpochLoss, ck.EpochAcc, ck.EpochN
	t.elapsedPrev = ck.Elapsed
	t.epochs = append([]search.Event(nil), ck.Epochs...)
	if len(t.epochs) > 0 {
		t.last = t.epochs[len(t.epochs)-1]
	}
	t.done = t.epoch >= t.cfg.Epochs
	return t, nil
}

func values(vs []*autograd.Var) [][]float32 {
	out := make([][]float32, len(vs))
	for i, v := range vs {
		out[i] = v.Value.Data
	}
	return out
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
		return nil, errors.New("train: not a NAS Playground training checkpoint (bad header)")
	}
	if version != checkpointVersion {
		return nil, fmt.Errorf("train: checkpoint version %d, this build reads %d", version, checkpointVersion)
	}
	ck := new(Checkpoint)
	if err := gob.NewDecoder(br).Decode(ck); err != nil {
		return nil, fmt.Errorf("train: checkpoint is truncated or corrupt: %w", err)
	}
	return ck, nil
}
