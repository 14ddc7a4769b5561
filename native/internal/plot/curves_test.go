package plot_test

import (
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/nb201"
	"github.com/nasplayground/nas/core/run"
	"github.com/nasplayground/nas/native/internal/plot"
)

func TestCurvesWritesPNG(t *testing.T) {
	res, err := run.CompareResults(compareConfig(60, 2, 16))
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "curves.png")
	require.NoError(t, plot.Curves(res, "test", path))
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	img, err := png.Decode(f)
	require.NoError(t, err)
	assert.Equal(t, 8*96, img.Bounds().Dx()) // 8 in at gonum plot's default 96 dpi
	entries, err := os.ReadDir(filepath.Dir(path))
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temporary file left behind")

	assert.Error(t, plot.Curves(nil, "x", path))
	assert.Error(t, plot.Curves(res, "x", filepath.Join(t.TempDir(), "noext")))
}

// TestCompareFigure makes the full comparison figure when NB201_FIGURE names
// the output PNG, e.g. NB201_FIGURE=/tmp/nb201.png go test -run CompareFigure -v.
func TestCompareFigure(t *testing.T) {
	out := os.Getenv("NB201_FIGURE")
	if out == "" {
		t.Skip("set NB201_FIGURE=path.png to run 500 samples × 20 repeats and draw the figure")
	}
	start := time.Now()
	res, err := run.CompareResults(compareConfig(500, 20, 0))
	require.NoError(t, err)
	fmt.Print(nb201.FormatTable(res))
	fmt.Printf("total %.1f s\n", time.Since(start).Seconds())
	require.NoError(t, plot.Curves(res, "NAS-Bench-201 CIFAR-10: 500 samples × 20 runs (reward = test accuracy)", out))
}

func compareConfig(samples, repeats, hidden int) run.Config {
	cfg := run.DefaultConfig()
	cfg.Seed, cfg.Dataset = 1, "cifar10"
	cfg.Sampling.Samples, cfg.Sampling.Repeats, cfg.Sampling.Hidden = samples, repeats, hidden
	return cfg
}
