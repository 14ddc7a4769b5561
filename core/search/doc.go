// Package search defines what every search strategy shares: the Searcher step
// machine, the Event it emits after each bounded unit of work (with the
// derived cells as (from, to, op) edges, the data set's class names and a
// sampled space's decision layout, so a view draws without parsing text),
// the Snapshot a view reads, and NonFiniteError (a NaN/Inf loss or gradient
// found before the update). Strategies live in sub-packages (darts, rl, enas,
// evolution, random, pnas; child trains their children; sample is the
// discrete space); core/run builds and drives them. Imports: core/genotype
// and the standard library.
//
// One event format serves the native JSONL log (`nas search --out`), the page's
// live scenes and the page's replay of a recorded search (DESIGN.md §6).
package search
