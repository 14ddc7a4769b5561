package rl

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// ControllerConfig sizes the controller.
type ControllerConfig struct {
	Hidden      int     // LSTM size H (Zoph & Le: 35 per layer ×2; ENAS: 64); 100 by default
	Temperature float64 // logits are divided by it; 0 or 1 = off (ENAS macro: 5)
	TanhC       float64 // logits become C·tanh(logits); 0 = off (ENAS: 1.5 macro, 1.1 micro)
	InitRange   float64 // weights ~ U(-r, r); 0.1 by default (ENAS)
}

// Controller is a one-layer LSTM policy over a list of decisions.
//
// Step t (decision d=t with K_d choices):
//
//	x_0 = start, x_t = emb_{t-1}[a_{t-1}]                          x: (H)
//	z = Wx·x + Wh·h + b; i,f,o = σ(z_i,z_f,z_o); g = tanh(z_g)      z: (4H) gates in order i,f,g,o
//	c = f⊙c + i⊙g; h = o⊙tanh(c)
//	u = head_d·h + hb_d; l = C·tanh(u/T) (or u/T); p = softmax(l)   head_d: (K_d, H)
//
// All parameters live in one flat slice W (so Adam and saving are one loop).
type Controller struct {
	cfg ControllerConfig
	H   int
	Dec []int     // choices per decision
	W   []float64 // all parameters
	// Views into W.
	wx, wh, b, start []float64
	emb, head, hb    [][]float64
}

// NewController returns a controller for decisions dec, initialised from rng.
func NewController(dec []int, cfg ControllerConfig, rng *rand.Rand) *Controller {
	if cfg.Hidden <= 0 {
		cfg.Hidden = 100
	}
	if cfg.Temperature == 0 {
		cfg.Temperature = 1
	}
	if cfg.InitRange == 0 {
		cfg.InitRange = 0.1
	}
	H := cfg.Hidden
	n := 2*4*H*H + 4*H + H
	for _, k := range dec {
		n += 2*k*H + k
	}
	c := &Controller{cfg: cfg, H: H, Dec: append([]int(nil), dec...), W: make([]float64, n)}
	c.bind()
	for i := range c.W {
		c.W[i] = cfg.InitRange * (2*rng.Float64() - 1)
	}
	return c
}

// bind sets the views into W.
func (c *Controller) bind() {
	H, w := c.H, c.W
	take := func(n int) []float64 { s := w[:n:n]; w = w[n:]; return s }
	c.wx, c.wh, c.b, c.start = take(4*H*H), take(4*H*H), take(4*H), take(H)
	c.emb, c.head, c.hb = make([][]float64, len(c.Dec)), make([][]float64, len(c.Dec)), make([][]float64, len(c.Dec))
	for d, k := range c.Dec {
		c.emb[d], c.head[d], c.hb[d] = take(k*H), take(k*H), take(k)
	}
}

// Config returns the controller's configuration (defaults filled in).
func (c *Controller) Config() ControllerConfig { return c.cfg }

// stepCache holds what backward needs from one LSTM step.
type stepCache struct {
	x, hPrev, cPrev  []float64 // (H)
	i, f, g, o       []float64 // gates after activation (H)
	c, tc, h         []float64 // cell, tanh(cell), hidden (H)
	u, p, logp       []float64 // raw logits, probabilities, log-probabilities (K)
	entropy, logProb float64   // of this decision; logProb of the taken choice
}

// forward runs the controller over all decisions. With rng != nil it samples
// each choice into choices; otherwise it follows the given choices.
func (c *Controller) forward(choices []int, rng *rand.Rand) []stepCache {
	H := c.H
	cache := make([]stepCache, len(c.Dec))
	h, cell := make([]float64, H), make([]float64, H)
	x := c.start
	for t, k := range c.Dec {
		s := &cache[t]
		s.x, s.hPrev, s.cPrev = x, h, cell
		z := make([]float64, 4*H)
		copy(z, c.b)
		for r := range z {
			z[r] += dot(c.wx[r*H:(r+1)*H], x) + dot(c.wh[r*H:(r+1)*H], h)
		}
		s.i, s.f, s.g, s.o = make([]float64, H), make([]float64, H), make([]float64, H), make([]float64, H)
		s.c, s.tc, s.h = make([]float64, H), make([]float64, H), make([]float64, H)
		for j := range H {
			s.i[j], s.f[j] = sigmoid(z[j]), sigmoid(z[H+j])
			s.g[j], s.o[j] = math.Tanh(z[2*H+j]), sigmoid(z[3*H+j])
			s.c[j] = s.f[j]*cell[j] + s.i[j]*s.g[j]
			s.tc[j] = math.Tanh(s.c[j])
			s.h[j] = s.o[j] * s.tc[j]
		}
		h, cell = s.h, s.c
		s.u, s.p, s.logp = make([]float64, k), make([]float64, k), make([]float64, k)
		l := make([]float64, k)
		for a := range k {
			s.u[a] = dot(c.head[t][a*H:(a+1)*H], h) + c.hb[t][a]
			l[a] = c.clip(s.u[a])
		}
		logSoftmax(l, s.logp)
		for a := range k {
			s.p[a] = math.Exp(s.logp[a])
			s.entropy -= s.p[a] * s.logp[a]
		}
		if rng != nil {
			choices[t] = draw(s.p, rng)
		}
		s.logProb = s.logp[choices[t]]
		x = c.emb[t][choices[t]*H : (choices[t]+1)*H]
	}
	return cache
}

// clip maps a raw logit u to l = C·tanh(u/T), or u/T without clipping.
func (c *Controller) clip(u float64) float64 {
	if c.cfg.TanhC > 0 {
		return c.cfg.TanhC * math.Tanh(u/c.cfg.Temperature)
	}
	return u / c.cfg.Temperature
}

// dclip returns dl/du of clip.
func (c *Controller) dclip(u float64) float64 {
	if c.cfg.TanhC > 0 {
		th := math.Tanh(u / c.cfg.Temperature)
		return c.cfg.TanhC * (1 - th*th) / c.cfg.Temperature
	}
	return 1 / c.cfg.Temperature
}

// Sample draws one choice per decision. It returns the choices, the summed
// log-probability and entropy over the decisions, and each decision's
// distribution.
func (c *Controller) Sample(rng *rand.Rand) (choices []int, logProb, entropy float64, probs [][]float64) {
	choices = make([]int, len(c.Dec))
	cache := c.forward(choices, rng)
	logProb, entropy, probs = summarize(cache)
	return choices, logProb, entropy, probs
}

// LogProb returns Σ_t log p_t(choices_t), the same value Sample returned for
// these choices. It panics if choices does not fit the decisions.
func (c *Controller) LogProb(choices []int) float64 {
	c.check(choices)
	lp, _, _ := summarize(c.forward(choices, nil))
	return lp
}

func (c *Controller) check(choices []int) {
	if len(choices) != len(c.Dec) {
		panic(fmt.Sprintf("rl.Controller: %d choices, want %d", len(choices), len(c.Dec)))
	}
	for t, a := range choices {
		if a < 0 || a >= c.Dec[t] {
			panic(fmt.Sprintf("rl.Controller: choice %d of decision %d, want 0..%d", a, t, c.Dec[t]-1))
		}
	}
}

func summarize(cache []stepCache) (logProb, entropy float64, probs [][]float64) {
	probs = make([][]float64, len(cache))
	for t := range cache {
		logProb += cache[t].logProb
		entropy += cache[t].entropy
		probs[t] = cache[t].p
	}
	return logProb, entropy, probs
}

// Loss returns the REINFORCE loss for one sample,
// L = -adv·Σ_t log p_t(a_t) - beta·Σ_t H_t, with adv = R - b held constant.
func (c *Controller) Loss(choices []int, adv, beta float64) float64 {
	c.check(choices)
	lp, ent, _ := summarize(c.forward(choices, nil))
	return -adv*lp - beta*ent
}

// Grad accumulates dL/dW of Loss into dW (len(W)) and returns the loss.
func (c *Controller) Grad(choices []int, adv, beta float64, dW []float64) float64 {
	c.check(choices)
	return c.backward(c.forward(choices, nil), choices, adv, beta, dW)
}

// backward accumulates dL/dW into dW from a forward cache of choices.
func (c *Controller) backward(cache []stepCache, choices []int, adv, beta float64, dW []float64) float64 {
	lp, ent, _ := summarize(cache)
	// Views into dW laid out as W.
	g := &Controller{H: c.H, Dec: c.Dec, W: dW}
	g.bind()
	H := c.H
	dh, dc := make([]float64, H), make([]float64, H) // from step t+1
	dz := make([]float64, 4*H)
	for t := len(c.Dec) - 1; t >= 0; t-- {
		s := &cache[t]
		// forward: L_t = -adv·logp[a] - beta·H_t with logp = logsoftmax(l)
		// dL/dl_j = adv·(p_j - [j=a]) + beta·p_j·(logp_j + H_t)
		for j, pj := range s.p {
			dl := adv*pj + beta*pj*(s.logp[j]+s.entropy)
			if j == choices[t] {
				dl -= adv
			}
			du := dl * c.dclip(s.u[j]) // forward: l = clip(u)
			// forward: u = head·h + hb
			g.hb[t][j] += du
			axpy(du, s.h, g.head[t][j*H:(j+1)*H])
			axpy(du, c.head[t][j*H:(j+1)*H], dh)
		}
		for j := range H {
			// forward: h = o⊙tanh(c), c = f⊙c_prev + i⊙g
			do := dh[j] * s.tc[j]
			dcj := dc[j] + dh[j]*s.o[j]*(1-s.tc[j]*s.tc[j])
			dz[j] = dcj * s.g[j] * s.i[j] * (1 - s.i[j])       // di·σ'
			dz[H+j] = dcj * s.cPrev[j] * s.f[j] * (1 - s.f[j]) // df·σ'
			dz[2*H+j] = dcj * s.i[j] * (1 - s.g[j]*s.g[j])     // dg·tanh'
			dz[3*H+j] = do * s.o[j] * (1 - s.o[j])             // do·σ'
			dc[j] = dcj * s.f[j]                               // dc_prev
		}
		// forward: z = Wx·x + Wh·h_prev + b
		dx := make([]float64, H)
		clear(dh)
		for r, dzr := range dz {
			if dzr == 0 {
				continue
			}
			g.b[r] += dzr
			axpy(dzr, s.x, g.wx[r*H:(r+1)*H])
			axpy(dzr, s.hPrev, g.wh[r*H:(r+1)*H])
			axpy(dzr, c.wx[r*H:(r+1)*H], dx)
			axpy(dzr, c.wh[r*H:(r+1)*H], dh) // dh_prev
		}
		if t == 0 {
			axpy(1, dx, g.start)
		} else {
			a := choices[t-1]
			axpy(1, dx, g.emb[t-1][a*H:(a+1)*H])
		}
	}
	return -adv*lp - beta*ent
}

func dot(a, b []float64) float64 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// axpy computes y += alpha·x.
func axpy(alpha float64, x, y []float64) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] += alpha * v
	}
}

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// logSoftmax writes log softmax(l) into out; it subtracts the max for stability.
func logSoftmax(l, out []float64) {
	m := math.Inf(-1)
	for _, v := range l {
		m = max(m, v)
	}
	var s float64
	for _, v := range l {
		s += math.Exp(v - m)
	}
	lse := m + math.Log(s)
	for i, v := range l {
		out[i] = v - lse
	}
}

// draw samples an index from the distribution p.
func draw(p []float64, rng *rand.Rand) int {
	r := rng.Float64()
	for i, v := range p {
		r -= v
		if r < 0 {
			return i
		}
	}
	return len(p) - 1
}
