package child

import (
	"fmt"

	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/data"
	"github.com/nasplayground/nas/core/model"
	"github.com/nasplayground/nas/core/optim"
	"github.com/nasplayground/nas/core/search/sample"
	"github.com/nasplayground/nas/core/tensor"
)

// Stats describes the last evaluation (for events and logs).
type Stats struct {
	TrainLoss, TrainAcc float64 // last training minibatch (FromScratch) or the shared step's batch
	ValLoss, ValAcc     float64
	Images              int     // images trained and evaluated
	Steps               int     // minibatches trained
	LR                  float64 // learning rate of the (last) training step
}

// FromScratch trains every child from scratch: NetworkCIFAR of the sampled
// genotype (no auxiliary head, no drop path) for Config.Steps minibatches of
// the training half, then its validation accuracy (fraction) on the first
// ValImages images of the validation half is the reward. Child k (from 0)
// draws its weights and batches from seed Seed·1000003 + k, so a search
// replays for a seed.
type FromScratch struct {
	Cfg        Config
	Space      *sample.MicroSpace
	train, val *data.Dataset
	// Evaluated counts the children trained so far; it picks the next
	// child's seed (set it when resuming a search).
	Evaluated int
	Last      Stats
}

var _ sample.Evaluator = (*FromScratch)(nil)

// NewFromScratch splits ds (TrainPortion for training, the rest validates).
func NewFromScratch(cfg Config, ds *data.Dataset) (*FromScratch, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	sp, _, err := Space(cfg.Ops)
	if err != nil {
		return nil, err
	}
	train, val, err := split(ds, cfg.TrainPortion)
	if err != nil {
		return nil, err
	}
	if cfg.ValImages > 0 && cfg.ValImages < val.N {
		idx := make([]int, cfg.ValImages)
		for i := range idx {
			idx[i] = i
		}
		val = val.Subset(idx)
	}
	return &FromScratch{Cfg: cfg, Space: sp, train: train, val: val}, nil
}

// StepsPerChild returns the minibatches each child trains: Steps, capped at
// Epochs epochs of the training half when Epochs > 0.
func (f *FromScratch) StepsPerChild() int {
	perEpoch := (f.train.N + f.Cfg.Batch - 1) / f.Cfg.Batch
	switch {
	case f.Cfg.Steps == 0:
		return f.Cfg.Epochs * perEpoch
	case f.Cfg.Epochs == 0:
		return f.Cfg.Steps
	}
	return min(f.Cfg.Steps, f.Cfg.Epochs*perEpoch)
}

// Evaluate implements sample.Evaluator: it trains the child of choices with
// SGD (lr cosine from LR to 0 over the child's steps, momentum, weight decay,
// gradient clipping) and returns its validation accuracy.
func (f *FromScratch) Evaluate(choices []int) (float64, error) {
	g, err := f.Space.Genotype(choices)
	if err != nil {
		return 0, err
	}
	seed := f.Cfg.Seed*1000003 + uint64(f.Evaluated)
	rng := tensor.NewRNG(seed)
	net, err := model.NewEvalNet(model.EvalConfig{C: f.Cfg.C, Layers: f.Cfg.Layers, Classes: classes(f.train),
		InChannels: f.train.C, Genotype: g}, rng)
	if err != nil {
		return 0, fmt.Errorf("child %d: %w", f.Evaluated, err)
	}
	f.Evaluated++
	params := net.Params()
	opt := optim.NewSGD(params, f.Cfg.LR, f.Cfg.Momentum, f.Cfg.WeightDecay, false)
	steps := f.StepsPerChild()
	lrAt := optim.CosineLR(f.Cfg.LR, 0, steps)
	b := newBatcher(f.train, f.Cfg.Batch, true, f.Cfg.augment(), seed+1)
	tp := autograd.NewTape()
	st := Stats{}
	for k := range steps {
		opt.SetLR(lrAt(k))
		st.LR = lrAt(k)
		x, y := b.next()
		st.TrainLoss, st.TrainAcc, err = trainStep(tp, rng, opt, f.Cfg.GradClip, net.Logits, x, y)
		if err != nil {
			return 0, fmt.Errorf("child %d step %d: %w", f.Evaluated-1, k+1, err)
		}
		st.Images += len(y)
		st.Steps++
	}
	st.ValLoss, st.ValAcc = evaluateSet(tp, net.Logits, f.val, f.Cfg.Batch)
	st.Images += f.val.N
	f.Last = st
	return st.ValAcc, nil
}
