package genotype

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
)

// Derive returns the discrete genotype of a DARTS search cell, mirroring
// quark0/darts cnn/model_search.py genotype() _parse: normal and reduce hold
// one row of softmax(α) weights per edge (EdgeCount(steps) rows of len(ops),
// edges in EdgeIndex order). For each node, its incoming edges are sorted by
// their strongest non-none weight, descending (a stable sort, so ties keep the
// lower input first); the first two are kept, each with its best non-none op
// (ties keep the op earlier in ops). none is excluded from both argmaxes, so it
// is never chosen even when it dominates. Both concats are range(2, 2+steps).
func Derive(normal, reduce [][]float64, ops []Primitive, steps int) (Genotype, error) {
	if steps < 1 {
		return Genotype{}, fmt.Errorf("genotype: derive: steps %d, want >= 1", steps)
	}
	hasOp := false
	for _, op := range ops {
		if !op.Valid() {
			return Genotype{}, fmt.Errorf("genotype: derive: invalid op %d", int(op))
		}
		hasOp = hasOp || op != None
	}
	if !hasOp {
		return Genotype{}, fmt.Errorf("genotype: derive: ops %v have no op other than none", ops)
	}
	n, err := deriveCell("normal", normal, ops, steps)
	if err != nil {
		return Genotype{}, err
	}
	r, err := deriveCell("reduce", reduce, ops, steps)
	if err != nil {
		return Genotype{}, err
	}
	concat := make([]int, steps)
	for i := range concat {
		concat[i] = 2 + i
	}
	return Genotype{Normal: n, NormalConcat: concat, Reduce: r, ReduceConcat: append([]int(nil), concat...)}, nil
}

func deriveCell(cell string, w [][]float64, ops []Primitive, steps int) ([]Edge, error) {
	if err := checkRows(cell, w, EdgeCount(steps), len(ops)); err != nil {
		return nil, err
	}
	// best returns the index of the largest non-none weight of row (first on ties).
	best := func(row []float64) int {
		k := -1
		for j, v := range row {
			if ops[j] != None && (k < 0 || v > row[k]) {
				k = j
			}
		}
		return k
	}
	gene := make([]Edge, 0, 2*steps)
	start := 0
	for i := 0; i < steps; i++ {
		W := w[start : start+2+i]
		edges := make([]int, 2+i)
		for j := range edges {
			edges[j] = j
		}
		sort.SliceStable(edges, func(a, b int) bool {
			ra, rb := W[edges[a]], W[edges[b]]
			return ra[best(ra)] > rb[best(rb)]
		})
		for _, j := range edges[:2] {
			gene = append(gene, Edge{ops[best(W[j])], j})
		}
		start += 2 + i
	}
	return gene, nil
}

// checkRows checks that w has rows rows of cols finite numbers.
func checkRows(cell string, w [][]float64, rows, cols int) error {
	if len(w) != rows {
		return fmt.Errorf("genotype: %s: %d rows, want %d (one per edge)", cell, len(w), rows)
	}
	for i, row := range w {
		if len(row) != cols {
			return fmt.Errorf("genotype: %s row %d: %d values, want %d (one per op)", cell, i, len(row), cols)
		}
		for j, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("genotype: %s row %d col %d: %v, want a finite number", cell, i, j, v)
			}
		}
	}
	return nil
}

// Softmax returns the row-wise softmax of rows: exp(x-max)/Σexp(x-max)
// (subtracting the row max keeps exp from overflowing).
func Softmax(rows [][]float64) [][]float64 {
	out := make([][]float64, len(rows))
	for i, row := range rows {
		m := math.Inf(-1)
		for _, v := range row {
			m = math.Max(m, v)
		}
		o := make([]float64, len(row))
		sum := 0.0
		for j, v := range row {
			o[j] = math.Exp(v - m)
			sum += o[j]
		}
		for j := range o {
			o[j] /= sum
		}
		out[i] = o
	}
	return out
}

// DeriveFromAlpha applies Softmax to the raw architecture weights α (one row
// per edge) and calls Derive; steps follows from the row count (14 rows: 4).
func DeriveFromAlpha(alphaNormal, alphaReduce [][]float64, ops []Primitive) (Genotype, error) {
	steps := stepsForEdges(len(alphaNormal))
	if steps < 0 {
		return Genotype{}, fmt.Errorf("genotype: alpha normal: %d rows, want steps·(steps+3)/2 (14 for 4 steps)", len(alphaNormal))
	}
	if err := checkRows("alpha normal", alphaNormal, len(alphaNormal), len(ops)); err != nil {
		return Genotype{}, err
	}
	if err := checkRows("alpha reduce", alphaReduce, len(alphaNormal), len(ops)); err != nil {
		return Genotype{}, err
	}
	return Derive(Softmax(alphaNormal), Softmax(alphaReduce), ops, steps)
}

// ParseAlphasJSON reads raw α as {"normal": [[...] x edges], "reduce": [...]}:
// both with EdgeCount(steps) rows for some steps (14 for DARTS), all rows of one
// length (the number of ops).
func ParseAlphasJSON(b []byte) (normal, reduce [][]float64, err error) {
	var j struct {
		Normal *[][]float64 `json:"normal"`
		Reduce *[][]float64 `json:"reduce"`
	}
	// Unmarshal, not a Decoder: anything after the object (a second object,
	// a cut-and-paste leftover) is an error rather than silently ignored.
	if err := json.Unmarshal(b, &j); err != nil {
		return nil, nil, fmt.Errorf("genotype: alphas json: %w", err)
	}
	if j.Normal == nil || j.Reduce == nil {
		return nil, nil, fmt.Errorf("genotype: alphas json: want keys \"normal\" and \"reduce\"")
	}
	normal, reduce = *j.Normal, *j.Reduce
	if stepsForEdges(len(normal)) < 0 {
		return nil, nil, fmt.Errorf("genotype: alphas json: normal has %d rows, want steps·(steps+3)/2 (14 for 4 steps)", len(normal))
	}
	if len(normal[0]) < 2 {
		return nil, nil, fmt.Errorf("genotype: alphas json: normal row 0 has %d values, want one per op (8 for darts)", len(normal[0]))
	}
	if err := checkRows("alphas json normal", normal, len(normal), len(normal[0])); err != nil {
		return nil, nil, err
	}
	if err := checkRows("alphas json reduce", reduce, len(normal), len(normal[0])); err != nil {
		return nil, nil, err
	}
	return normal, reduce, nil
}
