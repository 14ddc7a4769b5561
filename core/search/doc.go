// Package search defines what every search strategy shares: the Searcher step
// machine, the Event it emits after each bounded unit of work, and the Snapshot
// a view reads. Strategies live in sub-packages (darts, rl, evolution, random,
// nb201) and import this package; this package imports only the standard library.
//
// One event format serves the native JSONL log (`nas search --out`), the page's
// live scenes and the page's replay of a recorded search (DESIGN.md §6).
package search
