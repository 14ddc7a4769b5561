package genotype_test

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/genotype"
)

func TestEdgeIndexing(t *testing.T) {
	for _, tc := range []struct{ steps, edges int }{{1, 2}, {2, 5}, {3, 9}, {4, 14}, {5, 20}} {
		assert.Equal(t, tc.edges, genotype.EdgeCount(tc.steps), "steps %d", tc.steps)
	}
	// The DARTS cell: node i's edges start at 0, 2, 5, 9.
	for _, tc := range []struct{ node, input, e int }{{0, 0, 0}, {0, 1, 1}, {1, 0, 2}, {1, 2, 4}, {2, 0, 5}, {2, 3, 8}, {3, 0, 9}, {3, 4, 13}} {
		assert.Equal(t, tc.e, genotype.EdgeIndex(tc.node, tc.input), "node %d input %d", tc.node, tc.input)
	}
	for steps := 1; steps <= 6; steps++ {
		e := 0
		for node := 0; node < steps; node++ {
			for input := 0; input <= node+1; input++ {
				require.Equal(t, e, genotype.EdgeIndex(node, input))
				n, in := genotype.EdgeEnds(steps, e)
				require.Equal(t, [2]int{node, input}, [2]int{n, in})
				e++
			}
		}
		assert.Equal(t, genotype.EdgeCount(steps), e)
	}
	assert.Panics(t, func() { genotype.EdgeIndex(1, 3) })
	assert.Panics(t, func() { genotype.EdgeEnds(4, 14) })
}

// row returns a weight row over ops with the given op weights, rest zero.
func row(ops []genotype.Primitive, w map[genotype.Primitive]float64) []float64 {
	r := make([]float64, len(ops))
	for i, op := range ops {
		r[i] = w[op]
	}
	return r
}

func TestDeriveHandMade(t *testing.T) {
	ops := genotype.DARTSOps
	type w = map[genotype.Primitive]float64
	const (
		none, maxp, skip, sep3, dil3 = genotype.None, genotype.MaxPool3x3, genotype.SkipConnect, genotype.SepConv3x3, genotype.DilConv3x3
	)
	for _, tc := range []struct {
		name string
		rows []map[genotype.Primitive]float64 // 5 edges: node 0 inputs 0,1; node 1 inputs 0,1,2
		want []genotype.Edge
	}{
		{"strongest first",
			[]map[genotype.Primitive]float64{{sep3: .2}, {skip: .6}, {maxp: .3}, {sep3: .1}, {dil3: .5}},
			[]genotype.Edge{{skip, 1}, {sep3, 0}, {dil3, 2}, {maxp, 0}}},
		{"none never picked",
			[]map[genotype.Primitive]float64{{none: .9, sep3: .05}, {none: .8, skip: .1}, {none: .99, maxp: .001}, {none: .5, sep3: .2}, {none: .95, dil3: .01}},
			[]genotype.Edge{{skip, 1}, {sep3, 0}, {sep3, 1}, {dil3, 2}}},
		{"none ignored when ranking edges",
			// edge 2 has the largest weight overall (none) but the weakest real op.
			[]map[genotype.Primitive]float64{{sep3: .3}, {sep3: .3}, {none: .99, sep3: .01}, {skip: .2}, {maxp: .4}},
			[]genotype.Edge{{sep3, 0}, {sep3, 1}, {maxp, 2}, {skip, 1}}},
		{"ties keep lower input and earlier op",
			[]map[genotype.Primitive]float64{{sep3: .4, maxp: .4}, {dil3: .4}, {skip: .25}, {sep3: .25, dil3: .25}, {skip: .25}},
			[]genotype.Edge{{maxp, 0}, {dil3, 1}, {skip, 0}, {sep3, 1}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows := make([][]float64, len(tc.rows))
			for i, m := range tc.rows {
				rows[i] = row(ops, m)
			}
			g, err := genotype.Derive(rows, rows, ops, 2)
			require.NoError(t, err)
			assert.Equal(t, tc.want, g.Normal)
			assert.Equal(t, tc.want, g.Reduce)
			assert.Equal(t, []int{2, 3}, g.NormalConcat)
			assert.Contains(t, g.String(), "normal_concat=range(2, 4)")
		})
	}
}

func TestDeriveNASNetOps(t *testing.T) {
	ops := genotype.NASNetOps
	rows := [][]float64{
		row(ops, map[genotype.Primitive]float64{genotype.Conv7x1_1x7: 1}),
		row(ops, map[genotype.Primitive]float64{genotype.None: 5, genotype.SepConv7x7: 2, genotype.MaxPool7x7: 1}),
	}
	g, err := genotype.Derive(rows, rows, ops, 1)
	require.NoError(t, err)
	assert.Equal(t, []genotype.Edge{{genotype.SepConv7x7, 1}, {genotype.Conv7x1_1x7, 0}}, g.Normal)
}

// alphaFor builds raw α over DARTSOps that should derive to the cell es: the
// k-th chosen edge of a node gets α = 3-k on its op (the first listed is the
// strongest), every other entry 0, and none a large α everywhere.
func alphaFor(es []genotype.Edge) [][]float64 {
	a := make([][]float64, genotype.EdgeCount(len(es)/2))
	for i := range a {
		a[i] = make([]float64, len(genotype.DARTSOps))
		a[i][genotype.None] = 10
	}
	for k, e := range es {
		a[genotype.EdgeIndex(k/2, e.Input)][e.Op] = float64(3 - k%2)
	}
	return a
}

func TestDeriveReproducesDARTSV2(t *testing.T) {
	an, ar := alphaFor(genotype.DARTS_V2.Normal), alphaFor(genotype.DARTS_V2.Reduce)
	require.Len(t, an, 14)
	g, err := genotype.DeriveFromAlpha(an, ar, genotype.DARTSOps)
	require.NoError(t, err)
	assert.True(t, genotype.DARTS_V2.Equal(g), "got %v", g)
	assert.Equal(t, darts2Derived, g.String())

	// Through the alphas JSON of `nas genotype derive --alphas FILE`.
	b, err := json.Marshal(map[string][][]float64{"normal": an, "reduce": ar})
	require.NoError(t, err)
	n, r, err := genotype.ParseAlphasJSON(b)
	require.NoError(t, err)
	g2, err := genotype.DeriveFromAlpha(n, r, genotype.DARTSOps)
	require.NoError(t, err)
	assert.Equal(t, g, g2)
}

func TestSoftmax(t *testing.T) {
	s := genotype.Softmax([][]float64{{0, 0}, {1000, 1000 + math.Log(3)}, {1, 2, 3}})
	assert.InDeltaSlice(t, []float64{.5, .5}, s[0], 1e-12)
	assert.InDeltaSlice(t, []float64{.25, .75}, s[1], 1e-12) // no overflow at 1000
	e := []float64{math.Exp(1), math.Exp(2), math.Exp(3)}
	z := e[0] + e[1] + e[2]
	assert.InDeltaSlice(t, []float64{e[0] / z, e[1] / z, e[2] / z}, s[2], 1e-12)
}

func TestDeriveErrors(t *testing.T) {
	good := alphaFor(genotype.DARTS_V2.Normal)
	short := append([][]float64(nil), good[:13]...)
	narrow := append([][]float64(nil), good...)
	narrow[5] = narrow[5][:7]
	nan := append([][]float64(nil), good...)
	nan[2] = append([]float64(nil), good[2]...)
	nan[2][3] = math.NaN()
	for _, tc := range []struct {
		name        string
		normal, red [][]float64
		ops         []genotype.Primitive
		want        string
	}{
		{"rows", short, good, genotype.DARTSOps, "alpha normal: 13 rows, want steps·(steps+3)/2"},
		{"reduce rows", good, good[:9], genotype.DARTSOps, "alpha reduce: 9 rows, want 14"},
		{"row length", good, narrow, genotype.DARTSOps, "alpha reduce row 5: 7 values, want 8"},
		{"nan", nan, good, genotype.DARTSOps, "alpha normal row 2 col 3: NaN, want a finite number"},
		{"only none", [][]float64{{1}, {2}}, [][]float64{{1}, {2}}, []genotype.Primitive{genotype.None}, "no op other than none"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := genotype.DeriveFromAlpha(tc.normal, tc.red, tc.ops)
			assert.ErrorContains(t, err, tc.want)
		})
	}
	_, err := genotype.Derive(good, good, genotype.DARTSOps, 3)
	assert.ErrorContains(t, err, "normal: 14 rows, want 9")
}

func TestParseAlphasJSON(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"not json", `{"normal": [`, "genotype: alphas json: unexpected end of JSON input"},
		// Trailing data after a valid object was ignored by the Decoder it used.
		{"trailing garbage", `{"normal": [[1,2],[3,4]], "reduce": [[5,6],[7,8]]}garbage`, "after top-level value"},
		{"second object", `{"normal": [[1,2],[3,4]], "reduce": [[5,6],[7,8]]} {"normal": []}`, "after top-level value"},
		{"trailing brace", `{"normal": [[1,2],[3,4]], "reduce": [[5,6],[7,8]]}}`, "after top-level value"},
		{"missing reduce", `{"normal": [[1,2],[3,4]]}`, `want keys "normal" and "reduce"`},
		{"rows", `{"normal": [[1,2],[3,4],[5,6]], "reduce": []}`, "normal has 3 rows, want steps·(steps+3)/2 (14 for 4 steps)"},
		{"reduce rows", `{"normal": [[1,2],[3,4]], "reduce": [[1,2]]}`, "alphas json reduce: 1 rows, want 2"},
		{"ragged", `{"normal": [[1,2],[3,4,5]], "reduce": [[1,2],[3,4]]}`, "alphas json normal row 1: 3 values, want 2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := genotype.ParseAlphasJSON([]byte(tc.in))
			assert.ErrorContains(t, err, tc.want)
		})
	}
	n, r, err := genotype.ParseAlphasJSON([]byte(`{"normal": [[1,2],[3,4]], "reduce": [[5,6],[7,8]]}` + " \n\t"))
	require.NoError(t, err)
	assert.Equal(t, [][]float64{{1, 2}, {3, 4}}, n)
	assert.Equal(t, [][]float64{{5, 6}, {7, 8}}, r)
}
