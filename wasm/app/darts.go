//go:build js && wasm

package main

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"slices"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"

	"github.com/nasplayground/nas/core/metric"
	"github.com/nasplayground/nas/wasm/i18n"
	"github.com/nasplayground/nas/wasm/ui"
)

// nodes returns the intermediate nodes per cell of the DARTS run on screen:
// from its α when it has arrived, else from the page's parameters.
func (g *game) nodes() int {
	if n := ui.CellSteps(len(g.model.AlphaNormal)); n > 0 {
		return n
	}
	return g.params.Nodes
}

// opShort returns the short label of op in the page's language.
func (g *game) opShort(op string) string { return i18n.Op(g.lang(), op) }

// ---- DARTS ----

func (g *game) drawDARTS(dst *ebiten.Image) {
	l := &g.layout
	m := &g.model
	u := l.U
	ops := m.Ops
	if ops == nil {
		ops = dartsOps
	}
	g.drawCell(dst, l.Panels["normal"], 0, g.t("darts.normal"), g.t("darts.cell.cap"), m.AlphaNormal, ops)
	g.drawCell(dst, l.Panels["reduce"], 1, g.t("darts.reduce"), "", m.AlphaReduce, ops)
	g.mark("cells")

	// Legend: in the normal cell's title row, right-aligned.
	nr := l.Panels["normal"]
	g.static(dst, func(dst *ebiten.Image) {
		x := nr.X + nr.W - 0.3*u
		for k := len(ops) - 1; k >= 0; k-- {
			x -= g.texts.get(g.opShort(ops[k]), g.face(ui.SizeCaption), g.redraw.Drawn).adv
			g.text(dst, g.opShort(ops[k]), x, nr.Y+0.35*u, ui.SizeCaption, colText)
			x -= 0.8 * u
			vector.DrawFilledRect(dst, float32(x), float32(nr.Y+0.55*u), float32(0.6*u), float32(0.5*u), rgba(ui.OpColors[k%len(ui.OpColors)]), false)
			x -= 0.5 * u
		}
	}, "legend", ops, g.lang(), nr)

	// Genotype stability.
	in := g.panel(dst, l.Panels["genotype"], g.t("darts.genotype"), "")
	g.drawGenotype(sub(dst, l.Panels["genotype"]), in, ops)

	g.mark("legend+genotype")
	g.drawPhase(dst, l.Panels["phase"])
	g.drawAlpha(dst, l.Panels["alpha"], ops)
	g.mark("phase+alpha")
	in = g.panel(dst, l.Panels["loss"], g.t("darts.loss"), "")
	g.plot(dst, in, []plotSeries{
		{label: g.t("darts.train"), pts: m.TrainLoss.All(), clr: colTrain, format: "%.3f"},
		{label: g.t("darts.val"), pts: m.ValLoss.All(), clr: colVal, format: "%.3f"},
	}, g.t("stat.step"), nil)
	if c, e, ok := g.selectedEdge(); ok {
		g.drawEdgeHistory(dst, l.Panels["acc"], c, e, ops)
	} else {
		in = g.panel(dst, l.Panels["acc"], g.t("darts.acc"), "")
		g.plot(dst, in, []plotSeries{
			{label: g.t("darts.train"), pts: scale(m.TrainAcc.All(), 100), clr: colTrain, format: "%.1f%%"},
			{label: g.t("darts.val"), pts: scale(m.ValAcc.All(), 100), clr: colVal, format: "%.1f%%"},
		}, g.t("stat.step"), &[2]float64{0, 0})
	}
	g.mark("plots")
	if r, ok := l.Panels["samples"]; ok && len(m.Preds) > 0 { // hidden where there are no images (recordings)
		g.drawSamples(dst, r)
	}

	if m.Text != "" || m.AlphaNormal == nil {
		// What the engine does meanwhile, or what went wrong, in a box over
		// the genotype panel's content, as tall as the words need.
		msg := g.t("darts.nodata")
		for _, s := range []string{g.engineStatus(), i18n.Message(g.lang(), m.Text)} {
			if s != "" {
				msg += " " + s
			}
		}
		r := l.Panels["genotype"]
		w := r.W - 1.4*u
		h := g.paragraphHeight(msg, w, ui.SizeCaption) + 0.4*u
		box := ui.Rect{X: r.X + 0.4*u, Y: max(r.Y+1.6*u, r.Y+r.H-0.4*u-h), W: r.W - 0.8*u, H: h}
		fillRect(dst, box, color.RGBA{60, 30, 10, 255})
		strokeRect(dst, box, 2, colWarning)
		g.paragraph(sub(dst, box), msg, box.X+0.3*u, box.Y+0.2*u, w, ui.SizeCaption, colWarning)
	}
}

// selectedEdge returns the heat-map row picked by a click, if any.
func (g *game) selectedEdge() (cell, edge int, ok bool) {
	if g.edgeSel == "" {
		return 0, 0, false
	}
	return ui.ParseEdgeID(g.edgeSel)
}

// drawEdgeHistory plots the 8 op weights of one edge over steps into r.
func (g *game) drawEdgeHistory(dst *ebiten.Image, r ui.Rect, c, e int, ops []string) {
	cell := g.t([]string{"darts.cellname.normal", "darts.cellname.reduce"}[c])
	in := g.panel(dst, r, fmt.Sprintf(g.t("darts.edge.title"), ui.EdgeLabel(e, g.nodes()), cell), "")
	var ss []plotSeries
	if hs := g.model.AlphaSeries[c]; e < len(hs) {
		for k, s := range hs[e] {
			if k < len(ops) {
				ss = append(ss, plotSeries{label: "", pts: s.All(), clr: rgba(ui.OpColors[k%len(ui.OpColors)]), format: ""})
			}
		}
	}
	g.plot(dst, in, ss, g.t("stat.step"), nil)
}

// drawGenotype draws into in: for how many steps the derived genotype has
// not changed, how many of its edges changed within the last epoch, and why
// near-tied ops make it flip. The genotype itself is drawn as the derived
// cells next to the continuous ones.
func (g *game) drawGenotype(dst *ebiten.Image, in ui.Rect, ops []string) {
	u := g.layout.U
	m := &g.model
	st := &m.Stability
	if m.Genotype == "" || st.Genotype != m.Genotype {
		g.text(dst, "-", in.X, in.Y, ui.SizeCaption, colAccent)
		return
	}
	var gap float64
	if gaps := ui.TieGaps(m.AlphaNormal, m.AlphaReduce, ops, st.Edges, g.nodes()); len(gaps) > 0 {
		gap = metric.Median(gaps)
	}
	line, why, settled := ui.GenotypeText(g.t, st.StableSteps(m.Step), count(st.ChangedSince(st.EpochWindow(m.Step))), len(st.Edges), st.EpochSteps, gap)
	clr := colText
	if settled {
		clr = colGood
	}
	y := in.Y + g.paragraph(dst, line, in.X, in.Y, in.W, ui.SizeCaption, clr) + 0.2*u
	if why != "" {
		g.paragraph(dst, why, in.X, y, in.W, ui.SizeCaption, colDim)
	}
}

// count returns the number of true values.
func count(bs []bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}

// colChanged marks the derived cell's recently flipped edges.
var colChanged = color.RGBA{255, 90, 110, 255}

func scale(ps []ui.Point, f float64) []ui.Point {
	for i := range ps {
		ps[i].Y *= f
	}
	return ps
}

// drawCell draws a DARTS cell: left the continuous relaxation (every edge a
// bundle of len(ops) strands, each drawn relative to the edge's own range so
// the leader shows from the first α step), right the discrete cell derived
// from it now, recently flipped edges in red.
func (g *game) drawCell(dst *ebiten.Image, r ui.Rect, c int, title, caption string, alpha [][]float64, ops []string) {
	u := g.layout.U
	in := g.panel(dst, r, title, caption)
	area, right, derived := ui.DARTSCellAreas(r, in, u) // the arcs of the continuous cell stay below the caption
	g.layer(sub(dst, area), "cell."+title, area, firstOf(alpha), func(dst *ebiten.Image) {
		g.drawRelaxedCell(dst, ui.Rect{X: in.X, Y: in.Y, W: area.W - 0.6*u, H: in.H}, alpha, ops)
	})
	vector.StrokeLine(dst, float32(right.X), float32(right.Y+0.2*u), float32(right.X), float32(right.Y+right.H-0.3*u), 1, colBorder, false)
	st := &g.model.Stability
	var edges []ui.GenoEdge
	var changed []bool
	if st.Genotype != "" && st.Genotype == g.model.Genotype {
		flip := st.ChangedSince(g.model.Step - ui.HighlightSteps)
		for i, e := range st.Edges {
			if e.Reduce == (c == 1) {
				edges = append(edges, e)
				changed = append(changed, flip[i])
			}
		}
	}
	key := fmt.Sprint(st.Genotype, changed, g.lang())
	g.layer(sub(dst, right), "derived."+title, right, key, func(dst *ebiten.Image) {
		name := g.t("darts.derived")
		tb := ui.DerivedTitle(derived, u, g.texts.get(name, g.face(ui.SizeCaption), g.redraw.Drawn).adv)
		g.text(dst, name, tb.X+0.3*u, tb.Y, ui.SizeCaption, colDim)
		g.drawDerivedCell(dst, derived, tb, edges, changed, ops)
	})
}

// drawRelaxedCell draws the continuous cell DAG into in with ui.StrandStyles.
func (g *game) drawRelaxedCell(dst *ebiten.Image, in ui.Rect, alpha [][]float64, ops []string) {
	u := g.layout.U
	steps := g.nodes()
	nodes := ui.CellNodes(steps, ui.Rect{X: in.X + 0.6*u, Y: in.Y, W: in.W - 1.2*u, H: in.H})
	edges := ui.CellEdges(steps)
	var l, top lines
	gap := math.Min(0.3*u, in.H/36)
	maxW := math.Max(1.5, 0.95*gap)
	for e, ft := range edges {
		a, b := nodes[ft[0]], nodes[ft[1]]
		strands := ui.Strands(a, b, ui.EdgeBend(ft[0], ft[1]), gap, len(ops), 12)
		if alpha == nil || e >= len(alpha) {
			for _, pts := range strands {
				l.add(dst, pts, 1, colBorder, 0.8)
			}
			continue
		}
		st := ui.StrandStyles(alpha[e])
		for k, pts := range strands {
			if k >= len(st) {
				break
			}
			clr := rgba(ui.OpColors[k%len(ui.OpColors)])
			if st[k].Strongest { // outlined in white, drawn last
				top.add(dst, pts, maxW*st[k].Width+0.12*u, colText, 1)
				top.add(dst, pts, maxW*st[k].Width, clr, 1)
				continue
			}
			l.add(dst, pts, maxW*st[k].Width, clr, st[k].Opacity)
		}
	}
	out := nodes[len(nodes)-1]
	for i := 2; i < 2+steps; i++ {
		l.add(dst, []ui.Point{nodes[i], out}, 0.08*u, colDim, 0.6)
	}
	l.flush(dst)
	top.flush(dst)
	g.drawNodes(dst, nodes, 0.8*u)
}

// drawNodes draws a cell's state circles with their names.
func (g *game) drawNodes(dst *ebiten.Image, nodes []ui.Point, rad float64) {
	for i, p := range nodes {
		label := ui.StateName(i)
		if i == len(nodes)-1 {
			label = "k" // the cell's output c_k, as in the lecture's cells
		}
		c := colButton
		if i < 2 || i == len(nodes)-1 {
			c = colActive
		}
		vector.DrawFilledCircle(dst, float32(p.X), float32(p.Y), float32(rad), c, false)
		vector.StrokeCircle(dst, float32(p.X), float32(p.Y), float32(rad), 2, colText, false)
		g.textCentered(dst, label, ui.Rect{X: p.X - rad, Y: p.Y - rad, W: 2 * rad, H: 2 * rad}, ui.SizeMin, colText)
	}
}

// drawDerivedCell draws the discrete cell of edges (each node's two inputs
// with their op) into r, its labels clear of the title box; changed edges in
// red. ui.LayoutDerivedCell places everything (tested there to keep the
// labels apart at both screen sizes and in both languages).
func (g *game) drawDerivedCell(dst *ebiten.Image, r, title ui.Rect, edges []ui.GenoEdge, changed []bool, ops []string) {
	u := g.layout.U
	sizes := make([]ui.Point, len(edges))
	for i, e := range edges {
		sizes[i] = ui.Point{X: g.texts.get(g.opShort(e.Op), g.face(ui.SizeMin), g.redraw.Drawn).adv + ui.ChipPad*u, Y: ui.ChipH * u}
	}
	d := ui.LayoutDerivedCell(r, u, edges, sizes, []ui.Rect{title})
	var l lines
	colors := make([]color.RGBA, len(edges))
	for i, e := range edges {
		k := max(0, slices.Index(ops, e.Op))
		colors[i] = rgba(ui.OpColors[k%len(ui.OpColors)])
		if pts := d.Curves[i]; pts != nil {
			if i < len(changed) && changed[i] {
				l.add(dst, pts, 0.34*u, colChanged, 1)
			}
			l.add(dst, pts, 0.16*u, colors[i], 1)
		}
	}
	out := d.Nodes[len(d.Nodes)-1]
	for i := 2; i < len(d.Nodes)-1; i++ {
		l.add(dst, []ui.Point{d.Nodes[i], out}, 0.06*u, colDim, 0.6)
	}
	l.flush(dst)
	g.drawNodes(dst, d.Nodes, d.Rad)
	for i, e := range edges {
		if d.Curves[i] != nil {
			box := d.Labels[i]
			g.chip(dst, g.opShort(e.Op), box.X+box.W/2, box.Y, colors[i])
		}
	}
}

// drawPhase draws the bilevel step: which half runs now, each half's update
// rule for the current order (eq. 3 and 6-8 of the DARTS paper) and the
// captions.
func (g *game) drawPhase(dst *ebiten.Image, r ui.Rect) {
	u := g.layout.U
	m := &g.model
	order := g.params.Order
	in := g.panel(dst, r, g.t("darts.phase")+" · "+g.t(fmt.Sprintf("btn.order%d", order)), g.t("darts.phase.cap"))
	aRule, aNote := g.t("darts.phase.a"), g.t("darts.phase.a1b")
	if order == 2 {
		aRule, aNote = g.t("darts.phase.a2"), g.t("darts.order.cap")+" "+g.t("darts.phase.a2b")
	}
	boxes := []struct {
		rule, note, phase string
		n                 int
		clr               color.RGBA
	}{{g.t("darts.phase.w"), "", "w", m.PhaseW, colTrain}, {aRule, aNote, "alpha", m.PhaseAlpha, colVal}}
	y := in.Y
	for _, b := range boxes {
		lines := 1.0
		w := in.W - 4*u
		if n := len(g.wrapped(b.rule, w, ui.SizeCaption)); n > 1 {
			lines = float64(n)
		}
		h := lines*ui.SizeCaption*u*1.25 + 0.3*u
		if b.note != "" {
			h += g.paragraphHeight(b.note, w, ui.SizeCaption)
		}
		box := ui.Rect{X: in.X, Y: y, W: in.W, H: h}
		if m.Phase == b.phase {
			fillRect(dst, box, color.RGBA{b.clr.R / 4, b.clr.G / 4, b.clr.B / 4, 255})
			strokeRect(dst, box, 3, b.clr)
		} else {
			strokeRect(dst, box, 1, colBorder)
		}
		yy := box.Y + 0.15*u
		yy += g.paragraph(dst, b.rule, box.X+0.3*u, yy, w, ui.SizeCaption, colText)
		if b.note != "" {
			g.paragraph(dst, b.note, box.X+0.3*u, yy, w, ui.SizeCaption, colDim)
		}
		g.textRight(dst, fmt.Sprintf("× %d", b.n), box.X+box.W-0.3*u, box.Y+0.15*u, ui.SizeCaption, b.clr)
		y += h + 0.3*u
	}
}

func (g *game) drawAlpha(dst *ebiten.Image, r ui.Rect, ops []string) {
	m := &g.model
	in := g.panel(dst, r, g.t("darts.alpha")+" · "+g.t("darts.edge.hint"), "") // a row opens its edge's weights over time in the accuracy panel
	hm := ui.HeatMapIn(in, g.layout.U, 2.6, len(ui.CellEdges(g.nodes())), len(ops))
	g.layout.Buttons = append(g.layout.Buttons, hm.Buttons()...)
	g.layer(dst, "alpha", r.Inset(1), [4]any{firstOf(m.AlphaNormal), firstOf(m.AlphaReduce), g.edgeSel, g.lang()}, func(dst *ebiten.Image) { g.drawAlphaMap(dst, r, hm, ops) })
}

// drawAlphaMap draws the two heat maps (hm) and the colour scale in the
// title row of the panel r. A cell's colour is its deviation from uniform,
// softmax(α) − 1/K, on a symmetric scale of ±(the largest deviation now):
// near the start every softmax(α) is ≈ 1/K and an absolute scale is flat.
// Columns are labelled with the op names (rotated), rows with the edges.
func (g *game) drawAlphaMap(dst *ebiten.Image, r ui.Rect, hm ui.HeatMap, ops []string) {
	u := g.layout.U
	m := &g.model
	dev := ui.MaxDeviation(m.AlphaNormal, m.AlphaReduce)
	var bars lines
	if m.AlphaNormal != nil {
		g.drawDeviationScale(dst, &bars, r, dev)
	}
	selC, selE, sel := g.selectedEdge()
	for c, a := range [][][]float64{m.AlphaNormal, m.AlphaReduce} {
		g.textRight(dst, []string{"N", "R"}[c], hm.X0[c]-0.3*u, hm.HeaderY+0.6*u, ui.SizeCaption, colDim)
		for k, op := range ops { // column keys: the legend's colours and the op names, rotated
			x := hm.X0[c] + float64(k)*hm.ColW
			bars.rect(dst, x, hm.Y0-0.35*u, hm.ColW-2, 0.25*u, rgba(ui.OpColors[k%len(ui.OpColors)]))
			g.textRotated(dst, g.opShort(op), x+(hm.ColW-ui.SizeMin*u*1.2)/2, hm.Y0-0.45*u, ui.SizeMin, colText)
		}
		for e := range hm.Edges {
			row := hm.Row(c, e)
			lc := colDim
			if sel && selC == c && selE == e {
				lc = colAccent
			}
			g.textRight(dst, ui.EdgeLabel(e, g.nodes()), hm.X0[c]-0.2*u, row.Y+(row.H-ui.SizeMin*u*1.2)/2, ui.SizeMin, lc)
			for k := range ops {
				clr := color.RGBA{40, 44, 52, 255}
				if e < len(a) && k < len(a[e]) && dev > 0 {
					cr, cg, cb := ui.Diverging((a[e][k] - 1/float64(len(a[e]))) / dev)
					clr = color.RGBA{cr, cg, cb, 255}
				}
				cell := hm.Cell(c, e, k)
				bars.rect(dst, cell.X, cell.Y, cell.W-1, cell.H-1, clr)
			}
		}
	}
	bars.flush(dst)
	if sel {
		strokeRect(dst, hm.Row(selC, selE), 2, colAccent)
	}
}

// textRotated draws s turned 90° counter-clockwise, its baseline end at
// (x, y): it reads bottom to top, ending at y.
func (g *game) textRotated(dst *ebiten.Image, s string, x, y, size float64, clr color.Color) {
	f := g.face(size)
	e := g.texts.get(s, f, g.redraw.Drawn)
	if e.img == nil {
		return
	}
	h := float64(e.img.Bounds().Dy() - 2*textPad)
	g.record(dst, s, ui.Rect{X: math.Round(x), Y: math.Round(y) - e.adv, W: h, H: e.adv}, f.Size)
	op := &ebiten.DrawImageOptions{}
	op.GeoM.Translate(-textPad, -textPad)
	op.GeoM.Rotate(-math.Pi / 2)
	op.GeoM.Translate(math.Round(x), math.Round(y))
	op.ColorScale.ScaleWithColor(clr)
	op.Filter = ebiten.FilterLinear
	dst.DrawImage(e.img, op)
}

// drawDeviationScale draws the heat map's colour scale right-aligned in the
// title row of r: −dev, the gradient, +dev.
func (g *game) drawDeviationScale(dst *ebiten.Image, bars *lines, r ui.Rect, dev float64) {
	u := g.layout.U
	y := r.Y + 0.35*u
	x := r.X + r.W - 0.4*u
	hi := fmt.Sprintf("+%.1g", dev)
	x -= g.texts.get(hi, g.face(ui.SizeCaption), g.redraw.Drawn).adv
	g.text(dst, hi, x, y, ui.SizeCaption, rgba(ui.DivergingHigh))
	const n = 24
	w := 3.2 * u
	x -= w + 0.3*u
	for i := range n {
		cr, cg, cb := ui.Diverging(2*(float64(i)+0.5)/n - 1)
		bars.rect(dst, x+float64(i)*w/n, y+0.15*u, w/n+0.5, 0.55*u, color.RGBA{cr, cg, cb, 255})
	}
	lo := fmt.Sprintf("−%.1g", dev)
	x -= 0.3 * u
	g.textRight(dst, lo, x, y, ui.SizeCaption, rgba(ui.DivergingLow))
}

// sub returns the part of dst inside r, so drawing there is clipped to r.
func sub(dst *ebiten.Image, r ui.Rect) *ebiten.Image {
	return dst.SubImage(image.Rect(int(r.X), int(r.Y), int(math.Ceil(r.X+r.W)), int(math.Ceil(r.Y+r.H)))).(*ebiten.Image)
}

// drawCellGraph draws a cell DAG into in with strand width and opacity
// absolute in the weights (ENAS's one-hot sampled cells).
func (g *game) drawCellGraph(dst *ebiten.Image, in ui.Rect, alpha [][]float64, ops []string) {
	u := g.layout.U
	const steps = 4
	nodes := ui.CellNodes(steps, ui.Rect{X: in.X + 0.6*u, Y: in.Y, W: in.W - 1.2*u, H: in.H})
	edges := ui.CellEdges(steps)
	var l lines
	gap := math.Min(0.3*u, in.H/36)
	for e, ft := range edges {
		a, b := nodes[ft[0]], nodes[ft[1]]
		strands := ui.Strands(a, b, ui.EdgeBend(ft[0], ft[1]), gap, len(ops), 12)
		for k, pts := range strands {
			p := 1 / float64(len(ops))
			if e < len(alpha) && k < len(alpha[e]) {
				p = alpha[e][k]
			}
			if alpha == nil {
				l.add(dst, pts, 1, colBorder, 0.8)
				continue
			}
			l.add(dst, pts, 0.2*u*(0.15+4*p), rgba(ui.OpColors[k%len(ui.OpColors)]), 0.2+0.8*math.Min(1, p*2.5))
		}
	}
	// Concatenation into c_k.
	out := nodes[len(nodes)-1]
	for i := 2; i < 2+steps; i++ {
		l.add(dst, []ui.Point{nodes[i], out}, 0.08*u, colDim, 0.6)
	}
	l.flush(dst)
	rad := 0.85 * u
	for i, p := range nodes {
		label := fmt.Sprint(i - 2)
		switch {
		case i == 0:
			label = "k-2"
		case i == 1:
			label = "k-1"
		case i == len(nodes)-1:
			label = "k"
		}
		c := colButton
		if i < 2 || i == len(nodes)-1 {
			c = colActive
		}
		vector.DrawFilledCircle(dst, float32(p.X), float32(p.Y), float32(rad), c, false)
		vector.StrokeCircle(dst, float32(p.X), float32(p.Y), float32(rad), 2, colText, false)
		size := ui.SizeBody
		if len(label) > 1 {
			size = ui.SizeMin
		}
		g.textCentered(dst, label, ui.Rect{X: p.X - rad, Y: p.Y - rad, W: 2 * rad, H: 2 * rad}, size, colText)
	}
}

// chip draws s centred at (cx, top y) on a filled box of colour bg, in the
// ink readable on it (ui.TextOn, ≥ 4.5:1).
func (g *game) chip(dst *ebiten.Image, s string, cx, y float64, bg color.RGBA) ui.Rect {
	u := g.layout.U
	w := g.texts.get(s, g.face(ui.SizeMin), g.redraw.Drawn).adv
	box := ui.Rect{X: cx - w/2 - ui.ChipPad/2*u, Y: y, W: w + ui.ChipPad*u, H: ui.ChipH * u}
	fillRect(dst, box, bg)
	g.text(dst, s, box.X+ui.ChipPad/2*u, box.Y, ui.SizeMin, rgba(ui.TextOn([3]uint8{bg.R, bg.G, bg.B})))
	return box
}
