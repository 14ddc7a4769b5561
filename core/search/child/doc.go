// Package child evaluates sampled cells of the DARTS micro space on real
// images: FromScratch trains each child network for a small budget (Zoph &
// Le, ICLR 2017: the reward is the child's validation accuracy) and Shared
// steps one supernet whose weights all children share (ENAS, Pham et al.,
// ICML 2018 §2.2: the reward is the accuracy on one validation minibatch).
// It imports core/data, core/model, core/nn, core/optim and core/search/sample.
package child
