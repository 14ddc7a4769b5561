package nb201

import (
	"fmt"
	"strconv"
	"strings"
)

// Op is a NAS-Bench-201 edge operation; its value is its index in the table.
type Op int

// The five ops in the benchmark's order.
const (
	None Op = iota
	Skip
	Conv1x1
	Conv3x3
	AvgPool3x3
	NumOps = 5
)

var opNames = [NumOps]string{"none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"}

// OpNames returns the benchmark names of the ops, in order.
func OpNames() []string { return append([]string(nil), opNames[:]...) }

// String returns the benchmark name, e.g. "nor_conv_3x3".
func (o Op) String() string {
	if o < 0 || o >= NumOps {
		return "Op(" + strconv.Itoa(int(o)) + ")"
	}
	return opNames[o]
}

// Edges is the number of edges of a cell.
const Edges = 6

// Cells is the number of cells in the space (NumOps^Edges).
const Cells = 15625

// edgeFrom and edgeTo give the endpoints of edge e in the benchmark's string
// order |0→1|+|0→2|1→2|+|0→3|1→3|2→3|.
var (
	edgeFrom = [Edges]int{0, 0, 1, 0, 1, 2}
	edgeTo   = [Edges]int{1, 2, 2, 3, 3, 3}
)

// Arch is a cell: one op per edge, edges in the benchmark's string order
// |op~0|+|op~0|op~1|+|op~0|op~1|op~2| (edges 0→1, 0→2, 1→2, 0→3, 1→3, 2→3).
type Arch [Edges]Op

// String returns the benchmark string, e.g.
// |nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|.
func (a Arch) String() string {
	var b strings.Builder
	for e, op := range a {
		if e > 0 && edgeFrom[e] == 0 {
			b.WriteString("+")
		}
		fmt.Fprintf(&b, "|%s~%d", op, edgeFrom[e])
		if edgeFrom[e] == edgeTo[e]-1 {
			b.WriteString("|")
		}
	}
	return b.String()
}

// Parse reads a benchmark string (the inverse of String).
func Parse(s string) (Arch, error) {
	var a Arch
	groups := strings.Split(s, "+")
	if len(groups) != 3 {
		return a, fmt.Errorf("nb201.Parse %q: %d node groups separated by +, want 3", s, len(groups))
	}
	e := 0
	for node, g := range groups {
		if len(g) < 2 || g[0] != '|' || g[len(g)-1] != '|' {
			return a, fmt.Errorf("nb201.Parse %q: group %d %q, want |op~i|...|", s, node+1, g)
		}
		parts := strings.Split(g[1:len(g)-1], "|")
		if len(parts) != node+1 {
			return a, fmt.Errorf("nb201.Parse %q: group %d has %d edges, want %d", s, node+1, len(parts), node+1)
		}
		for from, p := range parts {
			name, in, ok := strings.Cut(p, "~")
			if !ok || in != strconv.Itoa(from) {
				return a, fmt.Errorf("nb201.Parse %q: edge %d %q, want <op>~%d", s, e, p, from)
			}
			op := Op(-1)
			for k, n := range opNames {
				if n == name {
					op = Op(k)
				}
			}
			if op < 0 {
				return a, fmt.Errorf("nb201.Parse %q: edge %d op %q, want one of %v", s, e, name, opNames)
			}
			a[e] = op
			e++
		}
	}
	return a, nil
}

// Index returns the canonical table index Σ_e op_e·5^e.
func (a Arch) Index() int {
	idx, pow := 0, 1
	for _, op := range a {
		idx += int(op) * pow
		pow *= NumOps
	}
	return idx
}

// FromIndex is the inverse of Index; idx must be in [0, Cells).
func FromIndex(idx int) (Arch, error) {
	var a Arch
	if idx < 0 || idx >= Cells {
		return a, fmt.Errorf("nb201.FromIndex: index %d, want 0..%d", idx, Cells-1)
	}
	for e := range a {
		a[e] = Op(idx % NumOps)
		idx /= NumOps
	}
	return a, nil
}
