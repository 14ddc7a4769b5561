//go:build linux || darwin

package rss

import (
	"runtime"
	"syscall"
)

// PeakMiB returns the peak resident set size in MiB (0 if unknown).
func PeakMiB() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	if runtime.GOOS == "darwin" {
		return float64(ru.Maxrss) / (1 << 20)
	}
	return float64(ru.Maxrss) / 1024
}
