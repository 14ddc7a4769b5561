package kernels

import (
	"runtime"
	"sync"
	"sync/atomic"
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
// With one worker (and in wasm) it calls fn(0, 0, n) directly. Chunks other
// than the first run on a persistent pool of goroutines (no spawn per call).
// Only one Parallel spreads work at a time: a call made while another is
// running (fn calling Parallel, e.g. an op parallel over the batch calling a
// large GemmNN) calls fn(0, 0, n) on its own goroutine, which keeps the pool
// from waiting on itself.
func Parallel(n int, fn func(worker, lo, hi int)) {
	w := workers
	if w > n {
		w = n
	}
	if w <= 1 || !parallelActive.CompareAndSwap(false, true) {
		if n > 0 {
			fn(0, 0, n)
		}
		return
	}
	defer parallelActive.Store(false)
	startPool(w - 1)
	var wg sync.WaitGroup
	wg.Add(w - 1)
	for i := 1; i < w; i++ {
		poolTasks <- poolTask{fn: fn, worker: i, lo: i * n / w, hi: (i + 1) * n / w, wg: &wg}
	}
	fn(0, 0, n/w)
	wg.Wait()
}

type poolTask struct {
	fn             func(worker, lo, hi int)
	worker, lo, hi int
	wg             *sync.WaitGroup
}

var (
	parallelActive atomic.Bool
	poolMu         sync.Mutex
	poolStarted    int
	poolTasks      = make(chan poolTask, 64)
)

// startPool makes sure at least n pool goroutines are running.
func startPool(n int) {
	poolMu.Lock()
	for ; poolStarted < n; poolStarted++ {
		go func() {
			for t := range poolTasks {
				t.fn(t.worker, t.lo, t.hi)
				t.wg.Done()
			}
		}()
	}
	poolMu.Unlock()
}

// scratchPool recycles float32 buffers for packing and transposes.
var scratchPool sync.Pool

// getScratch returns a buffer of length n (contents undefined).
func getScratch(n int) *[]float32 {
	if p, ok := scratchPool.Get().(*[]float32); ok && cap(*p) >= n {
		*p = (*p)[:n]
		return p
	}
	s := make([]float32, n)
	return &s
}

func putScratch(p *[]float32) { scratchPool.Put(p) }
