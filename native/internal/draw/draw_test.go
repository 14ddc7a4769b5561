package draw

import (
	"bytes"
	"fmt"
	"image/png"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/genotype"
)

// eachCell runs f as a subtest on every cell of every published genotype.
func eachCell(t *testing.T, f func(t *testing.T, name, cell string, g genotype.Genotype, es []genotype.Edge, concat []int)) {
	for _, name := range genotype.Names() {
		g, _ := genotype.Named(name)
		for _, cell := range []string{"normal", "reduce"} {
			t.Run(name+"/"+cell, func(t *testing.T) {
				es, concat, err := g.Cell(cell)
				require.NoError(t, err)
				f(t, name, cell, g, es, concat)
			})
		}
	}
}

func TestCell(t *testing.T) {
	eachCell(t, func(t *testing.T, name, cell string, g genotype.Genotype, es []genotype.Edge, concat []int) {

		dot, err := Cell(g, cell, "dot")
		require.NoError(t, err)
		assert.Equal(t, len(es)+len(concat), strings.Count(string(dot), "->"))
		for _, e := range es {
			assert.Contains(t, string(dot), `label="`+e.Op.String()+`"`)
		}

		svg, err := Cell(g, cell, "svg")
		require.NoError(t, err)
		assert.True(t, bytes.HasPrefix(svg, []byte("<svg ")))
		assert.Equal(t, len(es)+len(concat), bytes.Count(svg, []byte(`stroke-width="1.6"`)))
		for _, lab := range []string{"c_{k-2}", "c_{k-1}", "c_{k}", ">0<"} {
			assert.Contains(t, string(svg), lab)
		}

		b, err := Cell(g, cell, "png")
		require.NoError(t, err)
		img, err := png.Decode(bytes.NewReader(b))
		require.NoError(t, err)
		assert.Greater(t, img.Bounds().Dx(), 400)
		r, gg, bb, _ := img.At(1, 1).RGBA()
		assert.Equal(t, [3]uint32{0xffff, 0xffff, 0xffff}, [3]uint32{r, gg, bb}, "light background")
		if dir := os.Getenv("GENOTYPE_DRAW_DIR"); dir != "" {
			require.NoError(t, os.WriteFile(dir+"/"+name+"_"+cell+".png", b, 0o644))
			require.NoError(t, os.WriteFile(dir+"/"+name+"_"+cell+".svg", svg, 0o644))
		}
	})
	_, err := Cell(genotype.DARTS, "middle", "png")
	assert.ErrorContains(t, err, `unknown cell "middle"`)
	_, err = Cell(genotype.DARTS, "normal", "gif")
	assert.ErrorContains(t, err, `unknown drawing format "gif"`)
	_, err = Cell(genotype.Genotype{}, "normal", "png")
	assert.ErrorContains(t, err, "normal cell is empty")
}

// touches reports whether p lies on the vertical side x of box b (within
// tolerance), between its top and bottom.
func touches(p pt, x float64, b box) bool {
	return math.Abs(p.x-x) < 1e-6 && p.y > b.y && p.y < b.y+b.h
}

// drawnEdges reads the geometry back: for every drawn edge, the labels of the
// box its first point leaves (right side) and of the box its arrow tip enters
// (left side), with its op label, as "from -> to op".
func drawnEdges(t *testing.T, d *diagram) []string {
	var out []string
	for _, e := range d.edges {
		start, tip := e.pts[0], e.pts[len(e.pts)-1]
		from, to := "", ""
		for _, n := range d.nodes {
			if touches(start, n.box.x+n.box.w, n.box) {
				require.Empty(t, from, "edge starts on two boxes")
				from = n.label
			}
			if touches(pt{tip.x + arrowLen, tip.y}, n.box.x, n.box) {
				require.Empty(t, to, "edge ends on two boxes")
				to = n.label
			}
		}
		require.NotEmpty(t, from, "edge %s starts on no box", e.label)
		require.NotEmpty(t, to, "edge %s ends on no box", e.label)
		out = append(out, fmt.Sprintf("%s -> %s %s", from, to, e.label))
	}
	slices.Sort(out)
	return out
}

// TestEdgeEndpoints checks, from the drawn geometry alone, which states each
// edge joins: the multiset of (input, node, op) equals the genotype's, and
// the concat edges run from the concat states into the output.
func TestEdgeEndpoints(t *testing.T) {
	eachCell(t, func(t *testing.T, _, cell string, g genotype.Genotype, es []genotype.Edge, concat []int) {
		var want []string
		for k, e := range es {
			want = append(want, fmt.Sprintf("%s -> %d %s", genotype.StateLabel(e.Input), k/2, e.Op))
		}
		for _, c := range concat {
			want = append(want, fmt.Sprintf("%s -> %s ", genotype.StateLabel(c), outLabel))
		}
		slices.Sort(want)
		gr, err := cellGraph(g, cell)
		require.NoError(t, err)
		d, err := layout(gr)
		require.NoError(t, err)
		assert.Equal(t, want, drawnEdges(t, d))
	})
	r := genotype.DARTS_RNN_V2
	want := []string{"x_{t} -> 0 ", "h_{t-1} -> 0 "}
	for i, e := range r.Nodes {
		want = append(want, fmt.Sprintf("%d -> %d %s", e.Input, i+1, e.Op))
	}
	for _, c := range r.Concat {
		want = append(want, fmt.Sprintf("%d -> h_{t} ", c))
	}
	slices.Sort(want)
	d, err := layout(recurrentGraph(r))
	require.NoError(t, err)
	assert.Equal(t, want, drawnEdges(t, d))
}

// distToLine returns the distance from p to the polyline ps.
func distToLine(p pt, ps []pt) float64 {
	best := math.Inf(1)
	for i := 1; i < len(ps); i++ {
		a, b := ps[i-1], ps[i]
		dx, dy := b.x-a.x, b.y-a.y
		u := 0.0
		if l := dx*dx + dy*dy; l > 0 {
			u = math.Max(0, math.Min(1, ((p.x-a.x)*dx+(p.y-a.y)*dy)/l))
		}
		best = math.Min(best, math.Hypot(a.x+u*dx-p.x, a.y+u*dy-p.y))
	}
	return best
}

// TestLabelsNearTheirEdge: every op label's centre is nearer to its own edge
// than to any other edge, and keeps a clearance from every node that is not
// one of its edge's ends, so no label reads as another edge's (DARTS_V2's
// c_{k-2}→1 label used to sit in the gap between nodes 0 and 1, where it read
// as 0→1).
func TestLabelsNearTheirEdge(t *testing.T) {
	graphs := map[string]graph{"DARTS_RNN_V2": recurrentGraph(genotype.DARTS_RNN_V2), "DARTS_RNN_V1": recurrentGraph(genotype.DARTS_RNN_V1)}
	for _, name := range genotype.Names() {
		g, _ := genotype.Named(name)
		for _, cell := range []string{"normal", "reduce"} {
			gr, err := cellGraph(g, cell)
			require.NoError(t, err)
			graphs[name+"/"+cell] = gr
		}
	}
	for name, gr := range graphs {
		t.Run(name, func(t *testing.T) {
			d, err := layout(gr)
			require.NoError(t, err)
			for i, e := range d.edges {
				if e.label == noLabel {
					continue
				}
				c := pt{e.lab.x + e.lab.w/2, e.lab.y + e.lab.h/2}
				for k, n := range d.nodes {
					if k != e.from && k != e.to {
						assert.GreaterOrEqual(t, boxDist(e.lab, n.box), labelClear, "label %s of %s→%s beside node %s",
							e.label, d.nodes[e.from].label, d.nodes[e.to].label, n.label)
					}
				}
				if left, right, in := rowNeighbours(d, e.lab); in {
					assert.Equal(t, e.to, right, "label %s of %s→%s sits in the row before another node", e.label, d.nodes[e.from].label, d.nodes[e.to].label)
					if e.from >= 2 || left >= 0 {
						assert.Equal(t, e.from, left, "label %s of %s→%s sits in the row after another node", e.label, d.nodes[e.from].label, d.nodes[e.to].label)
					}
				}
				own := distToLine(c, e.pts)
				for j, o := range d.edges {
					if j != i {
						assert.Less(t, own, distToLine(c, o.pts), "label %s of %s→%s is nearer to the edge %s→%s",
							e.label, d.nodes[e.from].label, d.nodes[e.to].label, d.nodes[o.from].label, d.nodes[o.to].label)
					}
				}
			}
		})
	}
}

func TestRecurrent(t *testing.T) {
	for _, format := range []string{"svg", "png", "dot"} {
		b, err := Recurrent(genotype.DARTS_RNN_V2, format)
		require.NoError(t, err, format)
		assert.NotEmpty(t, b)
		if format == "svg" {
			for _, lab := range []string{"x_{t}", "h_{t-1}", "h_{t}", ">8<", ">sigmoid<"} {
				assert.Contains(t, string(b), lab)
			}
		}
		if format == "dot" {
			assert.Equal(t, 2+8+8, strings.Count(string(b), "->"))
		}
	}
	_, err := Recurrent(genotype.Recurrent{}, "svg")
	assert.Error(t, err)
}
