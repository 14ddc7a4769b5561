package pnas

import (
	"github.com/nasplayground/nas/core/data"
	"github.com/nasplayground/nas/core/search/child"
	"github.com/nasplayground/nas/core/search/sample"
)

// Child evaluates Cells on images: each cell is trained from scratch by
// child.FromScratch (the network of its genotype, cfg's budget and optimiser)
// and its validation accuracy is the reward.
type Child struct {
	*child.FromScratch
}

var _ sample.Evaluator = (*Child)(nil)

// NewChild returns the evaluator and the space of cells over cfg.Ops without
// none, of up to child.Steps blocks (the DARTS cell's 4 nodes).
func NewChild(cfg child.Config, ds *data.Dataset) (*Child, Cells, error) {
	fs, err := child.NewFromScratch(cfg, ds)
	if err != nil {
		return nil, Cells{}, err
	}
	return &Child{fs}, Cells{Ops: append([]string(nil), fs.Space.Ops...), Blocks: child.Steps}, nil
}

// Evaluate implements sample.Evaluator for a cell of Cells: FromScratch
// evaluates the micro space of the cell's size with the cell as both the
// normal and the reduction cell.
func (c *Child) Evaluate(cell []int) (float64, error) {
	full := c.Space
	defer func() { c.Space = full }()
	sp, ch := Cells{Ops: full.Ops}.micro(cell)
	sp.Label = full.Label
	c.Space = sp
	return c.FromScratch.Evaluate(ch)
}
