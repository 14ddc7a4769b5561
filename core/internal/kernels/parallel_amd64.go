//go:build amd64 && !noasm

package kernels

// spinPause is one PAUSE instruction: a polling loop that executes it leaves
// the core's other hyperthread its execution units and waits about 40-140
// cycles per poll instead of hammering the cache line.
func spinPause()
