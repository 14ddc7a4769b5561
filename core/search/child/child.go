package child

import (
	"errors"
	"fmt"
	"math"

	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/data"
	"github.com/nasplayground/nas/core/genotype"
	"github.com/nasplayground/nas/core/nn"
	"github.com/nasplayground/nas/core/optim"
	"github.com/nasplayground/nas/core/search/sample"
	"github.com/nasplayground/nas/core/tensor"
)

// Steps is the number of intermediate nodes per cell (DARTS).
const Steps = 4

// Config is the budget and the optimiser of a child (or of the shared
// supernet). DefaultConfig gives a child of a few seconds on the demo set.
type Config struct {
	Ops       string // op set: darts | nasnet (`none` is never sampled)
	C, Layers int
	Batch     int
	// Steps caps the minibatches per child; Epochs (over the training half)
	// applies when Steps is 0 or larger than Epochs epochs.
	Steps, Epochs int
	ValImages     int // validation images of a FromScratch reward (0 = the whole half)

	LR, Momentum, WeightDecay, GradClip float64
	Augment                             bool // DARTS crop + flip on the training half
	TrainPortion                        float64
	Seed                                uint64
}

// DefaultConfig returns C=8, 5 layers, batch 64, 50 steps (at most 1 epoch),
// 1000 validation images and the DARTS optimiser: SGD lr 0.025 cosine to 0,
// momentum 0.9, weight decay 3e-4, gradient clip 5, 50/50 split.
func DefaultConfig() Config {
	return Config{Ops: "darts", C: 8, Layers: 5, Batch: 64, Steps: 50, Epochs: 1, ValImages: 1000,
		LR: 0.025, Momentum: 0.9, WeightDecay: 3e-4, GradClip: 5, Augment: true, TrainPortion: 0.5}
}

// Validate reports the first bad field as a one-line error.
func (c Config) Validate() error {
	switch {
	case c.C < 2 || c.C%2 != 0:
		return fmt.Errorf("child: C = %d, want an even number >= 2", c.C)
	case c.Layers < 3:
		return fmt.Errorf("child: layers = %d, want >= 3", c.Layers)
	case c.Batch < 1:
		return fmt.Errorf("child: batch = %d, want >= 1", c.Batch)
	case c.Steps < 0 || c.Epochs < 0 || c.Steps == 0 && c.Epochs == 0:
		return fmt.Errorf("child: steps = %d, epochs = %d, want >= 0 and not both 0", c.Steps, c.Epochs)
	case c.ValImages < 0:
		return fmt.Errorf("child: validation images = %d, want >= 0", c.ValImages)
	case c.LR <= 0 || c.Momentum < 0 || c.WeightDecay < 0:
		return fmt.Errorf("child: lr %g, momentum %g, weight decay %g: want lr > 0, the others >= 0", c.LR, c.Momentum, c.WeightDecay)
	case c.TrainPortion <= 0 || c.TrainPortion >= 1:
		return fmt.Errorf("child: train portion = %g, want in (0, 1)", c.TrainPortion)
	}
	_, err := genotype.OpSet(c.Ops)
	return err
}

// Space returns the micro space over the op set without `none` (4 nodes per
// cell, named after the op set), and the full op set (with `none` first, as
// the supernet holds it).
func Space(ops string) (*sample.MicroSpace, []genotype.Primitive, error) {
	set, err := genotype.OpSet(ops)
	if err != nil {
		return nil, nil, err
	}
	names := make([]string, 0, len(set))
	for _, p := range set {
		if p != genotype.None {
			names = append(names, p.String())
		}
	}
	sp := sample.DARTSMicroSpace(names, Steps)
	sp.Label = ops
	return sp, set, nil
}

// split returns the training and validation halves of ds.
func split(ds *data.Dataset, portion float64) (train, val *data.Dataset, err error) {
	if ds == nil || ds.N < 2 {
		return nil, nil, errors.New("child: the training set needs at least 2 images")
	}
	train, val = ds.Split(portion)
	if train.N == 0 || val.N == 0 {
		return nil, nil, fmt.Errorf("child: train portion %g of %d images leaves an empty half", portion, ds.N)
	}
	return train, val, nil
}

// classes returns the number of classes of ds (10 when it names none).
func classes(ds *data.Dataset) int {
	if len(ds.Classes) > 0 {
		return len(ds.Classes)
	}
	return 10
}

// batcher holds one loader and its minibatch buffers.
type batcher struct {
	l *data.Loader
	x []float32
	y []int32
}

func newBatcher(ds *data.Dataset, batch int, shuffle bool, aug data.Augment, seed uint64) *batcher {
	return &batcher{l: data.NewLoader(ds, batch, shuffle, aug, seed),
		x: make([]float32, batch*ds.ImageSize()), y: make([]int32, batch)}
}

// next returns the next minibatch, wrapping into the next epoch.
func (b *batcher) next() (*tensor.Tensor, []int32) {
	n := b.l.Next(b.x, b.y)
	if n == 0 {
		n = b.l.Next(b.x, b.y)
	}
	d := b.l.Dataset()
	return tensor.FromData(b.x[:n*d.ImageSize()], n, d.C, d.H, d.W), b.y[:n]
}

// forwardFn is a network's forward pass to logits.
type forwardFn func(ctx *nn.Ctx, x *autograd.Var) *autograd.Var

// trainStep takes one SGD step of forward on (x, y) with gradient clipping
// and returns the loss and accuracy before the step. Gradients are reset to
// nil first, so parameters off the path (weight sharing) get no gradient and
// SGD leaves them and their momentum alone, as torch skips p.grad is None.
func trainStep(tp *autograd.Tape, rng *tensor.RNG, opt *optim.SGD, clip float64, forward forwardFn, x *tensor.Tensor, y []int32) (loss, acc float64, err error) {
	for _, p := range opt.Params() {
		p.Grad = nil
	}
	tp.Reset()
	logits := forward(&nn.Ctx{Tape: tp, Training: true, RNG: rng}, autograd.Const(x))
	l := nn.CrossEntropy(tp, logits, y)
	loss = float64(l.Value.Data[0])
	if math.IsNaN(loss) || math.IsInf(loss, 0) {
		tp.Reset()
		return loss, 0, fmt.Errorf("child: training loss is %v", loss)
	}
	acc = nn.Accuracy(logits.Value, y)
	tp.Backward(l)
	if clip > 0 {
		optim.ClipGradNorm(opt.Params(), clip)
	}
	opt.Step()
	tp.Reset()
	return loss, acc, nil
}

// evaluate returns the mean loss and accuracy of forward on one batch with
// nothing recorded; BN uses the batch's statistics when batchStats, else the
// running ones.
func evaluate(tp *autograd.Tape, forward forwardFn, x *tensor.Tensor, y []int32, batchStats bool) (loss, acc float64) {
	tp.SetNoGrad(true)
	defer tp.SetNoGrad(false)
	tp.Reset()
	logits := forward(&nn.Ctx{Tape: tp, Training: batchStats}, autograd.Const(x))
	loss = float64(nn.CrossEntropy(tp, logits, y).Value.Data[0])
	acc = nn.Accuracy(logits.Value, y)
	tp.Reset()
	return loss, acc
}

// evaluateSet averages evaluate (running BN statistics) over ds in file order.
func evaluateSet(tp *autograd.Tape, forward forwardFn, ds *data.Dataset, batch int) (loss, acc float64) {
	b := newBatcher(ds, batch, false, data.Augment{}, 0)
	seen := 0
	for b.l.Epoch() == 0 {
		x, y := b.next()
		l, a := evaluate(tp, forward, x, y, false)
		loss += l * float64(len(y))
		acc += a * float64(len(y))
		seen += len(y)
	}
	return loss / float64(seen), acc / float64(seen)
}

// augment returns the training augmentation of cfg.
func (c Config) augment() data.Augment {
	if c.Augment {
		return data.DARTSAugment
	}
	return data.Augment{}
}
