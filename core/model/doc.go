// Package model builds the networks of DARTS (Liu, Simonyan, Yang, ICLR 2019)
// from the search space in core/genotype: the candidate operations, the search
// supernet whose edges are mixed ops weighted by softmax(α) (mirrors
// quark0/darts cnn/model_search.py) and the evaluation network NetworkCIFAR
// built from a genotype, with auxiliary head and drop path (cnn/model.py).
// Imports: genotype, nn, autograd, tensor.
package model
