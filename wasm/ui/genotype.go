package ui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// GenoEdge is one chosen edge of a derived DARTS genotype: node Node
// (0 = the first intermediate node) of the normal or reduction cell reads
// state Input (0 = c_{k-2}, 1 = c_{k-1}, 2+j = node j) through Op. Start and
// End are the byte span of its "('op', input)" in the genotype string.
type GenoEdge struct {
	Reduce      bool
	Node, Input int
	Op          string
	Start, End  int
}

// ParseGenotypeEdges returns the ('op', input) pairs of a genotype string as
// written by core/genotype (quark0/darts genotypes.py form), normal cell
// first: Genotype(normal=[('sep_conv_3x3', 1), …], normal_concat=…,
// reduce=[…], reduce_concat=…). Each node has two consecutive pairs.
func ParseGenotypeEdges(s string) ([]GenoEdge, error) {
	red := strings.Index(s, "reduce=[")
	var es []GenoEdge
	nodes := [2]int{} // pairs seen per cell
	for i := 0; ; {
		j := strings.Index(s[i:], "('")
		if j < 0 {
			break
		}
		start := i + j
		q := strings.Index(s[start+2:], "', ")
		if q < 0 {
			return es, fmt.Errorf("genotype %.60q: offset %d: want ('op', input)", s, start)
		}
		op := s[start+2 : start+2+q]
		rest := s[start+2+q+3:]
		c := strings.IndexByte(rest, ')')
		if c < 0 {
			return es, fmt.Errorf("genotype %.60q: offset %d: want ')' after the input", s, start)
		}
		in, err := strconv.Atoi(strings.TrimSpace(rest[:c]))
		if err != nil {
			return es, fmt.Errorf("genotype %.60q: offset %d: input %q, want an integer", s, start, rest[:c])
		}
		end := start + 2 + q + 3 + c + 1
		reduce := red >= 0 && start > red
		cell := 0
		if reduce {
			cell = 1
		}
		es = append(es, GenoEdge{Reduce: reduce, Node: nodes[cell] / 2, Input: in, Op: op, Start: start, End: end})
		nodes[cell]++
		i = end
	}
	if len(es) == 0 {
		return nil, fmt.Errorf("genotype %.60q: no ('op', input) pairs", s)
	}
	return es, nil
}

// GenoStability follows how a derived genotype changes during a search.
// Edges of one node are compared as a set, so a node whose two edges only
// swap places (their strengths crossed) has not changed.
type GenoStability struct {
	Genotype   string     // the current genotype, the string Edges' spans index into
	Edges      []GenoEdge // the current genotype's edges
	ChangedAt  []int      // per edge: the step it entered the genotype, -1 for the first genotype seen
	LastChange int        // step of the last change, or of the first genotype seen
	EpochSteps int        // steps of the last finished epoch, 0 before the first
	SettledAt  int        // the first step at which the genotype had been unchanged for a whole epoch, 0 before
	epochEnd   int        // step of the last epoch event
}

// Observe folds the genotype derived at step.
func (g *GenoStability) Observe(step int, genotype string) {
	es, err := ParseGenotypeEdges(genotype)
	if err != nil {
		return
	}
	at := make([]int, len(es))
	if g.Edges == nil {
		for i := range at {
			at[i] = -1
		}
		g.Genotype, g.Edges, g.ChangedAt, g.LastChange = genotype, es, at, step
		return
	}
	used := make([]bool, len(g.Edges))
	changed := false
	for i, e := range es {
		at[i] = step
		for j, o := range g.Edges {
			if !used[j] && o.Reduce == e.Reduce && o.Node == e.Node && o.Input == e.Input && o.Op == e.Op {
				used[j], at[i] = true, g.ChangedAt[j]
				break
			}
		}
		changed = changed || at[i] == step
	}
	if changed || len(es) != len(g.Edges) {
		g.LastChange = step
	}
	g.Genotype, g.Edges, g.ChangedAt = genotype, es, at
	if g.SettledAt == 0 && g.EpochSteps > 0 && g.StableSteps(step) >= g.EpochSteps {
		g.SettledAt = step // kept when a later step flips an edge: it did settle here
	}
}

// EndEpoch records that an epoch ended at step.
func (g *GenoStability) EndEpoch(step int) {
	g.EpochSteps, g.epochEnd = step-g.epochEnd, step
}

// StableSteps returns for how many steps up to step the genotype has not changed.
func (g *GenoStability) StableSteps(step int) int { return max(0, step-g.LastChange) }

// EpochWindow returns the step before the last epoch's window at step: edges
// that entered after it changed "in the last epoch" (0, the whole run, before
// the first epoch ends).
func (g *GenoStability) EpochWindow(step int) int {
	if g.EpochSteps > 0 {
		return max(0, step-g.EpochSteps)
	}
	return 0
}

// ChangedSince reports per current edge whether it entered the genotype
// after step from; the first genotype's edges never count.
func (g *GenoStability) ChangedSince(from int) []bool {
	r := make([]bool, len(g.ChangedAt))
	for i, at := range g.ChangedAt {
		r[i] = at > from && at >= 0
	}
	return r
}

// HighlightSteps is the window of "recently changed" edges in the genotype text.
const HighlightSteps = 10

// TieGaps returns, per edge of es, how far its op leads the strongest other
// op of that edge (none excluded, as in the derivation) in the op weights w
// (softmax(α), rows in CellEdges(steps) order): how close the derived
// genotype is to flipping there. Edges whose row or op is missing are skipped.
func TieGaps(normal, reduce [][]float64, ops []string, es []GenoEdge, steps int) []float64 {
	var gaps []float64
	for _, e := range es {
		w := normal
		if e.Reduce {
			w = reduce
		}
		row := edgeRow(w, e, steps)
		k := slices.Index(ops, e.Op)
		if row == nil || k < 0 || k >= len(row) {
			continue
		}
		best := -1.0
		for j, p := range row {
			if j != k && j < len(ops) && ops[j] != "none" && p > best {
				best = p
			}
		}
		if best >= 0 {
			gaps = append(gaps, row[k]-best)
		}
	}
	return gaps
}

func edgeRow(w [][]float64, e GenoEdge, steps int) []float64 {
	for i, ft := range CellEdges(steps) {
		if ft[0] == e.Input && ft[1] == e.Node+2 && i < len(w) {
			return w[i]
		}
	}
	return nil
}

// Piece is a run of a wrapped line, highlighted or not.
type Piece struct {
	Text string
	Hi   bool
}

// Highlight cuts the wrapped lines of s (Wrap's output: s's text in order,
// spaces at breaks dropped) into pieces inside and outside the byte spans
// hi of s, so a paragraph can draw parts of its text in another colour.
func Highlight(s string, lines []string, hi [][2]int) [][]Piece {
	out := make([][]Piece, len(lines))
	cur := 0
	for i, l := range lines {
		off := strings.Index(s[cur:], l)
		if off < 0 {
			out[i] = []Piece{{Text: l}}
			continue
		}
		start := cur + off
		cur = start + len(l)
		var ps []Piece
		add := func(a, b int, h bool) {
			if b <= a {
				return
			}
			if n := len(ps); n > 0 && ps[n-1].Hi == h {
				ps[n-1].Text += s[a:b]
				return
			}
			ps = append(ps, Piece{s[a:b], h})
		}
		p := start
		for _, sp := range hi {
			a, b := max(sp[0], start), min(sp[1], cur)
			if a >= b {
				continue
			}
			add(p, a, false)
			add(a, b, true)
			p = b
		}
		add(p, cur, false)
		out[i] = ps
	}
	return out
}

// GenotypeText returns the DARTS scene's sentences about the derived
// genotype in the language of t (an i18n lookup): how long it has been
// unchanged and how many of its edges changed within the last epoch
// (settled: unchanged for a whole epoch), and why near-tied ops make it flip
// (gap: the median top-2 gap; why is "" without one).
func GenotypeText(t func(key string) string, stable, changed, edges, epochSteps int, gap float64) (line, why string, settled bool) {
	window := t("darts.geno.start")
	if epochSteps > 0 {
		window = fmt.Sprintf(t("darts.geno.epoch"), epochSteps)
	}
	key := "darts.geno.stable"
	if stable == 0 {
		key = "darts.geno.fresh"
	}
	line = fmt.Sprintf(t(key), stable, changed, edges, window)
	if epochSteps > 0 && stable >= epochSteps { // no edge changed in the last epoch
		line, settled = fmt.Sprintf(t("darts.geno.settled"), stable, epochSteps), true
	}
	if gap > 0 {
		// One significant digit: the sentence is re-rasterised only when it changes.
		why = fmt.Sprintf(t("darts.geno.why"), fmt.Sprintf("%.1g", gap))
	}
	return line, why, settled
}
