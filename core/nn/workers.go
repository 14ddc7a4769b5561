package nn

import (
	"fmt"
	"strings"

	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/internal/kernels"
)

// SetThreads sets how many goroutines the kernels use (n < 1: all cores; the
// browser always uses 1).
func SetThreads(n int) { kernels.SetWorkers(n) }

// Threads returns the kernel worker count.
func Threads() int { return kernels.Workers() }

// FastPath names the kernel path in use: "avx512", "avx2" or "generic".
func FastPath() string { return kernels.FastPath() }

// SetFastPath switches the amd64 SIMD kernels on or off (off = the portable
// path the browser runs), for benchmarks and agreement tests.
func SetFastPath(on bool) { kernels.SetFastPath(on) }

// KernelSets names the kernel sets this CPU and build can run, the best
// first, "generic" (the portable kernels the browser runs) last.
func KernelSets() []string { return append(kernels.FastPaths(), "generic") }

// UseKernels installs the kernel set called name (one of KernelSets; "best"
// is the first), for benchmarks that compare them on one machine.
func UseKernels(name string) error {
	switch {
	case name == "best":
		kernels.SetFastPath(true)
	case name == "generic":
		kernels.SetFastPath(false)
	case !kernels.UseFastPath(name):
		return fmt.Errorf("kernel set %q: this CPU and build run %s", name, strings.Join(KernelSets(), ", "))
	}
	return nil
}

// MatMul computes C = A·B for row-major A (m×k), B (k×n), C (m×n) with the
// same GEMM the ops use (for `nas bench gemm`).
func MatMul(m, n, k int, a, b, c []float32) { kernels.GemmNN(m, n, k, a, k, b, n, 0, c, n) }

// SetForkMin sets how many ops per kernel worker a search cell's node needs
// to run its ops side by side, each whole on one worker, instead of one
// after the other, each split over the workers by images (n < 1: the
// default, autograd.DefaultForkMin; a large n: never side by side). For
// benchmarks comparing the two; call it before work starts.
func SetForkMin(n int) { autograd.SetForkMin(n) }

// ForkMin returns the ops per worker from which a node's ops run side by side.
func ForkMin() int { return autograd.ForkMin() }
