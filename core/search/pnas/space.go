package pnas

import (
	"fmt"

	"github.com/nasplayground/nas/core/genotype"
	"github.com/nasplayground/nas/core/nb201"
	"github.com/nasplayground/nas/core/search/sample"
)

// Space is a cell space grown block by block. A cell is a choice vector the
// space's Describe and an Evaluator understand; the empty cell is nil.
type Space interface {
	sample.Space
	// MaxBlocks is B, the number of blocks of the largest cells.
	MaxBlocks() int
	// Extend returns every cell with one more block than cell, in a fixed
	// order and without duplicates.
	Extend(cell []int) [][]int
	// Features encodes a cell of any size as a fixed-length vector for the surrogate.
	Features(cell []int) []float64
}

// NB201 is NAS-Bench-201 grown node by node from the output. A PNAS block is
// one new hidden state of the cell, the sum of transformed earlier states; in
// NB201 that is a node, and node 3 is the cell's output, so cells grow
// backwards from it (growing forward from node 1 would leave the output
// unconnected until the last level, every smaller cell reading the same zero
// output):
//   - 1 block: the output reads the input, 0→3 = op (4 cells; every other edge none);
//   - 2 blocks: node 2 joins between them, 0→2 and 2→3 not none (16 per parent);
//   - 3 blocks: node 1 joins, 0→1 not none and at least one of 1→2, 1→3
//     not none (4·24 = 96 per parent): the full NB201 cell.
//
// A node must be live (fed and read) when it joins, which is what makes a cell
// of b blocks a cell of b nodes. Choice vectors are nb201.Space's (op index
// per edge in Arch order 0→1, 0→2, 1→2, 0→3, 1→3, 2→3; none = 0).
type NB201 struct{ nb201.Space }

var _ Space = NB201{}

// NB201 edge indices in Arch order.
const (
	e01, e02, e12, e03, e13, e23 = 0, 1, 2, 3, 4, 5
)

// MaxBlocks implements Space: the 3 nodes.
func (NB201) MaxBlocks() int { return 3 }

// Extend implements Space.
func (NB201) Extend(cell []int) [][]int {
	var out [][]int
	with := func(set map[int]int) {
		c := make([]int, nb201.Edges)
		copy(c, cell)
		for e, o := range set {
			c[e] = o
		}
		out = append(out, c)
	}
	const first = int(nb201.None) + 1
	switch {
	case cell == nil:
		for o := first; o < nb201.NumOps; o++ {
			with(map[int]int{e03: o})
		}
	case cell[e02] == 0: // 1 block: add node 2
		for a := first; a < nb201.NumOps; a++ {
			for b := first; b < nb201.NumOps; b++ {
				with(map[int]int{e02: a, e23: b})
			}
		}
	case cell[e01] == 0: // 2 blocks: add node 1
		for a := first; a < nb201.NumOps; a++ {
			for b := range nb201.NumOps {
				for c := range nb201.NumOps {
					if b != 0 || c != 0 {
						with(map[int]int{e01: a, e12: b, e13: c})
					}
				}
			}
		}
	}
	return out
}

// Features implements Space: a one-hot of each edge's op (30 values).
func (NB201) Features(cell []int) []float64 {
	f := make([]float64, nb201.Edges*nb201.NumOps)
	for e, op := range cell {
		f[e*nb201.NumOps+op] = 1
	}
	return f
}

// Cells is the DARTS cell space grown node by node, as in PNAS: a block is one
// intermediate node, (input A, input B, op A, op B) with inputs among c_{k-2},
// c_{k-1} and the earlier nodes, its output the sum of the two ops. A cell of
// b blocks is 4·b choices in MicroSpace's per-node order; the reduction cell
// repeats the normal one (PNAS §3.1: one cell structure, stride 2 on the
// reduction cell's inputs). The two halves of a block are unordered, so
// Extend keeps (input A, op A) ≤ (input B, op B): 2+b inputs and n ops give
// m(m+1)/2 new blocks, m = (2+b)·n (105 one-block cells over the 7 DARTS ops
// without none).
type Cells struct {
	Ops    []string // candidate ops (genotype primitive names, no none)
	Blocks int      // B
}

var _ Space = Cells{}

// Name implements sample.Space.
func (Cells) Name() string { return "darts" }

// MaxBlocks implements Space.
func (c Cells) MaxBlocks() int { return c.Blocks }

// Decisions implements sample.Space: the decisions of a cell of B blocks.
func (c Cells) Decisions() []int {
	var d []int
	for i := range c.Blocks {
		d = append(d, i+2, i+2, len(c.Ops), len(c.Ops))
	}
	return d
}

// Valid implements sample.Space for cells of 1..B blocks.
func (c Cells) Valid(cell []int) error {
	if len(cell) == 0 || len(cell)%4 != 0 || len(cell) > 4*c.Blocks {
		return fmt.Errorf("darts: %d choices, want 4·b for 1 <= b <= %d", len(cell), c.Blocks)
	}
	return sample.CheckRange(Cells{Ops: c.Ops, Blocks: len(cell) / 4}, cell)
}

// DecisionLabels implements sample.Space.
func (c Cells) DecisionLabels() []string {
	var l []string
	for i := range c.Blocks {
		for _, w := range []string{"input A", "input B", "op A", "op B"} {
			l = append(l, fmt.Sprintf("block %d %s", i+1, w))
		}
	}
	return l
}

// ChoiceLabels implements sample.Space.
func (c Cells) ChoiceLabels(d int) []string {
	return sample.DARTSMicroSpace(c.Ops, c.Blocks).ChoiceLabels(d)
}

// micro returns the micro space of b-block cells and the choices of cell in
// it (the normal cell twice).
func (c Cells) micro(cell []int) (*sample.MicroSpace, []int) {
	return sample.DARTSMicroSpace(c.Ops, len(cell)/4), append(append([]int(nil), cell...), cell...)
}

// Genotype returns the DARTS genotype of cell: normal and reduction cells
// alike, every node concatenated (range(2, b+2)).
func (c Cells) Genotype(cell []int) (genotype.Genotype, error) {
	if err := c.Valid(cell); err != nil {
		return genotype.Genotype{}, err
	}
	sp, ch := c.micro(cell)
	return sp.Genotype(ch)
}

// Describe implements sample.Space: the genotype text.
func (c Cells) Describe(cell []int) string {
	sp, ch := c.micro(cell)
	return sp.Describe(ch)
}

// Extend implements Space.
func (c Cells) Extend(cell []int) [][]int {
	b, n := len(cell)/4, len(c.Ops)
	if b >= c.Blocks {
		return nil
	}
	m := (2 + b) * n // (input, op) halves, input-major
	var out [][]int
	for u := range m {
		for v := u; v < m; v++ {
			nc := append(append([]int(nil), cell...), u/n, v/n, u%n, v%n)
			out = append(out, nc)
		}
	}
	return out
}

// Features implements Space: per block slot, the counts of its (input, op)
// halves on a (B+1)×n grid; empty slots are zeros.
func (c Cells) Features(cell []int) []float64 {
	n, w := len(c.Ops), (c.Blocks+1)*len(c.Ops)
	f := make([]float64, c.Blocks*w)
	for i := 0; i+3 < len(cell); i += 4 {
		slot := f[i/4*w : (i/4+1)*w]
		slot[cell[i]*n+cell[i+2]]++
		slot[cell[i+1]*n+cell[i+3]]++
	}
	return f
}
