package draw

import (
	"fmt"
	"image/color"
	"math"
	"sort"

	"github.com/nasplayground/nas/core/genotype"
)

// A cell diagram is laid out once (layout) and painted by two back ends, SVG
// text and a PNG rasteriser, through the canvas interface.

type pt struct{ x, y float64 }

type box struct{ x, y, w, h float64 } // top-left corner and size

// rowNeighbours returns, for a label box that reaches into the band of the
// middle row (the intermediate nodes and the output), the row's nodes
// nearest to its left and to its right (-1 where none), and ok = false when
// the label lies outside the band. A label there reads as the edge between
// those two nodes.
func rowNeighbours(d *diagram, lab box) (left, right int, ok bool) {
	left, right = -1, -1
	mid := d.nodes[len(d.nodes)-1].box // the output sits on the middle row
	if lab.y > mid.y+mid.h || lab.y+lab.h < mid.y {
		return left, right, false
	}
	for s := 2; s < len(d.nodes); s++ {
		b := d.nodes[s].box
		if b.x+b.w <= lab.x+lab.w/2 && (left < 0 || b.x > d.nodes[left].box.x) {
			left = s
		}
		if b.x >= lab.x+lab.w/2 && (right < 0 || b.x < d.nodes[right].box.x) {
			right = s
		}
	}
	return left, right, true
}

// misread reports whether a label of edge e placed at lab reads as another
// edge: it sits in the middle row between two nodes that are not both the
// edge's ends (an edge from an input may have no node on its left).
func misread(d *diagram, e *edge, lab box) bool {
	left, right, in := rowNeighbours(d, lab)
	if !in {
		return false
	}
	return right != e.to || !(left == e.from || left < 0 && e.from < 2)
}

// boxDist returns the gap between boxes b and c (0 when they touch or overlap).
func boxDist(b, c box) float64 {
	dx := math.Max(0, math.Max(c.x-(b.x+b.w), b.x-(c.x+c.w)))
	dy := math.Max(0, math.Max(c.y-(b.y+b.h), b.y-(c.y+c.h)))
	return math.Hypot(dx, dy)
}

func (b box) overlap(c box) float64 {
	dx := math.Min(b.x+b.w, c.x+c.w) - math.Max(b.x, c.x)
	dy := math.Min(b.y+b.h, c.y+c.h) - math.Max(b.y, c.y)
	if dx <= 0 || dy <= 0 {
		return 0
	}
	return dx * dy
}

type node struct {
	label string
	box   box
	fill  color.RGBA
}

type edge struct {
	from, to int        // states joined
	label    string     // op name, "" for concat edges
	pts      []pt       // flattened curve, source port to target tip
	color    color.RGBA // line and label colour
	lab      box        // label background, if label != ""
}

type diagram struct {
	w, h  float64
	title string
	nodes []node
	edges []edge
}

const (
	fontSize = 14.0
	charW    = 0.6 * fontSize // Go Mono (and SVG monospace) advance
	nodeH    = 30.0
	rowGap   = 70.0 // between node centres in one column
	margin   = 24.0 // around the drawing
	titleH   = 28.0 // space for the title
	arrowLen = 9.0  // arrow head length
	portStep = 7.0  // spacing of edge ends on a node side
	chanStep = 24.0 // spacing of edges routed around a column
	labelPad = 3.0  // around label text
	flatten  = 16   // line segments per Bézier
	lineW    = 1.6  // edge line width
	colGapMn = 70.0 // minimum gap between columns
	labelGap = 40.0 // extra gap beside the widest label
	nodePadX = 12.0 // text padding inside a node
	titleGap = 6.0  // title baseline offset
	routePad = 16.0 // clearance of a routed edge from boxes
	chanBase = 22.0 // first routing channel distance from a column
	pngScale = 2.0  // PNG pixels per layout unit
	maxSteps = 64   // beyond this a diagram is not useful
	noLabel  = ""   // concat edges carry no label
	outLabel = "c_{k}"
	// labelClear is the gap kept between a label and any node that is not an
	// end of its edge: a label beside a node, between two nodes of a row,
	// reads as the edge that joins them.
	labelClear = 8.0
)

var (
	colBackground = color.RGBA{0xff, 0xff, 0xff, 0xff}
	colInput      = color.RGBA{0xc1, 0xff, 0xc1, 0xff} // graphviz darkseagreen2, as DARTS visualize.py
	colNode       = color.RGBA{0xad, 0xd8, 0xe6, 0xff} // lightblue
	colOutput     = color.RGBA{0xee, 0xe8, 0xaa, 0xff} // palegoldenrod
	colStroke     = color.RGBA{0x33, 0x33, 0x33, 0xff}
	colText       = color.RGBA{0x11, 0x11, 0x11, 0xff}
	colConcat     = color.RGBA{0xa0, 0xa0, 0xa0, 0xff}
	colLabelBG    = color.RGBA{0xff, 0xff, 0xff, 0xff}
)

// opColor colours an edge by the family of its op.
func opColor(p genotype.Primitive) color.RGBA {
	switch p {
	case genotype.SepConv3x3, genotype.SepConv5x5, genotype.SepConv7x7:
		return color.RGBA{0x1f, 0x5f, 0xb4, 0xff}
	case genotype.DilConv3x3, genotype.DilConv5x5:
		return color.RGBA{0x8a, 0x3f, 0xb0, 0xff}
	case genotype.MaxPool3x3, genotype.MaxPool5x5, genotype.MaxPool7x7, genotype.AvgPool3x3:
		return color.RGBA{0x1e, 0x8a, 0x2e, 0xff}
	case genotype.SkipConnect:
		return color.RGBA{0x55, 0x55, 0x55, 0xff}
	case genotype.None:
		return color.RGBA{0xbb, 0xbb, 0xbb, 0xff}
	}
	return color.RGBA{0xc0, 0x30, 0x30, 0xff}
}

// actColor colours a recurrent edge by its activation.
func actColor(a genotype.Activation) color.RGBA {
	switch a {
	case genotype.Tanh:
		return color.RGBA{0x1f, 0x5f, 0xb4, 0xff}
	case genotype.ReLU:
		return color.RGBA{0xc0, 0x30, 0x30, 0xff}
	case genotype.Sigmoid:
		return color.RGBA{0x8a, 0x3f, 0xb0, 0xff}
	}
	return color.RGBA{0x55, 0x55, 0x55, 0xff} // identity
}

// graph is what layout draws: states in order (labels[0] and labels[1] the
// two inputs, drawn above and below the first column; the last label the
// output), each later state one column right of the previous, and the links.
type graph struct {
	title  string
	labels []string
	links  []link
}

// link is one edge of a graph: from state, to state, its label (noLabel for
// concat and input edges) and colour.
type link struct {
	from, to int
	label    string
	color    color.RGBA
	way      []pt
}

// cellGraph is the graph of one cell of g: c_{k-2}, c_{k-1}, nodes 0.., c_{k}.
func cellGraph(g genotype.Genotype, cell string) (graph, error) {
	if err := g.Validate(); err != nil {
		return graph{}, err
	}
	es, concat, err := g.Cell(cell)
	if err != nil {
		return graph{}, err
	}
	steps := len(es) / 2
	if steps > maxSteps {
		return graph{}, fmt.Errorf("draw: %s cell has %d nodes, too many to draw (max %d)", cell, steps, maxSteps)
	}
	gr := graph{title: cell + " cell"}
	for s := range 2 + steps {
		gr.labels = append(gr.labels, genotype.StateLabel(s))
	}
	gr.labels = append(gr.labels, outLabel)
	out := 2 + steps
	for k, e := range es {
		gr.links = append(gr.links, link{from: e.Input, to: 2 + k/2, label: e.Op.String(), color: opColor(e.Op)})
	}
	for _, c := range concat {
		gr.links = append(gr.links, link{from: c, to: out, label: noLabel, color: colConcat})
	}
	return gr, nil
}

// recurrentGraph is the recurrent cell as Figure 6 of the DARTS paper draws
// it: x_{t} and h_{t-1} into node 0, node i+1 from node j through its
// activation, the concat nodes into h_{t}.
func recurrentGraph(r genotype.Recurrent) graph {
	gr := graph{title: "recurrent cell", labels: []string{"x_{t}", "h_{t-1}"}}
	for i := range len(r.Nodes) + 1 {
		gr.labels = append(gr.labels, fmt.Sprint(i))
	}
	gr.labels = append(gr.labels, "h_{t}")
	out := len(gr.labels) - 1
	gr.links = append(gr.links, link{from: 0, to: 2, label: noLabel, color: colConcat}, link{from: 1, to: 2, label: noLabel, color: colConcat})
	for i, e := range r.Nodes {
		gr.links = append(gr.links, link{from: 2 + e.Input, to: 3 + i, label: e.Op.String(), color: actColor(e.Op)})
	}
	for _, c := range r.Concat {
		gr.links = append(gr.links, link{from: 2 + c, to: out, label: noLabel, color: colConcat})
	}
	return gr
}

func textWidth(s string) float64 { return float64(len(s)) * charW }

// layout places the states left to right: the two inputs in the first
// column, each further state one column right of the previous, the output
// last; edges are smooth curves that go around the boxes of the columns they
// cross.
func layout(gr graph) (*diagram, error) {
	if len(gr.labels) > maxSteps+3 {
		return nil, fmt.Errorf("draw: %d states, too many to draw", len(gr.labels))
	}
	out := len(gr.labels) - 1 // index of the output
	nStates := out
	// Column 0 holds c_{k-2} (above) and c_{k-1} (below); node i has column
	// 1+i and c_{k} the last one, all on the middle line, so edges between
	// distant states arc above or below the nodes in between.
	rank := make([]int, nStates+1)
	for s := 2; s <= out; s++ {
		rank[s] = s - 1
	}
	nCols := rank[out] + 1
	cols := make([][]int, nCols)
	for s, r := range rank {
		cols[r] = append(cols[r], s)
	}

	widest := 0.0
	for _, l := range gr.links {
		widest = max(widest, textWidth(l.label))
	}
	gap := max(colGapMn, widest+labelGap)
	d := &diagram{title: gr.title}
	d.nodes = make([]node, nStates+1)
	colW := make([]float64, nCols)
	for s := range rank {
		lab := gr.labels[s]
		w := max(textWidth(lab)+2*nodePadX, nodeH)
		colW[rank[s]] = max(colW[rank[s]], w)
		d.nodes[s].label = lab
		d.nodes[s].box.w, d.nodes[s].box.h = w, nodeH
		switch {
		case s < 2:
			d.nodes[s].fill = colInput
		case s == out:
			d.nodes[s].fill = colOutput
		default:
			d.nodes[s].fill = colNode
		}
	}

	// Edges, shortest span first so that they take the inner routing channels.
	links := append([]link(nil), gr.links...)
	sort.SliceStable(links, func(i, j int) bool {
		return rank[links[i].to]-rank[links[i].from] < rank[links[j].to]-rank[links[j].from]
	})
	// Channel levels per side (0 above, 1 below) are counted first, to size
	// the drawing: each routed edge takes one level over its whole span.
	inputs := func(l link) (float64, float64, bool) { // y of both ends relative to the middle line
		y0 := 0.0
		if l.from == 0 {
			y0 = -rowGap
		} else if l.from == 1 {
			y0 = rowGap
		}
		return y0, 0, rank[l.to]-rank[l.from] > 1
	}
	used := map[[2]int]int{} // (column, side) -> levels taken
	level := make([]int, len(links))
	side := make([]int, len(links))
	levels := [2]int{}
	for li, l := range links {
		y0, y1, long := inputs(l)
		if !long {
			continue
		}
		// The first column crossed is blocked unless the edge starts well off
		// the middle line and reaches it only at its target.
		blocked := false
		r0, r1 := rank[l.from], rank[l.to]
		for r := r0 + 1; r < r1; r++ {
			y := y0 + (y1-y0)*float64(r-r0)/float64(r1-r0)
			if math.Abs(y) < nodeH/2+routePad {
				blocked = true
			}
		}
		if !blocked {
			level[li] = -1
			continue
		}
		sd := 0
		if y0 > 0 || y0 == 0 && levels[1] < levels[0] {
			sd = 1
		}
		lv := 0
		for r := r0 + 1; r < r1; r++ {
			lv = max(lv, used[[2]int{r, sd}])
		}
		for r := r0 + 1; r < r1; r++ {
			used[[2]int{r, sd}] = lv + 1
		}
		level[li], side[li] = lv, sd
		levels[sd] = max(levels[sd], lv+1)
	}
	above := max(rowGap, chanBase+float64(levels[0])*chanStep+nodeH/2)
	midY := margin + titleH + above + nodeH/2
	colX := make([]float64, nCols) // column centres
	x := margin
	for r := range cols {
		colX[r] = x + colW[r]/2
		x += colW[r] + gap
		if r == 0 { // most edges leave the inputs: give their labels room
			x += gap / 2
		}
	}
	d.w = x - gap + margin
	for s := range d.nodes {
		cy := midY
		if s == 0 {
			cy -= rowGap
		} else if s == 1 {
			cy += rowGap
		}
		b := &d.nodes[s].box
		b.x, b.y = colX[rank[s]]-b.w/2, cy-nodeH/2
	}
	for li := range links {
		l := &links[li]
		_, _, long := inputs(*l)
		if !long || level[li] < 0 {
			continue
		}
		off := nodeH/2 + chanBase + float64(level[li])*chanStep
		y := midY - off
		if side[li] == 1 {
			y = midY + off
		}
		r0, r1 := rank[l.from], rank[l.to]
		for r := r0 + 1; r < r1; r++ {
			l.way = append(l.way, pt{colX[r], y})
		}
	}
	// Spread the ends of the edges on each node side, ordered by where the
	// other end lies, so that lines meet a box at distinct points.
	outPort := make([]float64, len(links))
	inPort := make([]float64, len(links))
	for s := range d.nodes {
		var outs, ins []int
		for li, l := range links {
			if l.from == s {
				outs = append(outs, li)
			}
			if l.to == s {
				ins = append(ins, li)
			}
		}
		next := func(li int) float64 {
			if w := links[li].way; len(w) > 0 {
				return w[0].y
			}
			b := d.nodes[links[li].to].box
			return b.y + b.h/2
		}
		prev := func(li int) float64 {
			if w := links[li].way; len(w) > 0 {
				return w[len(w)-1].y
			}
			b := d.nodes[links[li].from].box
			return b.y + b.h/2
		}
		spread(outs, next, outPort)
		spread(ins, prev, inPort)
	}
	for li, l := range links {
		a, b := d.nodes[l.from].box, d.nodes[l.to].box
		ps := []pt{{a.x + a.w, a.y + a.h/2 + outPort[li]}}
		ps = append(ps, l.way...)
		ps = append(ps, pt{b.x - arrowLen, b.y + b.h/2 + inPort[li]})
		d.edges = append(d.edges, edge{from: l.from, to: l.to, label: l.label, pts: curve(ps), color: l.color})
	}

	// Labels: the spot along each edge that overlaps the fewest nodes, earlier
	// labels and other edges' lines, keeps labelClear from the nodes the edge
	// does not join, preferring the middle of the edge.
	var taken []box
	for _, n := range d.nodes {
		taken = append(taken, n.box)
	}
	for i := range d.edges {
		e := &d.edges[i]
		if e.label == noLabel {
			continue
		}
		w, h := textWidth(e.label)+2*labelPad, fontSize+2*labelPad
		best, bestCost := box{}, math.Inf(1)
		for k := 1; k <= 19; k++ {
			t := float64(k) / 20
			p := along(e.pts, t)
			c := box{p.x - w/2, p.y - h/2, w, h}
			cost := 40 * math.Abs(t-0.5)
			for _, o := range taken {
				cost += 100 * c.overlap(o)
			}
			for s, n := range d.nodes {
				if gap := boxDist(c, n.box); s != e.from && s != e.to && gap < labelClear {
					cost += 1e5 * (1 + labelClear - gap)
				}
			}
			if misread(d, e, c) {
				cost += 1e6 // all but forbidden
			}
			for j, o := range d.edges {
				if j == i {
					continue
				}
				for _, q := range o.pts {
					if q.x > c.x && q.x < c.x+c.w && q.y > c.y && q.y < c.y+c.h {
						cost += 60
					}
				}
			}
			if cost < bestCost {
				best, bestCost = c, cost
			}
		}
		e.lab = best
		taken = append(taken, best)
	}
	// Fit the canvas to everything drawn.
	maxY := 0.0
	for _, n := range d.nodes {
		maxY = max(maxY, n.box.y+n.box.h)
	}
	for _, e := range d.edges {
		for _, p := range e.pts {
			maxY = max(maxY, p.y+lineW)
		}
		if e.label != noLabel {
			maxY = max(maxY, e.lab.y+e.lab.h)
		}
	}
	d.h = maxY + margin
	return d, nil
}

// spread sets port[li] for the links lis, ordered by key, portStep apart and
// centred on zero.
func spread(lis []int, key func(int) float64, port []float64) {
	sort.SliceStable(lis, func(i, j int) bool { return key(lis[i]) < key(lis[j]) })
	step := math.Min(portStep, (nodeH-8)/math.Max(1, float64(len(lis)-1)))
	for k, li := range lis {
		port[li] = (float64(k) - float64(len(lis)-1)/2) * step
	}
}

// curve flattens the smooth curve through ps that is horizontal at every
// point: between p and q a cubic Bézier with controls (p.x+dx/2, p.y) and
// (q.x-dx/2, q.y).
func curve(ps []pt) []pt {
	out := []pt{ps[0]}
	for i := 1; i < len(ps); i++ {
		p, q := ps[i-1], ps[i]
		dx := (q.x - p.x) / 2
		c1, c2 := pt{p.x + dx, p.y}, pt{q.x - dx, q.y}
		for k := 1; k <= flatten; k++ {
			t := float64(k) / flatten
			u := 1 - t
			out = append(out, pt{
				u*u*u*p.x + 3*u*u*t*c1.x + 3*u*t*t*c2.x + t*t*t*q.x,
				u*u*u*p.y + 3*u*u*t*c1.y + 3*u*t*t*c2.y + t*t*t*q.y,
			})
		}
	}
	return out
}

// along returns the point at fraction t of the length of the polyline ps.
func along(ps []pt, t float64) pt {
	total := 0.0
	for i := 1; i < len(ps); i++ {
		total += math.Hypot(ps[i].x-ps[i-1].x, ps[i].y-ps[i-1].y)
	}
	goal := t * total
	for i := 1; i < len(ps); i++ {
		l := math.Hypot(ps[i].x-ps[i-1].x, ps[i].y-ps[i-1].y)
		if goal <= l && l > 0 {
			f := goal / l
			return pt{ps[i-1].x + f*(ps[i].x-ps[i-1].x), ps[i-1].y + f*(ps[i].y-ps[i-1].y)}
		}
		goal -= l
	}
	return ps[len(ps)-1]
}
