package model

import (
	"fmt"

	"github.com/nasplayground/nas/core/genotype"
	"github.com/nasplayground/nas/core/nn"
	"github.com/nasplayground/nas/core/tensor"
)

// NewOp builds primitive p on c channels with the given stride, as
// quark0/darts cnn/operations.py OPS defines it (plus the NASNet operations
// the reference lacks, built the same way: conv_3x1_1x3 like conv_7x1_1x7,
// conv_1x1/conv_3x3 as ReLUConvBN, max_pool_5x5/7x7 with "same" padding).
func NewOp(rng *tensor.RNG, p genotype.Primitive, c, stride int, affine bool) (nn.Module, error) {
	switch p {
	case genotype.None:
		return nn.ZeroOp{Stride: stride}, nil
	case genotype.AvgPool3x3:
		return nn.Pool{K: 3, Stride: stride, Pad: 1}, nil
	case genotype.MaxPool3x3:
		return nn.Pool{Max: true, K: 3, Stride: stride, Pad: 1}, nil
	case genotype.MaxPool5x5:
		return nn.Pool{Max: true, K: 5, Stride: stride, Pad: 2}, nil
	case genotype.MaxPool7x7:
		return nn.Pool{Max: true, K: 7, Stride: stride, Pad: 3}, nil
	case genotype.SkipConnect:
		if stride == 1 {
			return nn.Identity{}, nil
		}
		return nn.NewFactorizedReduce(rng, c, c, affine), nil
	case genotype.SepConv3x3:
		return nn.SepConv(rng, c, c, 3, stride, 1, affine), nil
	case genotype.SepConv5x5:
		return nn.SepConv(rng, c, c, 5, stride, 2, affine), nil
	case genotype.SepConv7x7:
		return nn.SepConv(rng, c, c, 7, stride, 3, affine), nil
	case genotype.DilConv3x3:
		return nn.DilConv(rng, c, c, 3, stride, 2, 2, affine), nil
	case genotype.DilConv5x5:
		return nn.DilConv(rng, c, c, 5, stride, 4, 2, affine), nil
	case genotype.Conv7x1_1x7:
		return nn.ConvPair(rng, c, 7, stride, affine), nil
	case genotype.Conv3x1_1x3:
		return nn.ConvPair(rng, c, 3, stride, affine), nil
	case genotype.Conv1x1:
		return nn.ReLUConvBN(rng, c, c, 1, stride, 0, affine), nil
	case genotype.Conv3x3:
		return nn.ReLUConvBN(rng, c, c, 3, stride, 1, affine), nil
	}
	return nil, fmt.Errorf("model: no operation for primitive %v", p)
}

// isPool reports whether p is a pooling primitive (the search network follows
// those with BN(affine=False), as model_search.py MixedOp does).
func isPool(p genotype.Primitive) bool {
	switch p {
	case genotype.AvgPool3x3, genotype.MaxPool3x3, genotype.MaxPool5x5, genotype.MaxPool7x7:
		return true
	}
	return false
}
