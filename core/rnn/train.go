package rnn

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/data"
	"github.com/nasplayground/nas/core/optim"
	"github.com/nasplayground/nas/core/tensor"
)

// Corpus is word-level text as ids of one vocabulary.
type Corpus struct {
	Vocab       *data.Vocab
	Train, Eval []int32
	TrainName   string // which file trains, for reports
	EvalName    string // which file evaluates
}

// LoadPTB reads the Penn Treebank text in dir. Only the standard valid and
// test files exist there (see its README), so ptb.valid.txt (73,760 tokens)
// trains and ptb.test.txt (82,430 tokens) evaluates; the vocabulary is built
// from both files, as the fixed 10,000-word PTB vocabulary is known before
// training (7,595 of its words occur in them).
func LoadPTB(dir string) (*Corpus, error) {
	v := data.NewVocab()
	c := &Corpus{Vocab: v, TrainName: "ptb.valid.txt", EvalName: "ptb.test.txt"}
	var err error
	if c.Train, err = data.ReadTextFile(filepath.Join(dir, c.TrainName), v); err != nil {
		return nil, err
	}
	if c.Eval, err = data.ReadTextFile(filepath.Join(dir, c.EvalName), v); err != nil {
		return nil, err
	}
	return c, nil
}

// TrainConfig is the optimisation of a language model, after rnn/train.py and
// train_search.py: SGD on the weights with gradient clipping, truncated BPTT
// over parallel streams, and (search) Adam on α.
type TrainConfig struct {
	Batch, BPTT    int     // streams and unrolled steps per chunk
	LR, Clip, WD   float64 // SGD on the weights (reference: 20, 0.25, 5e-7 search / 8e-7 train)
	ArchLR, ArchWD float64 // Adam on α (reference: 3e-3, 1e-3), search only
	ArchPortion    float64 // search: the tail of the training tokens that steps α (validation for α)
}

// DefaultTrainConfig returns batch 32, BPTT 20, the reference's optimisers
// (lr 20, clip 0.25, weight decay 5e-7; α: Adam 3e-3, wd 1e-3) and a 20%
// α split.
func DefaultTrainConfig() TrainConfig {
	return TrainConfig{Batch: 32, BPTT: 20, LR: 20, Clip: 0.25, WD: 5e-7, ArchLR: 3e-3, ArchWD: 1e-3, ArchPortion: 0.2}
}

// stream is a batchified token stream read chunk by chunk.
type stream struct {
	ids   []int32 // time-major (T, B)
	steps int     // T
	pos   int     // next time step
	h     *tensor.Tensor
}

func newStream(ids []int32, batch, hidden int) *stream {
	b, t := data.Batchify(ids, batch)
	return &stream{ids: b, steps: t, h: tensor.New(batch, hidden)}
}

// next returns the inputs and targets of the next chunk of at most bptt steps;
// wrapped is true when the stream restarted (hidden state reset).
func (s *stream) next(bptt, batch int) (in, tg []int32, wrapped bool) {
	if s.pos+1 >= s.steps {
		s.pos, wrapped = 0, true
		clear(s.h.Data)
	}
	n := min(bptt, s.steps-1-s.pos)
	in = s.ids[s.pos*batch : (s.pos+n)*batch]
	tg = s.ids[(s.pos+1)*batch : (s.pos+1+n)*batch]
	s.pos += n
	return in, tg, wrapped
}

// Trainer trains a Model by truncated BPTT; for the search model each Step
// first takes one first-order DARTS step on α (a chunk of the α split), then
// one SGD step on the weights (a chunk of the weights' split).
type Trainer struct {
	M     *Model
	Cfg   TrainConfig
	Epoch int // passes over the weights' split
	Steps int

	train, arch *stream
	opt         *optim.SGD
	aopt        *optim.Adam
	tp          *autograd.Tape
}

// NewTrainer returns a trainer of m on the token ids; searching, the last
// ArchPortion of them step α.
func NewTrainer(m *Model, cfg TrainConfig, ids []int32) (*Trainer, error) {
	if cfg.Batch < 1 || cfg.BPTT < 1 || cfg.LR <= 0 || cfg.Clip < 0 || cfg.WD < 0 {
		return nil, fmt.Errorf("rnn: batch %d, bptt %d, lr %g, clip %g, wd %g: want batch, bptt >= 1, lr > 0, clip, wd >= 0", cfg.Batch, cfg.BPTT, cfg.LR, cfg.Clip, cfg.WD)
	}
	t := &Trainer{M: m, Cfg: cfg, tp: autograd.NewTape(), opt: optim.NewSGD(m.Params(), cfg.LR, 0, cfg.WD, false)}
	w := ids
	if m.Alpha != nil {
		if cfg.ArchPortion <= 0 || cfg.ArchPortion >= 1 || cfg.ArchLR <= 0 {
			return nil, fmt.Errorf("rnn: α portion %g, α lr %g: want a portion in (0, 1) and lr > 0", cfg.ArchPortion, cfg.ArchLR)
		}
		cut := int(float64(len(ids)) * (1 - cfg.ArchPortion))
		w = ids[:cut]
		t.arch = newStream(ids[cut:], cfg.Batch, m.Cfg.Hidden)
		t.aopt = optim.NewAdam([]*autograd.Var{m.Alpha}, cfg.ArchLR, 0.9, 0.999, 1e-8, cfg.ArchWD)
		if t.arch.steps < 2 {
			return nil, fmt.Errorf("rnn: %d α tokens for batch %d: too few", len(ids)-cut, cfg.Batch)
		}
	}
	t.train = newStream(w, cfg.Batch, m.Cfg.Hidden)
	if t.train.steps < 2 {
		return nil, fmt.Errorf("rnn: %d training tokens for batch %d: too few", len(w), cfg.Batch)
	}
	return t, nil
}

// StepsPerEpoch returns the chunks of one pass over the weights' split.
func (t *Trainer) StepsPerEpoch() int { return (t.train.steps - 1 + t.Cfg.BPTT - 1) / t.Cfg.BPTT }

// chunk runs forward and backward on the next chunk of s and carries its
// hidden state; it returns the loss.
func (t *Trainer) chunk(s *stream) (float64, error) {
	in, tg, _ := s.next(t.Cfg.BPTT, t.Cfg.Batch)
	t.tp.Reset()
	loss, h := t.M.Loss(t.tp, in, tg, t.Cfg.Batch, s.h)
	l := float64(loss.Value.Data[0])
	if math.IsNaN(l) || math.IsInf(l, 0) {
		t.tp.Reset()
		return l, fmt.Errorf("rnn: loss is %v at step %d", l, t.Steps+1)
	}
	copy(s.h.Data, h.Value.Data)
	t.tp.Backward(loss)
	return l, nil
}

// Step takes one training step and returns the weights' training loss.
func (t *Trainer) Step() (float64, error) {
	if t.arch != nil {
		for _, p := range t.M.Params() {
			p.SetRequiresGrad(false)
		}
		t.M.Alpha.Grad = nil
		_, err := t.chunk(t.arch)
		for _, p := range t.M.Params() {
			p.SetRequiresGrad(true)
		}
		if err != nil {
			return 0, err
		}
		t.aopt.Step()
		t.tp.Reset()
	}
	if t.train.pos+1 >= t.train.steps {
		t.Epoch++
	}
	for _, p := range t.M.Params() {
		p.Grad = nil
	}
	if t.M.Alpha != nil {
		t.M.Alpha.SetRequiresGrad(false)
		defer t.M.Alpha.SetRequiresGrad(true)
	}
	l, err := t.chunk(t.train)
	if err != nil {
		return l, err
	}
	if t.Cfg.Clip > 0 {
		optim.ClipGradNorm(t.M.Params(), t.Cfg.Clip)
	}
	t.opt.Step()
	t.tp.Reset()
	t.Steps++
	return l, nil
}

// Perplexity returns exp of the mean cross-entropy of the model on ids, read
// as batch streams in chunks of bptt with nothing recorded.
func (t *Trainer) Perplexity(ids []int32, batch int) float64 {
	s := newStream(ids, batch, t.M.Cfg.Hidden)
	t.tp.SetNoGrad(true)
	defer t.tp.SetNoGrad(false)
	total, n := 0.0, 0
	for s.pos+1 < s.steps {
		in, tg, _ := s.next(t.Cfg.BPTT, batch)
		t.tp.Reset()
		loss, h := t.M.Loss(t.tp, in, tg, batch, s.h)
		copy(s.h.Data, h.Value.Data)
		total += float64(loss.Value.Data[0]) * float64(len(tg))
		n += len(tg)
	}
	t.tp.Reset()
	return math.Exp(total / float64(n))
}

// WriteToyPTB writes a tiny corpus in the PTB layout into dir (two sentences
// repeated 40 times in ptb.valid.txt and ptb.test.txt), for tests and demos
// of the recurrent cell that must not depend on the real text.
func WriteToyPTB(dir string) error {
	text := strings.Repeat("the cat sat on the mat\na dog ran to the cat\n", 40)
	for _, name := range []string{"ptb.valid.txt", "ptb.test.txt"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			return fmt.Errorf("rnn: %w", err)
		}
	}
	return nil
}
