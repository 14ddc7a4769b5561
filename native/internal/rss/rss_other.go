//go:build !(linux || darwin)

package rss

// PeakMiB returns 0: the peak RSS is not available on this platform (wasm).
func PeakMiB() float64 { return 0 }
