package rnn

import (
	"fmt"

	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/genotype"
	"github.com/nasplayground/nas/core/nn"
	"github.com/nasplayground/nas/core/tensor"
)

// InitRange is the half-width of the uniform initialisation of every weight
// (rnn/model.py INITRANGE = 0.04).
const InitRange = 0.04

// Config sizes a language model. The reference ties the decoder to the
// embedding, so Embed must equal Hidden (rnn/model.py asserts ninp == nhid).
type Config struct {
	Vocab  int // V
	Hidden int // H = D, embedding and hidden size (850 in rnn/train.py, 300 in train_search.py)
	Steps  int // nodes of the cell (8)
}

// Validate reports the first bad field.
func (c Config) Validate() error {
	if c.Vocab < 2 || c.Hidden < 1 || c.Steps < 1 {
		return fmt.Errorf("rnn: vocab %d, hidden %d, steps %d: want vocab >= 2, hidden and steps >= 1", c.Vocab, c.Hidden, c.Steps)
	}
	return nil
}

// NumParams returns the weights of a model of c, closed form:
// V·H (embedding, tied to the decoder) + V (decoder bias) + 2H·2H (W0 over
// [x, h_{t−1}]) + Steps·H·2H (one projection per node).
func (c Config) NumParams() int {
	return c.Vocab*c.Hidden + c.Vocab + 2*c.Hidden*2*c.Hidden + c.Steps*c.Hidden*2*c.Hidden
}

// Model is rnn/model.py RNNModel with one DARTS cell: an embedding (V, H),
// the cell's input projection W0 (split as W0x and W0h, the rows of
// [x, h_{t−1}]·W0 for x and for h_{t−1}), one projection per node, and a
// decoder that reuses the embedding as its weight plus a bias (V).
// A Model with a nil Genotype is the search model: every node mixes every
// earlier state through every op, weighted by softmax(Alpha).
type Model struct {
	Cfg      Config
	Genotype *genotype.Recurrent

	Emb, DecB *autograd.Var   // (V, H), (V)
	W0x, W0h  *autograd.Var   // (2H, H) each
	Ws        []*autograd.Var // Steps × (2H, H)
	Alpha     *autograd.Var   // search only: (Steps(Steps+1)/2, 5)
	BN        []*nn.BNStats   // search only: affine-free batch norm statistics of s₀..s_Steps
}

func uniform(rng *tensor.RNG, name string, shape ...int) *autograd.Var {
	t := tensor.New(shape...)
	rng.Uniform(t, -InitRange, InitRange)
	return autograd.Param(t, name)
}

// New returns the model of the recurrent genotype g (cfg.Steps is set from
// g), or the search model when g is nil, weights drawn from rng.
func New(cfg Config, g *genotype.Recurrent, rng *tensor.RNG) (*Model, error) {
	if g != nil {
		if err := g.Validate(); err != nil {
			return nil, err
		}
		cfg.Steps = len(g.Nodes)
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	h := cfg.Hidden
	m := &Model{Cfg: cfg, Genotype: g,
		Emb: uniform(rng, "emb", cfg.Vocab, h), DecB: autograd.Param(tensor.New(cfg.Vocab), "dec.b"),
		W0x: uniform(rng, "W0x", 2*h, h), W0h: uniform(rng, "W0h", 2*h, h)}
	for i := range cfg.Steps {
		m.Ws = append(m.Ws, uniform(rng, fmt.Sprintf("W%d", i+1), 2*h, h))
	}
	if g == nil {
		a := tensor.New(Edges(cfg.Steps), len(genotype.RecurrentOps))
		rng.Normal(a, 0, 1e-3) // model_search.py: randn(k, ops)·1e-3
		m.Alpha = autograd.Param(a, "alpha")
		for range cfg.Steps + 1 {
			m.BN = append(m.BN, nn.NewBNStats(h))
		}
	}
	return m, nil
}

// Edges returns the edges of a search cell of steps nodes: node i reads states
// 0..i, Σ(i+1) = steps(steps+1)/2 (36 for 8 nodes).
func Edges(steps int) int { return steps * (steps + 1) / 2 }

// Params returns the weights (not Alpha).
func (m *Model) Params() []*autograd.Var {
	return append([]*autograd.Var{m.Emb, m.DecB, m.W0x, m.W0h}, m.Ws...)
}

// NumParams returns the number of weights, each tied tensor counted once as
// torch's model.parameters() does: V·H + V + 2H·2H + Steps·2H·H.
func (m *Model) NumParams() int {
	n := 0
	for _, p := range m.Params() {
		n += p.Value.Len()
	}
	return n
}

// Cell runs the cell for one time step: x (N, H) the embedded input, h (N, H)
// the previous hidden state; it returns h_t (N, H). probs is softmax(Alpha)
// for the search model (nil otherwise).
//
//	s₀ = h + σ(c̃₀)⊙(tanh(h̃₀) − h),  [c̃₀, h̃₀] = x·W0x + h·W0h
//	node i (fixed): s_{i+1} = Highway(s_j, s_j·W_i, f)  for its (f, j)
//	node i (search): s_{i+1} = Σ_{j≤i} Σ_{f≠none} p[j,f]·Highway(s_j, s_j·W_i, f)
//	h_t = mean of the concat states (1..Steps when searching)
//
// The search cell normalises s₀ and every node's sum with an affine-free
// batch norm (model_search.py DARTSCellSearch.bn): without it the sums over
// up to 8 inputs grow from node to node. It always normalises with the
// statistics of the current batch, in evaluation too: with running statistics
// the state of a barely trained cell grows without bound over time (measured
// on PTB at initialisation, H = 32: perplexity +Inf after 40 tokens). So the
// search model must be evaluated on batches of at least 2 streams.
func (m *Model) Cell(tp *autograd.Tape, x, h, probs *autograd.Var) *autograd.Var {
	ch0 := nn.Add(tp, nn.Linear(tp, x, m.W0x, nil), nn.Linear(tp, h, m.W0h, nil))
	states := []*autograd.Var{Highway(tp, h, ch0, genotype.Tanh)}
	if m.Genotype != nil {
		for i, e := range m.Genotype.Nodes {
			s := states[e.Input]
			states = append(states, Highway(tp, s, nn.Linear(tp, s, m.Ws[i], nil), e.Op))
		}
		var out []*autograd.Var
		for _, c := range m.Genotype.Concat {
			out = append(out, states[c])
		}
		return Mean(tp, out...)
	}
	states[0] = bn2(tp, states[0], m.BN[0], true)
	row := 0
	for i := range m.Cfg.Steps {
		var terms []*autograd.Var
		for j := range i + 1 {
			s := states[j]
			ch := nn.Linear(tp, s, m.Ws[i], nil)
			xs := make([]*autograd.Var, len(genotype.RecurrentOps)) // none stays nil: a zero term
			for k, f := range genotype.RecurrentOps {
				if f != genotype.ActNone {
					xs[k] = Highway(tp, s, ch, f)
				}
			}
			terms = append(terms, nn.WeightedSum(tp, probs, row, xs))
			row++
		}
		states = append(states, bn2(tp, nn.Add(tp, terms...), m.BN[i+1], true))
	}
	return Mean(tp, states[1:]...)
}

// Loss unrolls the model over a time-major chunk: inputs[t·B + b] is the word
// of stream b at time t, targets the next words; h0 (B, H) is the state
// carried from the previous chunk (not differentiated: truncated BPTT). It
// returns the mean cross-entropy over the T·B predictions and h_T.
func (m *Model) Loss(tp *autograd.Tape, inputs, targets []int32, batch int, h0 *tensor.Tensor) (loss, hT *autograd.Var) {
	tensor.Mustf(len(inputs) == len(targets) && len(inputs)%batch == 0, "rnn.Loss", "targets", []int{len(targets)}, "[%d] (inputs, a multiple of B=%d)", len(inputs), batch)
	var probs *autograd.Var
	if m.Alpha != nil {
		probs = nn.Softmax(tp, m.Alpha)
	}
	h := autograd.Const(h0)
	var losses []*autograd.Var
	for t := 0; t < len(inputs)/batch; t++ {
		x := Embedding(tp, m.Emb, inputs[t*batch:(t+1)*batch])
		h = m.Cell(tp, x, h, probs)
		logits := nn.Linear(tp, h, m.Emb, m.DecB) // decoder tied to the embedding
		losses = append(losses, nn.CrossEntropy(tp, logits, targets[t*batch:(t+1)*batch]))
	}
	return Mean(tp, losses...), h
}

// Derive returns the recurrent genotype of softmax(Alpha) (search model only).
func (m *Model) Derive() (genotype.Recurrent, error) {
	if m.Alpha == nil {
		return genotype.Recurrent{}, fmt.Errorf("rnn: Derive needs the search model")
	}
	k := len(genotype.RecurrentOps)
	rows := make([][]float64, m.Alpha.Dim(0))
	for e := range rows {
		rows[e] = make([]float64, k)
		for j := range k {
			rows[e][j] = float64(m.Alpha.Data()[e*k+j])
		}
	}
	return genotype.DeriveRecurrent(genotype.Softmax(rows), m.Cfg.Steps)
}
