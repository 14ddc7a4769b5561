package darts

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

// Config is a DARTS search; DefaultConfig gives the paper's CIFAR-10 settings.
type Config struct {
	C, Layers, Steps int
	Batch, Epochs    int
	Order            int    // 1 (first order) or 2 (unrolled second order)
	Ops              string // "darts" | "nasnet"
	TrainPortion     float64

	LR, LRMin, Momentum, WeightDecay, GradClip float64
	ArchLR, ArchBeta1, ArchBeta2, ArchWD       float64
	AlphasOnly                                 bool // first-order α backward skips dL/dw

	Augment   bool // random crop (pad 4) + flip on both halves, as train_search.py
	Seed      uint64
	Threads   int // kernel workers; 0 = all cores (1 in wasm)
	History   int // step events kept for Snapshot (0 = 2000)
	EvalBatch int // batch size of the end-of-epoch validation pass (0 = Batch)
	// ValLimit caps the images of the end-of-epoch validation pass (0 = all).
	ValLimit int
}

// DefaultConfig returns the DARTS defaults: batch 64, SGD lr 0.025 cosine to
// 0.001, momentum 0.9, weight decay 3e-4, grad clip 5; α by Adam lr 3e-4,
// betas (0.5, 0.999), weight decay 1e-3; 50 epochs, C=16, 8 layers, 50/50 split.
func DefaultConfig() Config {
	return Config{C: 16, Layers: 8, Steps: 4, Batch: 64, Epochs: 50, Order: 1, Ops: "darts", TrainPortion: 0.5,
		LR: 0.025, LRMin: 0.001, Momentum: 0.9, WeightDecay: 3e-4, GradClip: 5,
		ArchLR: 3e-4, ArchBeta1: 0.5, ArchBeta2: 0.999, ArchWD: 1e-3, AlphasOnly: true, Augment: true}
}

// Validate reports the first bad field as a one-line error.
func (c Config) Validate() error {
	switch {
	case c.C < 2 || c.C%2 != 0:
		return fmt.Errorf("darts: C = %d, want an even number >= 2", c.C)
	case c.Layers < 3:
		return fmt.Errorf("darts: layers = %d, want >= 3", c.Layers)
	case c.Batch < 1:
		return fmt.Errorf("darts: batch = %d, want >= 1", c.Batch)
	case c.Epochs < 1:
		return fmt.Errorf("darts: epochs = %d, want >= 1", c.Epochs)
	case c.Order != 1 && c.Order != 2:
		return fmt.Errorf("darts: order = %d, want 1 or 2", c.Order)
	case c.TrainPortion <= 0 || c.TrainPortion >= 1:
		return fmt.Errorf("darts: train portion = %g, want in (0, 1)", c.TrainPortion)
	case c.LR <= 0 || c.ArchLR < 0:
		return fmt.Errorf("darts: learning rates lr=%g arch-lr=%g, want lr > 0 and arch-lr >= 0", c.LR, c.ArchLR)
	}
	if _, err := genotype.OpSet(c.Ops); err != nil {
		return err
	}
	return nil
}

// Prediction is one validation image with the network's current guess.
type Prediction struct {
	Image []uint8 // C×H×W as stored in the data set
	Label int
	Pred  int
	Probs []float64
}

// Search is the DARTS step machine. Each Step runs one half of an iteration:
// first α on a validation batch, then w on a training batch.
type Search struct {
	cfg        Config
	Net        *model.SearchNet
	ops        []genotype.Primitive
	train, val *data.Dataset
	trainL     *data.Loader
	valL       *data.Loader
	wOpt       *optim.SGD
	arch       *Architect
	tape       *autograd.Tape
	rng        *tensor.RNG
	lrAt       func(epoch int) float64

	xTrain, xVal []float32
	yTrain, yVal []int32

	step, epoch  int
	alphaNext    bool // the next Step is the α half
	epochPending bool // the training half wrapped: the next Step evaluates
	xt           *tensor.Tensor
	yt           []int32
	done         bool
	epochLoss    float64
	epochAcc     float64
	epochN       int
	started      time.Time
	elapsedPrev  float64 // elapsed seconds before a resume
	rate         rateMeter

	last    search.Event
	history []search.Event
	epochs  []search.Event
}

// New builds the supernet and the two halves of ds (train portion first, as
// train_search.py splits indices[:split] / indices[split:]).
func New(cfg Config, ds *data.Dataset) (*Search, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if ds == nil || ds.N < 2 {
		return nil, errors.New("darts: the training set needs at least 2 images")
	}
	if cfg.Threads > 0 {
		nn.SetThreads(cfg.Threads)
	}
	ops, _ := genotype.OpSet(cfg.Ops)
	mc := model.DefaultSearchConfig()
	mc.C, mc.Layers, mc.Steps, mc.Ops, mc.Classes, mc.InChannels = cfg.C, cfg.Layers, cfg.Steps, ops, len(ds.Classes), ds.C
	if mc.Classes == 0 {
		mc.Classes = 10
	}
	if mc.Steps == 0 {
		mc.Steps = 4
		cfg.Steps = 4
	}
	mc.Multiplier = mc.Steps
	rng := tensor.NewRNG(cfg.Seed)
	net, err := model.NewSearchNet(mc, rng)
	if err != nil {
		return nil, err
	}
	train, val := ds.Split(cfg.TrainPortion)
	if train.N == 0 || val.N == 0 {
		return nil, fmt.Errorf("darts: train portion %g of %d images leaves an empty half", cfg.TrainPortion, ds.N)
	}
	aug := data.Augment{}
	if cfg.Augment {
		aug = data.DARTSAugment
	}
	s := &Search{cfg: cfg, Net: net, ops: ops, train: train, val: val,
		trainL: data.NewLoader(train, cfg.Batch, true, aug, cfg.Seed+1),
		valL:   data.NewLoader(val, cfg.Batch, true, aug, cfg.Seed+2),
		tape:   autograd.NewTape(), rng: rng, alphaNext: true,
		lrAt: optim.CosineLR(cfg.LR, cfg.LRMin, cfg.Epochs)}
	s.wOpt = optim.NewSGD(net.Weights(), cfg.LR, cfg.Momentum, cfg.WeightDecay, false)
	s.arch = &Architect{Weights: net.Weights(), Alphas: net.Alphas(),
		Opt:            optim.NewAdam(net.Alphas(), cfg.ArchLR, cfg.ArchBeta1, cfg.ArchBeta2, 1e-8, cfg.ArchWD),
		WeightMomentum: cfg.Momentum, WeightDecay: cfg.WeightDecay, AlphasOnly: cfg.AlphasOnly}
	img := ds.C * ds.H * ds.W
	s.xTrain, s.xVal = make([]float32, cfg.Batch*img), make([]float32, cfg.Batch*img)
	s.yTrain, s.yVal = make([]int32, cfg.Batch), make([]int32, cfg.Batch)
	s.started = time.Now()
	return s, nil
}

// Config returns the configuration.
func (s *Search) Config() Config { return s.cfg }

// Done reports whether all epochs ran.
func (s *Search) Done() bool { return s.done }

// Epoch returns the current epoch (from 0).
func (s *Search) Epoch() int { return s.epoch }

// StepsPerEpoch returns the iterations (α half + w half) of one epoch: the
// minibatches of the training half.
func (s *Search) StepsPerEpoch() int { return s.trainL.BatchesPerEpoch() }

// SetArchLR changes the α learning rate (the page's slider).
func (s *Search) SetArchLR(lr float64) { s.arch.Opt.SetLR(lr); s.cfg.ArchLR = lr }

// SetOrder switches between first and second order (the page's switch).
func (s *Search) SetOrder(order int) error {
	if order != 1 && order != 2 {
		return fmt.Errorf("darts: order = %d, want 1 or 2", order)
	}
	s.cfg.Order = order
	return nil
}

// batch fills x, y from l, starting the next epoch of l when it wraps.
func (s *Search) batch(l *data.Loader, x []float32, y []int32) (*tensor.Tensor, []int32) {
	n := l.Next(x, y)
	if n == 0 {
		n = l.Next(x, y)
	}
	d := s.train
	return tensor.FromData(x[:n*d.C*d.H*d.W], n, d.C, d.H, d.W), y[:n]
}

func (s *Search) lossFn(x *tensor.Tensor, y []int32, logits **autograd.Var) LossFn {
	return func(tp *autograd.Tape) *autograd.Var {
		ctx := &nn.Ctx{Tape: tp, Training: true, RNG: s.rng}
		l := s.Net.Forward(ctx, autograd.Const(x))
		if logits != nil {
			*logits = l
		}
		return nn.CrossEntropy(tp, l, y)
	}
}

// Step runs one half of a DARTS iteration (α on a validation batch, then w
// on a training batch) and returns its event. After the last iteration of an
// epoch the next Step evaluates on the validation half and returns the epoch
// event.
func (s *Search) Step() (search.Event, error) {
	if s.done {
		return search.Event{}, errors.New("darts: search already done")
	}
	if s.epochPending {
		return s.endEpoch()
	}
	t0 := time.Now()
	lr := s.lrAt(s.epoch)
	ev := search.Event{Kind: search.KindStep, Method: "darts", Space: s.cfg.Ops, Epoch: s.epoch, LR: lr}
	if s.alphaNext {
		// The training batch of this iteration is drawn first: the second-order
		// α step unrolls w on it, and the w half then steps on it
		// (train_search.py: architect.step(input, target, input_search, ...)).
		s.xt, s.yt = s.batch(s.trainL, s.xTrain, s.yTrain)
		// α on a validation batch (train_search.py: next(iter(valid_queue)))
		xv, yv := s.batch(s.valL, s.xVal, s.yVal)
		// The accuracy is taken right after the validation forward: the
		// second-order step records more passes on the tape afterwards, which
		// reuse the logits' memory.
		var logits *autograd.Var
		var loss, acc float64
		valFn := s.lossFn(xv, yv, &logits)
		val := func(tp *autograd.Tape) *autograd.Var {
			l := valFn(tp)
			acc = nn.Accuracy(logits.Value, yv)
			return l
		}
		if s.cfg.Order == 2 {
			loss = s.arch.StepSecondOrder(s.tape, s.lossFn(s.xt, s.yt, nil), val, lr, s.wOpt.MomentumBuffers())
		} else {
			loss = s.arch.StepFirstOrder(s.tape, val)
		}
		if err := s.checkFinite("validation loss", loss, s.arch.GradNorm, search.PhaseAlpha); err != nil {
			return ev, err
		}
		ev.Phase, ev.Step = search.PhaseAlpha, s.step+1
		ev.ValLoss, ev.ValAcc = loss, acc
		ev.Images = len(yv)
		s.fillAlphas(&ev)
		s.alphaNext = false
	} else {
		s.wOpt.SetLR(lr)
		var logits *autograd.Var
		loss, _ := gradOf(s.tape, s.lossFn(s.xt, s.yt, &logits), s.Net.Weights())
		// ClipGradNorm leaves non-finite gradients as they are; the update is
		// applied only when the loss and the gradient norm are finite.
		g := optim.ClipGradNorm(s.Net.Weights(), s.cfg.GradClip)
		if err := s.checkFinite("training loss", loss, g, search.PhaseWeights); err != nil {
			return ev, err
		}
		s.wOpt.Step()
		s.step++
		ev.Phase, ev.Step = search.PhaseWeights, s.step
		ev.TrainLoss, ev.TrainAcc = loss, nn.Accuracy(logits.Value, s.yt)
		ev.Images = len(s.yt)
		s.epochLoss += loss * float64(len(s.yt))
		s.epochAcc += ev.TrainAcc * float64(len(s.yt))
		s.epochN += len(s.yt)
		s.alphaNext = true
		s.epochPending = s.trainL.Epoch() > s.epoch
	}
	s.tape.Reset()
	ev.StepSeconds = time.Since(t0).Seconds()
	ev.Elapsed = s.Elapsed()
	ev.ImagesPerSec = s.rate.add(ev.Images, ev.StepSeconds)
	s.record(ev)
	return ev, nil
}

// checkFinite returns a *search.NonFiniteError when loss or the gradient
// norm of the step about to be applied is NaN or ±Inf.
func (s *Search) checkFinite(what string, loss, gradNorm float64, phase string) error {
	what, v := "darts: "+what, loss
	switch {
	case finite(loss) && finite(gradNorm):
		return nil
	case finite(loss):
		what, v = "darts: gradient norm of the "+phase+" step", gradNorm
	}
	s.tape.Reset()
	return &search.NonFiniteError{What: what, Value: v, Epoch: s.epoch, Step: s.step + 1, Phase: phase}
}

// Elapsed returns the seconds spent searching (across resumes).
func (s *Search) Elapsed() float64 { return s.elapsedPrev + time.Since(s.started).Seconds() }

func (s *Search) fillAlphas(ev *search.Event) {
	wn, wr := s.Net.OpWeights()
	// Derive before round (which rounds in place): the event's genotype is
	// then the one Genotype() returns, not one of rounded near-ties.
	if g, err := genotype.Derive(wn, wr, s.ops, s.cfg.Steps); err == nil {
		ev.Genotype = g.String()
		ev.Normal, ev.Reduce = search.Edges(g)
	}
	ev.AlphaNormal, ev.AlphaReduce = round(wn), round(wr)
	ev.Ops = make([]string, len(s.ops))
	for i, p := range s.ops {
		ev.Ops[i] = p.String()
	}
}

// round keeps 5 decimals so events.jsonl stays small.
func round(rows [][]float64) [][]float64 {
	for _, r := range rows {
		for j, v := range r {
			r[j] = math.Round(v*1e5) / 1e5
		}
	}
	return rows
}

func (s *Search) record(ev search.Event) {
	s.last = ev
	limit := s.cfg.History
	if limit == 0 {
		limit = 2000
	}
	if len(s.history) >= limit {
		copy(s.history, s.history[len(s.history)-limit+1:])
		s.history = s.history[:limit-1]
	}
	s.history = append(s.history, ev)
}

// endEpoch evaluates on the whole validation half (BN in eval mode, as
// train_search.py infer() does) and emits the epoch event.
func (s *Search) endEpoch() (search.Event, error) {
	vl, va := s.Evaluate(s.val, s.cfg.ValLimit)
	ev := search.Event{Kind: search.KindEpoch, Method: "darts", Space: s.cfg.Ops, Step: s.step, Epoch: s.epoch,
		LR: s.lrAt(s.epoch), ValLoss: vl, ValAcc: va, Elapsed: s.Elapsed()}
	if s.epochN > 0 {
		ev.TrainLoss, ev.TrainAcc = s.epochLoss/float64(s.epochN), s.epochAcc/float64(s.epochN)
	}
	s.fillAlphas(&ev)
	if g, err := s.Genotype(); err == nil {
		ev.Warning = genotype.Collapse(g)
	}
	ev.Classes = s.classes()
	s.epochs = append(s.epochs, ev)
	s.last = ev
	s.epoch++
	s.epochPending = false
	s.epochLoss, s.epochAcc, s.epochN = 0, 0, 0
	if s.epoch >= s.cfg.Epochs {
		s.done = true
	}
	return ev, nil
}

// Evaluate returns the mean loss and accuracy of the network on ds (BN with
// running statistics, no augmentation, nothing recorded), over at most limit
// images (0 = all).
func (s *Search) Evaluate(ds *data.Dataset, limit int) (loss, acc float64) {
	batch := s.cfg.EvalBatch
	if batch <= 0 {
		batch = s.cfg.Batch
	}
	return metric.Evaluate(s.Net.Forward, ds, batch, limit)
}

// classes returns the class names of the data set (nil when unnamed).
func (s *Search) classes() []string { return append([]string(nil), s.train.Classes...) }

// Predict returns the network's guesses for the first n validation images.
func (s *Search) Predict(n int) []Prediction {
	ds := s.val
	n = min(n, ds.N)
	if n == 0 {
		return nil
	}
	l := data.NewLoader(ds.Subset(seqInts(n)), n, false, data.Augment{}, 0)
	x := make([]float32, n*ds.C*ds.H*ds.W)
	y := make([]int32, n)
	l.Next(x, y)
	tp := autograd.NewTape()
	tp.SetNoGrad(true)
	logits := s.Net.Forward(&nn.Ctx{Tape: tp}, autograd.Const(tensor.FromData(x, n, ds.C, ds.H, ds.W)))
	k := logits.Dim(1)
	out := make([]Prediction, n)
	probs := make([]float32, k)
	for i := range out {
		row := logits.Data()[i*k : (i+1)*k]
		mx := row[nn.Argmax(row)]
		var sum float64
		for j, v := range row {
			probs[j] = float32(math.Exp(float64(v - mx)))
			sum += float64(probs[j])
		}
		p := make([]float64, k)
		for j := range p {
			p[j] = float64(probs[j]) / sum
		}
		out[i] = Prediction{Image: append([]uint8(nil), ds.Image(i)...), Label: int(y[i]), Pred: nn.Argmax(row), Probs: p}
	}
	return out
}

func seqInts(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// Snapshot returns copied plain data for a view.
func (s *Search) Snapshot() search.Snapshot {
	return search.Snapshot{Method: "darts", Space: s.cfg.Ops, Step: s.step, Epoch: s.epoch, Running: !s.done,
		Last: s.last, History: append([]search.Event(nil), s.history...), Epochs: append([]search.Event(nil), s.epochs...)}
}

// Genotype derives the current genotype.
func (s *Search) Genotype() (genotype.Genotype, error) { return s.Net.Genotype() }

// rateMeter is images/s over a sliding window of recent steps.
type rateMeter struct {
	imgs [32]int
	secs [32]float64
	i, n int
}

func (r *rateMeter) add(images int, secs float64) float64 {
	r.imgs[r.i], r.secs[r.i] = images, secs
	r.i = (r.i + 1) % len(r.imgs)
	r.n = min(r.n+1, len(r.imgs))
	var im, sc float64
	for k := 0; k < r.n; k++ {
		im += float64(r.imgs[k])
		sc += r.secs[k]
	}
	if sc == 0 {
		return 0
	}
	return im / sc
}
