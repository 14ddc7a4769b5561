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
	"github.com/nasplayground/nas/native/internal/plot"
)

func TestCurvesWritesPNG(t *testing.T) {
	res, err := nb201.Compare(nb201.CompareConfig{Samples: 60, Repeats: 2, Dataset: "cifar10", Seed: 1, Hidden: 16})
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
	cfg := nb201.CompareConfig{Samples: 30, Repeats: 2, Dataset: "cifar10", Seed: 1, Hidden: 16}
	out := os.Getenv("NB201_FIGURE")
	if out == "" {
		out = filepath.Join(t.TempDir(), "nb201.png")
	} else {
		cfg = nb201.CompareConfig{Samples: 500, Repeats: 20, Dataset: "cifar10", Seed: 1}
	}
	start := time.Now()
	res, err := nb201.Compare(cfg)
	require.NoError(t, err)
	table := nb201.FormatTable(res)
	t.Log("\n" + table)
	require.NotEmpty(t, res)
	for _, r := range res {
		assert.Contains(t, table, r.Method)
		t.Logf("%s: %.1f s", r.Method, r.Seconds)
	}
	t.Logf("total %.1f s", time.Since(start).Seconds())
	title := fmt.Sprintf("NAS-Bench-201 CIFAR-10: %d samples × %d runs (reward = test accuracy)", cfg.Samples, cfg.Repeats)
	require.NoError(t, plot.Curves(res, title, out))
	f, err := os.Open(out)
	require.NoError(t, err)
	defer f.Close()
	_, err = png.Decode(f)
	require.NoError(t, err)
}
