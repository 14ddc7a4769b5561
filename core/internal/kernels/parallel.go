package kernels

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
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

// Slots returns how many distinct slots Parallel may pass to fn (size per-slot
// scratch with it).
func Slots() int {
	if workers <= 1 {
		return 1
	}
	return chunksPerWorker * workers
}

// Parallel calls fn(slot, lo, hi) over a partition of [0, n) into at most
// Slots() contiguous chunks and waits; slot is the chunk's index, so fn may
// use per-slot scratch and accumulators, and summing those in slot order is
// deterministic. The chunk boundaries depend only on n and Workers(); up to
// Workers() goroutines (the caller and a persistent pool, no spawn per call)
// claim chunks from a shared counter, so a worker whose core is taken by
// another process does not hold the others up. With one worker (and in wasm)
// it calls fn(0, 0, n) directly. Only one Parallel spreads work at a time: a
// call made while another is running (fn calling Parallel, e.g. an op
// parallel over the batch calling a large GemmNN) calls fn(0, 0, n) on its
// own goroutine, which keeps the pool from waiting on itself.
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
	chunks := min(n, chunksPerWorker*w)
	var next atomic.Int64
	run := func() {
		for {
			c := int(next.Add(1) - 1)
			if c >= chunks {
				return
			}
			fn(c, c*n/chunks, (c+1)*n/chunks)
		}
	}
	var wg sync.WaitGroup
	wg.Add(w - 1)
	for i := 1; i < w; i++ {
		poolTasks <- poolTask{run: run, wg: &wg}
	}
	run()
	wg.Wait()
}

// chunksPerWorker is how finely Parallel splits work for load balancing.
const chunksPerWorker = 4

type poolTask struct {
	run func()
	wg  *sync.WaitGroup
}

var (
	parallelActive atomic.Bool
	poolMu         sync.Mutex
	poolStarted    int
	poolTasks      = make(chan poolTask, 64)
)

// startPool makes sure at least n pool goroutines are running. A pool
// goroutine that finishes a task polls for the next one for about spinFor
// before it blocks: the ops of a training step are tens of microseconds
// apart and long, and waking a parked goroutine takes about as long as a
// small op (measured: with blocking only, two workers ran the DARTS browser
// step no faster than one, the caller taking every chunk before the pool
// woke up).
func startPool(n int) {
	poolMu.Lock()
	for ; poolStarted < n; poolStarted++ {
		go func() {
			for {
				t, ok := pollTask()
				if !ok {
					t = <-poolTasks
				}
				t.run()
				t.wg.Done()
			}
		}()
	}
	poolMu.Unlock()
}

// spinFor bounds how long a pool goroutine polls for work before parking.
const spinFor = 200 * time.Microsecond

func pollTask() (poolTask, bool) {
	start := time.Now()
	for i := 0; ; i++ {
		select {
		case t := <-poolTasks:
			return t, true
		default:
		}
		runtime.Gosched() // with fewer Ps than workers, let the others run
		if i%16 == 15 && time.Since(start) > spinFor {
			return poolTask{}, false
		}
	}
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
