//go:build race

package nn_test

// raceEnabled: under -race sync.Pool drops a random share of Puts by design,
// so the kernels' scratch buffers are re-allocated and byte counts mean little.
const raceEnabled = true
