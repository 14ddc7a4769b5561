//go:build js && wasm

package main

import (
	"strings"
	"syscall/js"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/nasplayground/nas/wasm/ui"
)

// textAudit checks every frame's text for overlaps, cuts and small type
// (ui.AuditText) when the address has audit=1: the layout tests open every
// scene so and read window.nasAudit. Auditing draws every frame in full
// (no chrome or layer cache), so each string drawn is seen every frame.
type textAudit struct {
	on, checked bool
	frame       int
	boxes       []ui.TextBox
	issues      []string
}

// audit is the page's one text audit (a package variable: the game type
// stays as it is for a test-only tool).
var audit textAudit

// auditing reports whether the address had audit=1 (read once).
func auditing() bool {
	if !audit.checked {
		audit.on, audit.checked = auditOn(), true
	}
	return audit.on
}

// auditOn reads audit=1 from the address.
func auditOn() bool {
	loc := js.Global().Get("location")
	if loc.Type() != js.TypeObject {
		return false
	}
	q := "&" + strings.TrimPrefix(loc.Get("search").String(), "?") + "&"
	return strings.Contains(q, "&audit=1&")
}

// record notes a string drawn at r into dst at px pixels; the previous
// frame's strings are audited when a new frame starts.
func (g *game) record(dst *ebiten.Image, s string, r ui.Rect, px float64) {
	if !auditing() {
		return
	}
	a := &audit
	if a.frame != g.frames {
		a.finish(g)
		a.frame, a.boxes = g.frames, a.boxes[:0]
	}
	b := dst.Bounds()
	a.boxes = append(a.boxes, ui.TextBox{Text: s, Rect: r, PX: px,
		Clip: ui.Rect{X: float64(b.Min.X), Y: float64(b.Min.Y), W: float64(b.Dx()), H: float64(b.Dy())}})
}

// finish audits the frame's strings and publishes window.nasAudit every few frames.
func (a *textAudit) finish(g *game) {
	if len(a.boxes) == 0 || a.frame%5 != 0 {
		return
	}
	u := g.layout.U
	a.issues = ui.AuditText(a.boxes, g.layout.Panels, g.w, g.h, ui.SizeMin*u, 1)
	list := make([]any, len(a.issues))
	for i, s := range a.issues {
		list[i] = s
	}
	js.Global().Set("nasAudit", js.ValueOf(map[string]any{"frame": a.frame, "texts": len(a.boxes), "issues": list}))
}
