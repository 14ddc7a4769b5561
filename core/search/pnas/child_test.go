package pnas_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	_ "github.com/nasplayground/nas/assets/demo"
	"github.com/nasplayground/nas/core/data"
	"github.com/nasplayground/nas/core/genotype"
	"github.com/nasplayground/nas/core/search/child"
	"github.com/nasplayground/nas/core/search/pnas"
)

// TestChildSearch runs PNAS on the DARTS cell with tiny children on the demo
// set: every level is reached and the best cell is a valid genotype.
func TestChildSearch(t *testing.T) {
	ds, err := data.Load("demo", "", true)
	require.NoError(t, err)
	ds = ds.Subset([]int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15})
	cfg := child.DefaultConfig()
	cfg.C, cfg.Layers, cfg.Batch, cfg.Steps, cfg.ValImages = 2, 3, 4, 1, 4
	ev, sp, err := pnas.NewChild(cfg, ds)
	require.NoError(t, err)
	assert.Equal(t, 4, sp.MaxBlocks())
	s, err := pnas.New(sp, ev, pnas.DefaultConfig(5, 1)) // K = 1, n₁ = 2
	require.NoError(t, err)
	var sizes []int
	for !s.Done() {
		e, err := s.Step()
		require.NoError(t, err)
		sizes = append(sizes, len(e.Choices)/4)
	}
	assert.Equal(t, []int{1, 1, 2, 3, 4}, sizes)
	assert.Equal(t, 5, ev.Evaluated)
	g, err := genotype.Parse(s.BestArch)
	require.NoError(t, err)
	assert.NoError(t, g.Validate())
}
