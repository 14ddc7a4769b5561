package run_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/assets/demo"
	"github.com/nasplayground/nas/core/run"
	"github.com/nasplayground/nas/core/search"
)

// Config.Downsample gives the search the block-averaged images, on a fresh
// run and (through the checkpoint's configuration) on a resumed one; a
// factor that does not divide the images is an error naming both.
func TestDownsample(t *testing.T) {
	train, err := demo.Train()
	require.NoError(t, err)
	cfg := run.DefaultConfig()
	cfg.Method, cfg.Space, cfg.Dataset, cfg.Downsample = "darts", run.SpaceDARTS, "demo", 2
	d := &cfg.DARTS
	d.C, d.Layers, d.Steps, d.Batch, d.Epochs, d.Augment, d.ValLimit = 4, 3, 3, 16, 1, false, 32
	r, err := run.New(cfg, run.Data{Train: train})
	require.NoError(t, err)
	assert.Equal(t, train.H/2, r.Data.Train.H)
	assert.Equal(t, train.W/2, r.Data.Train.W)
	assert.Equal(t, 16, train.H, "the caller's data set is left as it was")
	p := r.Searcher.(*run.DARTS).Predict(1)
	require.Len(t, p, 1)
	assert.Len(t, p[0].Image, 3*8*8, "the search sees 8×8 images")
	_, err = r.Step()
	require.NoError(t, err)

	cfg.Downsample = 3
	_, err = run.New(cfg, run.Data{Train: train})
	assert.ErrorContains(t, err, "downsample 3: the 16×16 images")
}

// Config.TrainImages keeps the first N training images, in file order, before
// the w/α split (the search's halves hold N/2 each); more than the set has is
// an error naming both counts.
func TestTrainImages(t *testing.T) {
	train, err := demo.Train()
	require.NoError(t, err)
	cfg := run.DefaultConfig()
	cfg.Method, cfg.Space, cfg.Dataset, cfg.TrainImages = "darts", run.SpaceDARTS, "demo", 100
	d := &cfg.DARTS
	d.C, d.Layers, d.Steps, d.Batch, d.Epochs, d.Augment, d.ValLimit = 4, 3, 3, 10, 1, false, 20
	r, err := run.New(cfg, run.Data{Train: train})
	require.NoError(t, err)
	require.Equal(t, 100, r.Data.Train.N)
	assert.Equal(t, train.Labels[:100], r.Data.Train.Labels)
	assert.Equal(t, train.Image(99), r.Data.Train.Image(99))
	assert.Equal(t, 2000, train.N, "the caller's data set is left as it was")
	for {
		ev, err := r.Step()
		require.NoError(t, err)
		if ev.Kind == search.KindEpoch {
			assert.Equal(t, 5, ev.Step, "an epoch is the 50 w images in batches of 10")
			break
		}
	}

	cfg.TrainImages = train.N + 1
	_, err = run.New(cfg, run.Data{Train: train})
	assert.ErrorContains(t, err, "train images 2001: the training set has 2000")
}
