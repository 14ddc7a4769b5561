package search

import (
	"fmt"

	"github.com/nasplayground/nas/core/genotype"
)

// CellEdge is one chosen operation of a cell: Op applied to state From feeds
// node To. States 0 and 1 are the cell inputs c_{k-2}, c_{k-1}; node j of the
// cell is state j+2.
type CellEdge struct {
	From int    `json:"from"`
	To   int    `json:"to"`
	Op   string `json:"op"`
}

// Decision is one decision of a sampled space: its name and the names of
// what it chooses among (sample.Space's DecisionLabels and ChoiceLabels).
type Decision struct {
	Name    string   `json:"name"`
	Choices []string `json:"choices"`
}

// Edges returns the cells of g as (from, to, op) edges, normal then reduce:
// edge 2i and 2i+1 of a cell feed node i+2 (quark0/darts genotype order).
func Edges(g genotype.Genotype) (normal, reduce []CellEdge) {
	conv := func(es []genotype.Edge) []CellEdge {
		out := make([]CellEdge, len(es))
		for i, e := range es {
			out[i] = CellEdge{From: e.Input, To: i/2 + 2, Op: e.Op.String()}
		}
		return out
	}
	return conv(g.Normal), conv(g.Reduce)
}

// SetCells fills ev.Normal and ev.Reduce from a DARTS genotype text; text that
// is not a genotype (an NB201 arch string) leaves them empty.
func SetCells(ev *Event, text string) {
	g, err := genotype.Parse(text)
	if err != nil {
		return
	}
	ev.Normal, ev.Reduce = Edges(g)
}

// NonFiniteError reports a loss or gradient that is NaN or ±Inf, found
// before the update that would have spread it was applied, or (After) a
// state that an update made non-finite, found before it was saved.
type NonFiniteError struct {
	What  string // "validation loss", "weight gradient", ...
	Value float64
	Epoch int
	Step  int
	Phase string // PhaseWeights, PhaseAlpha, PhaseCtrl; "" for an end-of-epoch evaluation
	After bool   // found in the state after an update (not saved)
}

func (e *NonFiniteError) Error() string {
	phase, tail := "end-of-epoch evaluation", ""
	if e.Phase != "" {
		phase, tail = e.Phase+" phase", "; the update was not applied"
	}
	if e.After {
		tail = "; the state was not saved"
	}
	return fmt.Sprintf("%s is %v at epoch %d step %d (%s)%s", e.What, e.Value, e.Epoch, e.Step, phase, tail)
}
