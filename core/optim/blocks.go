package optim

import (
	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/internal/kernels"
)

// blockLen is how many elements of the parameters taken end to end one
// block covers: the unit an update is split into for the kernel workers.
// Blocks depend on the parameter sizes alone, so a reduction summed block by
// block in order gives the same value for any worker count.
const blockLen = 1 << 14

// numBlocks returns the total element count of params and how many blocks
// cover it.
func numBlocks(params []*autograd.Var) (total, nb int) {
	for _, p := range params {
		total += len(p.Value.Data)
	}
	return total, (total + blockLen - 1) / blockLen
}

// parallelBlocks reports whether an update over nb blocks is worth spreading
// over the kernel workers. Callers build their block closure only then, so
// the serial path does not allocate.
func parallelBlocks(nb int) bool { return nb > 1 && kernels.Workers() > 1 }

// forBlocks calls fn(b, k, lo, hi) for every piece [lo, hi) of parameter k
// that falls in block b, for the blocks [blo, bhi) in order.
func forBlocks(params []*autograd.Var, total, blo, bhi int, fn func(b, k, lo, hi int)) {
	k, off := 0, 0
	for b := blo; b < bhi; b++ {
		lo, hi := b*blockLen, min((b+1)*blockLen, total)
		for lo < hi {
			for off+len(params[k].Value.Data) <= lo {
				off += len(params[k].Value.Data)
				k++
			}
			e := min(hi, off+len(params[k].Value.Data))
			fn(b, k, lo-off, e-off)
			lo = e
		}
	}
}

// spreadBlocks runs forBlocks over all nb blocks on the kernel workers.
func spreadBlocks(params []*autograd.Var, total, nb int, fn func(b, k, lo, hi int)) {
	kernels.Parallel(nb, func(_, blo, bhi int) { forBlocks(params, total, blo, bhi, fn) })
}
