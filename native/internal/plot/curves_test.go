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

// TestCompareFigure makes the comparison figure: by default a small one (30
// samples × 2 repeats) in a temporary directory, checking the table names
// every method and the PNG decodes; with NB201_FIGURE naming the output PNG
// the full 500 samples × 20 repeats, e.g.
// NB201_FIGURE=/tmp/nb201.png go test -run CompareFigure -v.
func TestCompareFigure(t *testing.T) {
	samples, repeats, hidden := 30, 2, 16
	out := os.Getenv("NB201_FIGURE")
	if out == "" {
		out = filepath.Join(t.TempDir(), "nb201.png")
	} else {
		samples, repeats, hidden = 500, 20, 0
	}
	start := time.Now()
	res, err := run.CompareResults(compareConfig(samples, repeats, hidden))
	require.NoError(t, err)
	require.NotEmpty(t, res)
	table := nb201.FormatTable(res)
	t.Log("\n" + table)
	for _, r := range res {
		assert.Contains(t, table, r.Method)
	}
	t.Logf("total %.1f s", time.Since(start).Seconds())
	title := fmt.Sprintf("NAS-Bench-201 CIFAR-10: %d samples × %d runs (reward = test accuracy)", samples, repeats)
	require.NoError(t, plot.Curves(res, title, out))
	f, err := os.Open(out)
	require.NoError(t, err)
	defer f.Close()
	_, err = png.Decode(f)
	require.NoError(t, err)
}

func compareConfig(samples, repeats, hidden int) run.Config {
	cfg := run.DefaultConfig()
	cfg.Seed, cfg.Dataset = 1, "cifar10"
	cfg.Sampling.Samples, cfg.Sampling.Repeats, cfg.Sampling.Hidden = samples, repeats, hidden
	return cfg
}
