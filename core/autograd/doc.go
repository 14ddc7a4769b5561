// Package autograd is reverse-mode differentiation on a tape (micrograd's idea,
// llm.c's discipline): every op records its backward closure next to its
// forward, backward closures accumulate (+=) into their inputs' gradients, and
// the tape reuses its buffers from one training step to the next. It imports
// core/tensor only; the ops themselves live in core/nn.
package autograd
