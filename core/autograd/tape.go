package autograd

import (
	"fmt"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/nasplayground/nas/core/internal/kernels"
	"github.com/nasplayground/nas/core/tensor"
)

// Tape records the ops of one forward pass in execution order (a topological
// order by construction) and owns their buffers. Reset returns every buffer to
// a pool keyed by length, so the next step of the same network allocates
// nothing new for its working set.
type Tape struct {
	nodes  []*Var
	noGrad bool

	pool  *bufPool         // shared with the branch tapes of Fork
	live  []*tensor.Tensor // handed out since the last Reset
	ilive [][]int32
	// ireleased counts the int32 buffers of ilive handed back by FreeInt32.
	ireleased map[*int32]int

	// released counts the buffers of live that Backward already returned to
	// free (an intermediate gradient is dead once its node's backward ran);
	// Reset skips that many copies of each, as the buffer may have been
	// handed out again meanwhile.
	released map[*tensor.Tensor]int

	// kids are the branch tapes of Fork, kept across Reset; the first nkids
	// are in use since the last Reset.
	kids  []*Tape
	nkids int
}

// bufPool holds a tape's reusable buffers by length. A tape and its branch
// tapes share one, so that a buffer one branch is done with serves another
// (the working set stays that of the serial pass); branches allocate side by
// side, hence the lock.
type bufPool struct {
	mu    sync.Mutex
	free  map[int][]*tensor.Tensor
	ifree map[int][][]int32

	keepBudget int64        // bytes Keep grants per step
	keepLeft   atomic.Int64 // of which not granted yet this step

	colour int // of the next new buffer (see newBuffer)
}

func newBufPool() *bufPool {
	p := &bufPool{free: map[int][]*tensor.Tensor{}, ifree: map[int][][]int32{}, keepBudget: DefaultKeepBudget}
	p.keepLeft.Store(p.keepBudget)
	return p
}

// DefaultKeepBudget is what Keep grants per step on a new tape: at the DARTS
// reduced config (batch 32) every fused SepConv unit keeps the depthwise
// output it would recompute; at the default config the first cells' units
// do, for 120 MiB more peak RSS (keeping every one there takes 0.33 of the
// reference's; BENCHMARKS.md, round 9). Max pools keep their argmax outside
// the budget (round 15).
const DefaultKeepBudget = 64 << 20

// SetKeepBudget sets the bytes Keep grants per step, from now on (and on
// the branch tapes of Fork, which share t's budget).
func (t *Tape) SetKeepBudget(bytes int64) {
	t.pool.keepBudget = bytes
	t.pool.keepLeft.Store(bytes)
}

// Keep reports whether an op may keep a tensor of the given size for its
// backward that it would otherwise recompute there, and if so counts it
// against the step's budget (refilled by Reset). Never while recording is
// off: no backward will read it.
func (t *Tape) Keep(bytes int64) bool {
	if t.noGrad {
		return false
	}
	if t.pool.keepLeft.Add(-bytes) >= 0 {
		return true
	}
	t.pool.keepLeft.Add(bytes)
	return false
}

// get takes a buffer of n elements from the pool, or returns nil.
func (p *bufPool) get(n int) *tensor.Tensor {
	p.mu.Lock()
	defer p.mu.Unlock()
	return take(p.free, n)
}

func (p *bufPool) put(b *tensor.Tensor) {
	p.mu.Lock()
	p.free[len(b.Data)] = append(p.free[len(b.Data)], b)
	p.mu.Unlock()
}

func (p *bufPool) getInt32(n int) []int32 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return take(p.ifree, n)
}

func (p *bufPool) putInt32(b []int32) {
	p.mu.Lock()
	p.ifree[len(b)] = append(p.ifree[len(b)], b)
	p.mu.Unlock()
}

// take pops the last buffer of length n from free (the zero value if none).
func take[B any](free map[int][]B, n int) B {
	var b B
	if l := free[n]; len(l) > 0 {
		b = l[len(l)-1]
		free[n] = l[:len(l)-1]
	}
	return b
}

// NewTape returns an empty tape that records gradients.
func NewTape() *Tape {
	return &Tape{pool: newBufPool(), released: map[*tensor.Tensor]int{}}
}

// SetNoGrad switches recording off (evaluation, α-free forward passes): ops
// then return plain values and keep nothing for backward.
func (t *Tape) SetNoGrad(on bool) { t.noGrad = on }

// NoGrad reports whether recording is off.
func (t *Tape) NoGrad() bool { return t.noGrad }

// Alloc returns a buffer of the given shape valid until Reset. Its contents
// are unspecified: the op must overwrite every element.
func (t *Tape) Alloc(shape ...int) *tensor.Tensor {
	n := tensor.Numel(shape)
	if b := t.pool.get(n); b != nil {
		b.Shape = append(b.Shape[:0], shape...)
		t.live = append(t.live, b)
		return b
	}
	b := t.pool.newBuffer(shape)
	t.live = append(t.live, b)
	return b
}

// Buffer colours: a new buffer of at least colourMin floats starts at
// colourStep·k bytes modulo 4 KiB, k cycling through the colours in the
// order colourNext gives. Go hands out large allocations whole pages apart,
// so without this every activation sits at the same address modulo 4 KiB
// and an op reading one tensor while writing another (the 1×1 convolution's
// y = W·x) has its loads wait on stores to the same low address bits. Consecutive buffers (an op's output and its
// scratch) are 9·256 bytes apart modulo 4 KiB, every two 512.
const (
	colourMin    = 1024
	colourStep   = 256  // bytes: a multiple of the widest vector (64 bytes)
	colours      = 16   // 16·256 bytes: the 4 KiB period
	colourNext   = 9    // odd, so k runs through every colour
	colourPeriod = 4096 // bytes
)

// newBuffer allocates a tensor of the given shape at the next colour.
func (p *bufPool) newBuffer(shape []int) *tensor.Tensor {
	n := tensor.Numel(shape)
	if n < colourMin {
		return tensor.New(shape...)
	}
	p.mu.Lock()
	k := p.colour
	p.colour = (p.colour + colourNext) % colours
	p.mu.Unlock()
	raw := make([]float32, n+colourPeriod/4)
	base := int(uintptr(unsafe.Pointer(&raw[0])) % colourPeriod)
	off := ((k*colourStep-base)%colourPeriod + colourPeriod) % colourPeriod / 4
	return &tensor.Tensor{Shape: append([]int(nil), shape...), Data: raw[off : off+n : off+n]}
}

// AllocZero is Alloc with the buffer cleared.
func (t *Tape) AllocZero(shape ...int) *tensor.Tensor {
	b := t.Alloc(shape...)
	kernels.Clear(b.Data)
	return b
}

// AllocInt32 returns an int32 scratch slice of length n valid until Reset
// (max-pool argmax, labels).
func (t *Tape) AllocInt32(n int) []int32 {
	if b := t.pool.getInt32(n); b != nil {
		t.ilive = append(t.ilive, b)
		return b
	}
	b := make([]int32, n)
	t.ilive = append(t.ilive, b)
	return b
}

// Reset forgets the recorded ops and recycles every buffer handed out since
// the previous Reset. Vars produced by this tape must not be used afterwards.
func (t *Tape) Reset() {
	for _, v := range t.nodes {
		v.Grad, v.backward, v.group, v.aliased, v.keepGrad, v.gradDot = nil, nil, nil, false, false, nil
	}
	clear(t.nodes)
	t.nodes = t.nodes[:0]
	for _, b := range t.live {
		if k := t.released[b]; k > 0 {
			t.released[b] = k - 1
			continue
		}
		t.pool.put(b)
	}
	clear(t.released)
	clear(t.live)
	t.live = t.live[:0]
	for _, b := range t.ilive {
		if len(b) > 0 {
			if k := t.ireleased[&b[0]]; k > 0 {
				t.ireleased[&b[0]] = k - 1
				continue
			}
		}
		t.pool.putInt32(b)
	}
	clear(t.ireleased)
	clear(t.ilive)
	t.ilive = t.ilive[:0]
	for _, k := range t.kids[:t.nkids] {
		k.Reset()
	}
	t.nkids = 0
	t.pool.keepLeft.Store(t.pool.keepBudget)
}

// PooledBytes returns the bytes of float32 buffers waiting in the pool (not
// handed out): after Reset, the tape's whole working set.
func (t *Tape) PooledBytes() int {
	t.pool.mu.Lock()
	defer t.pool.mu.Unlock()
	n := 0
	for l, bs := range t.pool.free {
		n += 4 * l * len(bs)
	}
	return n
}

// Len returns the number of recorded ops.
func (t *Tape) Len() int { return len(t.nodes) }

// Record wraps out, computed from inputs, as a Var. If gradients flow into any
// input (and recording is on) the backward closure is kept; it receives dL/dout
// and must accumulate into the inputs' GradBuf (only those that RequiresGrad).
func (t *Tape) Record(name string, out *tensor.Tensor, backward func(dy *tensor.Tensor), inputs ...*Var) *Var {
	v := &Var{Value: out, Name: name, tape: t}
	if t.noGrad {
		return v
	}
	for _, in := range inputs {
		if in != nil && in.requiresGrad {
			v.requiresGrad = true
			break
		}
	}
	if v.requiresGrad {
		v.backward = backward
		t.nodes = append(t.nodes, v)
	}
	return v
}

// Free hands b, a buffer of this tape's Alloc that no recorded backward will
// read (an op's scratch), back to the pool before Reset, so the next Alloc
// of its length reuses it.
func (t *Tape) Free(b *tensor.Tensor) { t.release(b) }

// FreeInt32 is Free for a buffer of AllocInt32.
func (t *Tape) FreeInt32(b []int32) {
	if len(b) == 0 {
		return
	}
	if t.ireleased == nil {
		t.ireleased = map[*int32]int{}
	}
	t.ireleased[&b[0]]++
	t.pool.putInt32(b)
}

// RecordTransient is Record for an op whose output only its consumers on
// this tape read (a unit inside a network, never returned to a caller): once
// its own backward has run during BackwardWith, every reader is done, and
// the output's buffer goes back to the pool for the gradients still to come
// (v.Value becomes nil). out must come from this tape's Alloc.
func (t *Tape) RecordTransient(name string, out *tensor.Tensor, backward func(dy *tensor.Tensor), inputs ...*Var) *Var {
	v := t.Record(name, out, backward, inputs...)
	v.transient = true
	return v
}

// RecordScalable is RecordTransient for an op whose backward reads
// GradScale of its output (dL/dy = GradScale·dy), so a consumer may pass it
// a scaled gradient without writing it (Var.AliasGrad). The backward obtains
// its own Var through the pointer self, which RecordScalable sets.
func (t *Tape) RecordScalable(name string, out *tensor.Tensor, backward func(dy *tensor.Tensor), self **Var, inputs ...*Var) *Var {
	v := t.RecordTransient(name, out, backward, inputs...)
	v.scalable = true
	*self = v
	return v
}

// release returns an intermediate gradient buffer to the pool before Reset.
func (t *Tape) release(b *tensor.Tensor) {
	if t.released == nil {
		t.released = map[*tensor.Tensor]int{}
	}
	t.released[b]++
	t.pool.put(b)
}

// Backward seeds dL/dloss = 1 for a one-element loss and runs every recorded
// backward closure in reverse order.
func (t *Tape) Backward(loss *Var) {
	if loss.Value.Len() != 1 {
		panic(&tensor.ShapeError{Op: "autograd.Backward", Arg: "loss", Got: loss.Value.Shape, Want: "one element"})
	}
	g := tensor.New(loss.Value.Shape...)
	g.Data[0] = 1
	t.BackwardWith(loss, g)
}

// BackwardWith seeds dL/dy = dy (same shape as y) and runs the tape backwards.
// The gradient of each recorded (non-leaf) op is dead once its backward has
// run: its buffer goes back to the pool (v.Grad becomes nil), so the peak
// working set is the activations plus the gradients in flight, not plus all
// of them. Leaf gradients (parameters, inputs) stay.
func (t *Tape) BackwardWith(y *Var, dy *tensor.Tensor) {
	if !tensor.SameShape(y.Value.Shape, dy.Shape) {
		panic(&tensor.ShapeError{Op: "autograd.BackwardWith", Arg: "dy", Got: dy.Shape, Want: fmt.Sprint(y.Value.Shape)})
	}
	if !y.requiresGrad {
		return
	}
	y.GradBuf()
	for i, v := range y.Grad.Data {
		y.Grad.Data[i] = v + dy.Data[i]
	}
	t.runBackward(y)
}

// runBackward runs the recorded backward closures in reverse order, each of a
// node that received a gradient, and every fork's (y: the seeded output,
// whose value stays; nil in a branch).
func (t *Tape) runBackward(y *Var) {
	for i := len(t.nodes) - 1; i >= 0; i-- {
		v := t.nodes[i]
		if v.group != nil {
			v.group()
			continue
		}
		if v.Grad != nil && v.backward != nil {
			v.backward(v.Grad)
			v.flushGradDot() // unless the backward put it
			if v.tape == t {
				if !v.aliased && !v.keepGrad {
					t.release(v.Grad)
				}
				v.Grad, v.aliased, v.keepGrad = nil, false, false
				if v.transient && v != y {
					t.release(v.Value)
					v.Value = nil
				}
			}
		}
	}
}
