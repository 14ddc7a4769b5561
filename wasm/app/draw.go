//go:build js && wasm

package main

import (
	"fmt"
	"hash/fnv"
	"image"
	"image/color"
	"math"
	"strings"
	"syscall/js"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"

	"github.com/nasplayground/nas/wasm/i18n"
	"github.com/nasplayground/nas/wasm/ui"
)

// Colours: dark background, high contrast for projectors.
var (
	colBG      = color.RGBA{14, 17, 23, 255}
	colPanel   = color.RGBA{26, 31, 41, 255}
	colBorder  = color.RGBA{60, 68, 84, 255}
	colText    = rgba(ui.Ink)
	colDim     = color.RGBA{170, 178, 192, 255}
	colAccent  = color.RGBA{255, 196, 0, 255}
	colTrain   = color.RGBA{86, 180, 233, 255}
	colVal     = color.RGBA{230, 159, 0, 255}
	colGood    = color.RGBA{0, 200, 120, 255}
	colBad     = color.RGBA{240, 80, 80, 255}
	colButton  = rgba(ui.ButtonIdle)
	colActive  = rgba(ui.ButtonActive)
	colWarning = color.RGBA{255, 140, 60, 255}
)

var whiteSub = func() *ebiten.Image {
	img := ebiten.NewImage(3, 3)
	img.Fill(color.White)
	return img.SubImage(image.Rect(1, 1, 2, 2)).(*ebiten.Image)
}()

func (g *game) face(units float64) *text.GoTextFace {
	px := math.Round(max(units, ui.SizeMin) * g.layout.U) // never under 16 px at 1280×720
	f, ok := g.faces[px]
	if !ok {
		f = &text.GoTextFace{Source: g.src, Size: px}
		g.faces[px] = f
	}
	return f
}

// text draws s with its top-left at (x, y) and returns its advance. Each
// (string, size) is rasterised once into a small image (Ebiten packs them in
// an atlas) and drawn tinted afterwards: shaping and rasterising glyphs was
// most of Draw's CPU time in wasm.
func (g *game) text(dst *ebiten.Image, s string, x, y, size float64, clr color.Color) float64 {
	f := g.face(size)
	e := g.texts.get(s, f, g.redraw.Drawn)
	if e.img == nil {
		return e.adv
	}
	g.record(dst, s, ui.Rect{X: math.Round(x), Y: math.Round(y), W: e.adv, H: float64(e.img.Bounds().Dy() - 2*textPad)}, f.Size)
	op := &ebiten.DrawImageOptions{}
	op.GeoM.Translate(math.Round(x)-textPad, math.Round(y)-textPad)
	op.ColorScale.ScaleWithColor(clr)
	dst.DrawImage(e.img, op)
	return e.adv
}

// textPad is the margin around a cached text image (antialiased edges, accents).
const textPad = 2

type textKey struct {
	s  string
	px float64
}

type textEntry struct {
	img  *ebiten.Image // white text; nil for text without ink
	adv  float64
	used int // frame of the last use
}

// textCache holds rasterised strings; entries unused for textTTL frames are
// freed (the status line and moving values make new strings every frame).
type textCache struct {
	m     map[textKey]*textEntry
	swept int
}

const textTTL = 120

func (c *textCache) get(s string, f *text.GoTextFace, frame int) *textEntry {
	if c.m == nil {
		c.m = map[textKey]*textEntry{}
	}
	k := textKey{s, f.Size}
	e, ok := c.m[k]
	if !ok {
		e = &textEntry{adv: text.Advance(s, f)}
		if strings.TrimSpace(s) != "" {
			m := f.Metrics()
			w, h := int(math.Ceil(e.adv))+2*textPad, int(math.Ceil(m.HAscent+m.HDescent))+2*textPad
			e.img = ebiten.NewImage(max(1, w), max(1, h))
			op := &text.DrawOptions{}
			op.GeoM.Translate(textPad, textPad)
			text.Draw(e.img, s, f, op)
		}
		c.m[k] = e
	}
	e.used = frame
	if frame-c.swept > textTTL {
		c.swept = frame
		for k, v := range c.m {
			if frame-v.used > textTTL {
				if v.img != nil {
					v.img.Deallocate()
				}
				delete(c.m, k)
			}
		}
	}
	return e
}

// textCentered draws s centred in r.
func (g *game) textCentered(dst *ebiten.Image, s string, r ui.Rect, size float64, clr color.Color) {
	w := g.texts.get(s, g.face(size), g.redraw.Drawn).adv
	g.text(dst, s, r.X+(r.W-w)/2, r.Y+(r.H-size*g.layout.U*1.2)/2, size, clr)
}

// textRight draws s right-aligned at x.
func (g *game) textRight(dst *ebiten.Image, s string, x, y, size float64, clr color.Color) {
	g.text(dst, s, x-g.texts.get(s, g.face(size), g.redraw.Drawn).adv, y, size, clr)
}

// measure returns a width estimate for f: the sum of the characters' cached
// advances (kerning ignored). Wrap measures every growing prefix; shaping each
// one with text.Advance made a new genotype string cost ~20 ms in wasm.
func (g *game) measure(f *text.GoTextFace) func(string) float64 {
	if g.runeAdv == nil {
		g.runeAdv = map[runeKey]float64{}
	}
	return func(t string) float64 {
		w := 0.0
		for _, r := range t {
			k := runeKey{r, f.Size}
			a, ok := g.runeAdv[k]
			if !ok {
				a = text.Advance(string(r), f)
				g.runeAdv[k] = a
			}
			w += a
		}
		return w
	}
}

type runeKey struct {
	r  rune
	px float64
}

type wrapKey struct {
	s           string
	width, size float64
}

// wrapped returns s wrapped to width at size, cached per text, width and size.
func (g *game) wrapped(s string, width, size float64) []string {
	f := g.face(size)
	key := wrapKey{s, math.Round(width), f.Size}
	lines, ok := g.wraps[key]
	if !ok {
		lines = ui.Wrap(s, width, g.measure(f))
		if len(g.wraps) > 256 {
			clear(g.wraps)
		}
		g.wraps[key] = lines
	}
	return lines
}

// paragraph draws s wrapped to width and returns the height used.
func (g *game) paragraph(dst *ebiten.Image, s string, x, y, width, size float64, clr color.Color) float64 {
	lh := ui.LineHeight(max(size, ui.SizeMin), g.layout.U) // the face never goes under SizeMin, nor do its lines
	lines := g.wrapped(s, width, size)
	for i, l := range lines {
		g.text(dst, l, x, y+float64(i)*lh, size, clr)
	}
	return float64(len(lines)) * lh
}

func fillRect(dst *ebiten.Image, r ui.Rect, clr color.Color) {
	vector.DrawFilledRect(dst, float32(r.X), float32(r.Y), float32(r.W), float32(r.H), clr, false)
}

func strokeRect(dst *ebiten.Image, r ui.Rect, w float64, clr color.Color) {
	vector.StrokeRect(dst, float32(r.X), float32(r.Y), float32(r.W), float32(r.H), float32(w), clr, false)
}

// chrome caches what does not change from frame to frame (panel frames,
// titles, captions, the help line) in one image: drawing ~100 strings glyph by
// glyph every frame cost more CPU than everything else. Every static draw adds
// its arguments to a signature; when this frame's signature differs from the
// cached one, the next frames redraw the chrome.
type chrome struct {
	img        *ebiten.Image
	valid      bool
	sig, built uint64
}

func (c *chrome) add(parts ...any) {
	h := fnv.New64a()
	fmt.Fprint(h, c.sig, parts)
	c.sig = h.Sum64()
}

// static runs fn on dst (and on the chrome image) only while the chrome is
// being rebuilt; afterwards the cached image already holds its pixels.
func (g *game) static(dst *ebiten.Image, fn func(dst *ebiten.Image), sig ...any) {
	g.chrome.add(sig...)
	if auditing() { // every frame in full, drawn once (see textAudit)
		g.chrome.add(g.redraw.Drawn)
		fn(dst)
		return
	}
	if g.chrome.valid {
		return
	}
	fn(dst)
	fn(g.chrome.img)
}

// layer is a cached drawing of a panel's dynamic content.
type layer struct {
	img   *ebiten.Image
	key   any
	valid bool
	used  int // frame of the last use
}

// sweepLayers frees layers not drawn for textTTL drawn frames (left scenes, old sizes).
func (g *game) sweepLayers() {
	for name, l := range g.layers {
		if g.redraw.Drawn-l.used > textTTL {
			l.img.Deallocate()
			delete(g.layers, name)
		}
	}
}

// layer draws fn's picture of r onto dst. While key (with the language)
// changes from frame to frame fn draws straight onto dst; once it repeats,
// fn's picture is kept in an offscreen image with r's screen coordinates and
// later frames draw only that image. key must be comparable:
// a pointer to the data's first element (events replace slices, never edit
// them), or a string. Frames and titles stay in the chrome (panel), outside.
func (g *game) layer(dst *ebiten.Image, name string, r ui.Rect, key any, fn func(dst *ebiten.Image)) {
	if g.layers == nil {
		g.layers = map[string]*layer{}
	}
	b := image.Rect(int(math.Floor(r.X)), int(math.Floor(r.Y)), int(math.Ceil(r.X+r.W)), int(math.Ceil(r.Y+r.H)))
	if b.Empty() {
		return
	}
	if auditing() {
		fn(dst)
		return
	}
	l := g.layers[name]
	if l == nil {
		l = &layer{}
		g.layers[name] = l
	}
	if l.img == nil || l.img.Bounds() != b {
		if l.img != nil {
			l.img.Deallocate()
		}
		l.img, l.valid = ebiten.NewImageWithOptions(b, nil), false
	}
	l.used = g.redraw.Drawn
	key = [2]any{key, g.lang()}
	if l.key != key {
		// New data: draw directly. Data that changes every frame (a fast
		// RL run) thus costs no offscreen pass; the layer is filled once the
		// data has stayed the same for a frame.
		l.key, l.valid = key, false
		fn(dst)
		return
	}
	if !l.valid {
		l.img.Clear()
		fn(l.img)
		l.valid = true
		g.layerRedraws++
	}
	op := &ebiten.DrawImageOptions{}
	op.GeoM.Translate(float64(b.Min.X), float64(b.Min.Y))
	dst.DrawImage(l.img, op)
}

// firstOf returns a pointer to the first element of rows, the identity of
// event data for layer keys (nil when empty).
func firstOf[T any](rows [][]T) *T {
	for _, r := range rows {
		if len(r) > 0 {
			return &r[0]
		}
		return nil
	}
	return nil
}

// panel draws a panel's frame, title and caption (once, into the chrome) and
// returns the free area below them.
func (g *game) panel(dst *ebiten.Image, r ui.Rect, title, caption string) ui.Rect {
	u := g.layout.U
	y := r.Y + 0.3*u
	if title != "" {
		y += ui.SizeBody * u * 1.35
	}
	var capH float64
	g.static(dst, func(dst *ebiten.Image) {
		fillRect(dst, r, colPanel)
		strokeRect(dst, r, 1, colBorder)
		if title != "" {
			g.text(dst, title, r.X+0.4*u, r.Y+0.3*u, ui.SizeBody, colText)
		}
	}, "panel", r, title)
	if caption != "" {
		g.static(dst, func(dst *ebiten.Image) {
			capH = g.paragraph(dst, caption, r.X+0.4*u, y, r.W-0.8*u, ui.SizeCaption, colDim)
		}, "caption", caption)
		if g.chrome.valid {
			capH = g.paragraphHeight(caption, r.W-0.8*u, ui.SizeCaption)
		}
	}
	return ui.PanelInner(r, u, title != "", capH)
}

// paragraphHeight is the height paragraph uses for s, from the wrap cache.
func (g *game) paragraphHeight(s string, width, size float64) float64 {
	f := g.face(size)
	lines, ok := g.wraps[wrapKey{s, math.Round(width), f.Size}]
	if !ok {
		lines = ui.Wrap(s, width, g.measure(f))
		g.wraps[wrapKey{s, math.Round(width), f.Size}] = lines
	}
	return float64(len(lines)) * ui.LineHeight(max(size, ui.SizeMin), g.layout.U)
}

// lines batches antialiased polylines with per-vertex colour into few draw calls.
type lines struct {
	vs []ebiten.Vertex
	is []uint16
}

func (l *lines) polyline(pts []ui.Point, width float64, clr color.RGBA, alpha float64) {
	if len(pts) < 2 || width <= 0 {
		return
	}
	// One quad per segment, corners shared with the neighbours' mitre-free
	// normals: ~10× cheaper in wasm than vector.Path stroking, and at these
	// widths the joints are invisible.
	r, g, b, a := float32(clr.R)/255, float32(clr.G)/255, float32(clr.B)/255, float32(alpha)
	hw := width / 2
	base := uint16(len(l.vs))
	for i, p := range pts {
		var dx, dy float64
		switch {
		case i == 0:
			dx, dy = pts[1].X-p.X, pts[1].Y-p.Y
		case i == len(pts)-1:
			dx, dy = p.X-pts[i-1].X, p.Y-pts[i-1].Y
		default:
			dx, dy = pts[i+1].X-pts[i-1].X, pts[i+1].Y-pts[i-1].Y
		}
		n := math.Hypot(dx, dy)
		if n == 0 {
			n = 1
		}
		nx, ny := -dy/n*hw, dx/n*hw
		l.vs = append(l.vs,
			ebiten.Vertex{DstX: float32(p.X + nx), DstY: float32(p.Y + ny), SrcX: 1, SrcY: 1, ColorR: r, ColorG: g, ColorB: b, ColorA: a},
			ebiten.Vertex{DstX: float32(p.X - nx), DstY: float32(p.Y - ny), SrcX: 1, SrcY: 1, ColorR: r, ColorG: g, ColorB: b, ColorA: a})
		if i > 0 {
			k := base + uint16(2*i)
			l.is = append(l.is, k-2, k-1, k, k-1, k+1, k)
		}
	}
}

func (l *lines) flush(dst *ebiten.Image) {
	if len(l.vs) > 0 {
		dst.DrawTriangles(l.vs, l.is, whiteSub, &ebiten.DrawTrianglesOptions{}) // AntiAlias renders offscreen per call: too slow on software GL
	}
	l.vs, l.is = l.vs[:0], l.is[:0]
}

// rect adds a filled rectangle (one quad) to the batch.
func (l *lines) rect(dst *ebiten.Image, x, y, w, h float64, clr color.RGBA) {
	if len(l.vs)+4 > 60000 {
		l.flush(dst)
	}
	r, g, b := float32(clr.R)/255, float32(clr.G)/255, float32(clr.B)/255
	base := uint16(len(l.vs))
	for _, c := range [4][2]float64{{x, y}, {x + w, y}, {x, y + h}, {x + w, y + h}} {
		l.vs = append(l.vs, ebiten.Vertex{DstX: float32(c[0]), DstY: float32(c[1]), SrcX: 1, SrcY: 1, ColorR: r, ColorG: g, ColorB: b, ColorA: 1})
	}
	l.is = append(l.is, base, base+1, base+2, base+1, base+3, base+2)
}

// add flushes first when the uint16 index space would overflow.
func (l *lines) add(dst *ebiten.Image, pts []ui.Point, width float64, clr color.RGBA, alpha float64) {
	if len(l.vs)+len(pts)*2 > 60000 {
		l.flush(dst)
	}
	l.polyline(pts, width, clr, alpha)
}

// plotSeries is one line of a plot.
type plotSeries struct {
	label  string
	pts    []ui.Point
	clr    color.RGBA
	dots   bool
	format string // value format in the legend, e.g. "%.3f"
}

// plot draws series in r with axes, min/max labels and a legend with the last values.
// It is redrawn only when a series gains a point (layer).
func (g *game) plot(dst *ebiten.Image, r ui.Rect, ss []plotSeries, xlabel string, yFixed *[2]float64) {
	var key strings.Builder
	fmt.Fprint(&key, xlabel, yFixed != nil)
	for _, s := range ss {
		fmt.Fprint(&key, "|", s.label, len(s.pts))
		if n := len(s.pts); n > 0 {
			fmt.Fprint(&key, s.pts[0], s.pts[n-1])
		}
	}
	pad := 0.3 * g.layout.U
	g.layer(dst, fmt.Sprint("plot", r), ui.Rect{X: r.X - pad, Y: r.Y - pad, W: r.W + 2*pad, H: r.H + 2*pad}, key.String(), func(dst *ebiten.Image) {
		g.plotNow(dst, r, ss, xlabel, yFixed)
	})
}

func (g *game) plotNow(dst *ebiten.Image, r ui.Rect, ss []plotSeries, xlabel string, yFixed *[2]float64) {
	u := g.layout.U
	// Legend row on top.
	// Legend entries wrap to a new row where the panel is narrow.
	x, y := r.X, r.Y
	for _, s := range ss {
		if s.label == "" && s.format == "" {
			continue
		}
		lbl := s.label
		if n := len(s.pts); n > 0 {
			lbl = strings.TrimSpace(lbl + " " + fmt.Sprintf(s.format, s.pts[n-1].Y))
		}
		w := 1.0*u + g.texts.get(lbl, g.face(ui.SizeCaption), g.redraw.Drawn).adv
		if x > r.X && x+w > r.X+r.W {
			x, y = r.X, y+1.05*u
		}
		vector.DrawFilledRect(dst, float32(x), float32(y+0.3*u), float32(0.8*u), float32(0.3*u), s.clr, false)
		x += 1.0*u + g.text(dst, lbl, x+1.0*u, y, ui.SizeCaption, colText) + 0.8*u
	}
	top := y - r.Y
	area := ui.Rect{X: r.X + 3.2*u, Y: r.Y + top + 1.3*u, W: r.W - 3.4*u, H: r.H - top - 2.3*u}
	if area.H < u || area.W < u {
		return
	}
	// Lines set the y range; dots (single samples, e.g. a 10% cell among 90%
	// ones) are clamped to it, so one outlier does not flatten the curves.
	lineY := false
	for _, s := range ss {
		lineY = lineY || !s.dots && len(s.pts) > 0
	}
	x0, x1, y0, y1 := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, s := range ss {
		for _, p := range s.pts {
			if s.dots && lineY {
				x0, x1 = math.Min(x0, p.X), math.Max(x1, p.X)
				continue
			}
			x0, x1, y0, y1 = math.Min(x0, p.X), math.Max(x1, p.X), math.Min(y0, p.Y), math.Max(y1, p.Y)
		}
	}
	if yFixed != nil { // always include this range; never pad below its floor
		y0, y1 = math.Min(y0, yFixed[0]), math.Max(y1, yFixed[1])
	}
	strokeRect(dst, area, 1, colBorder)
	if math.IsInf(x0, 0) {
		return
	}
	if x1 == x0 {
		x1 = x0 + 1
	}
	if y1 == y0 {
		y0, y1 = y0-0.5, y1+0.5
	}
	pad := (y1 - y0) * 0.05
	y0, y1 = y0-pad, y1+pad
	if yFixed != nil {
		y0 = math.Max(y0, yFixed[0])
	}
	sx := func(v float64) float64 { return area.X + (v-x0)/(x1-x0)*area.W }
	sy := func(v float64) float64 { return area.Y + area.H - (v-y0)/(y1-y0)*area.H }
	g.textRight(dst, trimFloat(y1), area.X-0.2*u, area.Y-0.2*u, ui.SizeCaption, colDim)
	g.textRight(dst, trimFloat(y0), area.X-0.2*u, area.Y+area.H-0.9*u, ui.SizeCaption, colDim)
	g.text(dst, fmt.Sprintf("%g", math.Round(x0)), area.X, area.Y+area.H+0.1*u, ui.SizeCaption, colDim)
	g.textRight(dst, fmt.Sprintf("%s %g", xlabel, math.Round(x1)), area.X+area.W, area.Y+area.H+0.1*u, ui.SizeCaption, colDim)
	var l lines
	for _, s := range ss {
		if s.dots {
			for _, p := range s.pts {
				d := 0.16 * u
				y := math.Max(area.Y, math.Min(area.Y+area.H, sy(p.Y)))
				l.rect(dst, sx(p.X)-d/2, y-d/2, d, d, s.clr)
			}
			continue
		}
		pts := make([]ui.Point, len(s.pts))
		for i, p := range s.pts {
			pts[i] = ui.Point{X: sx(p.X), Y: sy(p.Y)}
		}
		l.add(dst, pts, 0.12*u, s.clr, 1)
	}
	l.flush(dst)
}

func trimFloat(v float64) string {
	switch a := math.Abs(v); {
	case a >= 100:
		return fmt.Sprintf("%.0f", v)
	case a >= 10:
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.2f", v)
}

// button draws a top-bar control.
func (g *game) button(dst *ebiten.Image, id, label string, active bool) {
	r, ok := g.layout.Button(id)
	if !ok {
		return
	}
	x, y := ebiten.CursorPosition()
	hover := r.Contains(float64(x), float64(y))
	c := rgba(map[[2]bool][3]uint8{{false, false}: ui.ButtonIdle, {false, true}: ui.ButtonIdleHover,
		{true, false}: ui.ButtonActive, {true, true}: ui.ButtonActiveHover}[[2]bool{active, hover}]) // labels ≥ 4.5:1 on each (ui.TestButtonLabels)
	vector.DrawFilledRect(dst, float32(r.X), float32(r.Y), float32(r.W), float32(r.H), c, false)
	u := g.layout.U
	if g.texts.get(label, g.face(ui.SizeBody), g.redraw.Drawn).adv > r.W-0.6*u { // too long (a recording's title): left-aligned, clipped
		g.text(sub(dst, r), label, r.X+0.3*u, r.Y+(r.H-ui.SizeBody*u*1.2)/2, ui.SizeBody, colText)
		return
	}
	g.textCentered(dst, label, r, ui.SizeBody, colText)
}

// engineStatus returns what the engine worker does before its first step,
// in the page's language ("" once it steps): index.html keeps the line in
// window.nas.engine and hides its own box once the page draws.
func (g *game) engineStatus() string {
	v := js.Global().Get("nas")
	if v.Type() != js.TypeObject {
		return ""
	}
	e := v.Get("engine")
	if e.Type() != js.TypeString || e.String() == "stepping" {
		return ""
	}
	return i18n.Engine(g.lang(), e.String())
}
