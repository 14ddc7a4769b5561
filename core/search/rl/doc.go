// Package rl is the reinforcement-learning NAS of Zoph & Le (ICLR 2017) as a
// search.Searcher: a one-layer LSTM controller samples the decisions of a
// sample.Space one by one and is trained with REINFORCE (moving-average baseline,
// entropy bonus, Adam). The LSTM forward and BPTT backward are written out by
// hand in float64; temperature and tanh logit clipping follow ENAS (Pham et al.,
// ICML 2018). Imports: stdlib, core/search, core/search/sample.
package rl
