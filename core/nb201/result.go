package nb201

import (
	"fmt"
	"math"
	"strings"
)

// Result summarises the runs of one method on the table (core/run's Compare).
type Result struct {
	Method   string
	Samples  int
	Repeats  int
	Dataset  string
	BestMean float64 // mean over runs of the best test accuracy (percent) after Samples
	BestStd  float64 // population standard deviation over runs
	// CurveMean[i], CurveStd[i]: best accuracy within the first i+1 samples.
	CurveMean, CurveStd []float64
	// Tau is the mean over runs of the surrogate's Kendall τ on the cells it
	// predicted before they were evaluated (PNAS); HasTau is false for methods
	// without a surrogate.
	Tau    float64
	HasTau bool
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

// DatasetNames are the display names of the table's data sets.
var DatasetNames = map[string]string{"cifar10": "CIFAR-10", "cifar100": "CIFAR-100", "imagenet16": "ImageNet16-120"}

// FormatTable formats results as the lecture's comparison table (Markdown):
// Method | search cost (samples) | best <dataset> test acc (%) mean ± std.
func FormatTable(results []Result) string {
	var b strings.Builder
	ds := "CIFAR-10"
	if len(results) > 0 {
		ds = DatasetNames[results[0].Dataset]
	}
	fmt.Fprintf(&b, "| Method | search cost (samples) | best %s test acc (%%) |\n", ds)
	b.WriteString("|---|---:|---:|\n")
	for _, r := range results {
		fmt.Fprintf(&b, "| %s | %d | %.2f ± %.2f (%d runs) |\n", r.Method, r.Samples, r.BestMean, r.BestStd, r.Repeats)
	}
	return b.String()
}
