package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestSearchETA: a partial last batch is an iteration of its own; 25k images
// at batch 64 are 391 iterations an epoch (390 full batches and 40 images).
func TestSearchETA(t *testing.T) {
	require.Equal(t, 391*50*time.Second, searchETA(25000, 64, 50, time.Second))
	require.Equal(t, 3*2*time.Millisecond, searchETA(10, 4, 2, time.Millisecond))
	require.Equal(t, 5*time.Second, searchETA(5, 1, 1, time.Second))
	// the anchor: 64 img/s is 1 s per iteration of 64, about 5.4 h
	require.InDelta(t, 5.43, searchETA(25000, 64, 50, time.Second).Hours(), 0.01)
}
