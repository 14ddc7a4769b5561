package lecture

import (
	"math"

	"github.com/nasplayground/nas/core/genotype"
)

// RecurrentNodes places the states 0..len(r.Nodes) of a recurrent cell
// (core/genotype: state 0 mixes x_t and h_{t-1}, node i makes state i+1 from
// state r.Nodes[i].Input) and the output h_t in a w×h box: each state one
// column right of the state it reads, states of equal depth stacked; h_t in
// the last column. It returns the centres, h_t last.
func RecurrentNodes(r genotype.Recurrent, w, h float64) [][2]float64 {
	n := len(r.Nodes) + 1
	depth := make([]int, n)
	for i, e := range r.Nodes {
		depth[i+1] = depth[e.Input] + 1
	}
	maxD := 0
	rows := map[int][]int{}
	for i, d := range depth {
		maxD = max(maxD, d)
		rows[d] = append(rows[d], i)
	}
	cols := float64(maxD + 2) // + h_t
	ps := make([][2]float64, n+1)
	for d, ns := range rows {
		for k, i := range ns {
			y := h * (float64(k) + 0.5) / float64(len(ns))
			ps[i] = [2]float64{w * (float64(d) + 0.5) / cols, y}
		}
	}
	ps[n] = [2]float64{w * (cols - 0.5) / cols, h / 2}
	return ps
}

// ArgMaxOp returns the index of the largest weight of row that is not the
// op named skip (DARTS derives with none excluded), or -1.
func ArgMaxOp(row []float64, ops []string, skip string) int {
	best, bi := math.Inf(-1), -1
	for i, v := range row {
		if i < len(ops) && ops[i] == skip {
			continue
		}
		if v > best {
			best, bi = v, i
		}
	}
	return bi
}
