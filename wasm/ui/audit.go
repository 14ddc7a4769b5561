package ui

import (
	"fmt"
	"math"
	"slices"
)

// TextBox is one drawn string: the box its glyphs occupy (advance × ascent
// plus descent, rotated for rotated text), the rectangle of the image it was
// drawn into (a sub-image clips what falls outside), and its size in pixels.
type TextBox struct {
	Text string
	Rect Rect
	Clip Rect
	PX   float64
}

// AuditText returns what a reader would see as broken in one frame's text:
// two strings whose boxes overlap by more than tol pixels vertically and
// come closer than a fifth of their type size horizontally, a string
// cut by the image it was drawn into or by the screen (w×h), a string that
// starts inside a panel and runs out of it, and type smaller than minPX. The
// top tenth of a box (the font's empty space above the capitals) does not
// count as overlap. Identical boxes (a string drawn twice in place) are one;
// a string drawn where the previous one ends, on its line, continues it.
// Each problem is one line naming the strings and their boxes.
func AuditText(boxes []TextBox, panels map[string]Rect, w, h, minPX, tol float64) []string {
	var out []string
	inside := func(r, o Rect) bool {
		return r.X >= o.X-tol && r.Y >= o.Y-tol && r.X+r.W <= o.X+o.W+tol && r.Y+r.H <= o.Y+o.H+tol
	}
	screen := Rect{0, 0, w, h}
	var seen []TextBox
	for _, b := range boxes {
		if slices.Contains(seen, b) || b.Rect.W <= 0 {
			continue
		}
		if b.PX < minPX-0.5 {
			out = append(out, fmt.Sprintf("small: %s at %.1f px (minimum %.1f)", desc(b), b.PX, minPX))
		}
		if !inside(b.Rect, b.Clip) || !inside(b.Rect, screen) {
			out = append(out, fmt.Sprintf("clipped: %s cut by %s", desc(b), rect(b.Clip)))
		}
		if n := len(seen); n > 0 {
			// A string drawn right where the one before it ends, on its
			// line, continues it (a status line drawn piece by piece);
			// positions are rounded, advances not.
			p := &seen[n-1]
			if b.Rect.Y == p.Rect.Y && b.Rect.H == p.Rect.H && b.PX == p.PX && math.Abs(b.Rect.X-(p.Rect.X+p.Rect.W)) <= 1 {
				p.Text += b.Text
				p.Rect.W = b.Rect.X + b.Rect.W - p.Rect.X
				continue
			}
		}
		seen = append(seen, b)
	}
	ink := func(r Rect) Rect { return Rect{r.X, r.Y + 0.1*r.H, r.W, 0.9 * r.H} }
	names := make([]string, 0, len(panels))
	for k := range panels {
		names = append(names, k)
	}
	slices.Sort(names)
	for i, b := range seen {
		for _, n := range names {
			p := panels[n]
			if p.Contains(b.Rect.X+tol+1, b.Rect.Y+tol+1) && !inside(b.Rect, p) {
				out = append(out, fmt.Sprintf("outside: %s runs out of panel %q %s", desc(b), n, rect(p)))
			}
		}
		for _, o := range seen[:i] {
			// Side by side, words closer than a fifth of the type size
			// read as one ("Params MGPU-days").
			gap := 0.2 * min(b.PX, o.PX)
			x := min(b.Rect.X+b.Rect.W, o.Rect.X+o.Rect.W) - max(b.Rect.X, o.Rect.X)
			bi, oi := ink(b.Rect), ink(o.Rect)
			y := min(bi.Y+bi.H, oi.Y+oi.H) - max(bi.Y, oi.Y)
			if x > -gap && y > tol {
				out = append(out, fmt.Sprintf("overlap: %s and %s", desc(o), desc(b)))
			}
		}
	}
	return out
}

func desc(b TextBox) string {
	s := []rune(b.Text)
	if len(s) > 40 {
		s = append(s[:40], '…')
	}
	return fmt.Sprintf("%q %s", string(s), rect(b.Rect))
}

func rect(r Rect) string { return fmt.Sprintf("[%.0f,%.0f %.0f×%.0f]", r.X, r.Y, r.W, r.H) }
