// Package pnas is Progressive Neural Architecture Search (Liu et al., "Progressive
// Neural Architecture Search", ECCV 2018): cells grow one block at a time; the
// beam of K cells of b blocks is evaluated, a surrogate (an ensemble of small
// MLPs, the paper's MLP-ensemble variant) is refit on every evaluated cell, each
// survivor is expanded by one block and the surrogate ranks the expansions; the
// top K form the next beam. Spaces: NB201 (a block is one non-none edge, looked
// up in the table) and the DARTS cell (a block is one node, children trained by
// core/search/child). Imports: stdlib, core/genotype, core/nb201, core/search/...
package pnas
