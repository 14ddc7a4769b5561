package genotype

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

func e(op Primitive, input int) Edge { return Edge{op, input} }

// The published cells as quark0/darts cnn/genotypes.py ships them (their
// concats are written as Python lists, and String prints them so).
var (
	// NASNet is NASNet-A (Zoph et al. 2018): 5 nodes.
	NASNet = Genotype{
		Normal: []Edge{
			e(SepConv5x5, 1), e(SepConv3x3, 0),
			e(SepConv5x5, 0), e(SepConv3x3, 0),
			e(AvgPool3x3, 1), e(SkipConnect, 0),
			e(AvgPool3x3, 0), e(AvgPool3x3, 0),
			e(SepConv3x3, 1), e(SkipConnect, 1),
		},
		NormalConcat: []int{2, 3, 4, 5, 6},
		Reduce: []Edge{
			e(SepConv5x5, 1), e(SepConv7x7, 0),
			e(MaxPool3x3, 1), e(SepConv7x7, 0),
			e(AvgPool3x3, 1), e(SepConv5x5, 0),
			e(SkipConnect, 3), e(AvgPool3x3, 2),
			e(SepConv3x3, 2), e(MaxPool3x3, 1),
		},
		ReduceConcat: []int{4, 5, 6},
		listNormal:   true, listReduce: true,
	}

	// AmoebaNet is AmoebaNet-A (Real et al. 2019): 5 nodes.
	AmoebaNet = Genotype{
		Normal: []Edge{
			e(AvgPool3x3, 0), e(MaxPool3x3, 1),
			e(SepConv3x3, 0), e(SepConv5x5, 2),
			e(SepConv3x3, 0), e(AvgPool3x3, 3),
			e(SepConv3x3, 1), e(SkipConnect, 1),
			e(SkipConnect, 0), e(AvgPool3x3, 1),
		},
		NormalConcat: []int{4, 5, 6},
		Reduce: []Edge{
			e(AvgPool3x3, 0), e(SepConv3x3, 1),
			e(MaxPool3x3, 0), e(SepConv7x7, 2),
			e(SepConv7x7, 0), e(AvgPool3x3, 1),
			e(MaxPool3x3, 0), e(MaxPool3x3, 1),
			e(Conv7x1_1x7, 0), e(SepConv3x3, 5),
		},
		ReduceConcat: []int{3, 4, 6},
		listNormal:   true, listReduce: true,
	}

	// DARTS_V1 is the cell found by first-order DARTS.
	DARTS_V1 = Genotype{
		Normal: []Edge{
			e(SepConv3x3, 1), e(SepConv3x3, 0),
			e(SkipConnect, 0), e(SepConv3x3, 1),
			e(SkipConnect, 0), e(SepConv3x3, 1),
			e(SepConv3x3, 0), e(SkipConnect, 2),
		},
		NormalConcat: []int{2, 3, 4, 5},
		Reduce: []Edge{
			e(MaxPool3x3, 0), e(MaxPool3x3, 1),
			e(SkipConnect, 2), e(MaxPool3x3, 0),
			e(MaxPool3x3, 0), e(SkipConnect, 2),
			e(SkipConnect, 2), e(AvgPool3x3, 0),
		},
		ReduceConcat: []int{2, 3, 4, 5},
		listNormal:   true, listReduce: true,
	}

	// DARTS_V2 is the cell found by second-order DARTS (the paper's CIFAR-10 cell).
	DARTS_V2 = Genotype{
		Normal: []Edge{
			e(SepConv3x3, 0), e(SepConv3x3, 1),
			e(SepConv3x3, 0), e(SepConv3x3, 1),
			e(SepConv3x3, 1), e(SkipConnect, 0),
			e(SkipConnect, 0), e(DilConv3x3, 2),
		},
		NormalConcat: []int{2, 3, 4, 5},
		Reduce: []Edge{
			e(MaxPool3x3, 0), e(MaxPool3x3, 1),
			e(SkipConnect, 2), e(MaxPool3x3, 1),
			e(MaxPool3x3, 0), e(SkipConnect, 2),
			e(SkipConnect, 2), e(MaxPool3x3, 1),
		},
		ReduceConcat: []int{2, 3, 4, 5},
		listNormal:   true, listReduce: true,
	}

	// DARTS is DARTS_V2, as in the reference.
	DARTS = DARTS_V2
)

var named = []struct {
	name string
	g    *Genotype
}{{"NASNet", &NASNet}, {"AmoebaNet", &AmoebaNet}, {"DARTS_V1", &DARTS_V1}, {"DARTS_V2", &DARTS_V2}, {"DARTS", &DARTS}}

// Names returns the names Named accepts, in the order of the reference file.
func Names() []string {
	ns := make([]string, len(named))
	for i, n := range named {
		ns[i] = n.name
	}
	return ns
}

// Named returns a copy of the published genotype called name (case-insensitive).
func Named(name string) (Genotype, error) {
	for _, n := range named {
		if strings.EqualFold(n.name, name) {
			return n.g.Clone(), nil
		}
	}
	return Genotype{}, fmt.Errorf("genotype: unknown name %q (want one of %s)", name, strings.Join(Names(), ", "))
}

// Resolve turns a --genotype argument into a genotype: a name (see Names),
// genotype text (see Parse), or the path of a file holding text or JSON. Text
// may be preceded by an assignment such as "DARTS_V2 = " or "genotype = ".
func Resolve(arg string) (Genotype, error) {
	arg = strings.TrimSpace(arg)
	if g, err := Named(arg); err == nil {
		return g, nil
	}
	if strings.ContainsAny(arg, "([{") {
		return parseText(arg)
	}
	b, err := os.ReadFile(arg)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return Genotype{}, fmt.Errorf("genotype: %q is not a name (%s), genotype text or an existing file", arg, strings.Join(Names(), ", "))
		}
		return Genotype{}, fmt.Errorf("genotype: %w", err)
	}
	b = bytes.TrimSpace(b)
	var g Genotype
	if bytes.HasPrefix(b, []byte("{")) {
		err = json.Unmarshal(b, &g)
	} else {
		g, err = parseText(string(b))
	}
	if err != nil {
		return Genotype{}, fmt.Errorf("%s: %w", arg, err)
	}
	return g, nil
}

// parseText parses genotype text after an optional "name =" prefix.
func parseText(s string) (Genotype, error) {
	if i := strings.Index(s, "="); i > 0 {
		if lhs := strings.TrimSpace(s[:i]); lhs != "" && strings.IndexFunc(lhs, func(r rune) bool {
			return !(r < 128 && isIdent(byte(r)))
		}) < 0 && !strings.HasPrefix(strings.TrimSpace(s[i+1:]), "[") {
			// "NAME = Genotype(...)": offsets in errors then count from after "=".
			s = s[i+1:]
		}
	}
	return Parse(s)
}
