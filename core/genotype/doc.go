// Package genotype is the DARTS/NASNet search space as data: primitives in the
// reference order, cell edge indexing, genotypes that print and parse in the
// DARTS text format and in JSON, the published cells (NASNet, AmoebaNet,
// DARTS_V1, DARTS_V2) and recurrent cells (DARTS_RNN_V1/V2), the derivation of
// a genotype from α, the collapse warning and DARTS+ early stopping, and the
// Graphviz text of a cell (the drawings live in native/internal/draw).
//
// It mirrors quark0/darts cnn/genotypes.py, rnn/genotypes.py and
// cnn/model_search.py genotype() (Liu et al., "DARTS: Differentiable
// Architecture Search", ICLR 2019). It imports only the standard library.
package genotype
