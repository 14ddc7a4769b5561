package main

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/nn"
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

// --kernels picks a kernel set the CPU runs or says which it runs, in one
// line with the usage exit code; --portable is --kernels generic.
func TestBenchKernelsFlag(t *testing.T) {
	defer nn.UseKernels("best")
	for _, bad := range [][]string{
		{"--kernels", "sse9"},
		{"--portable", "--kernels", "best-ish"},
		{"--portable", "--kernels", nn.KernelSets()[0]},
	} {
		if len(nn.KernelSets()) == 1 && bad[len(bad)-1] == "generic" {
			continue // --portable --kernels generic agree
		}
		code, _, errOut := nas(append([]string{"bench", "gemm", "--sizes", "8", "--min-time", "0.001"}, bad...)...)
		require.Equal(t, 2, code, "%v", bad)
		require.Equal(t, 1, strings.Count(strings.TrimSpace(errOut), "\n")+1, "one line: %q", errOut)
		require.Contains(t, errOut, "--kernels", "%v", bad)
	}
	for _, set := range nn.KernelSets() {
		code, out, errOut := nas("bench", "gemm", "--sizes", "8", "--min-time", "0.001", "--kernels", set, "--json")
		require.Equal(t, 0, code, errOut)
		require.Contains(t, out, `"impl":"nas-`+set+`"`)
	}
}
