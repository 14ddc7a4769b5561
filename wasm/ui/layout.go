package ui

import (
	"fmt"
	"math"
	"strings"

	"github.com/nasplayground/nas/wasm/protocol"
)

// Rect is an axis-aligned rectangle in screen pixels.
type Rect struct{ X, Y, W, H float64 }

// Contains reports whether (x, y) is inside r.
func (r Rect) Contains(x, y float64) bool { return x >= r.X && x < r.X+r.W && y >= r.Y && y < r.Y+r.H }

// Overlaps reports whether r and o share area.
func (r Rect) Overlaps(o Rect) bool {
	return r.X < o.X+o.W && o.X < r.X+r.W && r.Y < o.Y+o.H && o.Y < r.Y+r.H
}

// Inset returns r shrunk by d on every side.
func (r Rect) Inset(d float64) Rect { return Rect{r.X + d, r.Y + d, r.W - 2*d, r.H - 2*d} }

// Unit is the layout grid: the screen is 64 units wide and at least 36 tall
// (20 px at 1280×720, 30 px at 1920×1080), and type sizes are multiples of it.
func Unit(w, h float64) float64 { return math.Min(w/64, h/36) }

// Type sizes in units: headings, body text, captions.
const (
	SizeTitle   = 1.1
	SizeBody    = 0.85
	SizeCaption = 0.8
	// SizeMin is the smallest type drawn: 16 px at 1280×720, readable on a projector.
	SizeMin = 0.8
)

// CompareFrom is the first number of architectures evaluated the Compare
// scene plots: before it every method is a handful of random picks, whose
// low accuracies would squash the part of the axis where methods differ.
const CompareFrom = 10

// Button is a clickable control of the top bar.
type Button struct {
	ID   string // scene.darts … scene.replay, lang, run, step, reset, order, method, open; per control key k: k-, val.k, k+; replays.i, replaycard.i (AddReplayChoices)
	Rect Rect
}

// Control is one -/+ parameter control, Key its URL key (rate, seed, lr, …).
type Control struct {
	Key   string
	Label Rect
}

// Layout is the position of every panel and control of a scene.
type Layout struct {
	U      float64 // grid unit in pixels
	W, H   float64
	Title  Rect
	Status Rect // step, rates, FPS
	Help   Rect // keyboard shortcuts line
	// Controls are the parameter controls of row 3 (protocol.Controls), each a
	// label, a - button, the value (a button: click resets it) and a + button.
	Controls []Control
	Buttons  []Button
	Panels   map[string]Rect // panel name → rectangle (title and caption included)
	// Shipped is the label of the replay scene's row of shipped recordings
	// (AddReplayChoices), zero when there is none.
	Shipped Rect
}

// AddReplayChoices adds, in row 3 after the controls, a label and one button
// "replays.i" per recording shipped with the page (as many of n as fit at
// 8 units or more each); while nothing is loaded (the "empty" panel), also a
// large button "replaycard.i" per recording at the top of that panel, as
// many as fit in its upper half.
func (l *Layout) AddReplayChoices(n int) {
	if n <= 0 {
		return
	}
	u := l.U
	if e, ok := l.Panels["empty"]; ok {
		for i := range n {
			r := Rect{e.X + 0.4*u, e.Y + 3.2*u + float64(i)*2.2*u, min(30*u, e.W-0.8*u), 1.8 * u}
			if r.Y+r.H > e.Y+e.H/2 {
				break
			}
			l.Buttons = append(l.Buttons, Button{fmt.Sprintf("replaycard.%d", i), r})
		}
	}
	x0 := (l.W - 64*u) / 2
	x := x0 + 0.4*u
	for _, c := range l.Controls {
		x = max(x, c.Label.X+c.Label.W)
	}
	for _, b := range l.Buttons {
		if b.Rect.Y == 4.3*u {
			x = max(x, b.Rect.X+b.Rect.W)
		}
	}
	x += 0.8 * u
	l.Shipped = Rect{x, 4.3 * u, 5.4 * u, 1.3 * u}
	x += 5.6 * u
	room := x0 + 63.6*u - x
	n = min(n, int(room/(8*u)))
	if n <= 0 {
		l.Shipped = Rect{}
		return
	}
	w := min(16*u, room/float64(n)-0.3*u)
	for i := range n {
		l.Buttons = append(l.Buttons, Button{fmt.Sprintf("replays.%d", i), Rect{x, 4.3 * u, w, 1.3 * u}})
		x += w + 0.3*u
	}
}

// Button returns the button with id and whether it exists.
func (l *Layout) Button(id string) (Rect, bool) {
	for _, b := range l.Buttons {
		if b.ID == id {
			return b.Rect, true
		}
	}
	return Rect{}, false
}

// Hit returns the id of the button under (x, y), or "".
func (l *Layout) Hit(x, y float64) string {
	for _, b := range l.Buttons {
		if b.Rect.Contains(x, y) {
			return b.ID
		}
	}
	return ""
}

// grid maps unit coordinates of the content area to pixels.
type grid struct {
	u, x0, y0 float64
}

func (g grid) r(x, y, w, h float64) Rect {
	return Rect{g.x0 + x*g.u, g.y0 + y*g.u, w*g.u - g.u*0.3, h*g.u - g.u*0.3}
}

// ComputeLayout lays out scene on a w×h screen; method is the rl scene's
// method (it decides the controls), replayOf the scene a replay draws
// ("darts" or "rl") when scene is replay.
func ComputeLayout(scene, method, replayOf string, w, h float64) Layout {
	u := Unit(w, h)
	// Centre the 64×36 grid horizontally; extra height goes to the content.
	x0 := (w - 64*u) / 2
	l := Layout{U: u, W: w, H: h, Panels: map[string]Rect{}}
	l.Title = Rect{x0 + 0.4*u, 0.3 * u, 11 * u, 1.6 * u}
	// Row 1: scene tabs and language.
	x := x0 + 12*u
	pitch := 45 / float64(len(protocol.Scenes)) // tabs share 12..57 units
	for _, s := range protocol.Scenes {
		l.Buttons = append(l.Buttons, Button{"scene." + s, Rect{x, 0.3 * u, (pitch - 0.3) * u, 1.6 * u}})
		x += pitch * u
	}
	l.Buttons = append(l.Buttons, Button{"lang", Rect{x0 + 57*u, 0.3 * u, 6.6 * u, 1.6 * u}})
	// Row 2: controls, then status text.
	x = x0 + 0.4*u
	add := func(id string, wu float64) {
		l.Buttons = append(l.Buttons, Button{id, Rect{x, 2.3 * u, wu * u, 1.6 * u}})
		x += (wu + 0.4) * u
	}
	if scene == protocol.SceneLecture {
		add("lec.prev", 6)
		add("lec.next", 6)
	}
	add("run", 5.6)
	add("step", 5)
	if scene != protocol.SceneLecture {
		add("reset", 5)
	}
	switch {
	case scene == protocol.SceneDARTS:
		add("order", 6)
	case scene == protocol.SceneRL:
		add("method", 10)
	case scene == protocol.SceneReplay:
		add("open", 10)
	}
	l.Status = Rect{x + 0.4*u, 2.3 * u, x0 + 64*u - x - 0.8*u, 1.6 * u}
	l.Help = Rect{x0 + 0.4*u, h - 1.2*u, 63.2 * u, 1.0 * u}
	// Row 3: parameter controls, TensorFlow Playground style.
	x = x0 + 0.4*u
	for _, k := range protocol.Controls(scene, method) {
		c := Control{Key: k, Label: Rect{x, 4.3 * u, 4.6 * u, 1.3 * u}}
		l.Controls = append(l.Controls, c)
		x += 4.7 * u
		for _, b := range []struct {
			id string
			w  float64
		}{{k + "-", 1.5}, {"val." + k, 4}, {k + "+", 1.5}} {
			l.Buttons = append(l.Buttons, Button{b.id, Rect{x, 4.3 * u, b.w * u, 1.3 * u}})
			x += (b.w + 0.1) * u
		}
		x += 0.6 * u
	}
	top := 6.0 * u
	if scene == protocol.SceneLecture { // no parameter row
		top = 4.3 * u
	}
	content := (h - 1.4*u - top) / u // content height in units (≥ 28.6)
	g := grid{u: u, x0: x0 + 0.4*u, y0: top}
	kind := scene
	if scene == protocol.SceneReplay {
		l.Panels["replaybar"] = g.r(0, 0, 63.6, 1.8)
		rb := l.Panels["replaybar"]
		l.Buttons = append(l.Buttons, Button{"replay.seek", Rect{rb.X + 0.4*u, rb.Y + 0.3*u, rb.W * 0.34, rb.H - 0.6*u}})
		g.y0 += 1.8 * u
		content -= 1.8
		kind = replayOf
	}
	c := content
	switch kind {
	case protocol.SceneDARTS:
		// Left: the two cells (continuous and derived side by side; the op
		// legend in the first one's title row), below them the genotype's
		// stability, loss and accuracy. Right: the bilevel step with its
		// formulas and the α heat maps (14 rows of readable labels); on tall
		// screens also the validation images. botH holds the genotype's two
		// paragraphs whole (TestGenotypeTextFits); the cells keep room for
		// the derived cell's labels (TestDerivedCellLabelsApart).
		botH := 8.0
		cellH := (c - botH) / 2
		l.Panels["normal"] = g.r(0, 0, 36, cellH)
		l.Panels["reduce"] = g.r(0, cellH, 36, cellH)
		l.Panels["genotype"] = g.r(0, 2*cellH, 16, botH)
		l.Panels["loss"] = g.r(16, 2*cellH, 10, botH)
		l.Panels["acc"] = g.r(26, 2*cellH, 10, botH)
		phaseH := 10.0
		alphaH := min(18.6, c-phaseH)
		l.Panels["phase"] = g.r(36, 0, 27.6, phaseH)
		l.Panels["alpha"] = g.r(36, phaseH, 27.6, alphaH)
		if rest := c - phaseH - alphaH; rest >= 5 {
			l.Panels["samples"] = g.r(36, phaseH+alphaH, 27.6, rest)
		}
	case protocol.SceneRL:
		l.Panels["controller"] = g.r(0, 0, 31, c*0.58)
		l.Panels["cell"] = g.r(0, c*0.58, 31, c*0.42)
		// The best panel holds the REINFORCE update, its caption and two
		// NAS-Bench-201 arch strings of two lines each (at 38% the second
		// string ran into the help line).
		l.Panels["reward"] = g.r(31, 0, 32.6, c*0.56)
		l.Panels["best"] = g.r(31, c*0.56, 32.6, c*0.44)
	case protocol.SceneLecture:
		l.Panels["lecture"] = g.r(0, 0, 63.6, c)
	case protocol.SceneCompare:
		// The curves get the width; the table is a strip below them.
		l.Panels["curves"] = g.r(0, 0, 63.6, c-8.6)
		l.Panels["table"] = g.r(0, c-8.6, 63.6, 8.6)
	default: // replay with nothing loaded
		l.Panels["empty"] = g.r(0, 0, 63.6, c)
	}
	return l
}

// Wrap breaks s into lines no wider than width, measured by measure, breaking
// after spaces, commas and '+' (NB201 arch strings have no spaces); a word
// wider than width gets a line of its own.
func Wrap(s string, width float64, measure func(string) float64) []string {
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		var words []string
		start := 0
		for i, r := range para {
			if r == ' ' || r == ',' || r == '+' {
				words = append(words, para[start:i+1])
				start = i + 1
			}
		}
		if start < len(para) {
			words = append(words, para[start:])
		}
		cur := ""
		for _, w := range words {
			if cur != "" && measure(strings.TrimRight(cur+w, " ")) > width {
				lines = append(lines, strings.TrimRight(cur, " "))
				cur = strings.TrimLeft(w, " ")
				continue
			}
			cur += w
		}
		lines = append(lines, strings.TrimRight(cur, " "))
	}
	return lines
}

// LectureAreas splits the lecture panel r: the text column (title, text,
// formula) on the left, the step's widget on the right.
func LectureAreas(r Rect, u float64) (text, widget Rect) {
	text = Rect{r.X + 0.6*u, r.Y + 0.5*u, 21.5 * u, r.H - 1.0*u}
	x := text.X + text.W + 0.8*u
	return text, Rect{x, r.Y + 0.5*u, r.X + r.W - x - 0.5*u, r.H - 1.0*u}
}

// Columns returns the left edge of each column of a table, from 0: each
// column starts gap after the widest cell of the one before it. widths[r][c]
// is the width of row r's cell c (rows may be shorter; a 0 is an empty cell).
func Columns(widths [][]float64, gap float64) []float64 {
	n := 0
	for _, row := range widths {
		n = max(n, len(row))
	}
	x := make([]float64, n)
	for c := 1; c < n; c++ {
		w := 0.0
		for _, row := range widths {
			if c-1 < len(row) {
				w = max(w, row[c-1])
			}
		}
		x[c] = x[c-1] + w + gap
	}
	return x
}

// TableWidth is the width of a table laid out by Columns: the last column's
// start plus its widest cell.
func TableWidth(widths [][]float64, gap float64) float64 {
	x := Columns(widths, gap)
	if len(x) == 0 {
		return 0
	}
	w := 0.0
	for _, row := range widths {
		if len(row) == len(x) {
			w = max(w, row[len(x)-1])
		}
	}
	return x[len(x)-1] + w
}
