// Package lecture is the logic of the page's lecture scene: its eight steps,
// the i18n keys of their texts, and what each step's widget computes from core
// data (a REINFORCE controller on the NAS-Bench-201 table, NAS-Bench-201 runs
// of three strategies, published cells laid out by core/genotype, the DARTS
// paper's Table 1). It imports no Ebiten, so it is tested natively; the
// drawing is in wasm/app. It may import core and wasm/i18n.
package lecture
