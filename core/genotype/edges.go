package genotype

import "fmt"

// EdgeCount returns the number of edges of a search cell with steps
// intermediate nodes: node i reads all 2+i earlier states, so Σ_{i<steps}(2+i)
// = steps·(steps+3)/2 (14 for the DARTS cell of 4 steps).
func EdgeCount(steps int) int { return steps * (steps + 3) / 2 }

// EdgeIndex returns the flat index of the edge from state input into
// intermediate node node, in the order of quark0/darts model_search.py Cell:
// node i's edges start at Σ_{j<i}(2+j) and run over inputs 0..i+1, where
// inputs 0 and 1 are c_{k-2} and c_{k-1} and input 2+j is node j.
// It panics if input is not in 0..node+1.
func EdgeIndex(node, input int) int {
	if node < 0 || input < 0 || input > node+1 {
		panic(fmt.Sprintf("genotype.EdgeIndex: node %d input %d, want 0 <= input <= node+1", node, input))
	}
	return EdgeCount(node) + input
}

// EdgeEnds is the inverse of EdgeIndex: the node and input of flat edge e of a
// cell with steps intermediate nodes. It panics if e is not in 0..EdgeCount(steps)-1.
func EdgeEnds(steps, e int) (node, input int) {
	if e < 0 || e >= EdgeCount(steps) {
		panic(fmt.Sprintf("genotype.EdgeEnds: edge %d, want 0 <= e < %d for %d steps", e, EdgeCount(steps), steps))
	}
	for node = 0; e >= 2+node; node++ {
		e -= 2 + node
	}
	return node, e
}

// stepsForEdges returns steps with EdgeCount(steps) == n, or -1.
func stepsForEdges(n int) int {
	for s := 1; EdgeCount(s) <= n; s++ {
		if EdgeCount(s) == n {
			return s
		}
	}
	return -1
}
