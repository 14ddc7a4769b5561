package genotype

// CellInfo summarises one cell of a genotype.
type CellInfo struct {
	Nodes     int               `json:"nodes"`      // intermediate nodes
	Edges     int               `json:"edges"`      // chosen edges (2 per node)
	Ops       map[Primitive]int `json:"ops"`        // count per op
	ParamFree int               `json:"param_free"` // edges without weights (pools, identity)
	Concat    []int             `json:"concat"`     // states concatenated into the output
}

// Summary summarises a genotype, as `nas genotype info` prints it.
type Summary struct {
	Normal CellInfo `json:"normal"`
	Reduce CellInfo `json:"reduce"`
}

// Info returns op counts, parameter-free edges and nodes of both cells. In the
// reduction cell, edges reading c_{k-2} or c_{k-1} have stride 2, where
// skip_connect is a FactorizedReduce with weights (see Primitive.ParamFree).
func Info(g Genotype) Summary {
	return Summary{Normal: cellInfo(g.Normal, g.NormalConcat, false), Reduce: cellInfo(g.Reduce, g.ReduceConcat, true)}
}

func cellInfo(es []Edge, concat []int, reduction bool) CellInfo {
	ci := CellInfo{Nodes: len(es) / 2, Edges: len(es), Ops: map[Primitive]int{}, Concat: append([]int(nil), concat...)}
	for _, e := range es {
		ci.Ops[e.Op]++
		stride := 1
		if reduction && e.Input < 2 {
			stride = 2
		}
		if e.Op.ParamFree(stride) {
			ci.ParamFree++
		}
	}
	return ci
}
