package nn_test

import (
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/nn"
	"github.com/nasplayground/nas/core/tensor"
)

// mixedCell is a small DARTS-like step: a mixed op over
// {none, skip, max pool, avg pool, sep conv 3×3, dil conv 3×3} with
// softmax(α) weights, then global pool, linear and cross-entropy.
type mixedCell struct {
	alpha    *autograd.Var
	sep, dil nn.Seq
	head     *nn.Dense
	params   []*autograd.Var
}

func newMixedCell(rng *tensor.RNG, c int) *mixedCell {
	m := &mixedCell{
		alpha: param(uniform(rng, -1e-3, 1e-3, 1, 6), "alpha"),
		sep:   nn.SepConv(rng, c, c, 3, 1, 1, false),
		dil:   nn.DilConv(rng, c, c, 3, 1, 2, 2, false),
		head:  nn.NewDense(rng, c, 10),
	}
	m.params = append(append(append([]*autograd.Var{m.alpha}, m.sep.Params()...), m.dil.Params()...), m.head.Params()...)
	return m
}

func (m *mixedCell) loss(ctx *nn.Ctx, x *autograd.Var, labels []int32) *autograd.Var {
	tp := ctx.Tape
	r := nn.ReLU(tp, x)
	ops := []*autograd.Var{
		nil, x,
		nn.MaxPool2D(tp, x, 3, 1, 1),
		nn.AvgPool2D(tp, x, 3, 1, 1, false),
		m.sep.Forward(ctx, r),
		m.dil.Forward(ctx, r),
	}
	y := nn.WeightedSum(tp, nn.Softmax(tp, m.alpha), 0, ops)
	return nn.CrossEntropy(tp, m.head.Forward(ctx, nn.GlobalAvgPool(tp, y)), labels)
}

func totalAlloc() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.TotalAlloc
}

func TestTapeReuse(t *testing.T) {
	const n, c, hw = 8, 8, 16
	rng := tensor.NewRNG(1)
	m := newMixedCell(rng, c)
	x := autograd.Const(uniform(rng, -1, 1, n, c, hw, hw))
	labels := []int32{0, 1, 2, 3, 4, 5, 6, 7}
	tp := autograd.NewTape()
	ctx := &nn.Ctx{Tape: tp, Training: true}
	step := func() float32 {
		tp.Reset()
		autograd.ZeroGrads(m.params)
		loss := m.loss(ctx, x, labels)
		tp.Backward(loss)
		return loss.Data()[0]
	}
	// The first step allocates every activation, gradient and scratch buffer
	// (and the leaves' gradients, which persist); later steps take them from
	// the tape's pool.
	b0 := totalAlloc()
	l1 := step()
	first := totalAlloc() - b0
	grad1 := append([]float32(nil), m.alpha.Grad.Data...)
	b1 := totalAlloc()
	l2 := step()
	second := totalAlloc() - b1
	t.Logf("bytes allocated: first step %d, second step %d (%.1f%%)", first, second, 100*float64(second)/float64(first))
	assert.Equal(t, l1, l2, "same loss after Reset")
	assert.Equal(t, grad1, m.alpha.Grad.Data, "same dα after Reset")
	if raceEnabled {
		t.Log("-race: sync.Pool drops buffers at random; byte counts not asserted")
		return
	}
	assert.Less(t, second, first/10, "the second step reuses the tape's buffers")
	allocs := testing.AllocsPerRun(5, func() { step() })
	b2 := totalAlloc()
	for range 5 {
		step()
	}
	per := (totalAlloc() - b2) / 5
	t.Logf("steady state: %.0f allocations, %d bytes per step (Vars and closures, no tensor data)", allocs, per)
	assert.Less(t, per, first/10)
}

func TestNoGradRecordsNothing(t *testing.T) {
	rng := tensor.NewRNG(2)
	m := newMixedCell(rng, 4)
	x := param(uniform(rng, -1, 1, 2, 4, 6, 6), "x")
	tp := autograd.NewTape()
	tp.SetNoGrad(true)
	require.True(t, tp.NoGrad())
	loss := m.loss(&nn.Ctx{Tape: tp, Training: false}, x, []int32{1, 2})
	assert.Equal(t, 0, tp.Len())
	assert.False(t, loss.RequiresGrad())
	tp.Backward(loss) // a no-op: nothing was recorded
	for _, p := range append(m.params, x) {
		assert.Nil(t, p.Grad, p.Name)
	}
	// The same graph with recording on records every op.
	tp2 := autograd.NewTape()
	m.loss(&nn.Ctx{Tape: tp2, Training: true}, x, []int32{1, 2})
	assert.Greater(t, tp2.Len(), 10)
}

func TestFrozenLeavesRecordNothing(t *testing.T) {
	// Ops whose inputs need no gradient (data through a frozen layer) are not
	// recorded either.
	x := autograd.Const(uniform(tensor.NewRNG(3), -1, 1, 2, 3, 5, 5))
	w := param(uniform(tensor.NewRNG(4), -1, 1, 4, 3, 3, 3), "w")
	w.SetRequiresGrad(false)
	tp := autograd.NewTape()
	y := nn.ReLU(tp, nn.Conv2D(tp, x, w, nil, nn.Square(1, 1, 1, 1)))
	assert.Equal(t, 0, tp.Len())
	assert.False(t, y.RequiresGrad())
}
