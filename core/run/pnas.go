package run

import (
	"errors"

	"github.com/nasplayground/nas/core/search"
	"github.com/nasplayground/nas/core/search/pnas"
	"github.com/nasplayground/nas/core/search/sample"
)

func init() {
	Register(Method{Name: pnas.Method, Spaces: []string{SpaceDARTS, SpaceNASNet, SpaceNB201}, Unit: UnitSamples, New: newPNAS,
		Total: func(cfg Config, _ search.Searcher) int { return cfg.Sampling.Samples }})
}

// newPNAS builds PNAS on the NB201 table, or on the DARTS/NASNet cell with
// children trained from scratch (Sampling.Child).
func newPNAS(cfg Config, d Data) (search.Searcher, error) {
	sc := cfg.Sampling
	if cfg.Space == SpaceNB201 {
		s, err := nb201Sampler(pnas.Method, sc, cfg.Dataset, cfg.Seed)
		if err != nil {
			return nil, err
		}
		return &Sampler{Searcher: s}, nil
	}
	cc := sc.Child
	cc.Ops, cc.Seed = cfg.Space, cfg.Seed
	if err := cc.Validate(); err != nil {
		return nil, err
	}
	if d.Train == nil {
		return nil, errors.New("the search needs a training set")
	}
	ev, sp, err := pnas.NewChild(cc, d.Train)
	if err != nil {
		return nil, err
	}
	s, err := pnas.New(sp, ev, pnas.DefaultConfig(sc.Samples, cfg.Seed))
	if err != nil {
		return nil, err
	}
	return &Sampler{Searcher: &pnasChild{micro: &micro{Searcher: s, scratch: ev.FromScratch}, space: sp}}, nil
}

// pnasChild is a micro search (child losses in events, the children's seed
// counter in checkpoints) over PNAS's cells of 1..B blocks.
type pnasChild struct {
	*micro
	space pnas.Cells
}

// Layout returns the decisions of a cell of B blocks.
func (p *pnasChild) Layout() []search.Decision { return sample.Layout(p.space) }
