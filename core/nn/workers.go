package nn

import "github.com/nasplayground/nas/core/internal/kernels"

// SetThreads sets how many goroutines the kernels use (n < 1: all cores; the
// browser always uses 1).
func SetThreads(n int) { kernels.SetWorkers(n) }

// Threads returns the kernel worker count.
func Threads() int { return kernels.Workers() }
