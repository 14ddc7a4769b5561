package genotype_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/genotype"
)

// The text Python prints for the genotypes of quark0/darts cnn/genotypes.py
// (repr of the namedtuples as defined there: concats are lists), written by
// hand from the reference file.
var referenceText = map[string]string{
	"NASNet": "Genotype(normal=[('sep_conv_5x5', 1), ('sep_conv_3x3', 0), ('sep_conv_5x5', 0), ('sep_conv_3x3', 0), ('avg_pool_3x3', 1), ('skip_connect', 0), ('avg_pool_3x3', 0), ('avg_pool_3x3', 0), ('sep_conv_3x3', 1), ('skip_connect', 1)], normal_concat=[2, 3, 4, 5, 6], " +
		"reduce=[('sep_conv_5x5', 1), ('sep_conv_7x7', 0), ('max_pool_3x3', 1), ('sep_conv_7x7', 0), ('avg_pool_3x3', 1), ('sep_conv_5x5', 0), ('skip_connect', 3), ('avg_pool_3x3', 2), ('sep_conv_3x3', 2), ('max_pool_3x3', 1)], reduce_concat=[4, 5, 6])",
	"AmoebaNet": "Genotype(normal=[('avg_pool_3x3', 0), ('max_pool_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_5x5', 2), ('sep_conv_3x3', 0), ('avg_pool_3x3', 3), ('sep_conv_3x3', 1), ('skip_connect', 1), ('skip_connect', 0), ('avg_pool_3x3', 1)], normal_concat=[4, 5, 6], " +
		"reduce=[('avg_pool_3x3', 0), ('sep_conv_3x3', 1), ('max_pool_3x3', 0), ('sep_conv_7x7', 2), ('sep_conv_7x7', 0), ('avg_pool_3x3', 1), ('max_pool_3x3', 0), ('max_pool_3x3', 1), ('conv_7x1_1x7', 0), ('sep_conv_3x3', 5)], reduce_concat=[3, 4, 6])",
	"DARTS_V1": "Genotype(normal=[('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('skip_connect', 0), ('sep_conv_3x3', 1), ('skip_connect', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('skip_connect', 2)], normal_concat=[2, 3, 4, 5], " +
		"reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 0), ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2), ('avg_pool_3x3', 0)], reduce_concat=[2, 3, 4, 5])",
	"DARTS_V2": darts2Text,
	"DARTS":    darts2Text,
}

const darts2Text = "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2)], normal_concat=[2, 3, 4, 5], " +
	"reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 1), ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2), ('max_pool_3x3', 1)], reduce_concat=[2, 3, 4, 5])"

// darts2Derived is DARTS_V2 as model_search.py genotype() prints it (concat = range).
const darts2Derived = "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2)], normal_concat=range(2, 6), " +
	"reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 1), ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2), ('max_pool_3x3', 1)], reduce_concat=range(2, 6))"

// nasnetSource is NASNet exactly as written in quark0/darts cnn/genotypes.py.
const nasnetSource = `Genotype(
  normal = [
    ('sep_conv_5x5', 1),
    ('sep_conv_3x3', 0),
    ('sep_conv_5x5', 0),
    ('sep_conv_3x3', 0),
    ('avg_pool_3x3', 1),
    ('skip_connect', 0),
    ('avg_pool_3x3', 0),
    ('avg_pool_3x3', 0),
    ('sep_conv_3x3', 1),
    ('skip_connect', 1),
  ],
  normal_concat = [2, 3, 4, 5, 6],
  reduce = [
    ('sep_conv_5x5', 1),
    ('sep_conv_7x7', 0),
    ('max_pool_3x3', 1),
    ('sep_conv_7x7', 0),
    ('avg_pool_3x3', 1),
    ('sep_conv_5x5', 0),
    ('skip_connect', 3),
    ('avg_pool_3x3', 2),
    ('sep_conv_3x3', 2),
    ('max_pool_3x3', 1),
  ],
  reduce_concat = [4, 5, 6],
)
`

func TestPrimitivesReferenceOrder(t *testing.T) {
	// PRIMITIVES of quark0/darts cnn/genotypes.py.
	want := []string{"none", "max_pool_3x3", "avg_pool_3x3", "skip_connect", "sep_conv_3x3", "sep_conv_5x5", "dil_conv_3x3", "dil_conv_5x5"}
	got := make([]string, len(genotype.DARTSOps))
	for i, p := range genotype.DARTSOps {
		got[i] = p.String()
		assert.Equal(t, i, int(p), "DARTS op %s is constant %d", p, i)
	}
	assert.Equal(t, want, got)

	nasnet := []string{"none", "skip_connect", "conv_7x1_1x7", "conv_3x1_1x3", "conv_1x1", "conv_3x3", "avg_pool_3x3",
		"max_pool_3x3", "max_pool_5x5", "max_pool_7x7", "dil_conv_3x3", "sep_conv_3x3", "sep_conv_5x5", "sep_conv_7x7"}
	got = got[:0]
	for _, p := range genotype.NASNetOps {
		got = append(got, p.String())
	}
	assert.Equal(t, nasnet, got)

	for _, tc := range []struct {
		name string
		want []genotype.Primitive
	}{{"darts", genotype.DARTSOps}, {"nasnet", genotype.NASNetOps}, {"DARTS", genotype.DARTSOps}} {
		t.Run(tc.name, func(t *testing.T) {
			ops, err := genotype.OpSet(tc.name)
			require.NoError(t, err)
			assert.Equal(t, tc.want, ops)
		})
	}
	_, err := genotype.OpSet("enas")
	assert.ErrorContains(t, err, `unknown op set "enas"`)
}

func TestParsePrimitive(t *testing.T) {
	for _, p := range append(genotype.DARTSOps, genotype.NASNetOps...) {
		q, err := genotype.ParsePrimitive(p.String())
		require.NoError(t, err)
		assert.Equal(t, p, q)
	}
	_, err := genotype.ParsePrimitive("sep_conv_9x9")
	assert.ErrorContains(t, err, `unknown op "sep_conv_9x9"`)
	assert.Equal(t, "Primitive(99)", genotype.Primitive(99).String())
}

func TestNamedStringMatchesReference(t *testing.T) {
	require.Equal(t, []string{"NASNet", "AmoebaNet", "DARTS_V1", "DARTS_V2", "DARTS"}, genotype.Names())
	for _, name := range genotype.Names() {
		t.Run(name, func(t *testing.T) {
			g, err := genotype.Named(name)
			require.NoError(t, err)
			assert.Equal(t, referenceText[name], g.String())
			p, err := genotype.Parse(referenceText[name])
			require.NoError(t, err)
			assert.Equal(t, g, p)
			assert.Equal(t, referenceText[name], p.String())
		})
	}
	assert.Equal(t, 5, genotype.NASNet.Steps())
	assert.Equal(t, 5, genotype.AmoebaNet.Steps())
	assert.Equal(t, 4, genotype.DARTS.Steps())
	assert.Equal(t, genotype.DARTS_V2, genotype.DARTS)

	g, err := genotype.Named("darts_v2")
	require.NoError(t, err)
	g.Normal[0].Op = genotype.None // a copy: the package's value is untouched
	assert.Equal(t, genotype.SepConv3x3, genotype.DARTS_V2.Normal[0].Op)
	_, err = genotype.Named("ENAS")
	assert.ErrorContains(t, err, `unknown name "ENAS"`)
}

func TestParseForms(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     genotype.Genotype
		out      string // String of the result
	}{
		{"reference source layout", nasnetSource, genotype.NASNet, referenceText["NASNet"]},
		{"range concat", darts2Derived, genotype.DARTS_V2, darts2Derived},
		{"double quotes", strings.ReplaceAll(darts2Text, "'", `"`), genotype.DARTS_V2, darts2Text},
		{"no name", strings.TrimPrefix(darts2Derived, "Genotype"), genotype.DARTS_V2, darts2Derived},
		{"no spaces, trailing commas", "Genotype(normal=[('sep_conv_3x3',0),('skip_connect',1,),],normal_concat=range(2,3,),reduce=[('max_pool_3x3',1),('max_pool_3x3',0)],reduce_concat=[2,],)",
			genotype.Genotype{
				Normal: []genotype.Edge{{genotype.SepConv3x3, 0}, {genotype.SkipConnect, 1}}, NormalConcat: []int{2},
				Reduce: []genotype.Edge{{genotype.MaxPool3x3, 1}, {genotype.MaxPool3x3, 0}}, ReduceConcat: []int{2}},
			"Genotype(normal=[('sep_conv_3x3', 0), ('skip_connect', 1)], normal_concat=range(2, 3), reduce=[('max_pool_3x3', 1), ('max_pool_3x3', 0)], reduce_concat=[2])"},
		{"fields in any order", "Genotype(reduce_concat=range(2, 3), reduce=[('max_pool_3x3', 1), ('max_pool_3x3', 0)], normal_concat=[2], normal=[('sep_conv_3x3', 0), ('skip_connect', 1)])",
			genotype.Genotype{
				Normal: []genotype.Edge{{genotype.SepConv3x3, 0}, {genotype.SkipConnect, 1}}, NormalConcat: []int{2},
				Reduce: []genotype.Edge{{genotype.MaxPool3x3, 1}, {genotype.MaxPool3x3, 0}}, ReduceConcat: []int{2}},
			"Genotype(normal=[('sep_conv_3x3', 0), ('skip_connect', 1)], normal_concat=[2], reduce=[('max_pool_3x3', 1), ('max_pool_3x3', 0)], reduce_concat=range(2, 3))"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, err := genotype.Parse(tc.in)
			require.NoError(t, err)
			assert.True(t, tc.want.Equal(g), "got %v", g)
			assert.Equal(t, tc.out, g.String())
		})
	}
}

func TestParseErrors(t *testing.T) {
	const ok = "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1)], normal_concat=range(2, 3), reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1)], reduce_concat=range(2, 3))"
	_, err := genotype.Parse(ok)
	require.NoError(t, err)
	at := func(s string) int { return strings.Index(ok, s) } // offset of s in ok
	for _, tc := range []struct {
		name, in, want string
	}{
		{"empty", "", "genotype: offset 0: want '(' got end of input"},
		{"trailing garbage", ok + " x", "genotype: offset " + itoa(len(ok)+1) + ": want end of input got 'x'"},
		{"bad close", strings.Replace(ok, "3))", "3)x", 1), "genotype: offset " + itoa(len(ok)-1) + ": want ')' got 'x'"},
		{"other name", strings.Replace(ok, "Genotype", "Phenotype", 1), "genotype: offset 0: want 'Genotype' or '(' got \"Phenotype\""},
		{"unknown op", strings.Replace(ok, "'max_pool_3x3', 1", "'max_pool_9x9', 1", 1),
			"genotype: offset " + itoa(at("'max_pool_3x3', 1")) + `: unknown op "max_pool_9x9"`},
		{"input out of range", strings.Replace(ok, "('sep_conv_3x3', 1)", "('sep_conv_3x3', 2)", 1),
			"genotype: offset " + itoa(at("('sep_conv_3x3', 1)")+17) + ": input 2 of node 0 out of range 0..1"},
		{"odd edges", strings.Replace(ok, "('sep_conv_3x3', 0), ", "", 1), "odd number of edges (1)"},
		{"empty cell", strings.Replace(ok, "[('max_pool_3x3', 0), ('max_pool_3x3', 1)]", "[]", 1), "empty cell"},
		{"empty range", strings.Replace(ok, "range(2, 3)", "range(3, 3)", 1), "empty concat range(3, 3)"},
		{"empty list", strings.Replace(ok, "range(2, 3)", "[]", 1), "empty concat"},
		{"concat past nodes", strings.Replace(ok, "range(2, 3)", "[2, 3]", 1), "normal_concat holds 3, want states 0..2"},
		{"missing field", strings.Replace(ok, ", reduce_concat=range(2, 3)", "", 1), "missing field reduce_concat"},
		{"duplicate field", strings.Replace(ok, "reduce_concat", "normal_concat", 1), `duplicate field "normal_concat"`},
		{"unknown field", strings.Replace(ok, "reduce_concat", "reduce_cat", 1), "want normal, normal_concat, reduce or reduce_concat got \"reduce_cat\""},
		{"negative input", strings.Replace(ok, "', 0)", "', -1)", 1), "want integer got '-'"},
		{"huge input", strings.Replace(ok, "', 0)", "', 99999999999)", 1), "integer too large"},
		{"unterminated quote", "Genotype(normal=[('sep_conv_3x3, 0)", "unterminated op name"},
		{"tuple concat", strings.Replace(ok, "range(2, 3)", "(2,)", 1), "want '[' or 'range' got '('"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := genotype.Parse(tc.in)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Contains(t, err.Error(), "genotype: offset ")
			assert.NotContains(t, err.Error(), "\n")
		})
	}
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

func TestValidate(t *testing.T) {
	base := func() genotype.Genotype { return genotype.DARTS_V2.Clone() }
	for _, tc := range []struct {
		name string
		mod  func(g *genotype.Genotype)
		want string
	}{
		{"ok", func(g *genotype.Genotype) {}, ""},
		{"empty", func(g *genotype.Genotype) { g.Reduce = nil }, "reduce cell is empty"},
		{"odd", func(g *genotype.Genotype) { g.Normal = g.Normal[:3] }, "normal cell has 3 edges"},
		{"input", func(g *genotype.Genotype) { g.Normal[7].Input = 6 }, "normal edge 7 (node 3): input 6 out of range 0..4"},
		{"op", func(g *genotype.Genotype) { g.Reduce[0].Op = 42 }, "reduce edge 0: invalid op 42"},
		{"concat", func(g *genotype.Genotype) { g.ReduceConcat = []int{2, 6} }, "reduce_concat[1] = 6 out of range 0..5"},
		{"no concat", func(g *genotype.Genotype) { g.NormalConcat = nil }, "normal_concat is empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := base()
			tc.mod(&g)
			err := g.Validate()
			if tc.want == "" {
				assert.NoError(t, err)
				return
			}
			assert.ErrorContains(t, err, tc.want)
		})
	}
}

func TestJSONRoundTrip(t *testing.T) {
	b, err := json.Marshal(genotype.DARTS_V2)
	require.NoError(t, err)
	assert.Equal(t, `{"normal":[["sep_conv_3x3",0],["sep_conv_3x3",1],["sep_conv_3x3",0],["sep_conv_3x3",1],["sep_conv_3x3",1],["skip_connect",0],["skip_connect",0],["dil_conv_3x3",2]],"normal_concat":[2,3,4,5],`+
		`"reduce":[["max_pool_3x3",0],["max_pool_3x3",1],["skip_connect",2],["max_pool_3x3",1],["max_pool_3x3",0],["skip_connect",2],["skip_connect",2],["max_pool_3x3",1]],"reduce_concat":[2,3,4,5]}`, string(b))
	for _, name := range genotype.Names() {
		t.Run(name, func(t *testing.T) {
			g, _ := genotype.Named(name)
			b, err := json.Marshal(g)
			require.NoError(t, err)
			var h genotype.Genotype
			require.NoError(t, json.Unmarshal(b, &h))
			assert.True(t, g.Equal(h))
			b2, err := json.Marshal(h)
			require.NoError(t, err)
			assert.Equal(t, string(b), string(b2))
		})
	}
	for _, tc := range []struct{ name, in, want string }{
		{"bad op", `{"normal":[["sep_conv_3x4",0],["sep_conv_3x3",1]],"normal_concat":[2],"reduce":[["sep_conv_3x3",0],["sep_conv_3x3",1]],"reduce_concat":[2]}`, `unknown op "sep_conv_3x4"`},
		{"bad edge", `{"normal":[["sep_conv_3x3"],["sep_conv_3x3",1]],"normal_concat":[2],"reduce":[],"reduce_concat":[2]}`, `want ["op", input] got ["sep_conv_3x3"]`},
		{"input range", `{"normal":[["sep_conv_3x3",0],["sep_conv_3x3",5]],"normal_concat":[2],"reduce":[["sep_conv_3x3",0],["sep_conv_3x3",1]],"reduce_concat":[2]}`, "normal edge 1 (node 0): input 5 out of range 0..1"},
		{"unknown key", `{"normal":[],"cells":3}`, `unknown field "cells"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var g genotype.Genotype
			assert.ErrorContains(t, json.Unmarshal([]byte(tc.in), &g), tc.want)
		})
	}
}

func TestResolve(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(s), 0o644))
		return p
	}
	js, err := json.Marshal(genotype.AmoebaNet)
	require.NoError(t, err)
	for _, tc := range []struct {
		name, arg string
		want      genotype.Genotype
	}{
		{"name", "DARTS", genotype.DARTS_V2},
		{"text", darts2Derived, genotype.DARTS_V2},
		{"assignment", "DARTS_V2 = " + darts2Text, genotype.DARTS_V2},
		{"text file", write("g.txt", nasnetSource), genotype.NASNet},
		{"python file line", write("g.py", "NASNet = "+nasnetSource), genotype.NASNet},
		{"json file", write("g.json", string(js)+"\n"), genotype.AmoebaNet},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, err := genotype.Resolve(tc.arg)
			require.NoError(t, err)
			assert.True(t, tc.want.Equal(g), "got %v", g)
		})
	}
	_, err = genotype.Resolve(filepath.Join(dir, "missing.txt"))
	assert.ErrorContains(t, err, "is not a name")
	_, err = genotype.Resolve(write("bad.txt", "Genotype(normal=[x"))
	assert.ErrorContains(t, err, "bad.txt: genotype: offset 17: want '(' got 'x'")
}

func TestInfo(t *testing.T) {
	s := genotype.Info(genotype.DARTS_V2)
	assert.Equal(t, 4, s.Normal.Nodes)
	assert.Equal(t, 8, s.Normal.Edges)
	assert.Equal(t, map[genotype.Primitive]int{genotype.SepConv3x3: 5, genotype.SkipConnect: 2, genotype.DilConv3x3: 1}, s.Normal.Ops)
	assert.Equal(t, 2, s.Normal.ParamFree) // two identities
	assert.Equal(t, map[genotype.Primitive]int{genotype.MaxPool3x3: 5, genotype.SkipConnect: 3}, s.Reduce.Ops)
	assert.Equal(t, 8, s.Reduce.ParamFree) // skips read node 0 (stride 1): all parameter-free
	assert.Equal(t, []int{2, 3, 4, 5}, s.Reduce.Concat)

	// NASNet reduce: skip_connect from node 1 (input 3) is an identity.
	n := genotype.Info(genotype.NASNet)
	assert.Equal(t, 5, n.Reduce.Nodes)
	assert.Equal(t, 5, n.Reduce.ParamFree) // max 1, avg 1, skip 3, avg 2, max 1
	b, err := json.Marshal(s.Normal.Ops)
	require.NoError(t, err)
	assert.JSONEq(t, `{"sep_conv_3x3":5,"skip_connect":2,"dil_conv_3x3":1}`, string(b))
}
