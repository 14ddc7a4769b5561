package kernels

import (
	"runtime"
	"sync"
)

var workers = defaultWorkers()

func defaultWorkers() int {
	if runtime.GOARCH == "wasm" {
		return 1
	}
	return runtime.GOMAXPROCS(0)
}

// SetWorkers sets how many goroutines kernels may use (n < 1 means all cores).
// Call it before work starts, not concurrently with kernels.
func SetWorkers(n int) {
	if n < 1 {
		n = defaultWorkers()
	}
	workers = n
}

// Workers returns the worker count kernels use.
func Workers() int { return workers }

// Parallel calls fn(worker, lo, hi) over a partition of [0, n) into at most
// Workers() contiguous chunks, one goroutine each, and waits. worker is the
// chunk index in [0, Workers()), so fn may use per-worker scratch buffers.
// With one worker (and in wasm) it calls fn(0, 0, n) directly.
func Parallel(n int, fn func(worker, lo, hi int)) {
	w := workers
	if w > n {
		w = n
	}
	if w <= 1 {
		if n > 0 {
			fn(0, 0, n)
		}
		return
	}
	var wg sync.WaitGroup
	wg.Add(w - 1)
	for i := 1; i < w; i++ {
		lo, hi := i*n/w, (i+1)*n/w
		go func(i, lo, hi int) {
			defer wg.Done()
			fn(i, lo, hi)
		}(i, lo, hi)
	}
	fn(0, 0, n/w)
	wg.Wait()
}
