// Package train trains a network built from a genotype from scratch, as
// quark0/darts cnn/train.py does (DARTS, Liu et al., ICLR 2019, §3.3): SGD with
// a cosine schedule, auxiliary head, drop path ramped over the epochs, cutout,
// test-set evaluation each epoch. The Trainer is a step machine like the
// searchers, with exact checkpoints (MarshalBinary, core/state). Imports: data,
// genotype, model, nn, optim, autograd, tensor, metric, state, search (for
// Event); no package under core/search imports it.
package train
