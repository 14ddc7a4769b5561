package ui_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"github.com/nasplayground/nas/assets/fonts"
	"github.com/nasplayground/nas/core/genotype"
	"github.com/nasplayground/nas/core/run"
	"github.com/nasplayground/nas/wasm/i18n"
	"github.com/nasplayground/nas/wasm/lecture"
	"github.com/nasplayground/nas/wasm/protocol"
	"github.com/nasplayground/nas/wasm/ui"
)

// The page's layout at the two screen sizes it is checked at (a laptop on a
// projector, a full-HD screen), in both languages: the fit tests below
// measure the page's own font (assets/fonts) as the page draws it.
var (
	screens = [][2]float64{{1280, 720}, {1920, 1080}}
	langs   = []string{"en", "ko"}
)

// typeset measures strings in the page's font at a size in pixels (the sum of
// the glyph advances: the page's own measure for wrapping, kerning ignored).
type typeset struct {
	f   *sfnt.Font
	buf sfnt.Buffer
}

func newTypeset(t *testing.T) *typeset {
	f, err := sfnt.Parse(fonts.TTF)
	require.NoError(t, err)
	return &typeset{f: f}
}

// px is the pixel size the page draws size units at (draw.go face).
func px(size, u float64) float64 { return math.Round(max(size, ui.SizeMin) * u) }

func (ts *typeset) width(s string, size, u float64) float64 {
	p := fixed.Int26_6(px(size, u) * 64)
	w := 0.0
	for _, r := range s {
		g, err := ts.f.GlyphIndex(&ts.buf, r)
		if err != nil || g == 0 {
			panic(fmt.Sprintf("no glyph for %q", r))
		}
		a, err := ts.f.GlyphAdvance(&ts.buf, g, p, font.HintingNone)
		if err != nil {
			panic(err)
		}
		w += float64(a) / 64
	}
	return w
}

func (ts *typeset) measure(size, u float64) func(string) float64 {
	return func(s string) float64 { return ts.width(s, size, u) }
}

// paragraphH is the height the page's paragraph takes for s wrapped to
// width; a word wider than width (on a line of its own, running out) panics.
func (ts *typeset) paragraphH(s string, width, size, u float64) float64 {
	lines := ui.Wrap(s, width, ts.measure(size, u))
	for _, l := range lines {
		if w := ts.width(l, size, u); w > width {
			panic(fmt.Sprintf("%q is %.0f px wide, more than %.0f", l, w, width))
		}
	}
	return float64(len(lines)) * ui.LineHeight(size, u)
}

// dartsGenotypes are the cells the derived-cell test draws: the published
// DARTS cells and cells derived from random α (seeded), whose inputs and ops
// cover the crowded cases (both inputs of a node from k-2 and k-1, long
// Korean op names on short edges).
func dartsGenotypes(t *testing.T, n int) []genotype.Genotype {
	gs := []genotype.Genotype{genotype.DARTS_V1, genotype.DARTS_V2}
	rng := rand.New(rand.NewPCG(1, 2))
	ops := genotype.DARTSOps
	for range n {
		a := func() [][]float64 {
			rows := make([][]float64, genotype.EdgeCount(4))
			for e := range rows {
				rows[e] = make([]float64, len(ops))
				for k := range rows[e] {
					rows[e][k] = rng.Float64()
				}
			}
			return rows
		}
		g, err := genotype.Derive(a(), a(), ops, 4)
		require.NoError(t, err)
		gs = append(gs, g)
	}
	return gs
}

// In the DARTS scene's derived cells (normal and reduction), no op label
// overlaps another label or a state, and every label stays inside the cell's
// area: at both screen sizes, in both languages, for the published cells and
// 300 random ones. In Korean the labels are longer ("건너뜀", "팽창5") and
// overlapped each other before (4 of 8 labels stacked in a screenshot).
func TestDerivedCellLabelsApart(t *testing.T) {
	ts := newTypeset(t)
	gs := dartsGenotypes(t, 300)
	for _, sz := range screens {
		for _, lang := range langs {
			t.Run(fmt.Sprintf("%gx%g-%s", sz[0], sz[1], lang), func(t *testing.T) {
				l := ui.ComputeLayout(protocol.SceneDARTS, "", "", sz[0], sz[1])
				u := l.U
				caption := i18n.T(lang, "darts.cell.cap")
				bad := 0
				for c, name := range []string{"normal", "reduce"} {
					r := l.Panels[name]
					capH := 0.0
					if c == 0 {
						capH = ts.paragraphH(caption, r.W-0.8*u, ui.SizeCaption, u)
					}
					in := ui.PanelInner(r, u, true, capH)
					_, _, area := ui.DARTSCellAreas(r, in, u)
					for gi, g := range gs {
						es, err := ui.ParseGenotypeEdges(g.String())
						require.NoError(t, err)
						var edges []ui.GenoEdge
						var sizes []ui.Point
						for _, e := range es {
							if e.Reduce == (c == 1) {
								edges = append(edges, e)
								sizes = append(sizes, ui.Point{X: ts.width(i18n.Op(lang, e.Op), ui.SizeMin, u) + ui.ChipPad*u, Y: ui.ChipH * u})
							}
						}
						title := ui.DerivedTitle(area, u, ts.width(i18n.T(lang, "darts.derived"), ui.SizeCaption, u))
						d := ui.LayoutDerivedCell(area, u, edges, sizes, []ui.Rect{title})
						ok := true
						for i, p := range d.Nodes {
							ok = ok && assert.False(t, title.Overlaps(ui.Rect{X: p.X - d.Rad, Y: p.Y - d.Rad, W: 2 * d.Rad, H: 2 * d.Rad}), "state %d on the title", i)
						}
						for i, b := range d.Labels {
							ok = ok && assert.False(t, b.Overlaps(title), "%s cell of genotype %d: label %d on the title", name, gi, i)
							ok = ok && assert.True(t, inside(b, area), "%s cell of genotype %d: label %d %v outside %v", name, gi, i, b, area)
							for _, p := range d.Nodes {
								ok = ok && assert.False(t, b.Overlaps(ui.Rect{X: p.X - d.Rad, Y: p.Y - d.Rad, W: 2 * d.Rad, H: 2 * d.Rad}), "%s cell of genotype %d: label %d on a state", name, gi, i)
							}
							for j := range i {
								ok = ok && assert.False(t, b.Inset(-ui.LabelGap*u/2).Overlaps(d.Labels[j].Inset(-ui.LabelGap*u/2)), "%s cell of genotype %d (%v): labels %d and %d closer than the gap", name, gi, edges, i, j)
							}
						}
						if !ok {
							if bad++; bad > 3 {
								t.FailNow()
							}
						}
					}
				}
			})
		}
	}
}

func inside(r, o ui.Rect) bool {
	const eps = 1e-9
	return r.X >= o.X-eps && r.Y >= o.Y-eps && r.X+r.W <= o.X+o.W+eps && r.Y+r.H <= o.Y+o.H+eps
}

// The DARTS scene's genotype panel holds its two paragraphs whole at both
// screen sizes and in both languages, with the longest numbers a long search
// writes (the "why it flips" sentence was cut off at its third line).
func TestGenotypeTextFits(t *testing.T) {
	ts := newTypeset(t)
	for _, sz := range screens {
		for _, lang := range langs {
			l := ui.ComputeLayout(protocol.SceneDARTS, "", "", sz[0], sz[1])
			u := l.U
			in := ui.PanelInner(l.Panels["genotype"], u, true, 0)
			tr := func(k string) string { return i18n.T(lang, k) }
			for _, c := range []struct{ stable, epoch int }{{0, 0}, {12345, 0}, {12345, 9999}, {0, 9999}} {
				line, why, _ := ui.GenotypeText(tr, c.stable, 16, 16, c.epoch, 0.00012)
				h := ts.paragraphH(line, in.W, ui.SizeCaption, u) + 0.2*u + ts.paragraphH(why, in.W, ui.SizeCaption, u)
				t.Logf("%gx%g %s %d/%d: %.0f of %.0f px", sz[0], sz[1], lang, c.stable, c.epoch, h, in.H)
				assert.LessOrEqual(t, h, in.H, "%gx%g %s: %q + %q need %.0f px, the panel has %.0f", sz[0], sz[1], lang, line, why, h, in.H)
			}
		}
	}
}

// The lecture's comparison table (step 8) fits its widget with its columns
// apart, at both screen sizes and in both languages, with the longest cells
// a finished run writes ("파라미터 M" ran into "GPU-일" in Korean).
func TestLectureTableFits(t *testing.T) {
	ts := newTypeset(t)
	const size, gap, indent = 0.8, 0.8, 0.8 // lecLabel, the column gap and the recording indent in wasm/app/lecture.go
	for _, sz := range screens {
		for _, lang := range langs {
			l := ui.ComputeLayout(protocol.SceneLecture, "", "", sz[0], sz[1])
			u := l.U
			_, w := ui.LectureAreas(l.Panels["lecture"], u)
			rows := [][]string{lecture.PublishedHead(lang), lecture.MeasuredHead(lang)}
			for _, p := range lecture.Table1 {
				rows = append(rows, p.Cells(lang))
			}
			for _, m := range run.CompareMethods {
				rows = append(rows, lecture.Measured{Method: m, Mean: 94.37, Std: 0.25, Runs: lecture.TableRuns, Done: lecture.TableRuns, Samples: lecture.TableSamples}.Cells(lang))
			}
			var widths [][]float64
			for _, r := range rows {
				ws := make([]float64, len(r))
				for c, s := range r {
					ws[c] = ts.width(s, size, u)
				}
				widths = append(widths, ws)
			}
			rec := lecture.RecordingCells(lang, 0.355, 31890)
			ws := []float64{ts.width(rec[0], size, u) + indent*u}
			for _, s := range rec[1:] {
				ws = append(ws, ts.width(s, size, u))
			}
			widths = append(widths, ws)
			tw := ui.TableWidth(widths, gap*u)
			t.Logf("%gx%g %s: the table is %.0f of %.0f px wide", sz[0], sz[1], lang, tw, w.W)
			assert.LessOrEqual(t, tw, w.W, "%gx%g %s: the table needs %.0f px, the widget has %.0f", sz[0], sz[1], lang, tw, w.W)
			for _, s := range []string{i18n.T(lang, "lec.8.pub"), i18n.T(lang, "lec.8.ours")} {
				assert.LessOrEqual(t, ts.width(s, size, u), w.W, "%s: %q", lang, s)
			}
		}
	}
}

// Every lecture step's title, text and formula fit the text column, at both
// screen sizes and in both languages.
func TestLectureTextFits(t *testing.T) {
	ts := newTypeset(t)
	const title, body, formula = 1.35, 0.9, 1.0 // lecTitle, lecBody, lecFormula in wasm/app/lecture.go
	for _, sz := range screens {
		for _, lang := range langs {
			l := ui.ComputeLayout(protocol.SceneLecture, "", "", sz[0], sz[1])
			u := l.U
			tc, _ := ui.LectureAreas(l.Panels["lecture"], u)
			for i, st := range lecture.Steps {
				h := ts.paragraphH(lecture.Title(lang, i), tc.W, title, u) + 0.6*u + ts.paragraphH(i18n.T(lang, lecture.Key(i, "text")), tc.W, body, u)
				if st.Formula {
					h += 0.8*u + ts.paragraphH(i18n.T(lang, lecture.Key(i, "formula")), tc.W, formula, u)
				}
				assert.LessOrEqual(t, h, tc.H, "%gx%g %s step %d: %.0f px of text, the column has %.0f", sz[0], sz[1], lang, i+1, h, tc.H)
			}
		}
	}
}
