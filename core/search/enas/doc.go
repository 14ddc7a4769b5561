// Package enas is Efficient NAS (Pham et al., ICML 2018) over the DARTS micro
// space: the REINFORCE controller of core/search/rl samples cells and one
// supernet shares its weights among them (child.Shared). One Step trains the
// shared weights on one minibatch along the sampled path, scores the path on
// one validation minibatch and takes one controller step.
// It imports core/data, core/search, core/search/child and core/search/rl.
package enas
