package ui

// StrandStyle is how one candidate op of a DARTS edge is drawn: Width and
// Opacity as fractions of the strongest strand's (1), Strongest for the op
// with the largest weight of the edge (emphasised).
type StrandStyle struct {
	Width, Opacity float64
	Strongest      bool
}

// Strand width and opacity of an edge's weakest op, relative to its strongest.
const (
	StrandMinWidth   = 0.2
	StrandMinOpacity = 0.3
)

// StrandStyles maps one edge's op weights (softmax(α) of its ops) to strand
// styles relative to the edge's own range: the weakest op gets
// StrandMinWidth/StrandMinOpacity, the strongest 1, the others in between,
// linear in the weight. Early in a search every weight is within ±0.001 of
// 1/8; on an absolute scale all strands look alike, on the edge's own range
// the leader stands out from the first α step. An edge whose weights are all
// equal (nothing learnt yet) gets equal mid strands and no strongest op.
func StrandStyles(w []float64) []StrandStyle {
	out := make([]StrandStyle, len(w))
	if len(w) == 0 {
		return out
	}
	lo, hi, best := w[0], w[0], 0
	for k, v := range w {
		if v < lo {
			lo = v
		}
		if v > hi {
			hi, best = v, k
		}
	}
	for k, v := range w {
		t := 0.5
		if hi > lo {
			t = (v - lo) / (hi - lo)
		}
		out[k] = StrandStyle{
			Width:   StrandMinWidth + (1-StrandMinWidth)*t,
			Opacity: StrandMinOpacity + (1-StrandMinOpacity)*t,
		}
	}
	if hi > lo {
		out[best].Strongest = true
	}
	return out
}
