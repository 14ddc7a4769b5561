package genotype

import (
	"bytes"
	"fmt"
	"html"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"strings"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// DOT returns the cell ("normal" or "reduce") as a Graphviz digraph in the
// style of quark0/darts cnn/visualize.py: c_{k-2}, c_{k-1}, nodes 0..steps-1
// and c_{k}, edges labelled with their op, concat edges into c_{k}.
func DOT(g Genotype, cell string) string {
	es, concat, err := g.Cell(cell)
	if err != nil {
		return fmt.Sprintf("// %v\n", err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "digraph %s {\n", cell)
	b.WriteString("  rankdir=LR;\n  bgcolor=white;\n")
	b.WriteString("  node [style=\"rounded,filled\", shape=rect, align=center, fontname=\"helvetica\", fontsize=20, height=0.5, width=0.5, penwidth=2];\n")
	b.WriteString("  edge [fontname=\"times\", fontsize=20];\n")
	b.WriteString("  \"c_{k-2}\" [fillcolor=darkseagreen2];\n  \"c_{k-1}\" [fillcolor=darkseagreen2];\n")
	steps := len(es) / 2
	for i := 0; i < steps; i++ {
		fmt.Fprintf(&b, "  \"%d\" [fillcolor=lightblue];\n", i)
	}
	for k, e := range es {
		fmt.Fprintf(&b, "  \"%s\" -> \"%d\" [label=\"%s\", fillcolor=gray];\n", stateLabel(e.Input), k/2, e.Op)
	}
	b.WriteString("  \"c_{k}\" [fillcolor=palegoldenrod];\n")
	for _, c := range concat {
		fmt.Fprintf(&b, "  \"%s\" -> \"c_{k}\" [fillcolor=gray];\n", stateLabel(c))
	}
	b.WriteString("}\n")
	return b.String()
}

// SVG draws the cell ("normal" or "reduce") left to right on a white
// background. It returns nil if the genotype is invalid or cell unknown.
func SVG(g Genotype, cell string) []byte {
	d, err := layout(g, cell)
	if err != nil {
		return nil
	}
	c := &svgCanvas{}
	fmt.Fprintf(&c.b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f">`+"\n", d.w, d.h, d.w, d.h)
	paint(c, d)
	c.b.WriteString("</svg>\n")
	return c.b.Bytes()
}

// PNG draws the cell as SVG does, rasterised at 2 pixels per SVG unit.
func PNG(g Genotype, cell string) ([]byte, error) {
	d, err := layout(g, cell)
	if err != nil {
		return nil, err
	}
	face, err := monoFace(fontSize * pngScale)
	if err != nil {
		return nil, err
	}
	img := image.NewRGBA(image.Rect(0, 0, int(math.Ceil(d.w*pngScale)), int(math.Ceil(d.h*pngScale))))
	paint(&pngCanvas{img: img, face: face}, d)
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("genotype: png: %w", err)
	}
	return buf.Bytes(), nil
}

// Draw renders the cell in format "svg", "png" or "dot".
func Draw(g Genotype, cell, format string) ([]byte, error) {
	if _, _, err := g.Cell(cell); err != nil {
		return nil, err
	}
	switch strings.ToLower(format) {
	case "dot":
		if err := g.Validate(); err != nil {
			return nil, err
		}
		return []byte(DOT(g, cell)), nil
	case "svg":
		if _, err := layout(g, cell); err != nil {
			return nil, err
		}
		return SVG(g, cell), nil
	case "png":
		return PNG(g, cell)
	}
	return nil, fmt.Errorf("genotype: unknown drawing format %q (want svg, png or dot)", format)
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
		return nil, fmt.Errorf("genotype: font: %w", monoErr)
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
	z.DrawOp = draw.Over
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
