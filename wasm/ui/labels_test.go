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
	rs := PlaceLabels([][]Point{line, line, line}, []Point{{8, 4}, {8, 4}, {8, 4}}, []Rect{obstacle})
	assert.Equal(t, Rect{46, -2, 8, 4}, rs[0], "the first label takes the middle")
	assert.Equal(t, Rect{36, -2, 8, 4}, rs[1], "the second moves to 40%")
	assert.Equal(t, Rect{56, -2, 8, 4}, rs[2], "the third to 60%")
	for i := range rs {
		assert.False(t, rs[i].Overlaps(obstacle), "label %d on the obstacle", i)
		for j := range i {
			assert.False(t, rs[i].Overlaps(rs[j]), "labels %d and %d overlap", i, j)
		}
	}
}
