package genotype

import (
	"fmt"
	"strings"
)

// Primitive is one candidate operation on a cell edge. Its String is the DARTS
// name, so genotypes compare verbatim with quark0/darts.
type Primitive int

// The DARTS 8 in the order of quark0/darts cnn/genotypes.py PRIMITIVES, then the
// extra operations of the NASNet search space (Zoph et al., CVPR 2018, §3).
const (
	None        Primitive = iota // none: the zero op, "no edge"
	MaxPool3x3                   // max_pool_3x3
	AvgPool3x3                   // avg_pool_3x3
	SkipConnect                  // skip_connect: identity (FactorizedReduce at stride 2)
	SepConv3x3                   // sep_conv_3x3
	SepConv5x5                   // sep_conv_5x5
	DilConv3x3                   // dil_conv_3x3
	DilConv5x5                   // dil_conv_5x5
	SepConv7x7                   // sep_conv_7x7
	Conv7x1_1x7                  // conv_7x1_1x7
	Conv3x1_1x3                  // conv_3x1_1x3
	Conv1x1                      // conv_1x1
	Conv3x3                      // conv_3x3
	MaxPool5x5                   // max_pool_5x5
	MaxPool7x7                   // max_pool_7x7
	numPrimitives
)

var primitiveNames = [numPrimitives]string{
	"none", "max_pool_3x3", "avg_pool_3x3", "skip_connect",
	"sep_conv_3x3", "sep_conv_5x5", "dil_conv_3x3", "dil_conv_5x5",
	"sep_conv_7x7", "conv_7x1_1x7", "conv_3x1_1x3", "conv_1x1", "conv_3x3",
	"max_pool_5x5", "max_pool_7x7",
}

// DARTSOps is the DARTS search space, in the reference PRIMITIVES order.
var DARTSOps = []Primitive{None, MaxPool3x3, AvgPool3x3, SkipConnect, SepConv3x3, SepConv5x5, DilConv3x3, DilConv5x5}

// NASNetOps is the NASNet search space (Zoph et al. 2018, §3: identity, 1x7 then
// 7x1, 1x3 then 3x1, 1x1, 3x3 conv, 3x3 avg pool, 3x3/5x5/7x7 max pool, 3x3
// dilated, 3x3/5x5/7x7 separable), with none first as in DARTS so that a
// differentiable search over it derives genotypes the same way.
var NASNetOps = []Primitive{None, SkipConnect, Conv7x1_1x7, Conv3x1_1x3, Conv1x1, Conv3x3,
	AvgPool3x3, MaxPool3x3, MaxPool5x5, MaxPool7x7, DilConv3x3, SepConv3x3, SepConv5x5, SepConv7x7}

// String returns the DARTS name of p, e.g. "sep_conv_3x3".
func (p Primitive) String() string {
	if p < 0 || p >= numPrimitives {
		return fmt.Sprintf("Primitive(%d)", int(p))
	}
	return primitiveNames[p]
}

// Valid reports whether p is one of the defined primitives.
func (p Primitive) Valid() bool { return p >= 0 && p < numPrimitives }

// ParsePrimitive returns the primitive with the DARTS name s.
func ParsePrimitive(s string) (Primitive, error) {
	for i, n := range primitiveNames {
		if n == s {
			return Primitive(i), nil
		}
	}
	return 0, fmt.Errorf("genotype: unknown op %q (want one of %s)", s, strings.Join(primitiveNames[:], ", "))
}

// MarshalText encodes p as its DARTS name (also used for JSON map keys).
func (p Primitive) MarshalText() ([]byte, error) {
	if !p.Valid() {
		return nil, fmt.Errorf("genotype: invalid primitive %d", int(p))
	}
	return []byte(p.String()), nil
}

// UnmarshalText decodes a DARTS name.
func (p *Primitive) UnmarshalText(b []byte) error {
	q, err := ParsePrimitive(string(b))
	if err != nil {
		return err
	}
	*p = q
	return nil
}

// OpSet returns a copy of the named operation set: "darts" or "nasnet".
func OpSet(name string) ([]Primitive, error) {
	switch strings.ToLower(name) {
	case "darts":
		return append([]Primitive(nil), DARTSOps...), nil
	case "nasnet":
		return append([]Primitive(nil), NASNetOps...), nil
	}
	return nil, fmt.Errorf("genotype: unknown op set %q (want darts or nasnet)", name)
}

// ParamFree reports whether p has no learnable parameters in the evaluation
// network of quark0/darts cnn/model.py. stride is the edge's stride: 2 on the
// edges of a reduction cell that read c_{k-2} or c_{k-1}, where skip_connect is
// a FactorizedReduce (two 1x1 convs and a BN) rather than the identity.
func (p Primitive) ParamFree(stride int) bool {
	switch p {
	case None, MaxPool3x3, AvgPool3x3, MaxPool5x5, MaxPool7x7:
		return true
	case SkipConnect:
		return stride == 1
	}
	return false
}
