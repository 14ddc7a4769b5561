// Package evolution is regularized (aging) evolution as a search.Searcher:
// tournament selection of size S from a population of P, mutation of one
// decision of the winner, and removal of the oldest individual.
// Reference: E. Real et al., "Regularized Evolution for Image Classifier
// Architecture Search" (AmoebaNet), AAAI 2019, Algorithm 1.
// Imports: stdlib, core/search, core/search/sample.
package evolution
