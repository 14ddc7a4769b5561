package child_test

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/data"
	"github.com/nasplayground/nas/core/model"
	"github.com/nasplayground/nas/core/search/child"
	"github.com/nasplayground/nas/core/search/sample"
)

// stripes returns n 3×8×8 images of 2 classes: class 0 is bright on the
// top half, class 1 on the bottom half, plus noise (separable by one conv;
// the tests turn augmentation off, whose ±4 pixel crop would hide it).
func stripes(n int, seed uint64) *data.Dataset {
	rng := rand.New(rand.NewPCG(seed, 1))
	d := &data.Dataset{Name: "stripes", N: n, C: 3, H: 8, W: 8, Pixels: make([]uint8, n*3*64), Labels: make([]uint8, n),
		Classes: []string{"top", "bottom"}}
	for i := range n {
		lab := i % 2
		d.Labels[i] = uint8(lab)
		img := d.Image(i)
		for c := range 3 {
			for y := range 8 {
				for x := range 8 {
					v := 40 + rng.IntN(60)
					if (y < 4) == (lab == 0) {
						v += 140
					}
					img[c*64+y*8+x] = uint8(v)
				}
			}
		}
	}
	return d
}

func tiny() child.Config {
	cfg := child.DefaultConfig()
	cfg.C, cfg.Layers, cfg.Batch, cfg.Steps, cfg.ValImages, cfg.Seed = 4, 3, 16, 2, 32, 7
	cfg.Augment = false
	return cfg
}

func TestSpace(t *testing.T) {
	for _, tc := range []struct {
		ops  string
		nOps int
	}{{"darts", 7}, {"nasnet", 13}} {
		t.Run(tc.ops, func(t *testing.T) {
			sp, set, err := child.Space(tc.ops)
			require.NoError(t, err)
			assert.Equal(t, tc.ops, sp.Name())
			assert.Len(t, sp.Ops, tc.nOps)
			assert.Len(t, set, tc.nOps+1)
			assert.NotContains(t, sp.Ops, "none")
			// 2 cells × 4 nodes × (2 inputs + 2 ops): 32 decisions; node i picks inputs in [0, i+2).
			dec := sp.Decisions()
			require.Len(t, dec, 32)
			assert.Equal(t, []int{2, 2, tc.nOps, tc.nOps, 3, 3, tc.nOps, tc.nOps}, dec[:8])
		})
	}
	_, _, err := child.Space("bogus")
	assert.Error(t, err)
}

func TestSharedPath(t *testing.T) {
	s, err := child.NewShared(tiny(), stripes(64, 1), 0)
	require.NoError(t, err)
	c := make([]int, 32)
	// normal node 2: inputs 1 and 0, ops sep_conv_3x3 (index 3 without none) and max_pool_3x3 (0).
	copy(c, []int{1, 0, 3, 0})
	// reduce node 5 (last): inputs 4 and 2, ops dil_conv_5x5 (6) and skip_connect (2).
	copy(c[28:], []int{4, 2, 6, 2})
	normal, reduce, err := s.Path(c)
	require.NoError(t, err)
	assert.Equal(t, []model.PathEdge{{Input: 1, Op: 4}, {Input: 0, Op: 1}}, normal[0])
	assert.Equal(t, []model.PathEdge{{Input: 4, Op: 7}, {Input: 2, Op: 3}}, reduce[3])
	c[0] = 2 // node 2 cannot read node 2
	_, _, err = s.Path(c)
	assert.ErrorContains(t, err, "normal node 2 input A")
}

// TestSharedTouchesOnlyThePath: weight sharing steps only the ops on the
// sampled path; the others keep their weights (and get no momentum).
func TestSharedTouchesOnlyThePath(t *testing.T) {
	s, err := child.NewShared(tiny(), stripes(64, 1), 0)
	require.NoError(t, err)
	c := make([]int, 32) // every node: inputs c_{k-2}, c_{k-2}; ops max_pool (0) twice
	for i := 0; i < 32; i += 4 {
		c[i+2], c[i+3] = 3, 3 // sep_conv_3x3
	}
	cell := s.Net.Cells[0]
	on := cell.Edges[0][4].Params()[0]  // edge node 2 ← c_{k-2}, sep_conv_3x3
	off := cell.Edges[1][4].Params()[0] // edge node 2 ← c_{k-1}, not sampled
	on0, off0 := append([]float32(nil), on.Value.Data...), append([]float32(nil), off.Value.Data...)
	r, err := s.Evaluate(c)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, r, 0.0)
	assert.LessOrEqual(t, r, 1.0)
	assert.Equal(t, off0, off.Value.Data)
	assert.NotEqual(t, on0, on.Value.Data)
	assert.Equal(t, 1, s.Evaluated)
}

// TestSharedLearns: stepping one path on a separable task raises its
// validation-minibatch accuracy well above chance (0.5).
func TestSharedLearns(t *testing.T) {
	cfg := tiny()
	cfg.LR = 0.05
	s, err := child.NewShared(cfg, stripes(128, 2), 0)
	require.NoError(t, err)
	c := make([]int, 32)
	for i := 0; i < 32; i += 4 {
		c[i], c[i+1], c[i+2], c[i+3] = 1, 0, 3, 2 // sep_conv_3x3 on c_{k-1}, skip on c_{k-2}
	}
	var acc float64
	for range 30 {
		a, err := s.Evaluate(c)
		require.NoError(t, err)
		acc = 0.8*acc + 0.2*a
	}
	assert.Greater(t, acc, 0.8)
}

func TestFromScratch(t *testing.T) {
	ds := stripes(96, 3)
	sp, _, err := child.Space("darts")
	require.NoError(t, err)
	c, err := sample.Uniform(sp, rand.New(rand.NewPCG(1, 2)))
	require.NoError(t, err)
	run := func(steps int) (float64, child.Stats) {
		cfg := tiny()
		cfg.Steps = steps
		f, err := child.NewFromScratch(cfg, ds)
		require.NoError(t, err)
		r, err := f.Evaluate(c)
		require.NoError(t, err)
		assert.Equal(t, 1, f.Evaluated)
		return r, f.Last
	}
	r1, st1 := run(2)
	r2, _ := run(2)
	assert.Equal(t, r1, r2, "same seed and child index give the same reward")
	assert.Equal(t, 2, st1.Steps)
	assert.Equal(t, 2*16+32, st1.Images) // 2 batches of 16, then 32 validation images
	assert.Equal(t, st1.ValAcc, r1)
	r30, _ := run(30)
	assert.Greater(t, r30, 0.8, "30 steps separate the stripes")
}

func TestConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*child.Config)
		want string
	}{
		{"odd C", func(c *child.Config) { c.C = 5 }, "C = 5"},
		{"layers", func(c *child.Config) { c.Layers = 2 }, "layers = 2"},
		{"no budget", func(c *child.Config) { c.Steps, c.Epochs = 0, 0 }, "not both 0"},
		{"ops", func(c *child.Config) { c.Ops = "bogus" }, "bogus"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := tiny()
			tc.edit(&cfg)
			_, err := child.NewFromScratch(cfg, stripes(8, 1))
			assert.ErrorContains(t, err, tc.want)
		})
	}
	_, err := child.NewShared(tiny(), stripes(1, 1), 0)
	assert.ErrorContains(t, err, "at least 2 images")
}
