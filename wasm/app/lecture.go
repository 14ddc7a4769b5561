//go:build js && wasm

package main

import (
	"fmt"
	"image/color"
	"math"
	"strings"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"

	"github.com/nasplayground/nas/core/genotype"
	"github.com/nasplayground/nas/core/search"
	"github.com/nasplayground/nas/wasm/i18n"
	"github.com/nasplayground/nas/wasm/lecture"
	"github.com/nasplayground/nas/wasm/protocol"
	"github.com/nasplayground/nas/wasm/ui"
)

// Type sizes of the lecture, in grid units: nothing under 0.8 (16 px at
// 1280×720), so a projector at the back of a room stays readable.
const (
	lecTitle   = 1.35
	lecBody    = 0.9
	lecFormula = 1.0
	lecLabel   = 0.8
)

// lectureState is the lecture scene's own state; the live DARTS steps read
// the game's model, fed by the engine worker's DARTS search.
type lectureState struct {
	ctrl     *lecture.ControllerDemo
	ctrlT    float64 // seconds since the current sample started
	ctrlFast bool    // space: samples as fast as the budget allows
	runs     *lecture.Runs
	err      string
	dartsOn  bool                // a DARTS search was started for the lecture
	parked   bool                // the page paused it: the step on screen is not a DARTS step
	recs     map[string]recorded // shipped recordings by URL
	recAsked bool
	drawn    int // 1 + the step whose widget the last frame drew
	edges    int // edges of the widget's discrete cell (window.nas.lecture.edges)
	rows     int // rows of the widget's table (window.nas.lecture.rows)
}

// recorded is the summary of a shipped DARTS recording for the table (its
// title comes from replays/index.json, in the page's language).
type recorded struct {
	valAcc, secs  float64
	epochs, steps int
	err           string
}

// Pace of the controller demo: decisions appear one by one, then the reward
// and the update stay on screen before the next sample.
const (
	decisionSec = 0.35
	holdSec     = 2.2
)

func (g *game) lecStep() int { return lecture.Clamp(g.params.Step - 1) }

func (g *game) lecCur() lecture.Step { return lecture.Steps[g.lecStep()] }

// lectureEnter starts what the current step needs: the DARTS search in the
// engine worker for the DARTS steps, the controller demo, the table's runs.
func (g *game) lectureEnter() {
	if g.params.Step == 0 {
		g.params.Step = 1
		setURL(g.params)
	}
	l := &g.lec
	st := g.lecCur()
	if st.DARTS && !l.dartsOn {
		g.model.Reset()
		c := g.params.StartCommand() // the lecture's own DARTS run: the DARTS scene's waits apart
		c.Rate = 0
		g.startRun(c)
		l.dartsOn = true
	}
	if st.DARTS {
		rate := 0.0
		if st.Widget == lecture.Bilevel {
			rate = 3 // slow enough to read which half runs
		}
		send(protocol.Command{Cmd: protocol.CmdRate, Rate: rate})
		l.parked = false
		if g.paused {
			send(protocol.Command{Cmd: protocol.CmdPause})
		} else {
			g.waiting = true // the stopped snapshot of the pause below may still come
			send(protocol.Command{Cmd: protocol.CmdResume})
		}
	} else if l.dartsOn {
		// Not the user's pause: the run stopping is not "stopped by itself",
		// and the next DARTS step resumes it (4 → 3 → 4 left it paused).
		l.parked = true
		send(protocol.Command{Cmd: protocol.CmdPause})
	}
	var err error
	if st.Widget == lecture.Controller && l.ctrl == nil {
		if l.ctrl, err = lecture.NewControllerDemo(g.params.Seed); err == nil {
			_, err = l.ctrl.Step()
		}
	}
	if st.Widget == lecture.Table && l.runs == nil {
		l.runs, err = lecture.NewRuns(lecture.TableSamples, lecture.TableRuns, g.params.Seed)
	}
	if err != nil {
		l.err = err.Error()
	}
}

// lectureGo moves d steps (±1) and writes the URL.
func (g *game) lectureGo(d int) {
	if g.params.Scene != protocol.SceneLecture {
		return
	}
	s := lecture.Clamp(g.lecStep()+d) + 1
	if s == g.params.Step {
		return
	}
	g.params.Step = s
	setURL(g.params)
	g.lectureEnter()
}

// lectureRun is space / the run button: pause or resume the live widget.
func (g *game) lectureRun() {
	switch {
	case g.lecCur().DARTS:
		g.paused = !g.paused
		g.lectureEnter()
	case g.lecCur().Widget == lecture.Controller:
		g.lec.ctrlFast = !g.lec.ctrlFast
	}
}

// lectureStepOnce is s / the step button: one half-step of DARTS, one sample.
func (g *game) lectureStepOnce() {
	switch {
	case g.lecCur().DARTS:
		g.paused = true
		send(protocol.Command{Cmd: protocol.CmdStep})
	case g.lecCur().Widget == lecture.Controller && g.lec.ctrl != nil:
		g.lec.ctrlFast = false
		if _, err := g.lec.ctrl.Step(); err != nil {
			g.lec.err = err.Error()
		}
		g.lec.ctrlT = 0
	}
}

// lectureUpdate advances the in-page widgets by dt seconds within a small
// time budget per frame.
// lectureAnimates reports whether the step on screen changes by itself from
// frame to frame (the controller sampling, the table's runs advancing).
func (g *game) lectureAnimates() bool {
	l := &g.lec
	switch g.lecCur().Widget {
	case lecture.Controller:
		return l.ctrl != nil
	case lecture.Table:
		return l.runs != nil && !l.runs.Finished()
	}
	return false
}

func (g *game) lectureUpdate(dt float64) {
	l := &g.lec
	switch g.lecCur().Widget {
	case lecture.Controller:
		if l.ctrl == nil {
			return
		}
		l.ctrlT += dt
		n := float64(len(l.ctrl.Edges))
		l.ctrl.Shown = math.Min(n, l.ctrlT/decisionSec)
		if l.ctrlFast || l.ctrlT > n*decisionSec+holdSec {
			reps := 1
			if l.ctrlFast {
				reps = 5
			}
			for range reps {
				if _, err := l.ctrl.Step(); err != nil {
					l.err = err.Error()
				}
			}
			l.ctrlT = 0
			if l.ctrlFast {
				l.ctrl.Shown = n
				l.ctrlT = n * decisionSec
			}
		}
	case lecture.Table:
		if !l.recAsked && len(g.shipped) > 0 { // replays/index.json has arrived
			l.recAsked = true
			for _, e := range g.shipped {
				fetchReplay(e.URL())
			}
		}
		if l.runs != nil && !l.runs.Finished() {
			if err := l.runs.Advance(10 * time.Millisecond); err != nil { // the table step draws little: room for search
				l.err = err.Error()
			}
		}
	}
}

// lectureRecording summarises a shipped recording fetched for the table.
func (g *game) lectureRecording(f replayFile) {
	if g.lec.recs == nil {
		g.lec.recs = map[string]recorded{}
	}
	var r recorded
	evs, err := ui.ParseEvents(f.name, strings.NewReader(f.text))
	if err != nil {
		r.err = err.Error()
	}
	for _, ev := range evs {
		if ev.ValAcc > 0 && (ev.Kind == search.KindEpoch || r.epochs == 0) {
			r.valAcc = ev.ValAcc
		}
		if ev.Kind == search.KindEpoch {
			r.epochs++
		}
		r.secs = math.Max(r.secs, ev.Elapsed)
		r.steps = max(r.steps, ev.Step)
	}
	g.lec.recs[f.name] = r
}

// lectureReady reports whether the current step's widget has its data.
func (g *game) lectureReady() bool {
	l := &g.lec
	if l.drawn != g.lecStep()+1 {
		return false
	}
	switch w := g.lecCur(); {
	case w.Widget == lecture.Derive: // the last frame drew the derived cell (α can arrive after the draw)
		return len(g.model.AlphaNormal) == len(ui.CellEdges(g.params.Nodes)) && len(g.model.Ops) == 8 && l.edges > 0
	case w.DARTS:
		return len(g.model.AlphaNormal) == len(ui.CellEdges(g.params.Nodes)) && len(g.model.Ops) == 8
	case w.Widget == lecture.Controller:
		return l.ctrl != nil && l.ctrl.Last().N > 0
	case w.Widget == lecture.Table:
		if l.runs == nil || len(g.shipped) > 0 && len(l.recs) < len(g.shipped) {
			return false
		}
		for _, r := range l.runs.Rows() { // every method has a first run; the rest follow on screen
			if r.Done == 0 {
				return false
			}
		}
		return true
	}
	return true
}

// lecturePublish is window.nas.lecture.
func (g *game) lecturePublish() map[string]any {
	o := map[string]any{"step": g.lecStep() + 1, "steps": len(lecture.Steps), "title": lecture.Title(g.lang(), g.lecStep()),
		"widget": string(g.lecCur().Widget), "ready": g.lectureReady(), "edges": g.lec.edges, "rows": g.lec.rows, "error": g.lec.err}
	if c := g.lec.ctrl; c != nil {
		s := c.Last()
		o["sample"], o["reward"], o["baseline"], o["logp"], o["logp_new"] = s.N, s.Reward, s.Baseline, s.LogP, s.LogPNew
	}
	return o
}

// ---- drawing ----

func (g *game) drawLecture(dst *ebiten.Image) {
	u := g.layout.U
	r := g.layout.Panels["lecture"]
	i := g.lecStep()
	st := lecture.Steps[i]
	g.button(dst, "lec.prev", g.t("lec.prev"), false)
	g.button(dst, "lec.next", g.t("lec.next"), false)
	live := g.t("lec.drawn")
	if st.DARTS || st.Widget == lecture.Controller || st.Widget == lecture.Table {
		live = g.t("lec.live")
	}
	if s := g.layout.Status; s.W > 0 {
		g.text(dst, fmt.Sprintf(g.t("lec.of"), i+1, len(lecture.Steps))+" · "+live, s.X, s.Y+0.2*u, lecBody, colAccent)
	}
	// Text column: title, text, formula.
	tc, w := ui.LectureAreas(r, u)
	g.static(dst, func(dst *ebiten.Image) {
		fillRect(dst, r, colPanel)
		strokeRect(dst, r, 1, colBorder)
		y := tc.Y
		y += g.paragraph(dst, lecture.Title(g.lang(), i), tc.X, y, tc.W, lecTitle, colAccent) + 0.6*u
		y += g.paragraph(dst, g.t(lecture.Key(i, "text")), tc.X, y, tc.W, lecBody, colText) + 0.8*u
		if st.Formula {
			g.paragraph(dst, g.t(lecture.Key(i, "formula")), tc.X, y, tc.W, lecFormula, colTrain)
		}
	}, "lecture", i, g.lang(), r)
	g.lec.edges, g.lec.rows, g.lec.drawn = 0, 0, i+1
	if g.lec.err != "" {
		g.paragraph(dst, g.lec.err, w.X, w.Y+w.H-2*u, w.W, lecBody, colWarning)
	}
	switch st.Widget {
	case lecture.Pipeline:
		g.drawPipeline(dst, w)
	case lecture.Controller:
		g.drawLecController(dst, w)
	case lecture.NASNet:
		g.drawLecNASNet(dst, w)
	case lecture.Relax:
		g.drawLecRelax(dst, w)
	case lecture.Bilevel:
		g.drawLecBilevel(dst, w)
	case lecture.Derive:
		g.drawLecDerive(dst, w)
	case lecture.Recurrent:
		g.drawLecRecurrent(dst, w)
	case lecture.Table:
		g.drawLecTable(dst, w)
	}
}

// box draws a rounded-looking labelled box: fill, border, centred lines.
func (g *game) lecBox(dst *ebiten.Image, r ui.Rect, border color.RGBA, lines ...string) {
	fillRect(dst, r, colButton)
	strokeRect(dst, r, 3, border)
	u := g.layout.U
	lh := lecBody * u * 1.3
	y := r.Y + (r.H-float64(len(lines))*lh)/2
	for k, s := range lines {
		size, c := lecBody, colText
		if k > 0 || g.texts.get(s, g.face(lecBody), g.redraw.Drawn).adv > r.W-0.5*u { // a narrow box: the smallest readable size
			size = lecLabel
		}
		if k > 0 {
			c = colDim
		}
		g.textCentered(dst, s, ui.Rect{X: r.X, Y: y, W: r.W, H: lh}, size, c)
		y += lh
	}
}

// arrow draws a line from a to b with a head at b.
func arrow(dst *ebiten.Image, pts []ui.Point, w float64, c color.RGBA) {
	var l lines
	l.add(dst, pts, w, c, 1)
	l.flush(dst)
	n := len(pts)
	a, b := pts[n-2], pts[n-1]
	dx, dy := b.X-a.X, b.Y-a.Y
	d := math.Hypot(dx, dy)
	if d == 0 {
		return
	}
	dx, dy = dx/d, dy/d
	h := 4 * w
	var p vector.Path
	p.MoveTo(float32(b.X), float32(b.Y))
	p.LineTo(float32(b.X-h*dx-h*0.6*dy), float32(b.Y-h*dy+h*0.6*dx))
	p.LineTo(float32(b.X-h*dx+h*0.6*dy), float32(b.Y-h*dy-h*0.6*dx))
	p.Close()
	vs, is := p.AppendVerticesAndIndicesForFilling(nil, nil)
	for i := range vs {
		vs[i].SrcX, vs[i].SrcY = 1, 1
		vs[i].ColorR, vs[i].ColorG, vs[i].ColorB, vs[i].ColorA = float32(c.R)/255, float32(c.G)/255, float32(c.B)/255, 1
	}
	dst.DrawTriangles(vs, is, whiteSub, &ebiten.DrawTrianglesOptions{})
}

// 1. Search space → strategy → estimation, and the score back.
func (g *game) drawPipeline(dst *ebiten.Image, w ui.Rect) {
	u := g.layout.U
	bw, bh := w.W*0.34, 4.2*u
	space := ui.Rect{X: w.X, Y: w.Y + w.H*0.12, W: bw, H: bh}
	strat := ui.Rect{X: w.X + w.W - bw, Y: space.Y, W: bw, H: bh}
	est := ui.Rect{X: w.X + (w.W-bw)/2, Y: w.Y + w.H*0.62, W: bw, H: bh}
	g.lecBox(dst, space, colTrain, g.t("lec.1.space"), g.t("lec.1.space.d"))
	g.lecBox(dst, strat, colAccent, g.t("lec.1.strategy"), g.t("lec.1.strategy.d"))
	g.lecBox(dst, est, colVal, g.t("lec.1.estim"), g.t("lec.1.estim.d"))
	aw := 0.18 * u
	// space → strategy: the candidates a ∈ A.
	y := space.Y + bh/2
	arrow(dst, []ui.Point{{X: space.X + bw, Y: y}, {X: strat.X - 0.2*u, Y: y}}, aw, colText)
	g.textCentered(dst, g.t("lec.1.pick"), ui.Rect{X: space.X + bw, Y: y - 1.6*u, W: strat.X - space.X - bw, H: 1.2 * u}, lecLabel, colText)
	// strategy → estimation: the architecture.
	a := ui.Point{X: strat.X + bw*0.5, Y: strat.Y + bh}
	b := ui.Point{X: est.X + bw*0.85, Y: est.Y - 0.2*u}
	arrow(dst, []ui.Point{a, {X: a.X, Y: (a.Y + b.Y) / 2}, b}, aw, colText)
	g.textRight(dst, g.t("lec.1.arch"), a.X-0.4*u, (a.Y+b.Y)/2-1.4*u, lecBody, colAccent)
	// estimation → strategy: the score (feedback loop).
	c := ui.Point{X: est.X + bw, Y: est.Y + bh/2}
	d := ui.Point{X: strat.X + bw*0.85, Y: strat.Y + bh + 0.2*u}
	arrow(dst, []ui.Point{c, {X: d.X, Y: c.Y}, d}, aw, colVal)
	g.text(dst, g.t("lec.1.score"), c.X+0.6*u, c.Y+0.3*u, lecBody, colVal)
}

// 2. The REINFORCE controller on NAS-Bench-201, decision by decision.
func (g *game) drawLecController(dst *ebiten.Image, w ui.Rect) {
	u := g.layout.U
	c := g.lec.ctrl
	if c == nil {
		return
	}
	s := c.Last()
	if g.model.Labels == nil {
		g.model.Labels = &protocol.Labels{Decisions: c.Edges, Choices: [][]string{c.Ops}}
	}
	g.text(dst, g.t("lec.2.ctrl")+" · "+fmt.Sprintf(g.t("lec.2.sample"), s.N), w.X, w.Y, lecBody, colText)
	top := w.Y + 1.5*u
	rowH := 1.55 * u
	labW := 4.2 * u
	colW := (w.W*0.62 - labW) / float64(len(c.Ops))
	for k, op := range c.Ops {
		g.textCentered(dst, i18n.Op(g.lang(), op), ui.Rect{X: w.X + labW + float64(k)*colW, Y: top, W: colW, H: 1.1 * u}, lecLabel, colDim)
	}
	top += 1.3 * u
	shown := int(c.Shown)
	for t, edge := range c.Edges {
		y := top + float64(t)*rowH
		lbl := strings.TrimSuffix(strings.TrimPrefix(edge, "edge "), " op")
		clr := colDim
		if t < shown {
			clr = colText
		}
		g.text(dst, lbl, w.X, y+0.25*u, lecBody, clr)
		if t >= shown || t >= len(s.Probs) {
			strokeRect(dst, ui.Rect{X: w.X + labW, Y: y, W: colW * float64(len(c.Ops)), H: rowH - 0.25*u}, 1, colBorder)
			continue
		}
		for k, p := range s.Probs[t] {
			// The number on the panel colour, the bar under it: readable on every op colour.
			cell := ui.Rect{X: w.X + labW + float64(k)*colW, Y: y, W: colW - 0.15*u, H: rowH - 0.25*u}
			fillRect(dst, ui.Rect{X: cell.X + 0.1*u, Y: cell.Y + cell.H - 0.35*u, W: (cell.W - 0.2*u) * p, H: 0.25 * u}, rgba(ui.OpColors[k%len(ui.OpColors)]))
			clr := colDim
			if k == s.Choices[t] {
				strokeRect(dst, cell, 3, colAccent)
				clr = colText
			}
			g.text(dst, fmt.Sprintf("%.2f", p), cell.X+0.2*u, cell.Y+0.05*u, lecLabel, clr)
		}
	}
	// The reward and the update, then the sampled cell below them.
	y := top + float64(len(c.Edges))*rowH + 0.6*u
	cellR := ui.Rect{X: w.X, Y: y + 5.4*u, W: w.W * 0.62, H: w.Y + w.H - y - 5.4*u}
	choices := s.Choices[:min(shown, len(s.Choices))]
	g.drawNB201Cell(dst, cellR, choices)
	if shown >= len(c.Edges) {
		g.text(dst, fmt.Sprintf(g.t("lec.2.reward"), s.Reward), w.X, y, lecBody, colAccent)
		g.text(dst, fmt.Sprintf(g.t("lec.2.base"), s.Baseline, s.Advantage()), w.X, y+1.3*u, lecBody, colText)
		g.text(dst, fmt.Sprintf(g.t("lec.2.logp"), s.LogP, s.LogPNew), w.X, y+2.6*u, lecBody, colText)
		key, clr := "lec.2.up", colGood
		if s.Advantage() < 0 {
			key, clr = "lec.2.down", colBad
		}
		if s.Advantage() != 0 {
			g.text(dst, g.t(key), w.X, y+3.9*u, lecBody, clr)
		}
	}
	// Rewards and baseline over the samples.
	plotR := ui.Rect{X: w.X + w.W*0.66, Y: w.Y + 1.5*u, W: w.W * 0.34, H: w.H - 1.5*u}
	rs := c.Rewards()
	var dots, base []ui.Point
	for i, v := range rs {
		dots = append(dots, ui.Point{X: float64(i + 1), Y: v})
	}
	for i, v := range c.Baselines() {
		base = append(base, ui.Point{X: float64(i + 1), Y: v})
	}
	best, _ := c.Best()
	ch := g.paragraph(dst, g.t("lec.2.curve"), plotR.X, plotR.Y, plotR.W, lecLabel, colDim)
	g.text(dst, fmt.Sprintf(g.t("lec.2.best"), best), plotR.X, plotR.Y+ch, lecLabel, colGood)
	ch += 1.2 * u
	g.plot(dst, ui.Rect{X: plotR.X, Y: plotR.Y + ch, W: plotR.W, H: plotR.H - ch}, []plotSeries{
		{label: g.t("rl.reward.l"), pts: dots, clr: colVal, dots: true, format: "%.1f"},
		{label: g.t("rl.baseline.l"), pts: base, clr: colTrain, format: "%.1f"},
	}, "", nil)
}

// opColorOf colours an op by family on the dark background.
func opColorOf(p genotype.Primitive) color.RGBA {
	switch p {
	case genotype.SepConv3x3, genotype.SepConv5x5, genotype.SepConv7x7:
		return colTrain
	case genotype.DilConv3x3, genotype.DilConv5x5:
		return color.RGBA{204, 121, 167, 255}
	case genotype.MaxPool3x3, genotype.MaxPool5x5, genotype.MaxPool7x7, genotype.AvgPool3x3:
		return colGood
	case genotype.SkipConnect:
		return colText
	case genotype.None:
		return colDim
	}
	return colVal
}

// drawGenoCell draws a cell of a genotype (core/genotype) into r with a
// title above it: the inputs c(k-2), c(k-1) left, the nodes zig-zagging
// right, c(k) last; each edge one curve coloured by its op family, labelled
// with the short op name at a readable size. It returns the op edges drawn.
func (g *game) drawGenoCell(dst *ebiten.Image, gt genotype.Genotype, cell string, r ui.Rect, title string) int {
	u := g.layout.U
	g.text(dst, title, r.X, r.Y, lecBody, colText)
	es, concat, err := gt.Cell(cell)
	if err != nil {
		g.lec.err = err.Error()
		return 0
	}
	steps := len(es) / 2
	in := ui.Rect{X: r.X + 1.2*u, Y: r.Y + 2.2*u, W: r.W - 2.4*u, H: r.H - 3.2*u}
	nodes := ui.CellNodes(steps, in)
	for i := 2; i < 2+steps; i++ { // spread the nodes evenly: room for a label on the short first edges
		nodes[i].X = in.X + (0.3+0.55*float64(i-2)/float64(max(1, steps-1)))*in.W
	}
	out := nodes[len(nodes)-1]
	var labs []edgeLabel
	var l lines
	for _, c := range concat {
		l.add(dst, []ui.Point{nodes[c], out}, 0.07*u, colBorder, 1)
	}
	l.flush(dst)
	for k, e := range es {
		from, to := e.Input, 2+k/2
		bend := ui.EdgeBend(from, to)
		if k%2 == 1 && es[k-1].Input == from { // both inputs of the node are the same state: bend apart
			bend = -bend - 0.18
		}
		pts := ui.Strands(nodes[from], nodes[to], bend, 0, 1, 24)[0]
		c := opColorOf(e.Op)
		arrow(dst, pts, 0.13*u, c)
		labs = append(labs, edgeLabel{i18n.Op(g.lang(), e.Op.String()), pts, c})
	}
	rad := 0.95 * u
	for i, p := range nodes {
		c, lbl := colButton, fmt.Sprint(i-2)
		switch {
		case i == 0:
			c, lbl = colActive, "k-2"
		case i == 1:
			c, lbl = colActive, "k-1"
		case i == len(nodes)-1:
			c, lbl = colActive, "k"
		}
		vector.DrawFilledCircle(dst, float32(p.X), float32(p.Y), float32(rad), c, false)
		vector.StrokeCircle(dst, float32(p.X), float32(p.Y), float32(rad), 2, colText, false)
		g.textCentered(dst, lbl, ui.Rect{X: p.X - rad, Y: p.Y - rad, W: 2 * rad, H: 2 * rad}, lecLabel, colText)
	}
	g.drawEdgeLabels(dst, labs, nodes, rad, ui.Rect{X: r.X, Y: r.Y + 1.3*u, W: r.W, H: r.H - 1.3*u})
	return len(es)
}

// edgeLabel is the name drawn on an edge of a cell drawing, in the edge's colour.
type edgeLabel struct {
	s     string
	curve []ui.Point
	c     color.RGBA
}

// drawEdgeLabels draws each label on a dark box on or beside its edge's
// curve, clear of the states (circles of radius rad) and of each other
// (ui.PlaceLabels), inside bounds.
func (g *game) drawEdgeLabels(dst *ebiten.Image, labs []edgeLabel, nodes []ui.Point, rad float64, bounds ui.Rect) {
	u := g.layout.U
	curves := make([][]ui.Point, len(labs))
	sizes := make([]ui.Point, len(labs))
	for i, b := range labs {
		curves[i] = b.curve
		sizes[i] = ui.Point{X: g.texts.get(b.s, g.face(lecLabel), g.redraw.Drawn).adv + ui.ChipPad*u, Y: ui.ChipH * u}
	}
	obstacles := make([]ui.Rect, len(nodes))
	for i, p := range nodes {
		obstacles[i] = ui.Rect{X: p.X - rad, Y: p.Y - rad, W: 2 * rad, H: 2 * rad}
	}
	for i, box := range ui.PlaceLabels(curves, sizes, obstacles, bounds, ui.LabelGap*u) {
		fillRect(dst, box, colBG)
		g.text(dst, labs[i].s, box.X+ui.ChipPad/2*u, box.Y, lecLabel, labs[i].c)
	}
}

// 3. NASNet-A cells, the 13 ops, and the stacked CIFAR network.
func (g *game) drawLecNASNet(dst *ebiten.Image, w ui.Rect) {
	u := g.layout.U
	// The cells one above the other, each the widget's full width: their
	// edges fan out from the two inputs and need the room.
	ch := (w.H - 10*u) / 2
	g.lec.edges = g.drawGenoCell(dst, genotype.NASNet, "normal", ui.Rect{X: w.X, Y: w.Y, W: w.W, H: ch}, g.t("lec.3.normal"))
	g.drawGenoCell(dst, genotype.NASNet, "reduce", ui.Rect{X: w.X, Y: w.Y + ch, W: w.W, H: ch}, g.t("lec.3.reduce"))
	ch *= 2
	// The 13 ops (none is DARTS's addition, not NASNet's).
	y := w.Y + ch + 0.2*u
	g.text(dst, g.t("lec.3.ops"), w.X, y, lecBody, colText)
	y += 1.4 * u
	ops := lecture.NASNetOps()
	perRow := 5
	cw := w.W / float64(perRow)
	for i, p := range ops {
		x := w.X + float64(i%perRow)*cw
		yy := y + float64(i/perRow)*1.15*u
		g.text(dst, i18n.OpLong(g.lang(), p.String()), x, yy, lecLabel, opColorOf(p))
	}
	// The network: image → N normal → reduction → N normal → reduction → N normal → softmax.
	y += 3*1.15*u + 0.6*u
	g.text(dst, g.t("lec.3.stack"), w.X, y, lecBody, colText)
	y += 1.4 * u
	parts := []struct {
		key string
		c   color.RGBA
	}{{"lec.3.image", colDim}, {"lec.3.ncells", colTrain}, {"lec.3.rcell", colVal}, {"lec.3.ncells", colTrain}, {"lec.3.rcell", colVal}, {"lec.3.ncells", colTrain}, {"lec.3.soft", colDim}}
	bw := (w.W - float64(len(parts)-1)*0.7*u) / float64(len(parts))
	bh := math.Min(2.6*u, w.Y+w.H-y)
	for i, p := range parts {
		b := ui.Rect{X: w.X + float64(i)*(bw+0.7*u), Y: y, W: bw, H: bh}
		g.lecBox(dst, b, p.c, g.t(p.key))
		if i > 0 {
			arrow(dst, []ui.Point{{X: b.X - 0.65*u, Y: y + bh/2}, {X: b.X - 0.05*u, Y: y + bh/2}}, 0.1*u, colText)
		}
	}
}

// dartsOps returns the live search's ops as primitives.
func (g *game) livePrims() ([]genotype.Primitive, bool) {
	var ps []genotype.Primitive
	for _, s := range g.model.Ops {
		p, err := genotype.ParsePrimitive(s)
		if err != nil {
			return nil, false
		}
		ps = append(ps, p)
	}
	return ps, len(ps) > 0
}

func (g *game) lecWaiting(dst *ebiten.Image, w ui.Rect) bool {
	if len(g.model.AlphaNormal) == len(ui.CellEdges(g.params.Nodes)) && len(g.model.Ops) > 0 {
		return false
	}
	msg := g.t("lec.waiting")
	for _, s := range []string{g.engineStatus(), i18n.Message(g.lang(), g.model.Text)} {
		if s != "" {
			msg += " " + s
		}
	}
	g.paragraph(dst, msg, w.X, w.Y, w.W, lecBody, colDim)
	return true
}

// 4. One edge of the live DARTS search opened up, then the whole cell.
func (g *game) drawLecRelax(dst *ebiten.Image, w ui.Rect) {
	u := g.layout.U
	if g.lecWaiting(dst, w) {
		return
	}
	m := &g.model
	row := m.AlphaNormal[0]
	g.text(dst, fmt.Sprintf(g.t("lec.4.edge"), m.Step), w.X, w.Y, lecBody, colText)
	best := lecture.ArgMaxOp(row, m.Ops, "none")
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, p := range row {
		lo, hi = math.Min(lo, p), math.Max(hi, p)
	}
	y := w.Y + 1.6*u
	bh := 1.2 * u
	labW := 7.5 * u
	barW := w.W - labW - 5*u
	for k, p := range row {
		yy := y + float64(k)*(bh+0.2*u)
		clr := colText
		if k == best {
			clr = colAccent
		}
		g.text(dst, i18n.OpLong(g.lang(), m.Ops[k]), w.X, yy+0.1*u, lecLabel, clr)
		// Bar length over the edge's own range (so a ±0.01 spread is visible),
		// with the uniform 1/K marked.
		f := 0.5
		if hi > lo {
			f = 0.08 + 0.92*(p-lo)/(hi-lo)
		}
		fillRect(dst, ui.Rect{X: w.X + labW, Y: yy, W: barW * f, H: bh}, rgba(ui.OpColors[k%len(ui.OpColors)]))
		if k == best {
			strokeRect(dst, ui.Rect{X: w.X + labW, Y: yy, W: barW * f, H: bh}, 3, colAccent)
		}
		g.text(dst, fmt.Sprintf("%.4f", p), w.X+labW+barW+0.4*u, yy+0.1*u, lecLabel, clr)
	}
	y += 8*(bh+0.2*u) + 0.2*u
	g.text(dst, fmt.Sprintf(g.t("lec.4.scale"), lo, hi, 1/float64(len(row))), w.X, y, lecLabel, colDim)
	y += 1.3 * u
	terms := make([]string, 0, 3)
	for k := range min(3, len(row)) {
		terms = append(terms, fmt.Sprintf("%.3f·%s(x)", row[k], i18n.Op(g.lang(), m.Ops[k])))
	}
	g.text(dst, fmt.Sprintf(g.t("lec.4.sum"), strings.Join(terms, " + ")+" + …"), w.X, y, lecBody, colTrain)
	y += 1.6 * u
	g.text(dst, g.t("lec.4.cell"), w.X, y, lecBody, colText)
	cell := ui.Rect{X: w.X, Y: y + 1.4*u, W: w.W, H: w.Y + w.H - y - 1.4*u}
	g.drawCellGraph(dst, cell, m.AlphaNormal, m.Ops)
}

// 5. The two halves of a DARTS iteration, live; s steps one half.
func (g *game) drawLecBilevel(dst *ebiten.Image, w ui.Rect) {
	u := g.layout.U
	if g.lecWaiting(dst, w) {
		return
	}
	m := &g.model
	half := (w.W - 0.8*u) / 2
	bh := 3.4 * u
	next := "alpha" // after a w half-step (and at the start) the α half comes next
	if m.Phase == search.PhaseAlpha {
		next = "w"
	}
	boxes := []struct {
		key, phase string
		n          int
		c          color.RGBA
	}{{"lec.5.wstep", "w", m.PhaseW, colTrain}, {"lec.5.astep", "alpha", m.PhaseAlpha, colVal}}
	for i, b := range boxes {
		r := ui.Rect{X: w.X + float64(i)*(half+0.8*u), Y: w.Y, W: half, H: bh}
		if m.Phase == b.phase {
			fillRect(dst, r, color.RGBA{b.c.R / 3, b.c.G / 3, b.c.B / 3, 255})
			strokeRect(dst, r, 4, b.c)
		} else {
			strokeRect(dst, r, 1, colBorder)
		}
		g.text(dst, g.t(b.key), r.X+0.4*u, r.Y+0.3*u, lecBody, colText)
		g.text(dst, fmt.Sprintf("× %d", b.n), r.X+0.4*u, r.Y+1.8*u, lecBody, colDim)
	}
	y := w.Y + bh + 0.5*u
	nextKey := map[string]string{"w": "lec.5.wstep", "alpha": "lec.5.astep"}[next]
	g.text(dst, fmt.Sprintf(g.t("lec.5.now"), g.t(nextKey)), w.X, y, lecBody, colAccent)
	y += 1.6 * u
	loss := func(s *ui.Series) string { // "–" before the first half-step of its kind (not a loss of 0)
		if p, ok := s.Last(); ok {
			return fmt.Sprintf("%.3f", p.Y)
		}
		return "–"
	}
	g.text(dst, fmt.Sprintf(g.t("lec.5.counts"), m.PhaseW, m.PhaseAlpha, loss(&m.TrainLoss), loss(&m.ValLoss)), w.X, y, lecBody, colText)
	y += 1.8 * u
	for o, key := range []string{"lec.5.first", "lec.5.second"} {
		on := g.params.Order == o+1
		c := colDim
		if on {
			c = colAccent
		}
		h := g.paragraph(dst, g.t(key), w.X+0.6*u, y, w.W-0.6*u, lecBody, c)
		if on {
			fillRect(dst, ui.Rect{X: w.X, Y: y, W: 0.25 * u, H: h}, colAccent)
		}
		y += h + 0.5*u
	}
	g.text(dst, g.t("lec.5.order"), w.X, y, lecLabel, colDim)
	y += 1.6 * u
	if y < w.Y+w.H-4*u {
		g.plot(dst, ui.Rect{X: w.X, Y: y, W: w.W, H: w.Y + w.H - y}, []plotSeries{
			{label: "L_train", pts: m.TrainLoss.All(), clr: colTrain, format: "%.3f"},
			{label: "L_val", pts: m.ValLoss.All(), clr: colVal, format: "%.3f"},
		}, g.t("stat.step"), nil)
	}
}

// 6. The discrete cell derived from the live α beside the published DARTS_V2 cells.
func (g *game) drawLecDerive(dst *ebiten.Image, w ui.Rect) {
	u := g.layout.U
	half := (w.W - 0.8*u) / 2
	if !g.lecWaiting(dst, ui.Rect{X: w.X, Y: w.Y, W: half, H: w.H}) {
		ops, ok := g.livePrims()
		m := &g.model
		if ok {
			gt, err := genotype.Derive(m.AlphaNormal, m.AlphaReduce, ops, g.nodes())
			if err != nil {
				g.lec.err = err.Error()
			} else {
				g.lec.edges = g.drawGenoCell(dst, gt, "normal", ui.Rect{X: w.X, Y: w.Y + w.H*0.5, W: half, H: w.H * 0.5}, g.t("lec.6.live"))
				g.text(dst, g.t("lec.6.mix"), w.X, w.Y, lecBody, colText)
				g.drawCellGraph(dst, ui.Rect{X: w.X, Y: w.Y + 1.6*u, W: half, H: w.H*0.5 - 2*u}, m.AlphaNormal, m.Ops)
			}
		}
	}
	g.drawGenoCell(dst, genotype.DARTS_V2, "normal", ui.Rect{X: w.X + half + 0.8*u, Y: w.Y, W: half, H: w.H * 0.5}, g.t("lec.6.normal"))
	g.drawGenoCell(dst, genotype.DARTS_V2, "reduce", ui.Rect{X: w.X + half + 0.8*u, Y: w.Y + w.H*0.5, W: half, H: w.H * 0.5}, g.t("lec.6.reduce"))
}

// 7. The DARTS recurrent cell (PTB), drawn from its genotype.
func (g *game) drawLecRecurrent(dst *ebiten.Image, w ui.Rect) {
	u := g.layout.U
	rc := genotype.DARTS_RNN_V2 // the paper's Figure 6 (quark0/darts rnn DARTS_V2)
	g.text(dst, g.t("lec.7.cap"), w.X, w.Y, lecBody, colText)
	area := ui.Rect{X: w.X + 4*u, Y: w.Y + 2*u, W: w.W - 4*u, H: w.H - 2.5*u}
	ps := lecture.RecurrentNodes(rc, area.W, area.H)
	pt := func(i int) ui.Point { return ui.Point{X: area.X + ps[i][0], Y: area.Y + ps[i][1]} }
	rad := 1.1 * u
	out := len(ps) - 1
	// Inputs into node 0.
	n0 := pt(0)
	for k, lbl := range []string{"x_t", "h_{t-1}"} {
		a := ui.Point{X: w.X + 0.5*u, Y: n0.Y + (float64(k)*2-1)*2.5*u}
		arrow(dst, []ui.Point{{X: a.X + 2.8*u, Y: a.Y}, {X: n0.X - rad, Y: n0.Y + (float64(k)*2-1)*0.4*u}}, 0.1*u, colDim)
		g.text(dst, lbl, a.X, a.Y-0.5*u, lecBody, colText)
	}
	acts := map[genotype.Activation]color.RGBA{genotype.Tanh: colTrain, genotype.ReLU: colGood, genotype.Sigmoid: colVal, genotype.Identity: colText}
	var labs []edgeLabel
	for i, e := range rc.Nodes {
		a, b := pt(e.Input), pt(i+1)
		dx, dy := b.X-a.X, b.Y-a.Y
		d := math.Hypot(dx, dy)
		pa := ui.Point{X: a.X + dx/d*rad, Y: a.Y + dy/d*rad}
		pb := ui.Point{X: b.X - dx/d*rad, Y: b.Y - dy/d*rad}
		c := acts[e.Op]
		arrow(dst, []ui.Point{pa, pb}, 0.14*u, c)
		labs = append(labs, edgeLabel{e.Op.String(), []ui.Point{pa, pb}, c})
	}
	for _, i := range rc.Concat {
		a, b := pt(i), pt(out)
		dx, dy := b.X-a.X, b.Y-a.Y
		d := math.Hypot(dx, dy)
		arrow(dst, []ui.Point{{X: a.X + dx/d*rad, Y: a.Y + dy/d*rad}, {X: b.X - dx/d*rad, Y: b.Y - dy/d*rad}}, 0.05*u, colBorder)
	}
	for i := range ps {
		p := pt(i)
		c := colButton
		lbl := fmt.Sprint(i)
		if i == out {
			c, lbl = colActive, "h_t"
		}
		vector.DrawFilledCircle(dst, float32(p.X), float32(p.Y), float32(rad), c, false)
		vector.StrokeCircle(dst, float32(p.X), float32(p.Y), float32(rad), 2, colText, false)
		g.textCentered(dst, lbl, ui.Rect{X: p.X - rad, Y: p.Y - rad, W: 2 * rad, H: 2 * rad}, lecBody, colText)
	}
	nodes := make([]ui.Point, len(ps))
	for i := range ps {
		nodes[i] = pt(i)
	}
	g.drawEdgeLabels(dst, labs, nodes, rad, area)
	g.lec.edges = len(rc.Nodes)
}

// 8. DARTS Table 1 beside the rows this page measures. Columns start after
// their widest cell (ui.Columns), in either language.
func (g *game) drawLecTable(dst *ebiten.Image, w ui.Rect) {
	u := g.layout.U
	lang := g.lang()
	lh := 1.25 * u
	const indent = 0.8 // units: a recording's numbers sit under its title
	var measured []lecture.Measured
	if g.lec.runs != nil {
		measured = g.lec.runs.Rows()
	}
	pubHead, ourHead := lecture.PublishedHead(lang), lecture.MeasuredHead(lang)
	var pub, ours [][]string
	for _, p := range lecture.Table1 {
		pub = append(pub, p.Cells(lang))
	}
	for _, m := range measured {
		ours = append(ours, m.Cells(lang))
	}
	recs := make([][]string, len(g.shipped))
	for i, e := range g.shipped {
		if r, ok := g.lec.recs[e.URL()]; ok && r.err == "" {
			recs[i] = lecture.RecordingCells(lang, r.valAcc, r.secs)
		}
	}
	f := g.face(lecLabel)
	adv := func(s string) float64 { return g.texts.get(s, f, g.redraw.Drawn).adv }
	var widths [][]float64
	for group, rows := range [][][]string{{pubHead}, pub, {ourHead}, ours, recs} {
		for _, row := range rows {
			ws := make([]float64, len(row))
			for c, s := range row {
				ws[c] = adv(s)
			}
			if group == 4 && len(ws) > 0 { // a recording's first cell is indented
				ws[0] += indent * u
			}
			widths = append(widths, ws)
		}
	}
	cols := ui.Columns(widths, 0.8*u)
	row := func(y float64, cells []string, clr color.RGBA) {
		for c, s := range cells {
			if c < len(cols) && s != "" {
				g.text(dst, s, w.X+cols[c], y, lecLabel, clr)
			}
		}
	}
	y := w.Y
	g.text(dst, g.t("lec.8.pub"), w.X, y, lecLabel, colAccent)
	y += lh + 0.2*u
	row(y, pubHead, colDim)
	y += lh
	rows := 0
	for _, cells := range pub {
		row(y, cells[:4], colText)
		row(y, append(make([]string, 4), cells[4]), colDim)
		y += lh
		rows++
	}
	y += 0.6 * u
	g.text(dst, g.t("lec.8.ours"), w.X, y, lecLabel, colAccent)
	y += lh + 0.2*u
	row(y, ourHead, colDim)
	y += lh
	for _, cells := range ours {
		row(y, cells[:2], colText) // the column header says NB201
		row(y, append(make([]string, 2), cells[2]), colDim)
		row(y, append(make([]string, 3), cells[3]), colText)
		y += lh
		rows++
	}
	for i, e := range g.shipped {
		r, ok := g.lec.recs[e.URL()]
		g.text(dst, e.TitleIn(lang), w.X, y, lecLabel, colText)
		y += lh
		switch {
		case !ok:
			g.text(dst, g.t("lec.8.loading"), w.X+cols[1], y, lecLabel, colDim)
		case r.err != "":
			g.paragraph(dst, r.err, w.X+indent*u, y, w.W-indent*u, lecLabel, colWarning)
		default:
			g.text(dst, recs[i][0], w.X+indent*u, y, lecLabel, colDim)
			row(y, append([]string{""}, recs[i][1:]...), colText)
			rows++
		}
		y += lh
	}
	g.lec.rows = rows
}
