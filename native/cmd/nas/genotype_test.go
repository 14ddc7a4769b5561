package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/genotype"
)

// handAlphas returns raw α (14 edges × 8 DARTS ops) that pick, per node, the
// two given (op, input) edges: the stronger first (6), the other second (5);
// `none` is 9 everywhere and must never be chosen.
func handAlphas(cell [][2]genotype.Edge) [][]float64 {
	var rows [][]float64
	for node, pick := range cell {
		for input := 0; input < node+2; input++ {
			row := make([]float64, len(genotype.DARTSOps))
			row[0] = 9 // none
			for k, e := range pick {
				if e.Input == input {
					for j, op := range genotype.DARTSOps {
						if op == e.Op {
							row[j] = float64(6 - k)
						}
					}
				}
			}
			rows = append(rows, row)
		}
	}
	return rows
}

func TestGenotypeDerive(t *testing.T) {
	e := func(op genotype.Primitive, in int) genotype.Edge { return genotype.Edge{Op: op, Input: in} }
	normal := [][2]genotype.Edge{
		{e(genotype.SepConv3x3, 0), e(genotype.SepConv5x5, 1)},
		{e(genotype.DilConv3x3, 2), e(genotype.SkipConnect, 0)},
		{e(genotype.MaxPool3x3, 3), e(genotype.SepConv3x3, 1)},
		{e(genotype.AvgPool3x3, 4), e(genotype.DilConv5x5, 2)},
	}
	reduce := [][2]genotype.Edge{
		{e(genotype.MaxPool3x3, 1), e(genotype.MaxPool3x3, 0)},
		{e(genotype.SkipConnect, 2), e(genotype.AvgPool3x3, 1)},
		{e(genotype.SepConv5x5, 0), e(genotype.SkipConnect, 3)},
		{e(genotype.DilConv5x5, 4), e(genotype.MaxPool3x3, 2)},
	}
	want := genotype.Genotype{NormalConcat: []int{2, 3, 4, 5}, ReduceConcat: []int{2, 3, 4, 5}}
	for i := range normal {
		want.Normal = append(want.Normal, normal[i][0], normal[i][1])
		want.Reduce = append(want.Reduce, reduce[i][0], reduce[i][1])
	}
	b, err := json.Marshal(map[string][][]float64{"normal": handAlphas(normal), "reduce": handAlphas(reduce)})
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "alphas.json")
	require.NoError(t, os.WriteFile(path, b, 0o644))

	code, out, errOut := nas("genotype", "derive", "--alphas", path)
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, want.String()+"\n", out)
	got, err := genotype.Parse(out)
	require.NoError(t, err)
	assert.True(t, want.Equal(got))

	code, out, errOut = nas("genotype", "derive", "--alphas", path, "--json")
	require.Equal(t, 0, code, errOut)
	var j struct {
		Genotype       string
		Normal, Reduce []genotype.Edge
	}
	require.NoError(t, json.Unmarshal([]byte(out), &j))
	assert.Equal(t, want.String(), j.Genotype)
	assert.Equal(t, want.Normal, j.Normal)
	assert.Equal(t, want.Reduce, j.Reduce)

	// The same α read as NASNet columns: 8 values per row, 13 ops.
	code, _, errOut = nas("genotype", "derive", "--alphas", path, "--ops", "nasnet")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "alphas.json")
	code, _, _ = nas("genotype", "derive", "--alphas", filepath.Join(t.TempDir(), "none.json"))
	assert.Equal(t, exitUsage, code)
}

func TestGenotypeDraw(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		format string
		check  func(t *testing.T, b []byte)
	}{
		{"png", func(t *testing.T, b []byte) {
			img, err := png.Decode(bytes.NewReader(b))
			require.NoError(t, err)
			assert.Greater(t, img.Bounds().Dx(), 100)
		}},
		{"svg", func(t *testing.T, b []byte) {
			var svg struct {
				XMLName xml.Name
			}
			require.NoError(t, xml.Unmarshal(b, &svg))
			assert.Equal(t, "svg", svg.XMLName.Local)
		}},
		{"dot", func(t *testing.T, b []byte) {
			assert.True(t, strings.HasPrefix(string(b), "digraph "), string(b))
			assert.Contains(t, string(b), `"c_{k-1}" -> `)
		}},
	} {
		t.Run(tc.format, func(t *testing.T) {
			out := filepath.Join(dir, "cell."+tc.format)
			code, stdout, errOut := nas("genotype", "draw", "--genotype", "DARTS_V2", "--format", tc.format, "--cell", "both", "--out", out)
			require.Equal(t, 0, code, errOut)
			for _, cell := range []string{"normal", "reduce"} {
				path := filepath.Join(dir, "cell_"+cell+"."+tc.format)
				assert.Contains(t, stdout, path)
				b, err := os.ReadFile(path)
				require.NoError(t, err)
				tc.check(t, b)
			}
		})
	}
	out := filepath.Join(dir, "reduce.dot")
	code, _, errOut := nas("genotype", "draw", "--genotype", "DARTS_V1", "--cell", "reduce", "--out", out)
	require.Equal(t, 0, code, errOut)
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(b), "digraph reduce"), "format from the extension")

	for _, args := range [][]string{
		{"--genotype", "DARTS_V2", "--format", "gif", "--out", out},
		{"--genotype", "DARTS_V2", "--cell", "middle", "--out", out},
		{"--genotype", "DARTS_V2"},
		{"--genotype", "nope", "--out", out},
	} {
		code, _, _ := nas(append([]string{"genotype", "draw"}, args...)...)
		assert.Equal(t, exitUsage, code, "%v", args)
	}
}

func TestGenotypeInfoAndList(t *testing.T) {
	code, out, errOut := nas("genotype", "info", "--genotype", "DARTS_V2", "--json")
	require.Equal(t, 0, code, errOut)
	var info genotypeInfoJSON
	require.NoError(t, json.Unmarshal([]byte(out), &info))
	assert.Equal(t, 3349342, info.Params, "DARTS train.py: param size = 3.349342MB")
	assert.Equal(t, 5, info.Normal.Ops[genotype.SepConv3x3])
	assert.Equal(t, 2, info.Normal.ParamFree) // two skip_connect
	assert.Equal(t, 8, info.Reduce.ParamFree) // max pools and stride-1 skips
	assert.Equal(t, []int{36, 20}, []int{info.C, info.Layers})

	code, out, errOut = nas("genotype", "info", "--genotype", "DARTS_V2")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "3349342 params")

	code, out, errOut = nas("genotype", "list")
	require.Equal(t, 0, code, errOut)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, len(genotype.Names()))
	for i, name := range genotype.Names() {
		n, text, ok := strings.Cut(lines[i], " = ")
		require.True(t, ok)
		assert.Equal(t, name, n)
		g, err := genotype.Parse(text)
		require.NoError(t, err)
		want, _ := genotype.Named(name)
		assert.True(t, want.Equal(g), name)
	}

	for _, args := range [][]string{{}, {"frobnicate"}, {"info"}} {
		code, _, errOut := nas(append([]string{"genotype"}, args...)...)
		assert.Equal(t, exitUsage, code, "%v", args)
		assert.Len(t, strings.Split(strings.TrimSpace(errOut), "\n"), 1, errOut)
	}
}

// TestGenotypeInfoTextAllOps: the text of info counts every op of NASNet and
// AmoebaNet (sep_conv_7x7, conv_7x1_1x7 included) as --json does, and prints
// the params line with the JSON's numbers.
func TestGenotypeInfoTextAllOps(t *testing.T) {
	for _, name := range []string{"NASNet", "AmoebaNet"} {
		t.Run(name, func(t *testing.T) {
			code, js, errOut := nas("genotype", "info", "--genotype", name, "--json")
			require.Equal(t, 0, code, errOut)
			var info genotypeInfoJSON
			require.NoError(t, json.Unmarshal([]byte(js), &info))
			code, out, errOut := nas("genotype", "info", "--genotype", name)
			require.Equal(t, 0, code, errOut)
			cells := strings.Split(out, "reduce cell:")
			require.Len(t, cells, 2)
			for i, ci := range []genotype.CellInfo{info.Normal, info.Reduce} {
				for op, n := range ci.Ops {
					assert.Regexp(t, `(?m)^  `+op.String()+` +`+strconv.Itoa(n)+`$`, cells[i], "%s cell %d", op, i)
				}
			}
			assert.Contains(t, out, strconv.Itoa(info.Params)+" params")
		})
	}
	g, _ := genotype.Named("AmoebaNet")
	assert.Equal(t, 2, genotype.Info(g).Reduce.Ops[genotype.SepConv7x7])
	assert.Equal(t, 1, genotype.Info(g).Reduce.Ops[genotype.Conv7x1_1x7])
}

func TestGenotypeDeriveCollapseWarning(t *testing.T) {
	skip := genotype.Edge{Op: genotype.SkipConnect}
	cell := [][2]genotype.Edge{}
	for node := range 4 {
		cell = append(cell, [2]genotype.Edge{{Op: genotype.SkipConnect, Input: node + 1}, skip})
	}
	path := filepath.Join(t.TempDir(), "a.json")
	b, err := json.Marshal(map[string][][]float64{"normal": handAlphas(cell), "reduce": handAlphas(cell)})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, b, 0o644))
	code, out, errOut := nas("genotype", "derive", "--alphas", path)
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, 8, strings.Count(strings.SplitN(out, "reduce=", 2)[0], "skip_connect"))
	assert.Contains(t, errOut, "warning: collapse: the normal cell has 8 of 8 edges skip_connect")
}

func TestGenotypeDrawMissingFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "missing")
	code, _, errOut := nas("genotype", "draw", "--genotype", "DARTS_V2", "--out", filepath.Join(dir, "cell.svg"))
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "does not exist")
	_, err := os.Stat(dir)
	assert.True(t, os.IsNotExist(err), "nothing created")
}

// TestGenotypeRecurrent: info --json of DARTS_RNN_V2 (ops, the parameter
// count of the reference's PTB model) and its drawing.
func TestGenotypeRecurrent(t *testing.T) {
	code, out, errOut := nas("genotype", "info", "--genotype", "DARTS_RNN_V2", "--json")
	require.Equal(t, 0, code, errOut)
	var info recurrentInfoJSON
	require.NoError(t, json.Unmarshal([]byte(out), &info))
	assert.Equal(t, genotype.DARTS_RNN_V2.String(), info.Genotype)
	assert.Equal(t, "recurrent", info.Kind)
	assert.Equal(t, 8, info.Nodes)
	assert.Equal(t, map[genotype.Activation]int{genotype.Sigmoid: 2, genotype.ReLU: 3, genotype.Identity: 1, genotype.Tanh: 2}, info.Ops)
	// V·H + V + 2H·2H + 8·H·2H at V = 10000, H = 850 (the "23M" of DARTS Table 2)
	assert.Equal(t, 10000*850+10000+1700*1700+8*850*1700, info.Params)

	dir := t.TempDir()
	for _, ext := range []string{"svg", "png", "dot"} {
		path := filepath.Join(dir, "rnn."+ext)
		code, out, errOut = nas("genotype", "draw", "--genotype", "DARTS_RNN_V2", "--out", path)
		require.Equal(t, 0, code, errOut)
		assert.Equal(t, path+"\n", out)
		st, err := os.Stat(path)
		require.NoError(t, err)
		assert.Positive(t, st.Size())
	}
}
