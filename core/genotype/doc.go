// Package genotype is the DARTS/NASNet search space as data: primitives in the
// reference order, cell edge indexing, genotypes that print and parse in the
// DARTS text format and in JSON, the published cells (NASNet, AmoebaNet,
// DARTS_V1, DARTS_V2), the derivation of a genotype from α, and cell diagrams.
//
// It mirrors quark0/darts cnn/genotypes.py and cnn/model_search.py genotype()
// (Liu et al., "DARTS: Differentiable Architecture Search", ICLR 2019). It imports
// only the standard library and golang.org/x/image (for PNG text and lines).
package genotype
