//go:build js && wasm

package main

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"

	"github.com/nasplayground/nas/wasm/i18n"
	"github.com/nasplayground/nas/wasm/protocol"
	"github.com/nasplayground/nas/wasm/ui"
)

// dartsOps are the DARTS primitives in the reference order (quark0/darts
// genotypes.py), used until the first event names them.
var dartsOps = []string{"none", "max_pool_3x3", "avg_pool_3x3", "skip_connect", "sep_conv_3x3", "sep_conv_5x5", "dil_conv_3x3", "dil_conv_5x5"}

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
	if g.urlErr != "" {
		r := ui.Rect{X: l.Help.X - 0.2*u, Y: l.Help.Y - 0.15*u, W: l.Help.W + 0.4*u, H: l.Help.H + 0.3*u}
		fillRect(dst, r, color.RGBA{90, 30, 10, 255})
		g.text(sub(dst, r), fmt.Sprintf(g.t("url.bad"), g.urlErr), l.Help.X, l.Help.Y, ui.SizeCaption, colText)
	}
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
					g.button(dst, fmt.Sprint("replaycard.", i), g.t("sym.run")+" "+e.TitleIn(g.lang()), false)
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
	bar, ok := g.layout.Button("replay.seek")
	if n == 0 || !ok {
		return
	}
	// The timeline: click anywhere on it to jump there (back or forward).
	fillRect(dst, bar, colButton)
	fillRect(dst, ui.Rect{X: bar.X, Y: bar.Y, W: bar.W * float64(g.replay.Pos()) / float64(n), H: bar.H}, colActive)
	strokeRect(dst, bar, 1, colBorder)
	x := bar.X + bar.W + 0.6*u
	x += g.text(dst, fmt.Sprintf("%s %d / %d · %g/s", g.t("replay.pos"), g.replay.Pos(), n, g.replay.Rate), x, r.Y+0.35*u, ui.SizeCaption, colText)
	name := g.shippedTitle()
	if name == "" {
		name = g.replayName
	}
	g.text(sub(dst, r), " · "+name, x, r.Y+0.35*u, ui.SizeCaption, colDim)
}

// seek moves the replay to fraction f of its timeline, refolding the model
// from the start when moving back.
func (g *game) seek(f float64) {
	g.replay.Playing = false
	reset, evs := g.replay.SeekTo(g.replay.SeekFraction(f))
	if reset {
		g.model.Reset()
	}
	for _, ev := range evs {
		g.model.Fold(ev)
	}
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
		g.button(dst, fmt.Sprint("replays.", i), e.TitleIn(g.lang()), e.URL() == g.replayName)
	}
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
		g.text(dst, i18n.Class(g.lang(), p.Pred), x, in.Y+side+0.05*u, ui.SizeCaption, c)
	}
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
			g.text(dst, g.opShort(op), in.X+labelW+float64(k)*colW, in.Y, ui.SizeCaption, rgba(ui.OpColors[k]))
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
					// Ink by the ground under the label: the bar's colour where it reaches the label, else the empty slot.
					ground := [3]uint8{36, 42, 54}
					if ty := y + rowH*0.1 + 0.5*u; y+rowH*0.1+full-full*prob(e, k) < ty {
						ground = ui.OpColors[k]
					}
					g.text(dst, fmt.Sprintf("%.2f", prob(e, k)), bx+0.1*u, y+rowH*0.1, ui.SizeCaption, rgba(ui.TextOn(ground)))
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
	if method == "reinforce" { // the update that moves the bars
		adv := "…"
		if b, ok := m.Baseline.Last(); ok && m.Arch != "" {
			adv = fmt.Sprintf("%+.2f", m.Last.Reward-b.Y)
		}
		g.text(dst, g.t("rl.update"), in.X, y, ui.SizeBody, colAccent)
		y += 1.3 * u
		y += g.paragraph(dst, fmt.Sprintf(g.t("rl.update.cap"), adv), in.X, y, in.W, ui.SizeCaption, colDim) + 0.3*u
	}
	if m.BestArch != "" {
		g.text(dst, fmt.Sprintf("%.2f%%", m.BestReward), in.X, y, ui.SizeTitle, colGood)
		y += 1.6 * u
		y += g.paragraph(dst, m.BestArch, in.X, y, in.W, ui.SizeCaption, colAccent)
		y += 0.4 * u
		g.paragraph(dst, "→ "+m.Arch, in.X, y, in.W, ui.SizeCaption, colDim)
	}
	if m.Text != "" {
		g.paragraph(dst, i18n.Message(g.lang(), m.Text), in.X, in.Y+in.H-1.2*u, in.W, ui.SizeCaption, colWarning)
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

var enasCols = []string{"rl.enas.inA", "rl.enas.inB", "rl.enas.opA", "rl.enas.opB"} // i18n keys

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
		g.paragraph(dst, i18n.Message(g.lang(), m.Text), in.X, in.Y+in.H-1.2*u, in.W, ui.SizeCaption, colWarning)
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
			g.text(dst, g.t(h), tab.X+nodeW+float64(j)*colW, tab.Y+1.2*u, ui.SizeMin, colDim)
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
					label, clr = g.opShort(op), rgba(ui.OpColors[max(0, slices.Index(dartsOps, op))%len(ui.OpColors)])
				}
				fillRect(dst, ui.Rect{X: box.X, Y: box.Y + box.H - 0.25*u, W: box.W * p, H: 0.25 * u}, clr)
				// The label above, the number right-aligned below it: side by side they overran the box.
				g.text(dst, label, box.X+0.15*u, box.Y+0.05*u, ui.SizeCaption, colText)
				g.textRight(dst, fmt.Sprintf("%.2f", p), box.X+box.W-0.15*u, box.Y+box.H-1.2*u, ui.SizeCaption, colText)
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
			c, lbl = rgba(ui.OpColors[k]), g.opShort(ops[k%len(ops)])
			w = 0.22 * u
			if k == 0 {
				w = 0.05 * u
			}
		}
		l.add(dst, pts, w, c, 1)
		mid := pts[len(pts)/2]
		defer g.chip(dst, lbl, mid.X, mid.Y-0.55*u, c)
	}
	l.flush(dst)
	for i, p := range pos {
		vector.DrawFilledCircle(dst, float32(p.X), float32(p.Y), float32(0.8*u), colActive, false)
		g.textCentered(dst, fmt.Sprint(i), ui.Rect{X: p.X - u, Y: p.Y - u, W: 2 * u, H: 2 * u}, ui.SizeBody, colText)
	}
}

// ---- Compare ----

var methodColor = map[string]color.RGBA{"random": {170, 170, 170, 255}, "reinforce": colTrain, "evolution": colVal, "pnas": {204, 121, 167, 255}} // pnas pink: apart from evolution's orange

func (g *game) drawCompare(dst *ebiten.Image) {
	l := &g.layout
	m := &g.model
	u := l.U
	in := g.panel(dst, l.Panels["curves"], g.t("cmp.title"), g.t("cmp.cap"))
	var ss []plotSeries
	for _, c := range m.Curves {
		// From the 10th evaluation on: the first random picks (~86%) would
		// stretch the axis and squash the part where the methods differ.
		var pts []ui.Point
		for i := range c.X {
			if c.X[i] >= ui.CompareFrom || len(c.X) < 2*ui.CompareFrom {
				pts = append(pts, ui.Point{X: float64(c.X[i]), Y: c.Y[i]})
			}
		}
		ss = append(ss, plotSeries{label: g.t("m." + c.Method), pts: pts, clr: methodColor[c.Method], format: "%.2f%%"})
	}
	g.plot(dst, in, ss, g.t("cmp.x"), nil)

	in = g.panel(dst, l.Panels["table"], g.t("cmp.table"), "")
	cols := []float64{0, 0.3, 0.55, 0.78}
	y := in.Y
	for i, h := range []string{g.t("cmp.method"), g.t("cmp.acc"), g.t("cmp.cost"), g.t("cmp.runs")} {
		g.text(dst, h, in.X+cols[i]*in.W, y, ui.SizeCaption, colDim)
	}
	y += 1.2 * u
	vector.StrokeLine(dst, float32(in.X), float32(y-0.1*u), float32(in.X+in.W), float32(y-0.1*u), 1, colBorder, false)
	for _, c := range m.Curves {
		g.text(dst, g.t("m."+c.Method), in.X, y, ui.SizeCaption, methodColor[c.Method])
		acc := "…"
		if c.Trials > 0 {
			acc = fmt.Sprintf("%.2f ± %.2f", c.Final, c.Std)
		}
		g.text(dst, acc, in.X+cols[1]*in.W, y, ui.SizeCaption, colText)
		g.text(dst, fmt.Sprint(c.Cost), in.X+cols[2]*in.W, y, ui.SizeCaption, colText)
		g.text(dst, fmt.Sprint(c.Trials), in.X+cols[3]*in.W, y, ui.SizeCaption, colText)
		y += 1.1 * u
	}
	if m.Text != "" {
		g.text(dst, i18n.Message(g.lang(), m.Text), in.X, in.Y+in.H-1.0*u, ui.SizeCaption, colWarning)
	}
}
