package ui

import "math"

// Luminance returns the WCAG relative luminance of an sRGB colour.
func Luminance(c [3]uint8) float64 {
	lin := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c[0]) + 0.7152*lin(c[1]) + 0.0722*lin(c[2])
}

// Contrast returns the WCAG contrast ratio of two colours (1 to 21).
func Contrast(a, b [3]uint8) float64 {
	la, lb := Luminance(a), Luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// Ink colours for text on a coloured ground.
var (
	InkLight = [3]uint8{255, 255, 255}
	InkDark  = [3]uint8{0, 0, 0}
)

// TextOn returns the ink (white or black) with the higher contrast on bg:
// labels on op-coloured bars and chips stay readable (≥ 4.5:1 on every
// colour of OpColors and of the diverging scale).
func TextOn(bg [3]uint8) [3]uint8 {
	if Contrast(InkLight, bg) >= Contrast(InkDark, bg) {
		return InkLight
	}
	return InkDark
}

// Ink and grounds of the page's controls: button labels are Ink on a
// button's ground, which a hovering pointer changes (lighter when idle,
// darker when active: lighter, the active blue fell to 3.5:1).
var (
	Ink               = [3]uint8{236, 239, 244}
	ButtonIdle        = [3]uint8{44, 52, 68}
	ButtonIdleHover   = [3]uint8{64, 72, 88}
	ButtonActive      = [3]uint8{0, 106, 166} // Okabe-Ito blue (0, 114, 178) a shade darker: white on it was 4.499:1
	ButtonActiveHover = [3]uint8{0, 96, 150}
)
