package nb201

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/nasplayground/nas/core/search"
	"github.com/nasplayground/nas/core/search/evolution"
	"github.com/nasplayground/nas/core/search/random"
	"github.com/nasplayground/nas/core/search/rl"
)

// Methods are the strategies Compare runs.
var Methods = []string{random.Method, evolution.Method, rl.Method}

// CompareConfig configures Compare. Zero optional fields take the strategies'
// defaults (evolution P=100, S=25; REINFORCE rl.DefaultConfig).
type CompareConfig struct {
	Methods []string // subset of Methods; all when empty
	Samples int      // architectures per run (N)
	Repeats int      // runs per method (R), seeds Seed+r
	Dataset string   // cifar10 | cifar100 | imagenet16
	Seed    uint64

	Population, SampleSize int     // evolution; 0 = default
	LR                     float64 // REINFORCE Adam learning rate; 0 = default
	Hidden                 int     // REINFORCE LSTM size; 0 = default
}

// Result summarises the runs of one method.
type Result struct {
	Method   string
	Samples  int
	Repeats  int
	Dataset  string
	BestMean float64 // mean over runs of the best test accuracy (percent) after Samples
	BestStd  float64 // population standard deviation over runs
	// CurveMean[i], CurveStd[i]: best accuracy within the first i+1 samples.
	CurveMean, CurveStd []float64
	Seconds             float64 // wall time of all runs of this method
}

// Compare runs each method Repeats times on the table (seeds Seed+r) and
// returns one Result per method, in the order of cfg.Methods.
func Compare(cfg CompareConfig) ([]Result, error) {
	if cfg.Samples < 1 || cfg.Repeats < 1 {
		return nil, fmt.Errorf("nb201.Compare: samples %d, repeats %d, want >= 1", cfg.Samples, cfg.Repeats)
	}
	methods := cfg.Methods
	if len(methods) == 0 {
		methods = Methods
	}
	tab, err := Load()
	if err != nil {
		return nil, err
	}
	if _, err := datasetColumn(cfg.Dataset); err != nil {
		return nil, fmt.Errorf("nb201.Compare: %w", err)
	}
	eval := Evaluator{Table: tab, Dataset: cfg.Dataset}
	var results []Result
	for _, m := range methods {
		start := time.Now()
		curves := make([][]float64, cfg.Repeats)
		for r := range cfg.Repeats {
			s, err := newSearcher(m, cfg, eval, cfg.Seed+uint64(r))
			if err != nil {
				return nil, err
			}
			curve := make([]float64, 0, cfg.Samples)
			for !s.Done() {
				ev, err := s.Step()
				if err != nil {
					return nil, fmt.Errorf("nb201.Compare: %s run %d: %w", m, r, err)
				}
				curve = append(curve, ev.Best)
			}
			curves[r] = curve
		}
		res := Result{Method: m, Samples: cfg.Samples, Repeats: cfg.Repeats, Dataset: cfg.Dataset,
			CurveMean: make([]float64, cfg.Samples), CurveStd: make([]float64, cfg.Samples)}
		col := make([]float64, cfg.Repeats)
		for i := range cfg.Samples {
			for r := range col {
				col[r] = curves[r][i]
			}
			res.CurveMean[i], res.CurveStd[i] = MeanStd(col)
		}
		res.BestMean, res.BestStd = res.CurveMean[cfg.Samples-1], res.CurveStd[cfg.Samples-1]
		res.Seconds = time.Since(start).Seconds()
		results = append(results, res)
	}
	return results, nil
}

func newSearcher(method string, cfg CompareConfig, eval Evaluator, seed uint64) (search.Searcher, error) {
	switch method {
	case random.Method:
		return random.New(Space{}, eval, cfg.Samples, seed), nil
	case evolution.Method:
		ec := evolution.DefaultConfig(cfg.Samples, seed)
		if cfg.Population > 0 {
			ec.Population = cfg.Population
		}
		if cfg.SampleSize > 0 {
			ec.SampleSize = cfg.SampleSize
		}
		return evolution.New(Space{}, eval, ec)
	case rl.Method:
		rc := rl.DefaultConfig(cfg.Samples, seed)
		if cfg.LR > 0 {
			rc.LR = cfg.LR
		}
		if cfg.Hidden > 0 {
			rc.Controller.Hidden = cfg.Hidden
		}
		return rl.New(Space{}, eval, rc), nil
	}
	return nil, fmt.Errorf("nb201.Compare: method %q, want one of %v", method, Methods)
}

// MeanStd returns the mean and the population standard deviation of x (non-empty).
func MeanStd(x []float64) (mean, std float64) {
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	for _, v := range x {
		std += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(std / float64(len(x)))
}

// FormatTable formats results as the lecture's comparison table (Markdown):
// Method | search cost (samples) | best <dataset> test acc (%) mean ± std.
func FormatTable(results []Result) string {
	var b strings.Builder
	ds := "CIFAR-10"
	if len(results) > 0 {
		ds = map[string]string{"cifar10": "CIFAR-10", "cifar100": "CIFAR-100", "imagenet16": "ImageNet16-120"}[results[0].Dataset]
	}
	fmt.Fprintf(&b, "| Method | search cost (samples) | best %s test acc (%%) |\n", ds)
	b.WriteString("|---|---:|---:|\n")
	for _, r := range results {
		fmt.Fprintf(&b, "| %s | %d | %.2f ± %.2f (%d runs) |\n", r.Method, r.Samples, r.BestMean, r.BestStd, r.Repeats)
	}
	return b.String()
}
