// Package draw renders cell diagrams of genotypes (DARTS/NASNet cells and
// the DARTS recurrent cell, after quark0/darts visualize.py and Figure 6 of
// the paper) as SVG text and as PNG through a small rasteriser
// (golang.org/x/image/vector and Go Mono), for the front ends that write
// files. Graphviz text stays in core/genotype (genotype.DOT).
package draw

import (
	"bytes"
	"fmt"
	"html"
	"image"
	"image/color"
	stddraw "image/draw"
	"image/png"
	"math"
	"strings"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"

	"github.com/nasplayground/nas/core/genotype"
)

// Cell renders the cell ("normal" or "reduce") of g in format "svg", "png"
// or "dot" (genotype.DOT).
func Cell(g genotype.Genotype, cell, format string) ([]byte, error) {
	if _, _, err := g.Cell(cell); err != nil {
		return nil, err
	}
	if strings.ToLower(format) == "dot" {
		if err := g.Validate(); err != nil {
			return nil, err
		}
		return []byte(genotype.DOT(g, cell)), nil
	}
	gr, err := cellGraph(g, cell)
	if err != nil {
		return nil, err
	}
	return render(gr, format)
}

// Recurrent renders the recurrent cell r in format "svg", "png" or "dot",
// laid out as Figure 6 of the DARTS paper: x_t and h_{t−1} feed node 0 (the
// gated s₀), each node reads one earlier node through its activation, and
// h_t averages the concat nodes.
func Recurrent(r genotype.Recurrent, format string) ([]byte, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	gr := recurrentGraph(r)
	if strings.ToLower(format) == "dot" {
		return []byte(dot(gr)), nil
	}
	return render(gr, format)
}

// render lays gr out and paints it as SVG or PNG.
func render(gr graph, format string) ([]byte, error) {
	d, err := layout(gr)
	if err != nil {
		return nil, err
	}
	switch strings.ToLower(format) {
	case "svg":
		c := &svgCanvas{}
		fmt.Fprintf(&c.b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f">`+"\n", d.w, d.h, d.w, d.h)
		paint(c, d)
		c.b.WriteString("</svg>\n")
		return c.b.Bytes(), nil
	case "png":
		face, err := monoFace(fontSize * pngScale)
		if err != nil {
			return nil, err
		}
		img := image.NewRGBA(image.Rect(0, 0, int(math.Ceil(d.w*pngScale)), int(math.Ceil(d.h*pngScale))))
		paint(&pngCanvas{img: img, face: face}, d)
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			return nil, fmt.Errorf("draw: png: %w", err)
		}
		return buf.Bytes(), nil
	}
	return nil, fmt.Errorf("draw: unknown drawing format %q (want svg, png or dot)", format)
}

// dot returns gr as a Graphviz digraph in the style of genotype.DOT.
func dot(gr graph) string {
	var b strings.Builder
	fmt.Fprintf(&b, "digraph %q {\n  rankdir=LR;\n  bgcolor=white;\n", gr.title)
	b.WriteString("  node [style=\"rounded,filled\", shape=rect, align=center, fontname=\"helvetica\", fontsize=20, height=0.5, width=0.5, penwidth=2];\n")
	b.WriteString("  edge [fontname=\"times\", fontsize=20];\n")
	out := len(gr.labels) - 1
	for s, l := range gr.labels {
		fill := "lightblue"
		switch {
		case s < 2:
			fill = "darkseagreen2"
		case s == out:
			fill = "palegoldenrod"
		}
		fmt.Fprintf(&b, "  %q [fillcolor=%s];\n", l, fill)
	}
	for _, l := range gr.links {
		if l.label == noLabel {
			fmt.Fprintf(&b, "  %q -> %q [fillcolor=gray];\n", gr.labels[l.from], gr.labels[l.to])
			continue
		}
		fmt.Fprintf(&b, "  %q -> %q [label=%q, fillcolor=gray];\n", gr.labels[l.from], gr.labels[l.to], l.label)
	}
	b.WriteString("}\n")
	return b.String()
}

// canvas is what paint needs from a back end; coordinates are layout units.
type canvas interface {
	fill(poly []pt, c color.RGBA)
	stroke(line []pt, width float64, c color.RGBA)
	text(x, y float64, s string, c color.RGBA) // centred on x, baseline y
}

// paint draws d: background, title, edges, nodes, then labels on top.
func paint(c canvas, d *diagram) {
	c.fill([]pt{{0, 0}, {d.w, 0}, {d.w, d.h}, {0, d.h}}, colBackground)
	c.text(d.w/2, margin+fontSize-titleGap/2, d.title, colText)
	for _, e := range d.edges {
		c.stroke(e.pts, lineW, e.color)
		n := len(e.pts)
		tip := e.pts[n-1]
		c.fill([]pt{{tip.x, tip.y - 4}, {tip.x + arrowLen, tip.y}, {tip.x, tip.y + 4}}, e.color)
	}
	for _, n := range d.nodes {
		r := roundRect(n.box, 6)
		c.fill(r, n.fill)
		c.stroke(append(r, r[0]), 1.5, colStroke)
		c.text(n.box.x+n.box.w/2, n.box.y+n.box.h/2+0.35*fontSize, n.label, colText)
	}
	for _, e := range d.edges {
		if e.label == noLabel {
			continue
		}
		b := e.lab
		c.fill(roundRect(b, 3), colLabelBG)
		c.text(b.x+b.w/2, b.y+b.h/2+0.35*fontSize, e.label, e.color)
	}
}

// roundRect returns the outline of b with corners of radius r.
func roundRect(b box, r float64) []pt {
	var ps []pt
	corners := []struct{ cx, cy, a0 float64 }{
		{b.x + b.w - r, b.y + r, -math.Pi / 2}, {b.x + b.w - r, b.y + b.h - r, 0},
		{b.x + r, b.y + b.h - r, math.Pi / 2}, {b.x + r, b.y + r, math.Pi},
	}
	for _, c := range corners {
		for k := 0; k <= 4; k++ {
			a := c.a0 + float64(k)*math.Pi/8
			ps = append(ps, pt{c.cx + r*math.Cos(a), c.cy + r*math.Sin(a)})
		}
	}
	return ps
}

type svgCanvas struct{ b bytes.Buffer }

func svgColor(c color.RGBA) string {
	s := fmt.Sprintf(`"#%02x%02x%02x"`, c.R, c.G, c.B)
	if c.A != 0xff {
		s += fmt.Sprintf(` fill-opacity="%.2f"`, float64(c.A)/255)
	}
	return s
}

func svgPoints(ps []pt) string {
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%.1f,%.1f", p.x, p.y)
	}
	return b.String()
}

func (s *svgCanvas) fill(poly []pt, c color.RGBA) {
	fmt.Fprintf(&s.b, "<polygon points=\"%s\" fill=%s/>\n", svgPoints(poly), svgColor(c))
}

func (s *svgCanvas) stroke(line []pt, w float64, c color.RGBA) {
	fmt.Fprintf(&s.b, "<polyline points=\"%s\" fill=\"none\" stroke=\"#%02x%02x%02x\" stroke-width=\"%.1f\" stroke-linejoin=\"round\"/>\n",
		svgPoints(line), c.R, c.G, c.B, w)
}

func (s *svgCanvas) text(x, y float64, str string, c color.RGBA) {
	fmt.Fprintf(&s.b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-family=\"Go Mono, DejaVu Sans Mono, monospace\" font-size=\"%.0f\" fill=%s>%s</text>\n",
		x, y, fontSize, svgColor(c), html.EscapeString(str))
}

type pngCanvas struct {
	img  *image.RGBA
	face font.Face
}

var (
	monoOnce sync.Once
	monoFont *opentype.Font
	monoErr  error
)

func monoFace(size float64) (font.Face, error) {
	monoOnce.Do(func() { monoFont, monoErr = opentype.Parse(gomono.TTF) })
	if monoErr != nil {
		return nil, fmt.Errorf("draw: font: %w", monoErr)
	}
	return opentype.NewFace(monoFont, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
}

func (p *pngCanvas) fill(poly []pt, c color.RGBA) {
	// Rasterise in the bounding box of poly only.
	x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, q := range poly {
		x0, y0 = math.Min(x0, q.x*pngScale), math.Min(y0, q.y*pngScale)
		x1, y1 = math.Max(x1, q.x*pngScale), math.Max(y1, q.y*pngScale)
	}
	b := image.Rect(int(math.Floor(x0)), int(math.Floor(y0)), int(math.Ceil(x1))+1, int(math.Ceil(y1))+1).Intersect(p.img.Bounds())
	if b.Empty() {
		return
	}
	z := vector.NewRasterizer(b.Dx(), b.Dy())
	z.DrawOp = stddraw.Over
	for i, q := range poly {
		x, y := float32(q.x*pngScale-float64(b.Min.X)), float32(q.y*pngScale-float64(b.Min.Y))
		if i == 0 {
			z.MoveTo(x, y)
		} else {
			z.LineTo(x, y)
		}
	}
	z.ClosePath()
	z.Draw(p.img, b, image.NewUniform(c), image.Point{})
}

// stroke fills the outline of the polyline widened to w: the left offsets
// forwards, then the right offsets backwards (nonzero winding covers overlaps).
func (p *pngCanvas) stroke(line []pt, w float64, c color.RGBA) {
	if len(line) < 2 {
		return
	}
	h := w / 2
	left := make([]pt, len(line))
	right := make([]pt, len(line))
	for i := range line {
		a, b := line[max(i-1, 0)], line[min(i+1, len(line)-1)]
		dx, dy := b.x-a.x, b.y-a.y
		l := math.Hypot(dx, dy)
		if l == 0 {
			l = 1
		}
		nx, ny := -dy/l*h, dx/l*h
		left[i] = pt{line[i].x + nx, line[i].y + ny}
		right[i] = pt{line[i].x - nx, line[i].y - ny}
	}
	poly := left
	for i := len(right) - 1; i >= 0; i-- {
		poly = append(poly, right[i])
	}
	p.fill(poly, c)
}

func (p *pngCanvas) text(x, y float64, s string, c color.RGBA) {
	d := font.Drawer{Dst: p.img, Src: image.NewUniform(c), Face: p.face}
	w := d.MeasureString(s)
	d.Dot = fixed.Point26_6{X: fixed.Int26_6(x*pngScale*64) - w/2, Y: fixed.Int26_6(y * pngScale * 64)}
	d.DrawString(s)
}
