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
