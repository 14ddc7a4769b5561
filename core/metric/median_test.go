package metric_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/nasplayground/nas/core/metric"
)

func TestMedian(t *testing.T) {
	xs := []float64{3, 1, 2}
	assert.InDelta(t, 2, metric.Median(xs), 1e-12)
	assert.Equal(t, []float64{3, 1, 2}, xs, "the input is not sorted in place")
	assert.InDelta(t, 2.5, metric.Median([]float64{4, 1, 3, 2}), 1e-12)
	assert.Zero(t, metric.Median(nil))
}
