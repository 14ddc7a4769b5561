package ui

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// Two labels on the same line cannot both sit in the middle: the second
// moves along its curve and overlaps neither the first nor the obstacle.
func TestPlaceLabelsAvoidsOverlap(t *testing.T) {
	line := make([]Point, 11)
	for i := range line {
		line[i] = Point{float64(i) * 10, 0}
	}
	obstacle := Rect{X: 25, Y: -5, W: 6, H: 10} // covers the 30% point
	bounds := Rect{-10, -20, 120, 40}
	rs := PlaceLabels([][]Point{line, line, line}, []Point{{8, 4}, {8, 4}, {8, 4}}, []Rect{obstacle}, bounds, 0)
	assert.Equal(t, Rect{46, -2, 8, 4}, rs[0], "the first label takes the middle")
	assert.Equal(t, Rect{36, -2, 8, 4}, rs[1], "the second moves to 40%")
	assert.Equal(t, Rect{56, -2, 8, 4}, rs[2], "the third to 60%")
	assertApart(t, rs, []Rect{obstacle}, bounds)
}

// Labels longer than the room along their curves leave the line: of three
// 45-wide labels on one 100-long line, one sits on it, the others beside it.
func TestPlaceLabelsBesideTheLine(t *testing.T) {
	line := make([]Point, 21)
	for i := range line {
		line[i] = Point{float64(i) * 5, 0}
	}
	bounds := Rect{-30, -30, 160, 60}
	curves := [][]Point{line, line, line}
	sizes := []Point{{45, 10}, {45, 10}, {45, 10}}
	rs := PlaceLabels(curves, sizes, nil, bounds, 0)
	assertApart(t, rs, nil, bounds)
	off := 0
	for _, r := range rs {
		if r.Y+r.H/2 != 0 {
			off++
		}
	}
	assert.Equal(t, 2, off, "one on the line")
}

// When a label fits nowhere, it goes where it overlaps least: an obstacle
// covers the line from 20 on and the bounds leave no room above or below,
// so the label moves to the free end, where it overlaps the obstacle and
// leaves the bounds by less than a sixth of its area (on the line, the best
// spot overlaps by a quarter).
func TestPlaceLabelsLeastOverlap(t *testing.T) {
	line := make([]Point, 21)
	for i := range line {
		line[i] = Point{float64(i) * 5, 0}
	}
	obstacle, bounds := Rect{20, -10, 80, 20}, Rect{-5, -4, 110, 8}
	rs := PlaceLabels([][]Point{line}, []Point{{20, 8}}, []Rect{obstacle}, bounds, 0)
	bad := area(intersect(rs[0], obstacle)) + area(rs[0]) - area(intersect(rs[0], bounds))
	assert.Less(t, bad, 20*8/6.0, "label at %v", rs[0])
	assert.Less(t, rs[0].X+rs[0].W/2, 20.0, "at the free end")
}

func assertApart(t *testing.T, rs, obstacles []Rect, bounds Rect) {
	t.Helper()
	for i := range rs {
		assert.Equal(t, rs[i], intersect(rs[i], bounds), "label %d %v leaves %v", i, rs[i], bounds)
		for _, o := range obstacles {
			assert.False(t, rs[i].Overlaps(o), "label %d on obstacle %v", i, o)
		}
		for j := range i {
			assert.False(t, rs[i].Overlaps(rs[j]), "labels %d %v and %d %v overlap", i, rs[i], j, rs[j])
		}
	}
}

// With a gap, two labels that could touch keep it between them.
func TestPlaceLabelsGap(t *testing.T) {
	line := make([]Point, 21)
	for i := range line {
		line[i] = Point{float64(i) * 5, 0}
	}
	rs := PlaceLabels([][]Point{line, line}, []Point{{40, 10}, {40, 10}}, nil, Rect{-30, -30, 160, 60}, 6)
	assert.False(t, rs[0].Inset(-3).Overlaps(rs[1].Inset(-3)), "%v and %v closer than 6", rs[0], rs[1])
}
