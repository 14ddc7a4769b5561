package lecture

import "math"

// RecurrentEdge is one edge of a DARTS recurrent cell: node To = Act(node From),
// the activation applied to the edge's (learned, linear) transform of node From.
type RecurrentEdge struct {
	Act      string
	From, To int
}

// DARTSRecurrentV2 is the recurrent cell DARTS found on Penn Treebank (the
// paper's Figure 6): DARTS_V2 of quark0/darts rnn/genotypes.py,
//
//	Genotype(recurrent=[('sigmoid', 0), ('relu', 1), ('relu', 1), ('identity', 1),
//	  ('tanh', 2), ('sigmoid', 5), ('tanh', 3), ('relu', 5)], concat=range(1, 9))
//
// Node 0 mixes x_t and h_{t-1}; node i+1 reads the node of pair i; h_t is the
// mean of nodes 1..8. Kept here until core/genotype has a recurrent genotype.
var DARTSRecurrentV2 = recurrent([][2]any{
	{"sigmoid", 0}, {"relu", 1}, {"relu", 1}, {"identity", 1},
	{"tanh", 2}, {"sigmoid", 5}, {"tanh", 3}, {"relu", 5},
})

func recurrent(pairs [][2]any) []RecurrentEdge {
	es := make([]RecurrentEdge, len(pairs))
	for i, p := range pairs {
		es[i] = RecurrentEdge{Act: p[0].(string), From: p[1].(int), To: i + 1}
	}
	return es
}

// RecurrentNodes places the nodes 0..len(es) of a recurrent cell and the
// output h_t in a w×h box: each node one column right of the node it reads
// (depth), nodes of equal depth stacked; h_t in the last column. It returns
// the centres, h_t last.
func RecurrentNodes(es []RecurrentEdge, w, h float64) [][2]float64 {
	n := len(es) + 1
	depth := make([]int, n)
	for _, e := range es {
		depth[e.To] = depth[e.From] + 1
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
