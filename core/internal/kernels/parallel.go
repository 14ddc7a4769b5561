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
//
// Fork and join cost no channel operation or lock while the pool is awake:
// the call publishes its job through one atomic pointer that the pool's
// goroutines watch, and waits for a count of finished chunks (see
// BenchmarkParallelForkJoin: about a microsecond with 2-16 workers).
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
	spreadJob(fn, n, min(n, chunksPerWorker*w), w, w <= homeMax)
}

// Tasks calls fn(i) for every i in [0, n), each task a chunk of its own that
// the first free worker claims in index order (put the longest first), and
// waits. With two tasks or more and two workers or more, the tasks run side
// by side on up to Workers() goroutines and any Parallel they call runs on
// the calling task's goroutine as one chunk (see Parallel), so what a task
// computes depends neither on the worker count nor on the tasks beside it.
// Otherwise (one task, one worker, nested in another Parallel or Tasks, or in
// wasm) it calls fn(0), fn(1), … in order on the caller's goroutine.
func Tasks(n int, fn func(i int)) {
	w := min(workers, n)
	if w <= 1 || !parallelActive.CompareAndSwap(false, true) {
		for i := range n {
			fn(i)
		}
		return
	}
	defer parallelActive.Store(false)
	spreadJob(func(_, lo, _ int) { fn(lo) }, n, n, w, false)
}

// spreadJob runs fn over n items in the given number of chunks on w
// goroutines (the caller and w-1 of the pool) and waits, the chunks claimed
// by home ranges where homes is set (job.run); the caller holds
// parallelActive.
func spreadJob(fn func(worker, lo, hi int), n, chunks, w int, homes bool) {
	startPool(w - 1)
	j := &job{fn: fn, n: n, chunks: chunks, helpers: w - 1, yield: yieldEvery(w), homes: homes}
	current.Store(j)
	if sleepers.Load() > 0 {
		wakeSleepers()
	}
	j.run(0)
	for i := 0; j.done.Load() != int64(j.chunks); i++ {
		if i%j.yield == j.yield-1 {
			runtime.Gosched() // a helper holding a chunk may need this P
		} else {
			spinPause()
		}
	}
	current.Store(nil) // keep nothing fn refers to alive
}

// chunksPerWorker is how finely Parallel splits work for load balancing.
const chunksPerWorker = 4

// job is one Parallel call as the pool sees it.
type job struct {
	fn        func(worker, lo, hi int)
	n, chunks int
	helpers   int          // pool goroutines 0..helpers-1 may take part
	yield     int          // polls between runtime.Gosched calls (yieldEvery)
	homes     bool         // claim by home ranges (else in index order from next)
	next      atomic.Int64 // next chunk to claim
	done      atomic.Int64 // chunks finished
	// home[k]: how many chunks of worker k's home range have been claimed
	// (up to homeMax workers), each counter on its own cache line
	home [homeMax]struct {
		claimed atomic.Int64
		_       [56]byte
	}
}

// homeMax is the most workers whose chunks go by home ranges.
const homeMax = 4

// run claims and runs chunks until none is left; id is the goroutine's
// worker number (the caller 0, pool goroutine k is k+1). With homes (a
// Parallel of up to homeMax workers) each first takes the chunks of its home range (worker k of w:
// chunks [k·chunks/w, (k+1)·chunks/w)), then those left in the others':
// consecutive ops over the same n then give each core the same images, whose
// activations are still in its cache (with one shared counter the images
// went to whichever core claimed first, and at 2 threads every kernel ran
// 15-25% slower than at 1). A core another process holds still only delays
// the chunks nobody else has claimed yet.
func (j *job) run(id int) {
	w := j.helpers + 1
	if !j.homes {
		for {
			c := int(j.next.Add(1) - 1)
			if c >= j.chunks {
				return
			}
			j.runChunk(c)
		}
	}
	for r := 0; r < w; r++ {
		k := (id + r) % w
		lo, hi := k*j.chunks/w, (k+1)*j.chunks/w
		for {
			c := lo + int(j.home[k].claimed.Add(1)-1)
			if c >= hi {
				break
			}
			j.runChunk(c)
		}
	}
}

func (j *job) runChunk(c int) {
	j.fn(c, c*j.n/j.chunks, (c+1)*j.n/j.chunks)
	j.done.Add(1)
}

var (
	parallelActive atomic.Bool
	current        atomic.Pointer[job] // the latest job; the pool runs each at most once per goroutine
	sleepers       atomic.Int32        // pool goroutines parked on wake
	wake           = make(chan struct{}, 256)
	poolMu         sync.Mutex
	poolStarted    int
)

// wakeSleepers hands a token to each parked pool goroutine (a spare token
// only makes one look at current once more and park again).
func wakeSleepers() {
	for k := sleepers.Load(); k > 0; k-- {
		select {
		case wake <- struct{}{}:
		default:
			return
		}
	}
}

// startPool makes sure at least n pool goroutines are running. A pool
// goroutine that finishes a job watches current for the next one for about
// spinFor before it parks: the ops of a training step are tens of
// microseconds apart and short, and waking a parked goroutine takes about as
// long as a small op (measured: with blocking only, two workers ran the DARTS
// browser step no faster than one, the caller taking every chunk before the
// pool woke up).
func startPool(n int) {
	poolMu.Lock()
	for ; poolStarted < n; poolStarted++ {
		go poolLoop(poolStarted)
	}
	poolMu.Unlock()
}

// spinFor bounds how long a pool goroutine polls for work before parking.
const spinFor = time.Millisecond

// yieldEvery returns how many polls of an atomic a goroutine of a w-worker
// Parallel makes between runtime.Gosched calls (called once per Parallel:
// GOMAXPROCS(0) takes the scheduler's lock too). With a P for every worker a
// poller keeps its P and yields rarely (a poll is a spinPause, ~20-70 ns):
// Gosched takes the scheduler's global lock, and 15 pool goroutines yielding
// every poll spent 55% of a 16-core machine's CPU time in it, every 1024
// polls still 20% (profiles of the DARTS reduced config, 16 threads). With
// fewer Ps than workers it yields every poll, so that the goroutine holding a
// chunk gets the P.
func yieldEvery(w int) int {
	if runtime.GOMAXPROCS(0) < w {
		return 1
	}
	return 4096
}

func poolLoop(id int) {
	var last *job
	yield := 1 // the last job's yieldEvery
	idle := time.Now()
	for i := 0; ; i++ {
		if j := current.Load(); j != last {
			last = j
			if j != nil {
				yield = j.yield
				if id < j.helpers {
					j.run(id + 1)
				}
			}
			idle, i = time.Now(), 0
			continue
		}
		if i%64 == 63 && time.Since(idle) > spinFor {
			sleepers.Add(1)
			if current.Load() == last { // else a job came after the check above
				<-wake
			}
			sleepers.Add(-1)
			idle, i = time.Now(), 0
			continue
		}
		if i%yield == yield-1 {
			runtime.Gosched()
		} else {
			spinPause()
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

// spreadMin is the length from which the element-wise helpers below split
// their work over the workers, in blocks of spreadMin/2.
const spreadMin = 1 << 16

// spread calls fn(lo, hi) over [0, n): directly below spreadMin elements or
// with one worker, else in blocks on the workers.
func spread(n int, fn func(lo, hi int)) {
	if n < spreadMin || workers <= 1 {
		fn(0, n)
		return
	}
	const blk = spreadMin / 2
	Parallel((n+blk-1)/blk, func(_, lo, hi int) { fn(lo*blk, min(hi*blk, n)) })
}

// Clear sets every element of x to 0 (a step's gradient buffers, cleared
// between ops), on the calling goroutine: spread over the workers it took
// 3.4× the CPU at 2 threads (0.24 vs 0.07 s of a reduced-config profile, 2.6
// times that at the default config) for no gain in wall time, the cleared
// lines then moving to the core whose images the next op writes.
func Clear(x []float32) { clear(x) }

// ScaleInto writes dst[i] = a·src[i] over len(src) elements (on the workers
// when src is long).
func ScaleInto(dst, src []float32, a float32) {
	dst = dst[:len(src)]
	if len(src) < spreadMin || workers <= 1 {
		scaleInto(dst, src, a)
		return
	}
	spread(len(src), func(lo, hi int) { scaleInto(dst[lo:hi], src[lo:hi], a) })
}

func scaleInto(dst, src []float32, a float32) {
	dst = dst[:len(src)]
	for i, v := range src {
		dst[i] = a * v
	}
}
