package sample

import (
	"fmt"
	"strings"

	"github.com/nasplayground/nas/core/genotype"
)

// MicroSpace is the NASNet/ENAS micro cell search space: two cells (normal,
// reduce), each of Steps nodes; node i (numbered i+2 in the DARTS genotype, after
// the cell inputs c_{k-2}=0 and c_{k-1}=1) picks two inputs in [0, i+2) and an
// op for each. Decisions per node, in sampling order: input A, input B, op A,
// op B (the ENAS micro controller's order). Inputs may coincide, as in ENAS.
type MicroSpace struct {
	Ops   []string // candidate op names, e.g. the DARTS primitives
	Steps int      // intermediate nodes per cell (4 in DARTS, 5 in ENAS)
	Label string   // Name(): "darts" unless set
}

// DARTSMicroSpace returns the micro space over ops with steps nodes per cell.
func DARTSMicroSpace(ops []string, steps int) *MicroSpace {
	return &MicroSpace{Ops: append([]string(nil), ops...), Steps: steps, Label: "darts"}
}

var cellNames = [2]string{"normal", "reduce"}

// Name implements Space.
func (m *MicroSpace) Name() string { return m.Label }

// Decisions implements Space: 2 cells × Steps nodes × (2 inputs, 2 ops).
func (m *MicroSpace) Decisions() []int {
	var dec []int
	for range cellNames {
		for i := range m.Steps {
			dec = append(dec, i+2, i+2, len(m.Ops), len(m.Ops))
		}
	}
	return dec
}

// Valid implements Space.
func (m *MicroSpace) Valid(choices []int) error { return CheckRange(m, choices) }

// DecisionLabels implements Space, e.g. "normal node 2 input A".
func (m *MicroSpace) DecisionLabels() []string {
	var l []string
	for _, cell := range cellNames {
		for i := range m.Steps {
			for _, what := range []string{"input A", "input B", "op A", "op B"} {
				l = append(l, fmt.Sprintf("%s node %d %s", cell, i+2, what))
			}
		}
	}
	return l
}

// ChoiceLabels implements Space: input nodes are c_{k-2}, c_{k-1}, node 2, ...
func (m *MicroSpace) ChoiceLabels(d int) []string {
	node := d % (4 * m.Steps) / 4
	if d%4 >= 2 {
		return append([]string(nil), m.Ops...)
	}
	l := []string{"c_{k-2}", "c_{k-1}"}
	for j := range node {
		l = append(l, fmt.Sprintf("node %d", j+2))
	}
	return l
}

// Genotype converts valid choices into a genotype.Genotype; every op name
// must be a genotype.Primitive name. Concats list all intermediate nodes, as
// DARTS genotypes do (range(2, Steps+2)).
func (m *MicroSpace) Genotype(choices []int) (genotype.Genotype, error) {
	var g genotype.Genotype
	if err := m.Valid(choices); err != nil {
		return g, err
	}
	prims := make([]genotype.Primitive, len(m.Ops))
	for k, name := range m.Ops {
		p, err := genotype.ParsePrimitive(name)
		if err != nil {
			return g, fmt.Errorf("%s: op %d: %w", m.Name(), k, err)
		}
		prims[k] = p
	}
	var concat []int
	for i := range m.Steps {
		concat = append(concat, i+2)
	}
	cells := [2][]genotype.Edge{}
	for c := range cells {
		for i := range m.Steps {
			base := (c*m.Steps + i) * 4
			cells[c] = append(cells[c],
				genotype.Edge{Op: prims[choices[base+2]], Input: choices[base]},
				genotype.Edge{Op: prims[choices[base+3]], Input: choices[base+1]})
		}
	}
	return genotype.Genotype{Normal: cells[0], NormalConcat: concat, Reduce: cells[1], ReduceConcat: append([]int(nil), concat...)}, nil
}

// Describe implements Space: the DARTS genotype text, e.g.
// Genotype(normal=[('sep_conv_3x3', 1), ...], normal_concat=range(2, 6), reduce=[...], reduce_concat=range(2, 6)),
// printed by genotype.Genotype.String when the ops are genotype primitives
// and choices are valid, else by the same format here (out-of-range choices
// print as "?").
func (m *MicroSpace) Describe(choices []int) string {
	if g, err := m.Genotype(choices); err == nil {
		return g.String()
	}
	var b strings.Builder
	b.WriteString("Genotype(")
	for c, cell := range cellNames {
		if c > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s=[", cell)
		for i := range m.Steps {
			base := (c*m.Steps + i) * 4
			for k := range 2 {
				if i > 0 || k > 0 {
					b.WriteString(", ")
				}
				op, in := "?", -1
				if base+2+k < len(choices) && choices[base+2+k] >= 0 && choices[base+2+k] < len(m.Ops) {
					op = m.Ops[choices[base+2+k]]
				}
				if base+k < len(choices) {
					in = choices[base+k]
				}
				fmt.Fprintf(&b, "('%s', %d)", op, in)
			}
		}
		fmt.Fprintf(&b, "], %s_concat=range(2, %d)", cell, m.Steps+2)
	}
	b.WriteString(")")
	return b.String()
}
