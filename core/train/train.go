package train

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/data"
	"github.com/nasplayground/nas/core/genotype"
	"github.com/nasplayground/nas/core/metric"
	"github.com/nasplayground/nas/core/model"
	"github.com/nasplayground/nas/core/nn"
	"github.com/nasplayground/nas/core/optim"
	"github.com/nasplayground/nas/core/search"
	"github.com/nasplayground/nas/core/tensor"
)

// Config is one training run of an evaluation network; DefaultConfig gives
// the settings of quark0/darts cnn/train.py.
type Config struct {
	Genotype  genotype.Genotype `json:"genotype"`
	C         int               `json:"C"`
	Layers    int               `json:"layers"`
	Auxiliary bool              `json:"auxiliary"`
	AuxWeight float64           `json:"auxiliary_weight"` // loss = CE(logits) + AuxWeight·CE(aux) when Auxiliary
	DropPath  float64           `json:"drop_path"`        // final drop-path probability; epoch e uses DropPath·e/Epochs
	Cutout    int               `json:"cutout"`           // cutout side after normalisation, 0 = off (train.py: 16 with --cutout)

	Epochs      int     `json:"epochs"`
	Batch       int     `json:"batch"`
	LR          float64 `json:"lr"`
	Momentum    float64 `json:"momentum"`
	WeightDecay float64 `json:"weight_decay"`
	GradClip    float64 `json:"grad_clip"` // <= 0: no clipping
	Seed        uint64  `json:"seed"`
	Threads     int     `json:"threads"`    // kernel workers; 0 = leave as is (all cores natively)
	EvalBatch   int     `json:"eval_batch"` // batch of the test pass (0 = Batch)
	TestLimit   int     `json:"test_limit"` // images of the test pass (0 = all)
	History     int     `json:"history"`    // step events kept for Snapshot (0 = 2000)
}

// DefaultConfig returns the train.py defaults: C=36, 20 layers, batch 96,
// 600 epochs, SGD lr 0.025 cosine to 0, momentum 0.9, weight decay 3e-4,
// grad clip 5, drop path 0.2, auxiliary weight 0.4 (auxiliary head and cutout
// are off unless asked for, as in train.py). Epoch e trains with
// CosineLR(LR, 0, Epochs)(e), so epoch 0 uses LR; train.py, which calls
// scheduler.step() before each epoch, uses the value of e+1 (negligible over 600
// epochs, but a 2-epoch run would spend its last epoch at lr 0).
func DefaultConfig() Config {
	return Config{C: 36, Layers: 20, AuxWeight: 0.4, DropPath: 0.2, Epochs: 600, Batch: 96,
		LR: 0.025, Momentum: 0.9, WeightDecay: 3e-4, GradClip: 5}
}

// Validate reports the first bad field as a one-line error.
func (c Config) Validate() error {
	switch {
	case c.C < 1:
		return fmt.Errorf("train: C = %d, want >= 1", c.C)
	case c.Layers < 3:
		return fmt.Errorf("train: layers = %d, want >= 3", c.Layers)
	case c.Batch < 1:
		return fmt.Errorf("train: batch = %d, want >= 1", c.Batch)
	case c.Epochs < 1:
		return fmt.Errorf("train: epochs = %d, want >= 1", c.Epochs)
	case c.LR < 0 || c.Momentum < 0 || c.WeightDecay < 0:
		return fmt.Errorf("train: lr %g, momentum %g, weight decay %g: want all >= 0", c.LR, c.Momentum, c.WeightDecay)
	case c.DropPath < 0 || c.DropPath >= 1:
		return fmt.Errorf("train: drop path = %g, want in [0, 1)", c.DropPath)
	case c.AuxWeight < 0:
		return fmt.Errorf("train: auxiliary weight = %g, want >= 0", c.AuxWeight)
	case c.Cutout < 0:
		return fmt.Errorf("train: cutout length = %d, want >= 0", c.Cutout)
	}
	return c.Genotype.Validate()
}

// Trainer is the training step machine. Each Step trains on one minibatch;
// after the last batch of an epoch the next Step evaluates on the test set
// and returns the KindEpoch event.
type Trainer struct {
	cfg         Config
	Net         *model.EvalNet
	train, test *data.Dataset
	loader      *data.Loader
	opt         *optim.SGD
	params      []*autograd.Var // AllParams: the auxiliary head is trained too
	tape        *autograd.Tape
	rng         *tensor.RNG
	lrAt        func(epoch int) float64
	x           []float32
	y           []int32

	step, epoch  int
	epochPending bool
	done         bool
	epochLoss    float64
	epochAcc     float64
	epochN       int
	images       int     // images trained on since New or Resume (for images/s)
	trainSecs    float64 // seconds in training steps since New or Resume (evaluation excluded)
	started      time.Time
	elapsedPrev  float64

	last    search.Event
	history []search.Event
	epochs  []search.Event
}

// New builds the evaluation network for cfg.Genotype with the channels and
// classes of trainSet.
func New(cfg Config, trainSet, testSet *data.Dataset) (*Trainer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if trainSet == nil || trainSet.N == 0 {
		return nil, errors.New("train: the training set is empty")
	}
	if testSet == nil || testSet.N == 0 {
		return nil, errors.New("train: the test set is empty")
	}
	if testSet.C != trainSet.C || testSet.H != trainSet.H || testSet.W != trainSet.W {
		return nil, fmt.Errorf("train: test images are %d×%d×%d, training images %d×%d×%d",
			testSet.C, testSet.H, testSet.W, trainSet.C, trainSet.H, trainSet.W)
	}
	if cfg.Auxiliary {
		if err := checkAuxSize(trainSet); err != nil {
			return nil, err
		}
	}
	if cfg.Threads > 0 {
		nn.SetThreads(cfg.Threads)
	}
	classes := len(trainSet.Classes)
	if classes == 0 {
		classes = 10
	}
	rng := tensor.NewRNG(cfg.Seed)
	net, err := model.NewEvalNet(model.EvalConfig{C: cfg.C, Layers: cfg.Layers, Classes: classes,
		InChannels: trainSet.C, Auxiliary: cfg.Auxiliary, Genotype: cfg.Genotype}, rng)
	if err != nil {
		return nil, err
	}
	aug := data.DARTSAugment
	aug.Cutout = cfg.Cutout
	t := &Trainer{cfg: cfg, Net: net, train: trainSet, test: testSet,
		loader: data.NewLoader(trainSet, cfg.Batch, true, aug, cfg.Seed+1),
		params: net.AllParams(), tape: autograd.NewTape(), rng: rng,
		lrAt: optim.CosineLR(cfg.LR, 0, cfg.Epochs),
		x:    make([]float32, cfg.Batch*trainSet.ImageSize()), y: make([]int32, cfg.Batch),
		started: time.Now()}
	t.opt = optim.NewSGD(t.params, cfg.LR, cfg.Momentum, cfg.WeightDecay, false)
	return t, nil
}

// checkAuxSize rejects image sizes that AuxiliaryHeadCIFAR cannot take: its
// 5×5/3 pool and 2×2 conv need an 8×8 to 10×10 input after the two
// reductions (CIFAR's 32×32 gives 8×8; 28×28 gives 7×7, which fails).
func checkAuxSize(d *data.Dataset) error {
	h, w := (d.H+3)/4, (d.W+3)/4
	if h < 8 || h > 10 || w < 8 || w > 10 {
		return fmt.Errorf("train: the auxiliary head needs images of 29×29 to 40×40 (32×32 as CIFAR-10), %s has %d×%d",
			d.Name, d.H, d.W)
	}
	return nil
}

// Config returns the configuration.
func (t *Trainer) Config() Config { return t.cfg }

// Done reports whether all epochs ran.
func (t *Trainer) Done() bool { return t.done }

// Epoch returns the current epoch (from 0).
func (t *Trainer) Epoch() int { return t.epoch }

// StepsPerEpoch returns the minibatches of one epoch.
func (t *Trainer) StepsPerEpoch() int { return t.loader.BatchesPerEpoch() }

// Elapsed returns the seconds spent training (across resumes).
func (t *Trainer) Elapsed() float64 { return t.elapsedPrev + time.Since(t.started).Seconds() }

// ImagesPerSec returns the training throughput since New or Resume: images
// trained on per second spent in training steps (test passes excluded).
func (t *Trainer) ImagesPerSec() float64 {
	if t.trainSecs == 0 {
		return 0
	}
	return float64(t.images) / t.trainSecs
}

// DropPathAt returns the drop-path probability of epoch e (train.py:
// drop_path_prob · epoch / epochs).
func (t *Trainer) DropPathAt(e int) float64 {
	return t.cfg.DropPath * float64(e) / float64(t.cfg.Epochs)
}

// Step trains on one minibatch, or evaluates on the test set when the
// previous Step finished an epoch.
func (t *Trainer) Step() (search.Event, error) {
	if t.done {
		return search.Event{}, errors.New("train: training already done")
	}
	if t.epochPending {
		return t.endEpoch(), nil
	}
	t0 := time.Now()
	lr := t.lrAt(t.epoch)
	t.opt.SetLR(lr)
	t.Net.DropPath = t.DropPathAt(t.epoch)
	n := t.loader.Next(t.x, t.y)
	d := t.train
	x := tensor.FromData(t.x[:n*d.ImageSize()], n, d.C, d.H, d.W)
	y := t.y[:n]

	autograd.ZeroGrads(t.params)
	t.tape.Reset()
	logits, loss := t.loss(x, y)
	lv := float64(loss.Value.Data[0])
	if math.IsNaN(lv) || math.IsInf(lv, 0) {
		return search.Event{}, &search.NonFiniteError{What: "train: training loss", Value: lv, Epoch: t.epoch, Step: t.step + 1, Phase: search.PhaseWeights}
	}
	t.tape.Backward(loss)
	// A finite loss can still have an overflowing gradient: its norm is
	// checked before the update (ClipGradNorm leaves non-finite ones alone).
	var g float64
	if t.cfg.GradClip > 0 {
		g = optim.ClipGradNorm(t.params, t.cfg.GradClip)
	} else {
		g = optim.GradNorm(t.params)
	}
	if math.IsNaN(g) || math.IsInf(g, 0) {
		t.tape.Reset()
		return search.Event{}, &search.NonFiniteError{What: "train: gradient norm", Value: g, Epoch: t.epoch, Step: t.step + 1, Phase: search.PhaseWeights}
	}
	t.opt.Step()
	acc := nn.Accuracy(logits.Value, y)
	t.tape.Reset()

	t.step++
	t.images += n
	t.epochLoss += lv * float64(n)
	t.epochAcc += acc * float64(n)
	t.epochN += n
	t.epochPending = t.loader.Epoch() > t.epoch
	secs := time.Since(t0).Seconds()
	t.trainSecs += secs
	ev := search.Event{Kind: search.KindStep, Method: "train", Phase: search.PhaseWeights, Step: t.step, Epoch: t.epoch,
		TrainLoss: lv, TrainAcc: acc, LR: lr, Images: n, StepSeconds: secs, Elapsed: t.Elapsed(), ImagesPerSec: t.ImagesPerSec()}
	t.record(ev)
	return ev, nil
}

// loss records the training loss of train.py on the tape:
// CE(logits) + AuxWeight·CE(aux) with the auxiliary head, CE(logits) without.
func (t *Trainer) loss(x *tensor.Tensor, y []int32) (logits, loss *autograd.Var) {
	ctx := &nn.Ctx{Tape: t.tape, Training: true, RNG: t.rng}
	logits, aux := t.Net.Forward(ctx, autograd.Const(x))
	loss = nn.CrossEntropy(t.tape, logits, y)
	if aux != nil {
		loss = addScaled(t.tape, loss, nn.CrossEntropy(t.tape, aux, y), t.cfg.AuxWeight)
	}
	return logits, loss
}

// addScaled returns a + w·b for scalars a, b (shape [1]).
func addScaled(tp *autograd.Tape, a, b *autograd.Var, w float64) *autograd.Var {
	y := tp.Alloc(1)
	y.Data[0] = a.Value.Data[0] + float32(w)*b.Value.Data[0]
	return tp.Record("AddScaled", y, func(dy *tensor.Tensor) {
		// forward: y = a + w·b  →  da += dy, db += w·dy
		a.GradBuf().Data[0] += dy.Data[0]
		b.GradBuf().Data[0] += float32(w) * dy.Data[0]
	}, a, b)
}

func (t *Trainer) record(ev search.Event) {
	t.last = ev
	limit := t.cfg.History
	if limit == 0 {
		limit = 2000
	}
	if len(t.history) >= limit {
		t.history = append(t.history[:0], t.history[len(t.history)-limit+1:]...)
	}
	t.history = append(t.history, ev)
}

// endEpoch evaluates on the test set (BN with running statistics, as
// train.py infer() after model.eval()) and returns the epoch event.
func (t *Trainer) endEpoch() search.Event {
	tl, ta := t.Evaluate(t.test, t.cfg.TestLimit)
	ev := search.Event{Kind: search.KindEpoch, Method: "train", Step: t.step, Epoch: t.epoch, LR: t.lrAt(t.epoch),
		ValLoss: tl, ValAcc: ta, Elapsed: t.Elapsed(), Genotype: t.cfg.Genotype.String()}
	if t.epochN > 0 {
		ev.TrainLoss, ev.TrainAcc = t.epochLoss/float64(t.epochN), t.epochAcc/float64(t.epochN)
	}
	ev.ImagesPerSec = t.ImagesPerSec()
	t.epochs = append(t.epochs, ev)
	t.last = ev
	t.epoch++
	t.epochPending = false
	t.epochLoss, t.epochAcc, t.epochN = 0, 0, 0
	t.done = t.epoch >= t.cfg.Epochs
	return ev
}

// Evaluate returns the mean loss and accuracy of the network on ds (BN with
// running statistics, no augmentation, no auxiliary head, nothing recorded)
// over at most limit images (0 = all).
func (t *Trainer) Evaluate(ds *data.Dataset, limit int) (loss, acc float64) {
	batch := t.cfg.EvalBatch
	if batch <= 0 {
		batch = t.cfg.Batch
	}
	return metric.Evaluate(t.Net.Logits, ds, batch, limit)
}

// Snapshot returns copied plain data for a view.
func (t *Trainer) Snapshot() search.Snapshot {
	return search.Snapshot{Method: "train", Step: t.step, Epoch: t.epoch, Running: !t.done, Last: t.last,
		History: append([]search.Event(nil), t.history...), Epochs: append([]search.Event(nil), t.epochs...)}
}
