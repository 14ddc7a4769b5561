package ui

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAuditText(t *testing.T) {
	screen := Rect{0, 0, 200, 100}
	panel := map[string]Rect{"p": {10, 10, 100, 50}}
	box := func(s string, x, y, w float64) TextBox {
		return TextBox{Text: s, Rect: Rect{x, y, w, 18}, Clip: screen, PX: 16}
	}
	cases := []struct {
		name  string
		boxes []TextBox
		want  []string // prefixes, in order
	}{
		{"apart", []TextBox{box("a", 20, 20, 30), box("b", 60, 20, 30)}, nil},
		{"touching rows", []TextBox{box("a", 20, 20, 30), box("b", 20, 37, 30)}, nil}, // 1 px: within tol
		{"the empty top of a line below", []TextBox{box("a", 20, 20, 30), box("b", 20, 36, 30)}, nil},
		{"a space apart", []TextBox{box("a", 20, 20, 30), box("b", 54, 20, 30)}, nil},
		{"one word", []TextBox{box("Params M", 20, 20, 30), box("GPU-days", 52, 20, 30)}, []string{"overlap"}},
		{"overlap", []TextBox{box("a", 20, 20, 30), box("b", 40, 25, 30)}, []string{"overlap"}},
		{"one line drawn in pieces", []TextBox{box("step 3", 20, 20, 30), box(" · ", 50, 20, 10), box("FPS 9", 60, 20, 30)}, nil},
		{"same string twice in place", []TextBox{box("a", 20, 20, 30), box("a", 20, 20, 30)}, nil},
		{"runs out of its panel", []TextBox{box("long", 20, 20, 100)}, []string{"outside"}},
		{"cut by a sub-image", []TextBox{{Text: "c", Rect: Rect{20, 20, 30, 18}, Clip: Rect{0, 0, 40, 40}, PX: 16}}, []string{"clipped"}},
		{"off screen", []TextBox{box("d", 190, 90, 30)}, []string{"clipped"}},
		{"small", []TextBox{{Text: "e", Rect: Rect{20, 20, 10, 12}, Clip: screen, PX: 12}}, []string{"small"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := AuditText(tc.boxes, panel, 200, 100, 16, 1)
			require.Len(t, got, len(tc.want), "%q", got)
			for i, w := range tc.want {
				assert.Regexp(t, "^"+w+": ", got[i])
			}
		})
	}
}

func TestColumns(t *testing.T) {
	widths := [][]float64{{10, 5, 7}, {30, 0}, {2, 20, 1}}
	assert.Equal(t, []float64{0, 34, 58}, Columns(widths, 4), "each column after the widest cell before it")
	assert.Equal(t, 65.0, TableWidth(widths, 4))
	assert.Empty(t, Columns(nil, 4))
}

// A line drawn in pieces is one string even where a piece is drawn into a
// sub-image (the replay bar's title), and that piece is still checked for cuts.
func TestAuditTextPiecesInSubImages(t *testing.T) {
	screen := Rect{0, 0, 200, 100}
	a := TextBox{Text: "event 3 / 9", Rect: Rect{20, 20, 60.4, 18}, Clip: screen, PX: 16}
	b := TextBox{Text: " · title", Rect: Rect{81, 20, 50, 18}, Clip: Rect{0, 0, 120, 40}, PX: 16}
	got := AuditText([]TextBox{a, b}, nil, 200, 100, 16, 1)
	require.Len(t, got, 1, "%q", got)
	assert.Regexp(t, `^clipped: " · title"`, got[0])
}
