package model_test

import (
	"testing"

	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/model"
	"github.com/nasplayground/nas/core/nn"
	"github.com/nasplayground/nas/core/tensor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ForwardPath uses only the chosen ops: gradients reach their weights and no
// other edge's.
func TestForwardPathTouchesOnlyChosenOps(t *testing.T) {
	cfg := model.DefaultSearchConfig()
	cfg.C, cfg.Layers = 4, 3
	net, err := model.NewSearchNet(cfg, tensor.NewRNG(1))
	require.NoError(t, err)
	path := make([][]model.PathEdge, 4)
	for i := range path {
		path[i] = []model.PathEdge{{Input: 0, Op: 4}, {Input: i + 1, Op: 3}} // sep_conv_3x3 on input 0, skip on the newest
	}
	x := tensor.New(2, 3, 8, 8)
	tensor.NewRNG(2).Normal(x, 0, 1)
	tp := autograd.NewTape()
	logits := net.ForwardPath(&nn.Ctx{Tape: tp, Training: true}, autograd.Const(x), path, path)
	assert.Equal(t, []int{2, 10}, logits.Shape())
	tp.Backward(nn.CrossEntropy(tp, logits, []int32{1, 2}))
	cell := net.Cells[0]
	for e, ops := range cell.Edges {
		for k, op := range ops {
			if op == nil {
				continue
			}
			touched := false
			for _, p := range op.Params() {
				touched = touched || (p.Grad != nil && sumAbs(p.Grad.Data) > 0)
			}
			node, in := edgeEnds(e)
			chosen := k == 4 && in == 0 || k == 3 && in == node+1
			if !chosen {
				assert.False(t, touched, "edge %d op %d has a gradient but was not chosen", e, k)
			} else if len(op.Params()) > 0 {
				assert.True(t, touched, "edge %d op %d was chosen but has no gradient", e, k)
			}
		}
	}
	assert.Nil(t, net.AlphaNormal.Grad, "α is not used on a path")
}

func edgeEnds(e int) (node, input int) {
	for node = 0; ; node++ {
		if e < node+2 {
			return node, e
		}
		e -= node + 2
	}
}

func sumAbs(x []float32) float64 {
	var s float64
	for _, v := range x {
		if v < 0 {
			s -= float64(v)
		} else {
			s += float64(v)
		}
	}
	return s
}
