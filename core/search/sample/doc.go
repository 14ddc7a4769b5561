// Package sample is the discrete decision space shared by the sampling search
// strategies (REINFORCE, regularized evolution, random search, ENAS): a Space
// is a list of decisions with a number of choices each, an Evaluator turns a
// choice vector into a reward. It holds MicroSpace (the NASNet/ENAS micro
// cell search, Zoph et al. 2018, Pham et al. 2018), Uniform, Mutate (Real et
// al. 2019), Layout (the decisions by name, for events) and the Tracker every
// sampling searcher embeds (counters, best so far, elapsed time across
// resumes, its checkpoint state). The NB201 space is core/nb201.Space.
// Imports: stdlib, core/search, core/genotype.
package sample
