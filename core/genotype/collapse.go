package genotype

import (
	"fmt"
	"slices"
	"sort"
)

// MaxSkips is the DARTS+ limit on skip_connect edges in the normal cell
// (Liang et al., "DARTS+: Improved Differentiable Architecture Search with
// Early Stopping", 2019, §3.2: stop when the normal cell has 2 of them).
const MaxSkips = 2

// Collapse returns a one-line warning when the normal cell of g shows the
// skip-connect collapse of DARTS (Zela et al., ICLR 2020; DARTS+ §3): at least
// MaxSkips skip_connect edges, or parameter-free ops (pools, identity) on more
// than half of its edges. It returns "" for a healthy cell.
func Collapse(g Genotype) string {
	skips, free := 0, 0
	for _, e := range g.Normal {
		if e.Op == SkipConnect {
			skips++
		}
		if e.Op.ParamFree(1) {
			free++
		}
	}
	switch {
	case skips >= MaxSkips:
		return fmt.Sprintf("collapse: the normal cell has %d of %d edges skip_connect (DARTS+ stops at %d): parameter-free ops are taking over; stop the search earlier (DARTS+ early stopping) or regularise it", skips, len(g.Normal), MaxSkips)
	case 2*free > len(g.Normal):
		return fmt.Sprintf("collapse: %d of %d normal-cell edges are parameter-free (pools, skip_connect): the cell will train poorly; stop the search earlier (DARTS+ early stopping) or regularise it", free, len(g.Normal))
	}
	return ""
}

// EarlyStop is the DARTS+ stopping rule, fed once per search epoch: stop when
// the derived normal cell has MaxSkips skip_connect edges (criterion 1), or
// when the ranking of α over the learnable ops of every edge of both cells
// has not changed for Patience epochs (criterion 2; Patience 0 disables it).
type EarlyStop struct {
	Ops      []Primitive // column order of α
	Patience int

	last   [][]int // learnable ops' column ranking per edge, normal then reduce
	Stable int     // epochs in a row with an unchanged ranking
}

// Observe takes the epoch's raw α (rows per edge, columns in Ops order) and
// reports whether to stop, with the reason (one line) and the derived genotype.
func (s *EarlyStop) Observe(alphaNormal, alphaReduce [][]float64) (stop bool, reason string, g Genotype, err error) {
	g, err = DeriveFromAlpha(alphaNormal, alphaReduce, s.Ops)
	if err != nil {
		return false, "", g, err
	}
	skips := 0
	for _, e := range g.Normal {
		if e.Op == SkipConnect {
			skips++
		}
	}
	if skips >= MaxSkips {
		return true, fmt.Sprintf("early stop (DARTS+ criterion 1): the normal cell has %d skip_connect edges", skips), g, nil
	}
	rank := append(s.ranking(alphaNormal), s.ranking(alphaReduce)...)
	if s.last != nil && slices.EqualFunc(rank, s.last, slices.Equal) {
		s.Stable++
	} else {
		s.Stable = 0
	}
	s.last = rank
	if s.Patience > 0 && s.Stable >= s.Patience {
		return true, fmt.Sprintf("early stop (DARTS+ criterion 2): the ranking of α has been stable for %d epochs", s.Stable), g, nil
	}
	return false, "", g, nil
}

// ranking returns per edge the columns of the learnable ops by decreasing α.
func (s *EarlyStop) ranking(alpha [][]float64) [][]int {
	var cols []int
	for k, p := range s.Ops {
		if !p.ParamFree(1) {
			cols = append(cols, k)
		}
	}
	out := make([][]int, len(alpha))
	for e, row := range alpha {
		r := slices.Clone(cols)
		sort.SliceStable(r, func(i, j int) bool { return row[r[i]] > row[r[j]] })
		out[e] = r
	}
	return out
}
