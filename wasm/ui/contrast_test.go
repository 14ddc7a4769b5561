package ui

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestContrastReference(t *testing.T) {
	assert.InDelta(t, 21, Contrast(InkLight, InkDark), 1e-9, "white on black")
	assert.InDelta(t, 1, Contrast([3]uint8{119, 119, 119}, [3]uint8{119, 119, 119}), 1e-9)
	assert.InDelta(t, 4.48, Contrast(InkLight, [3]uint8{119, 119, 119}), 0.01, "#777 on white: the WCAG textbook case just under 4.5")
}

// Every op colour (bars, chips, strands) and every step of the heat map's
// diverging scale carries its label at WCAG AA contrast (4.5:1); the RL
// scene's white-on-yellow probabilities were 1.3:1.
func TestTextOnEveryBarColour(t *testing.T) {
	assert.Less(t, Contrast([3]uint8{236, 239, 244}, OpColors[3]), 1.5, "the old white-on-yellow label")
	for i, c := range OpColors {
		assert.GreaterOrEqual(t, Contrast(TextOn(c), c), 4.5, "op colour %d %v", i, c)
	}
	for i := -10; i <= 10; i++ {
		r, g, b := Diverging(float64(i) / 10)
		c := [3]uint8{r, g, b}
		assert.GreaterOrEqual(t, Contrast(TextOn(c), c), 4.5, "diverging %v", c)
	}
}

// A button's label stays readable in every state of the button, the
// pointer over it included (the active blue lightened on hover gave 3.5:1).
func TestButtonLabels(t *testing.T) {
	for _, bg := range [][3]uint8{ButtonIdle, ButtonIdleHover, ButtonActive, ButtonActiveHover} {
		assert.GreaterOrEqual(t, Contrast(Ink, bg), 4.5, "label on %v", bg)
	}
	assert.Less(t, Contrast(Ink, [3]uint8{20, 134, 198}), 4.5, "the old hover of an active button")
}
