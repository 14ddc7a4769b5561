// Package sample is the discrete decision space shared by the sampling search
// strategies (REINFORCE, regularized evolution, random search): a Space is a
// list of decisions with a number of choices each, an Evaluator turns a choice
// vector into a reward. It holds DARTSMicroSpace (the NASNet/ENAS micro cell
// search, Zoph et al. 2018, Pham et al. 2018), Uniform, Mutate (Real et al.
// 2019) and the bookkeeping the searchers share. Imports: stdlib, core/search.
package sample
