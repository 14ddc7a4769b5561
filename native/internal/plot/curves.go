package plot

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"path/filepath"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/nasplayground/nas/core/nb201"
	"github.com/nasplayground/nas/native/internal/fsutil"
)

// methodColors are fixed per method so figures compare across runs.
var methodColors = map[string]color.NRGBA{
	"random":    {R: 0x55, G: 0x55, B: 0x55, A: 0xff},
	"evolution": {R: 0x1f, G: 0x77, B: 0xb4, A: 0xff},
	"reinforce": {R: 0xd6, G: 0x27, B: 0x28, A: 0xff},
}

var fallbackColors = []color.NRGBA{{R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff}, {R: 0x94, G: 0x67, B: 0xbd, A: 0xff}, {R: 0xff, G: 0x7f, B: 0x0e, A: 0xff}}

var datasetNames = map[string]string{"cifar10": "CIFAR-10", "cifar100": "CIFAR-100", "imagenet16": "ImageNet16-120"}

// Curves writes a PNG (or SVG/PDF by path's extension) of the best test
// accuracy (percent) against the number of samples (log scale) for each
// result: the mean line over runs and a shaded ±std band, with the table's
// optimum as a dashed line. The file is written to a temporary name in the
// same directory and renamed, so readers never see a partial image.
func Curves(results []nb201.Result, title, path string) error {
	if len(results) == 0 {
		return fmt.Errorf("plot.Curves %s: no results", path)
	}
	p := gplot.New()
	p.Title.Text = title
	p.X.Label.Text = "architectures sampled (log scale)"
	p.Y.Label.Text = fmt.Sprintf("best %s test accuracy (%%)", datasetNames[results[0].Dataset])
	p.X.Scale = gplot.LogScale{}
	p.X.Tick.Marker = ticks125{}
	p.Legend.Top = false
	p.Legend.Left = false
	p.Legend.YOffs = vg.Points(10)
	p.Add(plotter.NewGrid())

	n := 0
	ymin, top := math.Inf(1), math.Inf(-1)
	for k, r := range results {
		if len(r.CurveMean) == 0 || len(r.CurveStd) != len(r.CurveMean) {
			return fmt.Errorf("plot.Curves %s: result %d (%s) has %d means and %d stds, want equal and > 0", path, k, r.Method, len(r.CurveMean), len(r.CurveStd))
		}
		n = max(n, len(r.CurveMean))
		top = max(top, r.CurveMean[len(r.CurveMean)-1])
		c, ok := methodColors[r.Method]
		if !ok {
			c = fallbackColors[k%len(fallbackColors)]
		}
		mean := make(plotter.XYs, len(r.CurveMean))
		band := make(plotter.XYs, 0, 2*len(r.CurveMean))
		for i, m := range r.CurveMean {
			mean[i] = plotter.XY{X: float64(i + 1), Y: m}
			band = append(band, plotter.XY{X: float64(i + 1), Y: m + r.CurveStd[i]})
		}
		for i := len(r.CurveMean) - 1; i >= 0; i-- {
			band = append(band, plotter.XY{X: float64(i + 1), Y: r.CurveMean[i] - r.CurveStd[i]})
		}
		poly, err := plotter.NewPolygon(band)
		if err != nil {
			return fmt.Errorf("plot.Curves %s: %w", path, err)
		}
		poly.Color = color.NRGBA{R: c.R, G: c.G, B: c.B, A: 0x40} // non-premultiplied: translucent band
		poly.LineStyle.Width = 0
		line, err := plotter.NewLine(mean)
		if err != nil {
			return fmt.Errorf("plot.Curves %s: %w", path, err)
		}
		line.Color = c
		line.Width = vg.Points(1.5)
		p.Add(poly, line)
		p.Legend.Add(fmt.Sprintf("%s: %.2f ± %.2f", r.Method, r.BestMean, r.BestStd), line)
	}
	if tab, err := nb201.Load(); err == nil {
		_, best := tab.Best(results[0].Dataset)
		if !math.IsNaN(best) {
			opt, err := plotter.NewLine(plotter.XYs{{X: 1, Y: best}, {X: float64(n), Y: best}})
			if err != nil {
				return fmt.Errorf("plot.Curves %s: %w", path, err)
			}
			opt.Color = color.Black
			opt.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
			p.Add(opt)
			p.Legend.Add(fmt.Sprintf("optimum %.2f", best), opt)
			top = max(top, best)
		}
	}
	// The axes start after the first 2% of samples (at the mean curves' lowest
	// point there): the spread of the first few samples (accuracies down to
	// 10%) would otherwise flatten the rest.
	x0 := max(1, n/50)
	for _, r := range results {
		ymin = min(ymin, r.CurveMean[min(x0, len(r.CurveMean))-1])
	}
	p.X.Min, p.X.Max = float64(x0), float64(n)
	p.Y.Min = ymin
	p.Y.Max = p.Y.Min + 1.12*(top-p.Y.Min)
	p.Legend.ThumbnailWidth = vg.Points(20)

	format := filepath.Ext(path)
	if format == "" {
		return fmt.Errorf("plot.Curves %s: no file extension, want .png, .svg or .pdf", path)
	}
	wt, err := p.WriterTo(8*vg.Inch, 5*vg.Inch, format[1:])
	if err != nil {
		return fmt.Errorf("plot.Curves %s: %w", path, err)
	}
	return fsutil.Write(path, func(w io.Writer) error {
		_, err := wt.WriteTo(w)
		return err
	})
}

// ticks125 labels a log axis at 1, 2, 5, 10, 20, 50, ... with unlabeled minor
// ticks at the other integers times a power of ten.
type ticks125 struct{}

// Ticks implements gplot.Ticker.
func (ticks125) Ticks(lo, hi float64) []gplot.Tick {
	var t []gplot.Tick
	for p := math.Pow10(int(math.Floor(math.Log10(lo)))); p <= hi; p *= 10 {
		for k := 1; k <= 9; k++ {
			v := float64(k) * p
			if v < lo || v > hi {
				continue
			}
			label := ""
			if k == 1 || k == 2 || k == 5 {
				label = fmt.Sprint(v)
			}
			t = append(t, gplot.Tick{Value: v, Label: label})
		}
	}
	return t
}
