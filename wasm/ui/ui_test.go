package ui_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/metric"
	"github.com/nasplayground/nas/core/search"
	"github.com/nasplayground/nas/wasm/protocol"
	"github.com/nasplayground/nas/wasm/ui"
)

// Nothing may overlap or leave the screen at the projector resolutions.
func TestLayoutNoOverlap(t *testing.T) {
	sizes := [][2]float64{{1280, 720}, {1920, 1080}, {1024, 768}, {1366, 768}}
	scenes := []struct{ scene, method, of string }{{"lecture", "", ""}, {"darts", "", ""}, {"rl", "reinforce", ""}, {"rl", "enas", ""}, {"rl", "random", ""},
		{"compare", "", ""}, {"replay", "", "darts"}, {"replay", "", "rl"}, {"replay", "", ""}}
	for _, sz := range sizes {
		for _, sc := range scenes {
			t.Run(fmt.Sprintf("%s_%s_%s_%gx%g", sc.scene, sc.method, sc.of, sz[0], sz[1]), func(t *testing.T) {
				l := ui.ComputeLayout(sc.scene, sc.method, sc.of, sz[0], sz[1])
				type named struct {
					name string
					r    ui.Rect
				}
				all := []named{{"title", l.Title}, {"status", l.Status}, {"help", l.Help}}
				if sc.scene == "replay" {
					l.AddReplayChoices(3)
					for i := range 3 {
						b, ok := l.Button(fmt.Sprint("replays.", i))
						require.True(t, ok, "three shipped recordings fit")
						assert.GreaterOrEqual(t, b.W, 8*l.U)
					}
					all = append(all, named{"shipped label", l.Shipped})
				}
				require.Len(t, l.Controls, len(protocol.Controls(sc.scene, sc.method)))
				for _, c := range l.Controls {
					all = append(all, named{"control label " + c.Key, c.Label})
					for _, id := range []string{c.Key + "-", "val." + c.Key, c.Key + "+"} {
						_, ok := l.Button(id)
						assert.True(t, ok, "control %s has button %s", c.Key, id)
					}
				}
				for _, b := range l.Buttons {
					all = append(all, named{"button " + b.ID, b.Rect})
				}
				for k, r := range l.Panels {
					all = append(all, named{"panel " + k, r})
				}
				for i, a := range all {
					assert.True(t, a.r.W > 0 && a.r.H > 0, "%s is empty: %+v", a.name, a.r)
					assert.True(t, a.r.X >= 0 && a.r.Y >= 0 && a.r.X+a.r.W <= sz[0] && a.r.Y+a.r.H <= sz[1], "%s off screen: %+v", a.name, a.r)
					for _, b := range all[i+1:] {
						inside := func(x, y named) bool { // a control drawn inside its panel
							return x.name == "button replay.seek" && y.name == "panel replaybar" ||
								strings.HasPrefix(x.name, "button replaycard.") && y.name == "panel empty"
						}
						if inside(a, b) || inside(b, a) {
							assert.True(t, a.r.X <= b.r.X && a.r.X+a.r.W >= b.r.X+b.r.W || b.r.X <= a.r.X && b.r.X+b.r.W >= a.r.X+a.r.W, "a card lies inside the empty panel")
							continue
						}
						assert.False(t, a.r.Overlaps(b.r), "%s %+v overlaps %s %+v", a.name, a.r, b.name, b.r)
					}
				}
				assert.Equal(t, "scene."+protocol.Scenes[1], l.Hit(l.Buttons[1].Rect.X+1, l.Buttons[1].Rect.Y+1))
				assert.Equal(t, "", l.Hit(-5, -5))
			})
		}
	}
	assert.InDelta(t, 20, ui.Unit(1280, 720), 1e-9)
	assert.InDelta(t, 30, ui.Unit(1920, 1080), 1e-9)
}

func TestCellEdges(t *testing.T) {
	e := ui.CellEdges(4)
	require.Len(t, e, 14, "DARTS cell: 2+3+4+5 edges")
	assert.Equal(t, [2]int{0, 2}, e[0])
	assert.Equal(t, [2]int{1, 2}, e[1])
	assert.Equal(t, [2]int{0, 3}, e[2])
	assert.Equal(t, [2]int{0, 5}, e[9], "node 3 (state 5) starts at 2+3+4 = 9")
	assert.Equal(t, [2]int{4, 5}, e[13], "last edge: node 2 (state 4) into node 3")
}

func TestStrands(t *testing.T) {
	s := ui.Strands(ui.Point{0, 0}, ui.Point{10, 0}, 0, 1, 3, 4)
	require.Len(t, s, 3)
	// Straight edge, normal (0,1): the middle strand is the segment itself.
	assert.InDelta(t, 0, s[1][2].Y, 1e-12)
	assert.InDelta(t, 5, s[1][2].X, 1e-12)
	// Outer strands are offset by ±gap at the control point, so ±gap/2·(1+0.35)… at t=½: ¼a+½c+¼b.
	assert.InDelta(t, -(0.25*0.35 + 0.5 + 0.25*0.35), s[0][2].Y, 1e-12)
	assert.InDelta(t, +(0.25*0.35 + 0.5 + 0.25*0.35), s[2][2].Y, 1e-12)
}

func TestWrap(t *testing.T) {
	measure := func(s string) float64 { return float64(len(s)) }
	tests := []struct {
		in    string
		width float64
		want  []string
	}{
		{"a bb ccc", 4, []string{"a bb", "ccc"}},
		{"Genotype(normal=[('sep', 0), ('skip', 1)])", 16, []string{"Genotype(normal=[('sep',", "0), ('skip',", "1)])"}},
		{"x\ny", 10, []string{"x", "y"}},
		{"|a~0|+|b~0|c~1|", 8, []string{"|a~0|+", "|b~0|c~1|"}},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) { assert.Equal(t, tc.want, ui.Wrap(tc.in, tc.width, measure)) })
	}
}

func TestSeriesBounded(t *testing.T) {
	var s ui.Series
	for i := range 10 * ui.MaxPoints {
		s.Add(float64(i), float64(i))
	}
	assert.Less(t, len(s.Points), ui.MaxPoints)
	p, ok := s.Last()
	require.True(t, ok)
	assert.Greater(t, p.X, float64(9*ui.MaxPoints))
	// Averaging keeps y = x on a line.
	for _, q := range s.Points {
		assert.InDelta(t, q.X, q.Y, 1e-9)
	}
}

func TestModelFoldsDARTSAndSamples(t *testing.T) {
	var m ui.Model
	alpha := [][]float64{{0.125, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125}}
	m.Apply(protocol.Message{Type: protocol.MsgSnapshot, Running: true, Step: 2, Events: []search.Event{
		{Kind: "step", Method: "darts", Step: 1, Phase: "w", TrainLoss: 2.3, TrainAcc: 0.1},
		{Kind: "step", Method: "darts", Step: 1, Phase: "alpha", ValLoss: 2.2, ValAcc: 0.12, AlphaNormal: alpha, Genotype: "Genotype(...)"},
	}, ImagesPerSec: 120})
	assert.True(t, m.IsDARTS())
	assert.Equal(t, 1, m.PhaseW)
	assert.Equal(t, 1, m.PhaseAlpha)
	assert.Equal(t, "alpha", m.Phase)
	p, _ := m.TrainLoss.Last()
	assert.Equal(t, 2.3, p.Y)
	assert.Equal(t, alpha, m.AlphaNormal)
	assert.Equal(t, 120.0, m.ImagesPerSec)

	m.Reset()
	m.Fold(search.Event{Kind: "sample", Method: "reinforce", Space: "nb201", Step: 1, Reward: 90, Baseline: 88, Best: 90, BestArch: "|a|", Arch: "|a|", Choices: []int{1}})
	assert.False(t, m.IsDARTS())
	assert.Equal(t, 90.0, m.BestReward)
	lbl := &protocol.Labels{Decisions: []string{"edge 0→1 op"}, Choices: [][]string{{"none", "skip_connect"}}}
	m.Apply(protocol.Message{Type: protocol.MsgSnapshot, Labels: lbl})
	m.Apply(protocol.Message{Type: protocol.MsgSnapshot})
	assert.Equal(t, lbl, m.Labels, "labels persist over snapshots without them")
	m.Apply(protocol.Message{Type: protocol.MsgError, Text: "DARTS engine not built yet"})
	assert.Equal(t, "DARTS engine not built yet", m.Text)
}

func TestParseEvents(t *testing.T) {
	good := `{"kind":"step","method":"darts","step":1,"phase":"w","train_loss":2.3}

{"kind":"epoch","method":"darts","step":2,"epoch":0,"val_acc":0.2}
`
	evs, err := ui.ParseEvents("events.jsonl", strings.NewReader(good))
	require.NoError(t, err)
	require.Len(t, evs, 2)
	assert.Equal(t, 2.3, evs[0].TrainLoss)
	_, err = ui.ParseEvents("e.jsonl", strings.NewReader(`{"kind":"step","method":"darts"}`+"\n{oops\n"))
	assert.ErrorContains(t, err, "e.jsonl:2:")
	_, err = ui.ParseEvents("e.jsonl", strings.NewReader(`{"step":1}`))
	assert.ErrorContains(t, err, `e.jsonl:1: event has no "kind"`)
	_, err = ui.ParseEvents("e.jsonl", strings.NewReader("\n"))
	assert.ErrorContains(t, err, "e.jsonl: no events")

	r := ui.Replay{Events: evs, Rate: 4, Playing: true}
	assert.Empty(t, r.Advance(0.1), "0.4 events due")
	assert.Len(t, r.Advance(0.2), 1, "1.2 events due")
	assert.Len(t, r.Advance(10), 1, "clamped at the end")
	assert.False(t, r.Playing)
	r.Rewind()
	assert.Len(t, r.StepOne(), 1)
}

func TestViridisEnds(t *testing.T) {
	r, g, b := ui.Viridis(0)
	assert.Equal(t, [3]uint8{68, 1, 84}, [3]uint8{r, g, b})
	r, g, b = ui.Viridis(1)
	assert.Equal(t, [3]uint8{253, 231, 37}, [3]uint8{r, g, b})
}

func TestMaxDeviation(t *testing.T) {
	tests := []struct {
		name string
		mats [][][]float64
		want float64
	}{
		{"uniform", [][][]float64{{{0.25, 0.25, 0.25, 0.25}}}, 0},
		{"below uniform wins", [][][]float64{{{0.3, 0.3, 0.3, 0.1}}}, 0.15},
		{"second matrix, own K", [][][]float64{{{0.5, 0.5}}, {{0.125, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125}, {0.2, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.2}}}, 0.075},
		{"nil", nil, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { assert.InDelta(t, tc.want, ui.MaxDeviation(tc.mats...), 1e-12) })
	}
}

func TestDiverging(t *testing.T) {
	tests := []struct {
		t    float64
		want [3]uint8
	}{
		{-1, ui.DivergingLow}, {0, ui.DivergingZero}, {1, ui.DivergingHigh},
		{-7, ui.DivergingLow}, {3, ui.DivergingHigh}, // clamped
		{0.5, [3]uint8{152, 102, 43}}, // halfway: (48+255)/2, (54+150)/2, (66+20)/2, rounded
	}
	for _, tc := range tests {
		r, g, b := ui.Diverging(tc.t)
		assert.Equal(t, tc.want, [3]uint8{r, g, b}, "t=%g", tc.t)
	}
}

const geno1 = "Genotype(normal=[('sep_conv_3x3', 1), ('skip_connect', 0), ('max_pool_3x3', 2), ('sep_conv_3x3', 0), ('dil_conv_3x3', 2), ('sep_conv_5x5', 3), ('skip_connect', 0), ('dil_conv_5x5', 4)], normal_concat=range(2, 6), reduce=[('sep_conv_5x5', 1), ('max_pool_3x3', 0), ('skip_connect', 0), ('skip_connect', 2), ('sep_conv_3x3', 0), ('sep_conv_3x3', 3), ('sep_conv_3x3', 2), ('dil_conv_3x3', 4)], reduce_concat=range(2, 6))"

func TestParseGenotypeEdges(t *testing.T) {
	es, err := ui.ParseGenotypeEdges(geno1)
	require.NoError(t, err)
	require.Len(t, es, 16)
	assert.Equal(t, ui.GenoEdge{Node: 0, Input: 1, Op: "sep_conv_3x3", Start: 17, End: 36}, es[0])
	assert.Equal(t, "('sep_conv_3x3', 1)", geno1[es[0].Start:es[0].End])
	assert.Equal(t, ui.GenoEdge{Node: 3, Input: 4, Op: "dil_conv_5x5", Start: es[7].Start, End: es[7].End}, es[7])
	assert.True(t, es[8].Reduce)
	assert.Equal(t, 0, es[8].Node)
	assert.Equal(t, "('dil_conv_3x3', 4)", geno1[es[15].Start:es[15].End])
	for _, bad := range []string{"Genotype()", "Genotype(normal=[('sep', x)])", "Genotype(normal=[('sep'"} {
		_, err := ui.ParseGenotypeEdges(bad)
		assert.Error(t, err, bad)
	}
}

func TestGenoStability(t *testing.T) {
	var g ui.GenoStability
	g.Observe(1, geno1)
	assert.Equal(t, 0, g.StableSteps(1))
	assert.Equal(t, 9, g.StableSteps(10))
	// Node 0's two edges swap places: the same set, no change.
	swapped := strings.Replace(geno1, "('sep_conv_3x3', 1), ('skip_connect', 0)", "('skip_connect', 0), ('sep_conv_3x3', 1)", 1)
	g.Observe(10, swapped)
	assert.Equal(t, 9, g.StableSteps(10))
	assert.Equal(t, make([]bool, 16), g.ChangedSince(g.EpochWindow(10)), "nothing entered since the first genotype")
	// Node 1 of the normal cell: max_pool from node 0 becomes avg_pool (a near tie).
	flipped := strings.Replace(swapped, "('max_pool_3x3', 2)", "('avg_pool_3x3', 2)", 1)
	g.Observe(20, flipped)
	assert.Equal(t, 5, g.StableSteps(25))
	recent := g.ChangedSince(g.EpochWindow(25))
	assert.True(t, recent[2])
	assert.Equal(t, "avg_pool_3x3", g.Edges[2].Op)
	assert.Equal(t, 1, count(recent))
	assert.Equal(t, 1, count(g.ChangedSince(25-ui.HighlightSteps)), "changed at 20, within the last 10 steps")
	assert.Equal(t, 0, count(g.ChangedSince(31-ui.HighlightSteps)))
	// An epoch of 30 steps ends at 30; at step 45 the window is (15, 45]: the flip at 20 is in it.
	g.EndEpoch(30)
	assert.Equal(t, 30, g.EpochSteps)
	assert.Equal(t, 1, count(g.ChangedSince(g.EpochWindow(45))))
	// At 55 the window is (25, 55]: the flip has aged out.
	assert.Equal(t, 0, count(g.ChangedSince(g.EpochWindow(55))))
	g.EndEpoch(60)
	assert.Equal(t, 30, g.EpochSteps, "second epoch: 60-30")
	g.Observe(61, "not a genotype")
	assert.Equal(t, 41, g.StableSteps(61), "unparsable strings are ignored")
	assert.Zero(t, g.SettledAt, "not observed settled yet")
	// Observed unchanged for a whole epoch (30 steps since the flip at 20) at 62;
	// a flip at 63 ends the streak, not the record that it settled at 62.
	g.Observe(62, flipped)
	assert.Equal(t, 62, g.SettledAt)
	g.Observe(63, swapped)
	assert.Equal(t, 0, g.StableSteps(63))
	assert.Equal(t, 62, g.SettledAt, "the first settle is kept")
}

func count(bs []bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}

func TestTieGaps(t *testing.T) {
	ops := []string{"none", "max_pool_3x3", "skip_connect"}
	// Edge 0 (c_{k-2}→node 0) and edge 1 (c_{k-1}→node 0) of a 1-step cell.
	normal := [][]float64{{0.5, 0.3, 0.2}, {0.1, 0.44, 0.46}}
	es := []ui.GenoEdge{{Node: 0, Input: 0, Op: "max_pool_3x3"}, {Node: 0, Input: 1, Op: "skip_connect"}, {Reduce: true, Node: 0, Input: 0, Op: "skip_connect"}}
	gaps := ui.TieGaps(normal, nil, ops, es, 1)
	require.Len(t, gaps, 2, "the reduce edge has no row")
	assert.InDelta(t, 0.1, gaps[0], 1e-12, "none (0.5) is not a rival")
	assert.InDelta(t, 0.02, gaps[1], 1e-12)
	assert.InDelta(t, 0.06, metric.Median(gaps), 1e-12)
	assert.InDelta(t, 2, metric.Median([]float64{3, 1, 2}), 1e-12)
	assert.Zero(t, metric.Median(nil))
}

func TestHighlight(t *testing.T) {
	s := "ab cd, ef gh"
	lines := []string{"ab cd,", "ef gh"}
	got := ui.Highlight(s, lines, [][2]int{{3, 5}, {5, 10}})
	assert.Equal(t, [][]ui.Piece{
		{{"ab ", false}, {"cd,", true}},
		{{"ef ", true}, {"gh", false}},
	}, got)
	assert.Equal(t, [][]ui.Piece{{{"ab cd,", false}}, {{"ef gh", false}}}, ui.Highlight(s, lines, nil))
}

func TestModelFollowsGenotypeStability(t *testing.T) {
	var m ui.Model
	m.Fold(search.Event{Kind: "step", Method: "darts", Step: 1, Phase: "alpha", Genotype: geno1})
	flipped := strings.Replace(geno1, "('max_pool_3x3', 2)", "('avg_pool_3x3', 2)", 1)
	m.Fold(search.Event{Kind: "step", Method: "darts", Step: 7, Phase: "alpha", Genotype: flipped})
	m.Fold(search.Event{Kind: "epoch", Method: "darts", Step: 10, Genotype: flipped})
	assert.Equal(t, flipped, m.Stability.Genotype)
	assert.Equal(t, 3, m.Stability.StableSteps(m.Step))
	assert.Equal(t, 10, m.Stability.EpochSteps)
	assert.Equal(t, 1, count(m.Stability.ChangedSince(m.Stability.EpochWindow(m.Step))))
}

func TestAddReplayChoicesBounded(t *testing.T) {
	l := ui.ComputeLayout("replay", "", "", 1280, 720)
	n := len(l.Buttons)
	l.AddReplayChoices(50)
	added := len(l.Buttons) - n
	assert.Equal(t, 5+4, added, "row 3: (63.6 - 18.7 units left) / 8 units per button; cards: from 3.2 units, 2.2 apart, 1.8 tall, ending in the upper half (13.2 units) of the empty panel")
	last := l.Buttons[len(l.Buttons)-1].Rect
	assert.LessOrEqual(t, last.X+last.W, 1280.0)
	l = ui.ComputeLayout("replay", "", "", 1280, 720)
	l.AddReplayChoices(0)
	assert.Equal(t, n, len(l.Buttons))
	assert.Zero(t, l.Shipped)
}

func TestParseReplayIndex(t *testing.T) {
	es, err := ui.ParseReplayIndex("index.json", []byte(`[{"file": "a.jsonl", "title": "DARTS run", "title_ko": "DARTS 실행"}, {"file": "b.jsonl"}]`))
	require.NoError(t, err)
	assert.Equal(t, []ui.ReplayEntry{{File: "a.jsonl", Title: "DARTS run", TitleKo: "DARTS 실행"}, {File: "b.jsonl", Title: "b.jsonl"}}, es)
	assert.Equal(t, "DARTS 실행", es[0].TitleIn("ko"))
	assert.Equal(t, "DARTS run", es[0].TitleIn("en"))
	assert.Equal(t, "b.jsonl", es[1].TitleIn("ko"), "no Korean title: the title")
	assert.Equal(t, "replays/a.jsonl", es[0].URL())
	for _, tc := range []struct{ in, want string }{
		{`{"file": "a"}`, "index.json: json: cannot unmarshal object"},
		{`[{"title": "x"}]`, `index.json: entry 0: file ""`},
		{`[{"file": "a.jsonl"}, {"file": "../x"}]`, `index.json: entry 1: file "../x"`},
		{`[{"file": "sub/x"}]`, `entry 0: file "sub/x", want a file name next to the index`},
	} {
		_, err := ui.ParseReplayIndex("index.json", []byte(tc.in))
		assert.ErrorContains(t, err, tc.want, tc.in)
	}
}

// The recordings shipped with the page must be listed, parse, be real DARTS
// searches and stay small enough to download with the page.
func TestShippedReplays(t *testing.T) {
	b, err := os.ReadFile("../static/replays/index.json")
	require.NoError(t, err)
	es, err := ui.ParseReplayIndex("index.json", b)
	require.NoError(t, err)
	require.NotEmpty(t, es)
	for _, e := range es {
		st, err := os.Stat("../static/replays/" + e.File)
		require.NoError(t, err, e.File)
		assert.LessOrEqual(t, st.Size(), int64(2<<20), "%s: keep shipped recordings within 2 MB", e.File)
		assert.NotEmpty(t, e.TitleKo, "%s: a Korean title", e.File)
		f, err := os.Open("../static/replays/" + e.File)
		require.NoError(t, err)
		evs, err := ui.ParseEvents(e.File, f)
		f.Close()
		require.NoError(t, err)
		var m ui.Model
		for _, ev := range evs {
			m.Fold(ev)
		}
		assert.True(t, m.IsDARTS() || m.BestArch != "", e.File)
		assert.Greater(t, m.Step, 0, e.File)
	}
}
