package nn

import (
	"github.com/nasplayground/nas/core/internal/kernels"
	"github.com/nasplayground/nas/core/tensor"
)

// slotAcc holds per-slot partial sums of a kernels.Parallel over the images
// (weight gradients): slot wk owns buf[wk·per : (wk+1)·per]. A slot is
// cleared when its chunk first takes it, and only slots that ran are added
// up: Parallel runs fewer chunks than Slots() when there are fewer images
// than slots, and one when it is nested.
type slotAcc struct {
	buf []float32
	per int
	ran []bool
}

func newSlotAcc(t *tensor.Tensor, per int) *slotAcc {
	return &slotAcc{buf: t.Data, per: per, ran: make([]bool, len(t.Data)/max(per, 1))}
}

// slot returns slot wk's part, cleared, and marks it as run. Call it once per
// chunk (Parallel's slot index is the chunk's).
func (a *slotAcc) slot(wk int) []float32 {
	s := a.mark(wk)
	clear(s)
	return s
}

// mark is slot without the clearing, for a part that holds scratch beside
// the sums: the chunk clears its accumulators itself.
func (a *slotAcc) mark(wk int) []float32 {
	a.ran[wk] = true
	return a.buf[wk*a.per : (wk+1)*a.per]
}

// addTo adds elements [off, off+len(dst)) of the slots that ran to dst, in
// slot order (the same sums as a serial loop over the slots), spread over the
// kernel workers in blocks.
func (a *slotAcc) addTo(dst []float32, off int) {
	const blk = 256
	if len(dst) == 0 {
		return
	}
	kernels.Parallel((len(dst)+blk-1)/blk, func(_, lo, hi int) {
		lo, hi = lo*blk, min(hi*blk, len(dst))
		for wk, r := range a.ran {
			if r {
				kernels.Add(a.buf[wk*a.per+off+lo:wk*a.per+off+hi], dst[lo:hi])
			}
		}
	})
}
