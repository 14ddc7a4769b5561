package genotype

import (
	"fmt"
	"strings"
)

// DOT returns the cell ("normal" or "reduce") as a Graphviz digraph in the
// style of quark0/darts cnn/visualize.py: c_{k-2}, c_{k-1}, nodes 0..steps-1
// and c_{k}, edges labelled with their op, concat edges into c_{k}.
func DOT(g Genotype, cell string) string {
	es, concat, err := g.Cell(cell)
	if err != nil {
		return fmt.Sprintf("// %v\n", err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "digraph %s {\n", cell)
	b.WriteString("  rankdir=LR;\n  bgcolor=white;\n")
	b.WriteString("  node [style=\"rounded,filled\", shape=rect, align=center, fontname=\"helvetica\", fontsize=20, height=0.5, width=0.5, penwidth=2];\n")
	b.WriteString("  edge [fontname=\"times\", fontsize=20];\n")
	b.WriteString("  \"c_{k-2}\" [fillcolor=darkseagreen2];\n  \"c_{k-1}\" [fillcolor=darkseagreen2];\n")
	steps := len(es) / 2
	for i := 0; i < steps; i++ {
		fmt.Fprintf(&b, "  \"%d\" [fillcolor=lightblue];\n", i)
	}
	for k, e := range es {
		fmt.Fprintf(&b, "  \"%s\" -> \"%d\" [label=\"%s\", fillcolor=gray];\n", StateLabel(e.Input), k/2, e.Op)
	}
	b.WriteString("  \"c_{k}\" [fillcolor=palegoldenrod];\n")
	for _, c := range concat {
		fmt.Fprintf(&b, "  \"%s\" -> \"c_{k}\" [fillcolor=gray];\n", StateLabel(c))
	}
	b.WriteString("}\n")
	return b.String()
}

// StateLabel names state s of a cell as DARTS visualize.py does: c_{k-2},
// c_{k-1}, then the intermediate nodes 0, 1, ...
func StateLabel(s int) string {
	switch s {
	case 0:
		return "c_{k-2}"
	case 1:
		return "c_{k-1}"
	}
	return fmt.Sprint(s - 2)
}
