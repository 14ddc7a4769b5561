package nb201

import (
	"fmt"

	"github.com/nasplayground/nas/core/search/sample"
)

// Space is NAS-Bench-201 as a sample.Space: 6 decisions (one per edge, in
// Arch order) of 5 ops each; every choice vector is valid.
type Space struct{}

var _ sample.Space = Space{}

// Name implements sample.Space.
func (Space) Name() string { return "nb201" }

// Decisions implements sample.Space.
func (Space) Decisions() []int { return []int{NumOps, NumOps, NumOps, NumOps, NumOps, NumOps} }

// Valid implements sample.Space.
func (s Space) Valid(choices []int) error { return sample.CheckRange(s, choices) }

// Describe implements sample.Space: the benchmark string.
func (s Space) Describe(choices []int) string {
	a, err := ArchOf(choices)
	if err != nil {
		return fmt.Sprint(choices)
	}
	return a.String()
}

// DecisionLabels implements sample.Space: "edge 0→1 op", ...
func (Space) DecisionLabels() []string {
	l := make([]string, Edges)
	for e := range l {
		l[e] = fmt.Sprintf("edge %d→%d op", edgeFrom[e], edgeTo[e])
	}
	return l
}

// ChoiceLabels implements sample.Space: the op names.
func (Space) ChoiceLabels(int) []string { return OpNames() }

// ArchOf converts a choice vector of Space into an Arch.
func ArchOf(choices []int) (Arch, error) {
	var a Arch
	if err := (Space{}).Valid(choices); err != nil {
		return a, err
	}
	for e, c := range choices {
		a[e] = Op(c)
	}
	return a, nil
}

// Evaluator looks architectures up in the table: the reward is the 200-epoch
// test accuracy (percent) on Dataset. The CSV has no validation accuracies, so
// tabular searches select on test accuracy, as the curves of best test accuracy
// in the NAS-Bench-201 paper's Figure 6 are read.
type Evaluator struct {
	Table   *Table
	Dataset string
}

// Evaluate implements sample.Evaluator.
func (ev Evaluator) Evaluate(choices []int) (float64, error) {
	a, err := ArchOf(choices)
	if err != nil {
		return 0, err
	}
	return ev.Table.Accuracy(a, ev.Dataset)
}
