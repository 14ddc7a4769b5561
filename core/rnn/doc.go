// Package rnn is the recurrent cell of DARTS (Liu et al., ICLR 2019, §2.1 and
// Figure 6; quark0/darts rnn/model.py, model_search.py) and a word-level
// language model around it: embedding, the cell unrolled over time, a decoder
// tied to the embedding, softmax cross-entropy. Cell trains a fixed recurrent
// genotype; SearchCell is the continuous relaxation over the 5 recurrent ops.
// Its coarse ops (Embedding, Highway, Mean) record their own backward.
// Imports: core/autograd, core/nn, core/optim, core/tensor, core/genotype, core/data.
package rnn
