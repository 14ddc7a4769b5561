package lecture

import (
	"slices"

	"github.com/nasplayground/nas/core/genotype"
)

// NASNetOps returns the 13 operations of the NASNet search space (Zoph et al.
// 2018, §3): core's NASNetOps without none, which DARTS adds.
func NASNetOps() []genotype.Primitive {
	return slices.DeleteFunc(slices.Clone(genotype.NASNetOps), func(p genotype.Primitive) bool { return p == genotype.None })
}

// ShortOp returns a short label of p for cell drawings ("sep3", "max5",
// "1x7·7x1"): op names at a readable size must fit on an edge.
func ShortOp(p genotype.Primitive) string {
	switch p {
	case genotype.None:
		return "none"
	case genotype.SkipConnect:
		return "skip"
	case genotype.AvgPool3x3:
		return "avg3"
	case genotype.MaxPool3x3:
		return "max3"
	case genotype.MaxPool5x5:
		return "max5"
	case genotype.MaxPool7x7:
		return "max7"
	case genotype.SepConv3x3:
		return "sep3"
	case genotype.SepConv5x5:
		return "sep5"
	case genotype.SepConv7x7:
		return "sep7"
	case genotype.DilConv3x3:
		return "dil3"
	case genotype.DilConv5x5:
		return "dil5"
	case genotype.Conv7x1_1x7:
		return "1x7·7x1"
	case genotype.Conv3x1_1x3:
		return "1x3·3x1"
	case genotype.Conv1x1:
		return "conv1"
	case genotype.Conv3x3:
		return "conv3"
	}
	return p.String()
}
