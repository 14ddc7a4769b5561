//go:build js && wasm

package main

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"slices"
	"strings"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"

	"github.com/nasplayground/nas/wasm/protocol"
	"github.com/nasplayground/nas/wasm/ui"
)

// dartsOps are the DARTS primitives in the reference order (quark0/darts
// genotypes.py), used until the first event names them.
var dartsOps = []string{"none", "max_pool_3x3", "avg_pool_3x3", "skip_connect", "sep_conv_3x3", "sep_conv_5x5", "dil_conv_3x3", "dil_conv_5x5"}

var shortOp = map[string]string{
	"none": "none", "max_pool_3x3": "max", "avg_pool_3x3": "avg", "skip_connect": "skip",
	"sep_conv_3x3": "sep3", "sep_conv_5x5": "sep5", "dil_conv_3x3": "dil3", "dil_conv_5x5": "dil5",
	"nor_conv_1x1": "conv1", "nor_conv_3x3": "conv3",
}

// nb201Edges is the number of edges of a NAS-Bench-201 cell (drawNB201Cell's
// geometry); the names of its edges and ops come from the engine (Labels).
const nb201Edges = 6

// nb201Labels returns the op names and the edge labels ("0→1", from core's
// "edge 0→1 op") of the sampled NAS-Bench-201 space, blank until the engine's
// first snapshot names them.
func (g *game) nb201Labels() (ops, edges []string) {
	ops, edges = make([]string, 5), make([]string, nb201Edges)
	if l := g.model.Labels; l != nil && len(l.Decisions) == nb201Edges && len(l.Choices) > 0 {
		ops = l.Choices[0]
		for i, s := range l.Decisions {
			edges[i] = strings.TrimSuffix(strings.TrimPrefix(s, "edge "), " op")
		}
	}
	return ops, edges
}

var cifarClasses = []string{"plane", "car", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"}

func rgba(c [3]uint8) color.RGBA { return color.RGBA{c[0], c[1], c[2], 255} }

func (g *game) draw(dst *ebiten.Image) {
	l := &g.layout
	u := l.U
	m := &g.model
	g.static(dst, func(dst *ebiten.Image) {
		g.text(dst, g.t("title"), l.Title.X, l.Title.Y+0.1*u, ui.SizeTitle, colAccent)
		help := "help.keys"
		if g.params.Scene == protocol.SceneLecture {
			help = "lec.keys"
		}
		g.text(dst, g.t(help), l.Help.X, l.Help.Y, ui.SizeCaption, colDim)
	}, "title", g.lang(), l.Title, l.Help, g.params.Scene == protocol.SceneLecture)
	for _, s := range protocol.Scenes {
		g.button(dst, "scene."+s, g.t("scene."+s), g.params.Scene == s)
	}
	g.button(dst, "lang", g.t("btn.lang"), false)
	running := m.Running && !g.paused
	if g.params.Scene == protocol.SceneReplay {
		running = g.replay.Playing
	}
	if running {
		g.button(dst, "run", g.t("sym.pause")+" "+g.t("btn.pause"), true)
	} else {
		g.button(dst, "run", g.t("sym.run")+" "+g.t("btn.run"), false)
	}
	g.button(dst, "step", g.t("btn.step"), false)
	g.button(dst, "reset", g.t("btn.reset"), false)
	g.button(dst, "order", g.t(fmt.Sprintf("btn.order%d", g.params.Order)), g.params.Order == 2)
	g.button(dst, "method", g.t("m."+g.params.Method), false)
	g.button(dst, "open", g.t("btn.open"), false)
	g.drawControls(dst)
	g.drawShipped(dst)
	if scene := g.params.Scene; scene != protocol.SceneLecture {
		g.drawStatus(dst)
	}
	g.mark("bars")

	scene := g.params.Scene
	if scene == protocol.SceneReplay {
		g.drawReplayBar(dst)
		scene = replayOf(m)
	}
	switch scene {
	case protocol.SceneLecture:
		g.drawLecture(dst)
	case protocol.SceneDARTS:
		g.drawDARTS(dst)
	case protocol.SceneRL:
		g.drawRL(dst)
	case protocol.SceneCompare:
		g.drawCompare(dst)
	default:
		r := l.Panels["empty"]
		in := g.panel(dst, r, g.t("scene.replay"), "")
		y := in.Y + 0.4*u
		if len(g.shipped) > 0 {
			g.text(dst, g.t("replay.pick"), in.X, in.Y, ui.SizeBody, colAccent)
			for i, e := range g.shipped {
				if b, ok := g.layout.Button(fmt.Sprint("replaycard.", i)); ok {
					g.button(dst, fmt.Sprint("replaycard.", i), g.t("sym.run")+" "+e.Title, false)
					g.text(dst, e.URL(), b.X+b.W+0.6*u, b.Y+0.4*u, ui.SizeCaption, colDim)
					y = b.Y + b.H + 0.8*u
				}
			}
		}
		y += g.paragraph(dst, g.t("replay.empty"), in.X, y, in.W, ui.SizeBody, colText) + 0.6*u
		for _, msg := range []string{g.shippedErr, m.Text} {
			if msg != "" {
				y += g.paragraph(dst, msg, in.X, y, in.W, ui.SizeBody, colWarning) + 0.6*u
			}
		}
	}
}

func (g *game) drawStatus(dst *ebiten.Image) {
	m := &g.model
	r := g.layout.Status
	state := g.t("stat.running")
	switch {
	case m.Done, g.params.Scene == protocol.SceneReplay && len(g.replay.Events) > 0 && g.replay.Pos() == len(g.replay.Events):
		state = g.t("stat.done")
	case g.params.Scene == protocol.SceneReplay && !g.replay.Playing, g.params.Scene != protocol.SceneReplay && (g.paused || !m.Running):
		state = g.t("stat.paused")
	}
	parts := []string{state, fmt.Sprintf("%s %d", g.t("stat.step"), m.Step)}
	if g.params.Scene == protocol.SceneDARTS || replayOf(m) == protocol.SceneDARTS {
		parts = append(parts, fmt.Sprintf("%s %d", g.t("stat.epoch"), m.Epoch), fmt.Sprintf("%.0f %s", m.ImagesPerSec, g.t("stat.ips")))
	} else {
		parts = append(parts, fmt.Sprintf("%.0f %s", m.StepsPerSec, g.t("stat.sps")))
	}
	rate := "max"
	if g.params.Scene == protocol.SceneReplay {
		rate = fmt.Sprintf("%g/s", g.replay.Rate)
	} else if g.rate > 0 {
		rate = fmt.Sprintf("%g/s", g.rate)
	}
	parts = append(parts, g.t("btn.speed")+" "+rate, fmt.Sprintf("%s %.0f", g.t("stat.fps"), ebiten.ActualFPS()))
	// Part by part: the text cache keeps the parts that did not change.
	x := r.X
	for i, p := range parts {
		if i > 0 {
			x += g.text(dst, " · ", x, r.Y+0.25*g.layout.U, ui.SizeBody, colText)
		}
		x += g.text(dst, p, x, r.Y+0.25*g.layout.U, ui.SizeBody, colText)
	}
}

// drawControls draws row 3: label, -, value, + per parameter.
func (g *game) drawControls(dst *ebiten.Image) {
	for _, c := range g.layout.Controls {
		r := c.Label
		g.static(dst, func(dst *ebiten.Image) {
			g.textRight(dst, g.t("ctl."+c.Key), r.X+r.W-0.2*g.layout.U, r.Y+0.15*g.layout.U, ui.SizeCaption, colDim)
		}, "ctl", c.Key, r, g.lang())
		g.button(dst, c.Key+"-", "-", false)
		g.button(dst, "val."+c.Key, g.controlValue(c.Key), false)
		g.button(dst, c.Key+"+", "+", false)
	}
}

// controlValue formats the value of the control with URL key k.
func (g *game) controlValue(k string) string {
	switch k {
	case "rate":
		r := g.rate
		if g.params.Scene == protocol.SceneReplay {
			r = g.replay.Rate
		}
		if r == 0 {
			return "max"
		}
		return fmt.Sprintf("%g/s", r)
	case "seed":
		return fmt.Sprint(g.params.Seed)
	}
	if p := lrParam(&g.params, k); p != nil {
		return fmt.Sprintf("%g", *p)
	}
	return "?"
}

func (g *game) drawReplayBar(dst *ebiten.Image) {
	r := g.layout.Panels["replaybar"]
	u := g.layout.U
	n := len(g.replay.Events)
	fillRect(dst, r, colPanel)
	if n == 0 {
		return
	}
	bar := ui.Rect{X: r.X + 0.4*u, Y: r.Y + 0.5*u, W: r.W * 0.6, H: 0.5 * u}
	fillRect(dst, bar, colButton)
	fillRect(dst, ui.Rect{X: bar.X, Y: bar.Y, W: bar.W * float64(g.replay.Pos()) / float64(n), H: bar.H}, colActive)
	x := bar.X + bar.W + 0.8*u
	x += g.text(dst, fmt.Sprintf("%s %d / %d · %g/s", g.t("replay.pos"), g.replay.Pos(), n, g.replay.Rate), x, r.Y+0.2*u, ui.SizeCaption, colText)
	name := g.shippedTitle()
	if name == "" {
		name = g.replayName
	}
	g.text(sub(dst, r), " · "+name, x, r.Y+0.2*u, ui.SizeCaption, colDim)
}

// drawShipped draws the replay scene's buttons for the recordings shipped
// with the page (replays/index.json).
func (g *game) drawShipped(dst *ebiten.Image) {
	r := g.layout.Shipped
	if r.W == 0 {
		return
	}
	g.static(dst, func(dst *ebiten.Image) {
		g.textRight(dst, g.t("replay.shipped"), r.X+r.W-0.2*g.layout.U, r.Y+0.15*g.layout.U, ui.SizeCaption, colDim)
	}, "shipped", r, g.lang())
	for i, e := range g.shipped {
		g.button(dst, fmt.Sprint("replays.", i), e.Title, e.URL() == g.replayName)
	}
}

// ---- DARTS ----

func (g *game) drawDARTS(dst *ebiten.Image) {
	l := &g.layout
	m := &g.model
	u := l.U
	ops := m.Ops
	if ops == nil {
		ops = dartsOps
	}
	cap := g.t("darts.cell.cap")
	g.drawCell(dst, l.Panels["normal"], g.t("darts.normal"), cap, m.AlphaNormal, ops)
	g.drawCell(dst, l.Panels["reduce"], g.t("darts.reduce"), "", m.AlphaReduce, ops)
	g.mark("cells")

	// Legend.
	in := g.panel(dst, l.Panels["legend"], "", "")
	g.static(dst, func(dst *ebiten.Image) {
		x := in.X
		g.text(dst, g.t("darts.legend")+":", x, in.Y-0.1*u, ui.SizeCaption, colDim)
		x += 6.2 * u
		for k, op := range ops {
			c := rgba(ui.OpColors[k%len(ui.OpColors)])
			vector.DrawFilledRect(dst, float32(x), float32(in.Y+0.15*u), float32(0.9*u), float32(0.45*u), c, false)
			x += 1.1*u + g.text(dst, shortOp[op], x+1.1*u, in.Y-0.1*u, ui.SizeCaption, colText) + 0.7*u
		}
	}, "legend", ops)

	// Genotype, with how long it has held.
	in = g.panel(dst, l.Panels["genotype"], g.t("darts.genotype"), "")
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
	in = g.panel(dst, l.Panels["acc"], g.t("darts.acc"), "")
	g.plot(dst, in, []plotSeries{
		{label: g.t("darts.train"), pts: scale(m.TrainAcc.All(), 100), clr: colTrain, format: "%.1f%%"},
		{label: g.t("darts.val"), pts: scale(m.ValAcc.All(), 100), clr: colVal, format: "%.1f%%"},
	}, g.t("stat.step"), &[2]float64{0, 0})
	g.mark("plots")
	g.drawSamples(dst, l.Panels["samples"])

	if m.Text != "" || m.AlphaNormal == nil {
		msg := g.t("darts.nodata")
		if m.Text != "" {
			msg += " " + m.Text
		}
		r := l.Panels["genotype"]
		box := ui.Rect{X: r.X + 0.4*u, Y: r.Y + r.H - 2.2*u, W: r.W - 0.8*u, H: 1.8 * u}
		fillRect(dst, box, color.RGBA{60, 30, 10, 255})
		strokeRect(dst, box, 2, colWarning)
		g.textCentered(dst, msg, box, ui.SizeBody, colWarning)
	}
}

// drawGenotype draws into in: for how many steps the derived genotype has
// not changed and how many of its edges changed within the last epoch, the
// genotype with those edges highlighted, and why near-tied ops make it flip.
func (g *game) drawGenotype(dst *ebiten.Image, in ui.Rect, ops []string) {
	u := g.layout.U
	m := &g.model
	st := &m.Stability
	if m.Genotype == "" {
		g.text(dst, "-", in.X, in.Y, ui.SizeCaption, colAccent)
		return
	}
	var spans [][2]int
	if st.Genotype == m.Genotype {
		for i, r := range st.ChangedSince(m.Step - ui.HighlightSteps) {
			if r {
				spans = append(spans, [2]int{st.Edges[i].Start, st.Edges[i].End})
			}
		}
		window := g.t("darts.geno.start")
		if st.EpochSteps > 0 {
			window = fmt.Sprintf(g.t("darts.geno.epoch"), st.EpochSteps)
		}
		line := fmt.Sprintf(g.t("darts.geno.stable"), st.StableSteps(m.Step), count(st.ChangedSince(st.EpochWindow(m.Step))), len(st.Edges), window)
		g.text(dst, line, in.X, in.Y, ui.SizeCaption, colText)
	}
	y := in.Y + 1.2*u
	size := ui.SizeCaption * 0.85
	lh := size * u * 1.25
	// Whole lines are drawn as text (cached per line) over boxes behind the
	// changed edges, placed with the per-character advances: drawing the
	// pieces as separate strings rasterised new strings at every α step.
	rows := g.wrapped(m.Genotype, in.W, size)
	adv := g.measure(g.face(size))
	var boxes lines
	for i, ps := range ui.Highlight(m.Genotype, rows, spans) {
		x := in.X
		for _, p := range ps {
			w := adv(p.Text)
			if p.Hi {
				boxes.rect(dst, x-1, y+float64(i)*lh-0.05*u, w+2, lh, colChanged)
			}
			x += w
		}
	}
	boxes.flush(dst)
	for i, l := range rows {
		g.text(dst, l, in.X, y+float64(i)*lh, size, colAccent)
	}
	y += float64(len(rows))*lh + 0.3*u
	if gaps := ui.TieGaps(m.AlphaNormal, m.AlphaReduce, ops, st.Edges, 4); len(gaps) > 0 && st.Genotype == m.Genotype {
		// One significant digit: the sentence is re-rasterised only when it changes.
		g.paragraph(dst, fmt.Sprintf(g.t("darts.geno.why"), fmt.Sprintf("%.1g", ui.Median(gaps)), ui.HighlightSteps), in.X, y, in.W, ui.SizeCaption, colDim)
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

// colChanged backs the genotype's recently changed edges (the text stays colAccent).
var colChanged = color.RGBA{140, 20, 40, 255}

// sub returns the part of dst inside r, so drawing there is clipped to r.
func sub(dst *ebiten.Image, r ui.Rect) *ebiten.Image {
	return dst.SubImage(image.Rect(int(r.X), int(r.Y), int(math.Ceil(r.X+r.W)), int(math.Ceil(r.Y+r.H)))).(*ebiten.Image)
}

func scale(ps []ui.Point, f float64) []ui.Point {
	for i := range ps {
		ps[i].Y *= f
	}
	return ps
}

// drawCell draws a DARTS cell as a DAG whose every edge is a bundle of
// len(ops) strands, strand width and opacity = softmax(α) of that op.
func (g *game) drawCell(dst *ebiten.Image, r ui.Rect, title, caption string, alpha [][]float64, ops []string) {
	in := g.panel(dst, r, title, caption)
	area := ui.Rect{X: r.X, Y: in.Y - 0.2*g.layout.U, W: r.W, H: r.Y + r.H - in.Y} // arcs stay below the caption
	g.layer(sub(dst, area), "cell."+title, area, firstOf(alpha), func(dst *ebiten.Image) { g.drawCellGraph(dst, in, alpha, ops) })
}

// drawCellGraph draws the cell DAG into in (see drawCell).
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
			label = "out"
		}
		c := colButton
		if i < 2 || i == len(nodes)-1 {
			c = colActive
		}
		vector.DrawFilledCircle(dst, float32(p.X), float32(p.Y), float32(rad), c, false)
		vector.StrokeCircle(dst, float32(p.X), float32(p.Y), float32(rad), 2, colText, false)
		size := ui.SizeBody
		if len(label) > 1 {
			size = ui.SizeCaption * 0.85
		}
		g.textCentered(dst, label, ui.Rect{X: p.X - rad, Y: p.Y - rad, W: 2 * rad, H: 2 * rad}, size, colText)
	}
}

func (g *game) drawPhase(dst *ebiten.Image, r ui.Rect) {
	u := g.layout.U
	m := &g.model
	fillRect(dst, r, colPanel)
	strokeRect(dst, r, 1, colBorder)
	g.text(dst, g.t("darts.phase")+" · "+g.t(fmt.Sprintf("btn.order%d", g.params.Order)), r.X+0.4*u, r.Y+0.2*u, ui.SizeBody, colText)
	half := (r.W - 1.2*u) / 2
	boxes := []struct {
		key, phase string
		n          int
		clr        color.RGBA
	}{{"darts.phase.w", "w", m.PhaseW, colTrain}, {"darts.phase.a", "alpha", m.PhaseAlpha, colVal}}
	for i, b := range boxes {
		box := ui.Rect{X: r.X + 0.4*u + float64(i)*(half+0.4*u), Y: r.Y + 1.4*u, W: half, H: 2.3 * u}
		active := m.Phase == b.phase
		if active {
			fillRect(dst, box, color.RGBA{b.clr.R / 3, b.clr.G / 3, b.clr.B / 3, 255})
			strokeRect(dst, box, 3, b.clr)
		} else {
			strokeRect(dst, box, 1, colBorder)
		}
		g.text(dst, g.t(b.key), box.X+0.3*u, box.Y+0.1*u, ui.SizeCaption, colText)
		g.text(dst, fmt.Sprintf("× %d", b.n), box.X+0.3*u, box.Y+1.1*u, ui.SizeCaption, colDim)
	}
}

func (g *game) drawAlpha(dst *ebiten.Image, r ui.Rect, ops []string) {
	m := &g.model
	in := g.panel(dst, r, g.t("darts.alpha"), g.t("darts.alpha.cap"))
	g.layer(dst, "alpha", r.Inset(1), [2]*float64{firstOf(m.AlphaNormal), firstOf(m.AlphaReduce)}, func(dst *ebiten.Image) { g.drawAlphaMap(dst, r, in, ops) })
}

// drawAlphaMap draws the two heat maps into in and the colour scale in the
// title row of the panel r. A cell's colour is its deviation from uniform,
// softmax(α) − 1/K, on a symmetric scale of ±(the largest deviation now):
// near the start every softmax(α) is ≈ 1/K and an absolute scale is flat.
func (g *game) drawAlphaMap(dst *ebiten.Image, r, in ui.Rect, ops []string) {
	u := g.layout.U
	m := &g.model
	dev := ui.MaxDeviation(m.AlphaNormal, m.AlphaReduce)
	var bars lines
	if m.AlphaNormal != nil {
		g.drawDeviationScale(dst, &bars, r, dev)
	}
	edges := ui.CellEdges(4)
	labelW := 2.6 * u
	mapW := (in.W - 2*labelW - 0.8*u) / 2
	rowH := (in.H - 1.0*u) / float64(len(edges))
	for c, a := range [][][]float64{m.AlphaNormal, m.AlphaReduce} {
		x0 := in.X + labelW + float64(c)*(mapW+labelW+0.8*u)
		colW := mapW / float64(len(ops))
		for k := range ops { // column keys: the legend's colours
			bars.rect(dst, x0+float64(k)*colW, in.Y+0.2*u, colW-2, 0.5*u, rgba(ui.OpColors[k%len(ui.OpColors)]))
		}
		g.textRight(dst, []string{"N", "R"}[c], x0-0.3*u, in.Y, ui.SizeCaption, colDim)
		y0 := in.Y + 1.0*u
		for e, ft := range edges {
			if rowH >= 0.5*u {
				g.textRight(dst, fmt.Sprintf("%s→%d", nodeName(ft[0]), ft[1]-2), x0-0.2*u, y0+float64(e)*rowH-0.1*u, math.Min(ui.SizeCaption*0.75, rowH/u), colDim)
			}
			for k := range ops {
				clr := color.RGBA{40, 44, 52, 255}
				if e < len(a) && k < len(a[e]) && dev > 0 {
					cr, cg, cb := ui.Diverging((a[e][k] - 1/float64(len(a[e]))) / dev)
					clr = color.RGBA{cr, cg, cb, 255}
				}
				bars.rect(dst, x0+float64(k)*colW, y0+float64(e)*rowH, colW-1, rowH-1, clr)
			}
		}
	}
	bars.flush(dst)
}

// drawDeviationScale draws the heat map's colour scale right-aligned in the
// title row of r: −dev, the gradient, +dev.
func (g *game) drawDeviationScale(dst *ebiten.Image, bars *lines, r ui.Rect, dev float64) {
	u := g.layout.U
	y := r.Y + 0.35*u
	x := r.X + r.W - 0.4*u
	hi := fmt.Sprintf("+%.2g", dev)
	x -= g.texts.get(hi, g.face(ui.SizeCaption), g.frames).adv
	g.text(dst, hi, x, y, ui.SizeCaption, rgba(ui.DivergingHigh))
	const n = 24
	w := 5.0 * u
	x -= w + 0.3*u
	for i := range n {
		cr, cg, cb := ui.Diverging(2*(float64(i)+0.5)/n - 1)
		bars.rect(dst, x+float64(i)*w/n, y+0.15*u, w/n+0.5, 0.55*u, color.RGBA{cr, cg, cb, 255})
	}
	lo := fmt.Sprintf("-%.2g", dev)
	x -= 0.3 * u
	g.textRight(dst, lo, x, y, ui.SizeCaption, rgba(ui.DivergingLow))
	g.textRight(dst, g.t("darts.alpha.scale"), x-g.texts.get(lo, g.face(ui.SizeCaption), g.frames).adv-0.3*u, y, ui.SizeCaption, colDim)
}

func nodeName(s int) string {
	switch s {
	case 0:
		return "k-2"
	case 1:
		return "k-1"
	}
	return fmt.Sprint(s - 2)
}

// thumbCache keeps the sample images as Ebiten images between snapshots.
type thumbCache struct {
	src  []protocol.Prediction
	imgs []*ebiten.Image
}

func (c *thumbCache) get(ps []protocol.Prediction) []*ebiten.Image {
	if len(ps) > 0 && len(c.src) > 0 && &ps[0] == &c.src[0] {
		return c.imgs
	}
	for _, im := range c.imgs {
		im.Deallocate()
	}
	c.src, c.imgs = ps, nil
	for _, p := range ps {
		s := p.Size
		if s <= 0 || len(p.Image) < 3*s*s {
			c.imgs = append(c.imgs, nil)
			continue
		}
		pix := make([]byte, 4*s*s)
		for i := range s * s {
			pix[4*i], pix[4*i+1], pix[4*i+2], pix[4*i+3] = p.Image[i], p.Image[s*s+i], p.Image[2*s*s+i], 255 // CHW → RGBA
		}
		im := ebiten.NewImage(s, s)
		im.WritePixels(pix)
		c.imgs = append(c.imgs, im)
	}
	return c.imgs
}

func (g *game) drawSamples(dst *ebiten.Image, r ui.Rect) {
	in := g.panel(dst, r, g.t("darts.samples"), "")
	var key *protocol.Prediction
	if len(g.model.Preds) > 0 {
		key = &g.model.Preds[0]
	}
	g.layer(dst, "samples", r.Inset(1), key, func(dst *ebiten.Image) { g.drawSampleImages(dst, in) })
}

func (g *game) drawSampleImages(dst *ebiten.Image, in ui.Rect) {
	u := g.layout.U
	preds := g.model.Preds
	imgs := g.thumbs.get(preds)
	n := max(8, len(preds))
	cellW := in.W / float64(n)
	side := math.Min(cellW-0.3*u, in.H-1.0*u)
	for i, p := range preds {
		x := in.X + float64(i)*cellW
		if imgs[i] != nil {
			op := &ebiten.DrawImageOptions{}
			op.GeoM.Scale(side/float64(p.Size), side/float64(p.Size))
			op.GeoM.Translate(x, in.Y)
			dst.DrawImage(imgs[i], op)
		}
		c := colGood
		if p.Pred != p.Label {
			c = colBad
			strokeRect(dst, ui.Rect{X: x, Y: in.Y, W: side, H: side}, 2, colBad)
		}
		g.text(dst, className(p.Pred), x, in.Y+side+0.05*u, ui.SizeCaption*0.8, c)
	}
}

func className(i int) string {
	if i >= 0 && i < len(cifarClasses) {
		return cifarClasses[i]
	}
	return fmt.Sprint(i)
}

// ---- RL on NAS-Bench-201 ----

func (g *game) drawRL(dst *ebiten.Image) {
	l := &g.layout
	m := &g.model
	u := l.U
	method := m.Method
	if method == "" {
		method = g.params.Method
	}
	if method == "enas" {
		g.drawENAS(dst)
		return
	}
	cap := g.t("rl.controller.cap")
	if m.Probs == nil && method != "reinforce" {
		cap = g.t("rl.uniform")
	}
	in := g.panel(dst, l.Panels["controller"], g.t("rl.controller")+" · "+g.t("m."+method), cap)
	key := sampleKey{firstOf(m.Probs), firstOf([][]int{m.Choices})}
	g.layer(dst, "rl.controller", l.Panels["controller"].Inset(1), key, func(dst *ebiten.Image) {
		nb201Ops, edgeNames := g.nb201Labels()
		rowH := in.H / float64(nb201Edges+1)
		labelW := 3.0 * u
		colW := (in.W - labelW) / float64(len(nb201Ops))
		for k, op := range nb201Ops {
			g.text(dst, shortOp[op], in.X+labelW+float64(k)*colW, in.Y, ui.SizeCaption, rgba(ui.OpColors[k]))
		}
		full := rowH * 0.8
		prob := func(e, k int) float64 {
			if e < len(m.Probs) && k < len(m.Probs[e]) {
				return m.Probs[e][k]
			}
			return 1.0 / float64(len(nb201Ops))
		}
		var bars lines // all bars in one DrawTriangles call, then outlines and numbers on top
		for e := range nb201Edges {
			y := in.Y + float64(e+1)*rowH + rowH*0.1
			for k := range nb201Ops {
				bx, h := in.X+labelW+float64(k)*colW, full*prob(e, k)
				bars.rect(dst, bx, y, colW-0.3*u, full, color.RGBA{36, 42, 54, 255})
				bars.rect(dst, bx, y+full-h, colW-0.3*u, h, rgba(ui.OpColors[k]))
			}
		}
		bars.flush(dst)
		for e := range nb201Edges {
			y := in.Y + float64(e+1)*rowH
			g.text(dst, edgeNames[e], in.X, y+rowH*0.2, ui.SizeBody, colText)
			for k := range nb201Ops {
				bx := in.X + labelW + float64(k)*colW
				if e < len(m.Choices) && m.Choices[e] == k {
					strokeRect(dst, ui.Rect{X: bx - 2, Y: y + rowH*0.1 - 2, W: colW - 0.3*u + 4, H: full + 4}, 3, colText)
				}
				if full > 1.2*u {
					g.text(dst, fmt.Sprintf("%.2f", prob(e, k)), bx+0.1*u, y+rowH*0.1, ui.SizeCaption*0.8, colText)
				}
			}
		}
	})

	// The sampled cell.
	in = g.panel(dst, l.Panels["cell"], g.t("rl.cell"), "")
	g.layer(dst, "rl.cell", l.Panels["cell"].Inset(1), key, func(dst *ebiten.Image) { g.drawNB201Cell(dst, in, m.Choices) })

	in = g.panel(dst, l.Panels["reward"], g.t("rl.reward"), g.t("rl.reward.cap"))
	g.plot(dst, in, []plotSeries{
		{label: g.t("rl.reward.l"), pts: m.Reward.All(), clr: colTrain, dots: true, format: "%.1f%%"},
		{label: g.t("rl.baseline.l"), pts: m.Baseline.All(), clr: colVal, format: "%.1f%%"},
		{label: g.t("rl.best.l"), pts: m.Best.All(), clr: colGood, format: "%.2f%%"},
	}, g.t("stat.step"), nil)

	in = g.panel(dst, l.Panels["best"], g.t("rl.best"), "")
	y := in.Y
	if m.BestArch != "" {
		g.text(dst, fmt.Sprintf("%.2f%%", m.BestReward), in.X, y, ui.SizeTitle, colGood)
		y += 1.6 * u
		y += g.paragraph(dst, m.BestArch, in.X, y, in.W, ui.SizeCaption, colAccent)
		y += 0.4 * u
		g.paragraph(dst, "→ "+m.Arch, in.X, y, in.W, ui.SizeCaption, colDim)
	}
	if m.Text != "" {
		g.paragraph(dst, m.Text, in.X, in.Y+in.H-1.2*u, in.W, ui.SizeCaption, colWarning)
	}
}

// sampleKey identifies a sample event's data for layer caching.
type sampleKey struct {
	probs   *float64
	choices *int
}

// enasOps are the ENAS micro space's ops: the DARTS primitives without none
// (core/search/child.Space), coloured as in the DARTS scene.
var enasOps = dartsOps[1:]

var enasCols = []string{"in A", "in B", "op A", "op B"}

// drawENAS draws the RL scene for ENAS on the DARTS micro space: per cell and
// node the controller's four decisions with the probability of the sampled
// choice, the sampled cells, and reward (validation-minibatch accuracy) with
// its baseline.
func (g *game) drawENAS(dst *ebiten.Image) {
	l := &g.layout
	m := &g.model
	u := l.U
	in := g.panel(dst, l.Panels["controller"], g.t("rl.enas.controller"), g.t("rl.enas.cap"))
	key := sampleKey{firstOf(m.Probs), firstOf([][]int{m.Choices})}
	g.layer(dst, "enas.controller", l.Panels["controller"].Inset(1), key, func(dst *ebiten.Image) { g.drawENASDecisions(dst, in) })

	// The sampled cells, drawn like DARTS cells with only the chosen strands.
	in = g.panel(dst, l.Panels["cell"], g.t("rl.enas.cell"), "")
	g.layer(dst, "enas.cell", l.Panels["cell"].Inset(1), key, func(dst *ebiten.Image) {
		half := (in.W - 0.6*u) / 2
		for c, a := range enasAlphas(m.Choices) {
			area := ui.Rect{X: in.X + float64(c)*(half+0.6*u), Y: in.Y + 0.4*u, W: half, H: in.H - 0.4*u}
			g.text(dst, g.t([]string{"darts.normal", "darts.reduce"}[c]), area.X, in.Y-0.2*u, ui.SizeCaption, colDim)
			g.drawCellGraph(sub(dst, area), ui.Rect{X: area.X, Y: area.Y + 0.6*u, W: area.W, H: area.H - 0.6*u}, a, dartsOps)
		}
	})

	in = g.panel(dst, l.Panels["reward"], g.t("rl.reward"), g.t("rl.enas.reward.cap"))
	g.plot(dst, in, []plotSeries{
		{label: g.t("rl.reward.l"), pts: scale(m.Reward.All(), 100), clr: colTrain, dots: true, format: "%.1f%%"},
		{label: g.t("rl.baseline.l"), pts: scale(m.Baseline.All(), 100), clr: colVal, format: "%.1f%%"},
		{label: g.t("rl.best.l"), pts: scale(m.Best.All(), 100), clr: colGood, format: "%.1f%%"},
	}, g.t("stat.step"), &[2]float64{0, 0})

	in = g.panel(dst, l.Panels["best"], g.t("rl.best"), "")
	y := in.Y
	if m.BestArch != "" {
		g.text(dst, fmt.Sprintf("%.1f%%", 100*m.BestReward), in.X, y, ui.SizeTitle, colGood)
		y += 1.6 * u
		y += g.paragraph(dst, m.BestArch, in.X, y, in.W, ui.SizeCaption*0.85, colAccent)
	}
	if m.Text != "" {
		g.paragraph(dst, m.Text, in.X, in.Y+in.H-1.2*u, in.W, ui.SizeCaption, colWarning)
	}
}

// drawENASDecisions draws, per cell and node, the four sampled decisions with
// their probabilities into in.
func (g *game) drawENASDecisions(dst *ebiten.Image, in ui.Rect) {
	u := g.layout.U
	m := &g.model
	half := (in.W - 0.6*u) / 2
	for c := range 2 {
		tab := ui.Rect{X: in.X + float64(c)*(half+0.6*u), Y: in.Y, W: half, H: in.H}
		g.text(dst, g.t([]string{"darts.normal", "darts.reduce"}[c]), tab.X, tab.Y, ui.SizeCaption, colText)
		rowH := (tab.H - 2.2*u) / 4
		nodeW := 2.2 * u
		colW := (tab.W - nodeW) / 4
		for j, h := range enasCols {
			g.text(dst, h, tab.X+nodeW+float64(j)*colW, tab.Y+1.2*u, ui.SizeCaption*0.85, colDim)
		}
		for i := range 4 {
			y := tab.Y + 2.2*u + float64(i)*rowH
			g.text(dst, fmt.Sprint(i), tab.X+0.3*u, y+0.15*rowH, ui.SizeBody, colText)
			for j := range 4 {
				d := (c*4+i)*4 + j
				box := ui.Rect{X: tab.X + nodeW + float64(j)*colW, Y: y + 0.08*rowH, W: colW - 0.2*u, H: 0.84 * rowH}
				fillRect(dst, box, colButton)
				if d >= len(m.Choices) {
					continue
				}
				k := m.Choices[d]
				p := 0.0
				if d < len(m.Probs) && k < len(m.Probs[d]) {
					p = m.Probs[d][k]
				}
				label, clr := nodeName(k), colTrain
				if j >= 2 {
					op := enasOps[k%len(enasOps)]
					if l := m.Labels; l != nil && d < len(l.Choices) && k < len(l.Choices[d]) {
						op = l.Choices[d][k] // the engine's names for the space's ops
					}
					label, clr = shortOp[op], rgba(ui.OpColors[max(0, slices.Index(dartsOps, op))%len(ui.OpColors)])
				}
				fillRect(dst, ui.Rect{X: box.X, Y: box.Y + box.H - 0.25*u, W: box.W * p, H: 0.25 * u}, clr)
				w := g.text(dst, label+" ", box.X+0.15*u, box.Y+0.05*u, ui.SizeCaption*0.85, clr) // label and number cached apart
				g.text(dst, fmt.Sprintf("%.2f", p), box.X+0.15*u+w, box.Y+0.05*u, ui.SizeCaption*0.85, clr)
			}
		}
	}
}

// enasAlphas returns the sampled normal and reduce cells as one-hot α rows
// over dartsOps (14 edges; a node's inputs A and B set their edges' op), nil
// before the first sample.
func enasAlphas(choices []int) [2][][]float64 {
	var out [2][][]float64
	if len(choices) < 32 {
		return out
	}
	for c := range 2 {
		out[c] = make([][]float64, len(ui.CellEdges(4)))
		for e := range out[c] {
			out[c][e] = make([]float64, len(dartsOps)) // unchosen edges: faint strands
		}
		for i := range 4 {
			base := (c*4 + i) * 4
			for j := range 2 {
				e := edgeIndex(choices[base+j], i)
				if e < 0 {
					continue
				}
				out[c][e][choices[base+j+2]+1] = 1
			}
		}
	}
	return out
}

// edgeIndex returns the index in ui.CellEdges(4) of the edge from state
// input (0 = c_{k-2}, 1 = c_{k-1}, j+2 = node j) into node, or -1.
func edgeIndex(input, node int) int {
	for e, ft := range ui.CellEdges(4) {
		if ft[0] == input && ft[1] == node+2 {
			return e
		}
	}
	return -1
}

// drawNB201Cell draws the 4-node NAS-Bench-201 cell with each edge's chosen op.
func (g *game) drawNB201Cell(dst *ebiten.Image, r ui.Rect, choices []int) {
	u := g.layout.U
	ops, _ := g.nb201Labels()
	// Nodes on a line; edges that skip a node arc above (0→2, 0→3) or below (1→3),
	// so no two edges and no two labels cross.
	pos := make([]ui.Point, 4)
	for i := range pos {
		pos[i] = ui.Point{X: r.X + r.W*(0.08+0.28*float64(i)), Y: r.Y + r.H*0.55}
	}
	froms := []int{0, 0, 1, 0, 1, 2}
	tos := []int{1, 2, 2, 3, 3, 3}
	bends := []float64{0, -0.32, 0, -0.3, 0.32, 0}
	var l lines
	for e := range froms {
		a, b := pos[froms[e]], pos[tos[e]]
		pts := ui.Strands(a, b, bends[e], 0, 1, 16)[0]
		c, w, lbl := colBorder, 0.08*u, "?"
		if e < len(choices) {
			k := choices[e]
			c, lbl = rgba(ui.OpColors[k]), shortOp[ops[k%len(ops)]]
			w = 0.22 * u
			if k == 0 {
				w = 0.05 * u
			}
		}
		l.add(dst, pts, w, c, 1)
		mid := pts[len(pts)/2]
		defer g.textCentered(dst, lbl, ui.Rect{X: mid.X - 2*u, Y: mid.Y - 0.9*u, W: 4 * u, H: 0.8 * u}, ui.SizeCaption, c)
	}
	l.flush(dst)
	for i, p := range pos {
		vector.DrawFilledCircle(dst, float32(p.X), float32(p.Y), float32(0.8*u), colActive, false)
		g.textCentered(dst, fmt.Sprint(i), ui.Rect{X: p.X - u, Y: p.Y - u, W: 2 * u, H: 2 * u}, ui.SizeBody, colText)
	}
}

// ---- Compare ----

var methodColor = map[string]color.RGBA{"random": {170, 170, 170, 255}, "reinforce": colTrain, "evolution": colVal}

func (g *game) drawCompare(dst *ebiten.Image) {
	l := &g.layout
	m := &g.model
	u := l.U
	in := g.panel(dst, l.Panels["curves"], g.t("cmp.title"), g.t("cmp.cap"))
	var ss []plotSeries
	for _, c := range m.Curves {
		pts := make([]ui.Point, len(c.X))
		for i := range c.X {
			pts[i] = ui.Point{X: float64(c.X[i]), Y: c.Y[i]}
		}
		ss = append(ss, plotSeries{label: g.t("m." + c.Method), pts: pts, clr: methodColor[c.Method], format: "%.2f%%"})
	}
	g.plot(dst, in, ss, g.t("cmp.x"), nil)

	in = g.panel(dst, l.Panels["table"], g.t("cmp.table"), "")
	cols := []float64{0, 0.5, 0.78}
	y := in.Y + 0.3*u
	for i, h := range []string{g.t("cmp.method"), g.t("cmp.acc"), g.t("cmp.cost")} {
		g.text(dst, h, in.X+cols[i]*in.W, y, ui.SizeCaption, colDim)
	}
	y += 1.4 * u
	vector.StrokeLine(dst, float32(in.X), float32(y-0.3*u), float32(in.X+in.W), float32(y-0.3*u), 1, colBorder, false)
	for _, c := range m.Curves {
		g.text(dst, g.t("m."+c.Method), in.X, y, ui.SizeCaption, methodColor[c.Method])
		acc := "…"
		if c.Trials > 0 {
			acc = fmt.Sprintf("%.2f ± %.2f", c.Final, c.Std)
		}
		g.text(dst, acc, in.X+cols[1]*in.W, y, ui.SizeCaption, colText)
		g.text(dst, fmt.Sprint(c.Cost), in.X+cols[2]*in.W, y, ui.SizeCaption, colText)
		y += 1.5 * u
	}
	if len(m.Curves) > 0 {
		y += 0.5 * u
		g.text(dst, fmt.Sprintf("%s: %d", g.t("cmp.runs"), m.Curves[0].Trials), in.X, y, ui.SizeCaption, colDim)
	}
	if m.Text != "" {
		g.paragraph(dst, m.Text, in.X, in.Y+in.H-2*u, in.W, ui.SizeCaption, colWarning)
	}
}
