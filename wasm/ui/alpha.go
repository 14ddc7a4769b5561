package ui

import "math"

// MaxDeviation returns the largest |p − 1/K| over the rows of the matrices,
// K the length of each row: how far softmax(α) has moved from uniform. At the
// start of a DARTS search every p is ≈ 1/8, so an absolute colour scale
// shows one flat block; colouring p − 1/K on ±MaxDeviation shows α move from
// the first steps.
func MaxDeviation(mats ...[][]float64) float64 {
	m := 0.0
	for _, rows := range mats {
		for _, r := range rows {
			for _, p := range r {
				m = math.Max(m, math.Abs(p-1/float64(len(r))))
			}
		}
	}
	return m
}

// Diverging returns the colour of t in [-1, 1] on a symmetric blue–grey–orange
// scale for a dark background: -1 is saturated blue (below uniform), 0 the
// neutral grey of an empty cell, +1 saturated orange (above uniform). Blue and
// orange stay apart for colour-blind viewers.
func Diverging(t float64) (r, g, b uint8) {
	t = math.Max(-1, math.Min(1, t))
	zero, end := DivergingZero, DivergingHigh
	if t < 0 {
		end, t = DivergingLow, -t
	}
	mix := func(k int) uint8 { return uint8(float64(zero[k]) + t*(float64(end[k])-float64(zero[k])) + 0.5) }
	return mix(0), mix(1), mix(2)
}

// Ends and middle of Diverging.
var (
	DivergingLow  = [3]uint8{60, 150, 255}
	DivergingZero = [3]uint8{48, 54, 66}
	DivergingHigh = [3]uint8{255, 150, 20}
)
