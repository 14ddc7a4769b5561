package autograd

import (
	"github.com/nasplayground/nas/core/internal/kernels"
	"github.com/nasplayground/nas/core/tensor"
)

// Branch is one of a Fork's pieces of a forward pass: ops record on its Tape,
// and read the Vars recorded outside the fork through Input.
type Branch struct {
	// Tape is what the branch's ops record on: a tape of its own while the
	// fork runs branches side by side, the forking tape itself when it runs
	// them one after the other.
	Tape *Tape

	direct       bool // on the forking tape: Input is the identity
	outer, proxy []*Var
}

// Input returns the Var through which the branch reads v, a Var recorded
// outside the fork. Side by side, it is a stand-in with v's value whose
// gradient is the branch's own: the fork adds it into v's once every branch's
// backward has run, in branch order, so no two branches write one buffer and
// the sums do not depend on which branch finished first.
func (b *Branch) Input(v *Var) *Var {
	if b.direct || v == nil {
		return v
	}
	for i, o := range b.outer {
		if o == v {
			return b.proxy[i]
		}
	}
	p := &Var{Value: v.Value, Name: v.Name, requiresGrad: v.requiresGrad && !b.Tape.noGrad, tape: b.Tape}
	b.outer, b.proxy = append(b.outer, v), append(b.proxy, p)
	return p
}

// Fork runs fn(0, b0) … fn(n-1, bn-1), independent pieces of a forward pass
// (a cell's edges), side by side on the kernel workers (kernels.Tasks: the
// first free worker takes the next index, so put the longest first), and
// records one node whose backward runs the branches' backward passes side by
// side too. A branch may read anything recorded before the fork (through
// Branch.Input) and its own results, never another branch's; the Vars it
// returns may be read after the fork as usual. Each branch records on a tape
// of its own (kept across Reset) that takes its buffers from t's pool, and
// its ops' kernels run unsplit on its goroutine: what a branch computes does
// not depend on the worker count. With fewer than ForkMin() branches per
// worker (one worker, in wasm) the branches run in order on t itself, each
// op's kernels spread over the workers as usual, and Input is the identity:
// no stand-ins, no extra sums.
func (t *Tape) Fork(n int, fn func(i int, b *Branch)) {
	if n <= 0 {
		return
	}
	if w := kernels.Workers(); w <= 1 || n < forkMin*w {
		b := &Branch{Tape: t, direct: true}
		for i := range n {
			fn(i, b)
		}
		return
	}
	bs := make([]*Branch, n)
	for i := range bs {
		bs[i] = &Branch{Tape: t.kid()}
	}
	kernels.Tasks(n, func(i int) { fn(i, bs[i]) })
	if t.noGrad {
		return
	}
	recorded := false
	for _, b := range bs {
		recorded = recorded || len(b.Tape.nodes) > 0
	}
	if !recorded {
		return
	}
	t.nodes = append(t.nodes, &Var{Name: "Fork", tape: t, requiresGrad: true, group: func() {
		kernels.Tasks(n, func(i int) { bs[i].Tape.runBackward(nil) })
		sumStandIns(bs)
	}})
}

// gradSum is one term of a fork's gradient sums: src copied (first) or added
// into dst.
type gradSum struct {
	dst, src []float32
	first    bool
}

// standInBlock is the elements of each term sumStandIns adds at a time:
// 4 KiB, so the few Vars a fork's branches read (a cell's states) keep their
// blocks in L1 together.
const standInBlock = 1024

// sumStandIns adds the branches' stand-in gradients into the Vars they stand
// for, in branch order, and releases them. The sums are spread over the
// kernel workers by element ranges, each range summed in branch order, so
// the result is the serial one's bit for bit (run one after the other, they
// were 3% of a 2-thread DARTS step with the other worker idle).
func sumStandIns(bs []*Branch) {
	var terms []gradSum
	longest := 0
	for _, b := range bs {
		for i, p := range b.proxy {
			if p.Grad == nil || !b.outer[i].requiresGrad {
				continue
			}
			v := b.outer[i]
			t := gradSum{src: p.Grad.Data}
			if v.Grad == nil && !v.aliased && v.tape != nil {
				v.Grad = v.tape.Alloc(v.Value.Shape...)
				t.first = true
			}
			t.dst = v.GradBuf().Data[:len(t.src)]
			terms = append(terms, t)
			longest = max(longest, len(t.src))
		}
	}
	kernels.Parallel(longest, func(_, lo, hi int) {
		// a block of elements at a time, every term in order: each Var's
		// block stays in L1 while its terms add into it, so it is read and
		// written once however many branches read the Var (term by term
		// over the whole range, each term read and wrote it again: at 2
		// threads these sums were 4% of a DARTS step)
		for b := lo; b < hi; b += standInBlock {
			e := min(b+standInBlock, hi)
			for _, t := range terms {
				if b >= len(t.src) {
					continue
				}
				h := min(e, len(t.src))
				if t.first {
					copy(t.dst[b:h], t.src[b:h])
				} else {
					kernels.Add(t.src[b:h], t.dst[b:h])
				}
			}
		}
	})
	for _, b := range bs {
		for _, p := range b.proxy {
			if p.Grad != nil {
				b.Tape.release(p.Grad)
				p.Grad = nil
			}
		}
	}
}

// DefaultForkMin is how many branches per worker a Fork needs by default to
// run them side by side: with fewer, the workers' loads are uneven (the last
// branches leave workers idle), and splitting each op over the workers does
// better (measured on 2 workers: a DARTS genotype cell's 2-5 ops per level
// 10% slower forked; a search cell's 12-30 per node 15-40% faster).
const DefaultForkMin = 3

var forkMin = DefaultForkMin

// SetForkMin sets the branches per worker from which Fork runs them side by
// side (n < 1: DefaultForkMin; a large n: never), for benchmarks that
// compare the two schedules. Call it before work starts, as
// kernels.SetWorkers.
func SetForkMin(n int) {
	if n < 1 {
		n = DefaultForkMin
	}
	forkMin = n
}

// ForkMin returns the branches per worker from which Fork runs them side by
// side.
func ForkMin() int { return forkMin }

// kid returns the next branch tape of t, fresh or kept from an earlier step.
func (t *Tape) kid() *Tape {
	if t.nkids == len(t.kids) {
		t.kids = append(t.kids, &Tape{pool: t.pool, released: map[*tensor.Tensor]int{}})
	}
	k := t.kids[t.nkids]
	t.nkids++
	k.noGrad = t.noGrad
	return k
}
