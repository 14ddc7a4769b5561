package darts

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/data"
	"github.com/nasplayground/nas/core/nn"
	"github.com/nasplayground/nas/core/optim"
	"github.com/nasplayground/nas/core/search"
	"github.com/nasplayground/nas/core/tensor"
)

// Replica is one of Shards identical copies of a Search stepping data-parallel
// (the page runs one per Web Worker). Every replica is built from the same
// Config, data and seed, so every replica draws the same batches; replica k
// computes the gradient of images [k·n/Shards, (k+1)·n/Shards) of each batch
// only. A step is one or more rounds of
//
//	p_k := r_k.Partial()          // on every replica
//	sum := Σ_k p_k                // float64, k = 0, 1, …, in that order (Sum)
//	r_k.Apply(sum)                // on every replica, the same sum
//
// until Apply reports the step done. Each partial is the shard's share
// (n_k/n) of the batch-mean gradient, so the sum is the gradient of the whole
// batch, and since every replica then applies the same sum to the same state
// the replicas stay bit-identical: one data-parallel step is the single
// replica's step on the whole batch up to the order of float summation.
//
// BatchNorm: in training mode each shard normalises with its own batch
// statistics, as PyTorch DataParallel does (no cross-worker sync inside a
// forward pass, which would cost a round trip per BN layer). The gradient is
// then that of the mean of the shards' losses, each with its shard's
// statistics: exactly the single-replica gradient when Shards = 1 or when BN
// uses running statistics (FrozenBN), and otherwise a close, unbiased-in-mean
// estimate of it (ghost-batch normalisation). The running statistics are
// kept identical across replicas: each partial carries the shard's change of
// them weighted by n_k/n, so the running mean moves exactly as with the whole
// batch and the running variance by the shard variances' mean.
//
// Partial vector layout: the phase's gradients (α or w, leaf order), the BN
// running-statistics deltas (Buffers order), then loss·n_k/n and
// accuracy·n_k/n; an empty vector when the step needs no exchange (the
// end-of-epoch evaluation, which every replica computes alike).
type Replica struct {
	S             *Search
	Shard, Shards int
	// FrozenBN normalises with the running statistics (BN in evaluation mode)
	// during the search steps: the level at which the data-parallel step is
	// exact for any Shards (tests).
	FrozenBN bool

	phase   int       // 0 none; else the round of the step in progress
	kind    stepKind  // what the step in progress is
	t0      time.Time // start of the step in progress
	xv      *tensor.Tensor
	yv      []int32
	before  [][]float32 // running statistics at the start of the round
	out     []float32   // partial vector (reused)
	theta   [][]float32 // second order: w before unrolling
	dalpha  [][]float32 // second order: ∇α L_val(w′, α)
	v       [][]float32 // second order: ∇w′ L_val(w′, α)
	lossAcc [2]float64  // the exchanged loss and accuracy of the step
}

type stepKind int

const (
	kindAlpha1 stepKind = iota + 1 // first-order α half
	kindAlpha2                     // second-order α half (3 rounds)
	kindW                          // w half
	kindEpoch                      // end-of-epoch evaluation (no exchange)
)

// NewReplica builds replica shard of shards: New(cfg, ds) with the shard's
// part of every batch.
func NewReplica(cfg Config, ds *data.Dataset, shard, shards int) (*Replica, error) {
	if shards < 1 || shard < 0 || shard >= shards {
		return nil, fmt.Errorf("darts: replica %d of %d, want 0 <= shard < shards", shard, shards)
	}
	s, err := New(cfg, ds)
	if err != nil {
		return nil, err
	}
	return &Replica{S: s, Shard: shard, Shards: shards}, nil
}

// Done reports whether all epochs ran.
func (r *Replica) Done() bool { return r.S.Done() }

// span returns this replica's images [lo, hi) of a batch of n.
func (r *Replica) span(n int) (lo, hi int) {
	return r.Shard * n / r.Shards, (r.Shard + 1) * n / r.Shards
}

// shard returns this replica's part of batch x, y and its share n_k/n.
func (r *Replica) shard(x *tensor.Tensor, y []int32) (*tensor.Tensor, []int32, float32) {
	n := len(y)
	lo, hi := r.span(n)
	img := x.Len() / max(n, 1)
	sh := x.Shape
	return tensor.FromData(x.Data[lo*img:hi*img], hi-lo, sh[1], sh[2], sh[3]), y[lo:hi], float32(hi-lo) / float32(n)
}

func (r *Replica) lossFn(x *tensor.Tensor, y []int32, logits **autograd.Var) LossFn {
	return func(tp *autograd.Tape) *autograd.Var {
		l := r.S.Net.Forward(&nn.Ctx{Tape: tp, Training: !r.FrozenBN, RNG: r.S.rng}, autograd.Const(x))
		*logits = l
		return nn.CrossEntropy(tp, l, y)
	}
}

// Partial runs this replica's share of the current round (starting a step if
// none is in progress) and returns its partial vector. The slice is reused by
// the next call.
func (r *Replica) Partial() ([]float32, error) {
	s := r.S
	if s.done {
		return nil, errors.New("darts: search already done")
	}
	if r.phase == 0 {
		r.t0 = time.Now()
		r.phase = 1
		switch {
		case s.epochPending:
			r.kind = kindEpoch
		case s.alphaNext:
			r.kind = kindAlpha1
			if s.cfg.Order == 2 {
				r.kind = kindAlpha2
			}
			// As Step: this iteration's training batch first, then the validation batch.
			s.xt, s.yt = s.batch(s.trainL, s.xTrain, s.yTrain)
			r.xv, r.yv = s.batch(s.valL, s.xVal, s.yVal)
		default:
			r.kind = kindW
		}
	}
	if r.kind == kindEpoch {
		return r.out[:0], nil
	}
	r.saveStats()
	r.out = r.out[:0]
	var leaves []*autograd.Var
	var loss float64
	var acc float64
	var share float32
	switch {
	case r.kind == kindAlpha1:
		x, y, f := r.shard(r.xv, r.yv)
		share = f
		leaves = s.Net.Alphas()
		if s.cfg.AlphasOnly {
			setRequires(s.Net.Weights(), false)
		}
		loss, acc = r.grad(x, y, leaves)
		setRequires(s.Net.Weights(), true)
	case r.kind == kindW:
		x, y, f := r.shard(s.xt, s.yt)
		share = f
		leaves = s.Net.Weights()
		loss, acc = r.grad(x, y, leaves)
	case r.kind == kindAlpha2 && r.phase == 1: // ∇w L_train(w, α), α frozen
		x, y, f := r.shard(s.xt, s.yt)
		share = f
		r.theta = copyValues(r.theta, s.Net.Weights())
		leaves = s.Net.Weights()
		setRequires(s.Net.Alphas(), false)
		r.grad(x, y, leaves)
		setRequires(s.Net.Alphas(), true)
	case r.kind == kindAlpha2 && r.phase == 2: // at w′: ∇α L_val and ∇w′ L_val
		x, y, f := r.shard(r.xv, r.yv)
		share = f
		leaves = append(append([]*autograd.Var(nil), s.Net.Alphas()...), s.Net.Weights()...)
		loss, acc = r.grad(x, y, leaves)
	case r.kind == kindAlpha2 && r.phase == 3: // the shard's share of ∇²_{α,w} L_train · v
		x, y, f := r.shard(s.xt, s.yt)
		share = f
		var logits *autograd.Var
		var hv [][]float32
		if len(y) > 0 {
			hv = s.arch.HessianVectorProduct(s.tape, r.lossFn(x, y, &logits), r.v, 1e-2)
		}
		for i, a := range s.Net.Alphas() {
			for j := 0; j < a.Value.Len(); j++ {
				var g float32
				if hv != nil {
					g = hv[i][j] * f
				}
				r.out = append(r.out, g)
			}
		}
	}
	for _, l := range leaves {
		for _, g := range l.Grad.Data {
			r.out = append(r.out, g*share)
		}
	}
	for i, b := range s.Net.Buffers() {
		for j, v := range b.Data {
			r.out = append(r.out, (v-r.before[i][j])*share)
		}
	}
	r.out = append(r.out, float32(loss)*share, float32(acc)*share)
	s.tape.Reset()
	return r.out, nil
}

// grad backpropagates the shard's mean loss into leaves (zeroed first; zero
// gradients for an empty shard) and returns the loss and accuracy.
func (r *Replica) grad(x *tensor.Tensor, y []int32, leaves []*autograd.Var) (loss, acc float64) {
	if len(y) == 0 {
		autograd.ZeroGrads(leaves)
		for _, l := range leaves {
			l.GradBuf()
		}
		return 0, 0
	}
	var logits *autograd.Var
	loss, _ = gradOf(r.S.tape, r.lossFn(x, y, &logits), leaves)
	return loss, nn.Accuracy(logits.Value, y)
}

func (r *Replica) saveStats() {
	bufs := r.S.Net.Buffers()
	if r.before == nil {
		r.before = make([][]float32, len(bufs))
	}
	for i, b := range bufs {
		r.before[i] = append(r.before[i][:0], b.Data...)
	}
}

func copyValues(dst [][]float32, vs []*autograd.Var) [][]float32 {
	if dst == nil {
		dst = make([][]float32, len(vs))
	}
	for i, v := range vs {
		dst[i] = append(dst[i][:0], v.Value.Data...)
	}
	return dst
}

// Apply takes the sum of every replica's partial of the current round and
// applies it. When the step is complete it returns its event and true.
func (r *Replica) Apply(sum []float32) (search.Event, bool, error) {
	s := r.S
	if r.phase == 0 {
		return search.Event{}, false, errors.New("darts: Apply without Partial")
	}
	if r.kind == kindEpoch {
		r.phase = 0
		ev, err := s.endEpoch()
		return ev, true, err
	}
	rest, err := r.applyRound(sum)
	if err != nil {
		r.phase = 0
		return search.Event{}, false, err
	}
	if len(rest) != 2 {
		return search.Event{}, false, fmt.Errorf("darts: replica sum has %d values left over, want 2 (loss, accuracy)", len(rest))
	}
	if r.kind != kindAlpha2 || r.phase == 2 {
		r.lossAcc = [2]float64{float64(rest[0]), float64(rest[1])}
	}
	if r.kind == kindAlpha2 && r.phase < 3 {
		r.phase++
		return search.Event{}, false, nil
	}
	r.phase = 0
	return r.finish()
}

// applyRound consumes the round's gradients and statistics from sum and
// returns what is left (loss, accuracy).
func (r *Replica) applyRound(sum []float32) ([]float32, error) {
	s := r.S
	take := func(leaves []*autograd.Var) error {
		for _, l := range leaves {
			n := l.Value.Len()
			if len(sum) < n {
				return fmt.Errorf("darts: replica sum too short (%d values left, want ≥ %d)", len(sum), n)
			}
			copy(l.GradBuf().Data, sum[:n])
			sum = sum[n:]
		}
		return nil
	}
	switch {
	case r.kind == kindAlpha1:
		if err := take(s.Net.Alphas()); err != nil {
			return nil, err
		}
	case r.kind == kindW:
		if err := take(s.Net.Weights()); err != nil {
			return nil, err
		}
	case r.phase == 1:
		if err := take(s.Net.Weights()); err != nil {
			return nil, err
		}
	case r.phase == 2:
		if err := take(s.Net.Alphas()); err != nil {
			return nil, err
		}
		if err := take(s.Net.Weights()); err != nil {
			return nil, err
		}
	case r.phase == 3:
		if err := take(s.Net.Alphas()); err != nil { // η·H·v into α.Grad for now
			return nil, err
		}
	}
	if r.Shards > 1 { // with one shard the statistics are already the batch's
		for i, b := range s.Net.Buffers() {
			n := len(b.Data)
			if len(sum) < n {
				return nil, fmt.Errorf("darts: replica sum too short for the BN statistics")
			}
			for j := range b.Data {
				b.Data[j] = r.before[i][j] + sum[j]
			}
			sum = sum[n:]
		}
	} else {
		sum = sum[len(sum)-2:]
	}
	if r.kind == kindAlpha2 {
		r.unrolled()
	}
	return sum, nil
}

// unrolled does the per-round local work of the second-order α step (as
// Architect.StepSecondOrder, with the gradients summed over the replicas).
func (r *Replica) unrolled() {
	s := r.S
	a := s.arch
	w := s.Net.Weights()
	switch r.phase {
	case 1: // w′ = θ − η(μ·m + g + λθ)
		a.unroll(r.theta, s.lrAt(s.epoch), s.wOpt.MomentumBuffers())
	case 2: // keep dα and v, restore w = θ
		r.dalpha = copyGrads(r.dalpha, s.Net.Alphas())
		r.v = copyGrads(r.v, w)
		for i, wi := range w {
			copy(wi.Value.Data, r.theta[i])
		}
	case 3: // dα −= η·H·v, Adam step
		eta := float32(s.lrAt(s.epoch))
		for i, al := range s.Net.Alphas() {
			for j := range al.Grad.Data {
				al.Grad.Data[j] = r.dalpha[i][j] - eta*al.Grad.Data[j]
			}
		}
	}
}

func copyGrads(dst [][]float32, vs []*autograd.Var) [][]float32 {
	if dst == nil {
		dst = make([][]float32, len(vs))
	}
	for i, v := range vs {
		dst[i] = append(dst[i][:0], v.Grad.Data...)
	}
	return dst
}

// finish applies the optimiser step of the completed half and returns its
// event, as Step does.
func (r *Replica) finish() (search.Event, bool, error) {
	s := r.S
	lr := s.lrAt(s.epoch)
	ev := search.Event{Kind: search.KindStep, Method: "darts", Space: s.cfg.Ops, Epoch: s.epoch, LR: lr}
	loss, acc := r.lossAcc[0], r.lossAcc[1]
	if r.kind == kindW {
		if math.IsNaN(loss) || math.IsInf(loss, 0) {
			return ev, false, fmt.Errorf("darts: training loss is %v at epoch %d step %d (w step)", loss, s.epoch, s.step+1)
		}
		s.wOpt.SetLR(lr)
		optim.ClipGradNorm(s.Net.Weights(), s.cfg.GradClip)
		s.wOpt.Step()
		s.step++
		ev.Phase, ev.Step = search.PhaseWeights, s.step
		ev.TrainLoss, ev.TrainAcc = loss, acc
		ev.Images = len(s.yt)
		s.epochLoss += loss * float64(len(s.yt))
		s.epochAcc += acc * float64(len(s.yt))
		s.epochN += len(s.yt)
		s.alphaNext = true
		s.epochPending = s.trainL.Epoch() > s.epoch
	} else {
		if math.IsNaN(loss) || math.IsInf(loss, 0) {
			return ev, false, fmt.Errorf("darts: validation loss is %v at epoch %d step %d (α step)", loss, s.epoch, s.step+1)
		}
		s.arch.Opt.Step()
		ev.Phase, ev.Step = search.PhaseAlpha, s.step+1
		ev.ValLoss, ev.ValAcc = loss, acc
		ev.Images = len(r.yv)
		s.fillAlphas(&ev)
		s.alphaNext = false
	}
	s.tape.Reset()
	ev.StepSeconds = time.Since(r.t0).Seconds()
	ev.Elapsed = s.Elapsed()
	ev.ImagesPerSec = s.rate.add(ev.Images, ev.StepSeconds)
	s.record(ev)
	return ev, true, nil
}

// Sum adds partial vectors in float64, in the order given, and rounds once:
// what the page's coordinator does (wasm/static/coordinator.js).
func Sum(parts [][]float32) []float32 {
	if len(parts) == 0 {
		return nil
	}
	acc := make([]float64, len(parts[0]))
	for _, p := range parts {
		for i, v := range p {
			acc[i] += float64(v)
		}
	}
	out := make([]float32, len(acc))
	for i, v := range acc {
		out[i] = float32(v)
	}
	return out
}
