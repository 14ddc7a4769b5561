// Package darts is DARTS (Liu, Simonyan, Yang, "DARTS: Differentiable
// Architecture Search", ICLR 2019) as a step machine: the bilevel problem
// min_α L_val(w*(α), α) s.t. w* = argmin_w L_train(w, α), stepped alternately
// (α on a validation batch, then w on a training batch), first order or with
// the unrolled second-order gradient (eq. 7-8, finite-difference Hessian-vector
// product). Mirrors quark0/darts cnn/train_search.py and architect.py.
// Non-finite losses or gradients stop a step before its update
// (search.NonFiniteError). Imports: core/model, nn, optim, data, genotype,
// metric, state, search (never core/train or core/internal).
package darts
