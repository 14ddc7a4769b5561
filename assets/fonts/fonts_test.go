package fonts_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/image/font/sfnt"

	"github.com/nasplayground/nas/assets/fonts"
	"github.com/nasplayground/nas/wasm/i18n"
	"github.com/nasplayground/nas/wasm/i18n/glyphs"
)

// Every character the UI can draw must have a glyph: a missing one renders as
// a box (the subset keeps .notdef outlined). The sources are the i18n table,
// every string literal of the page's Go code under wasm/ (go/parser), the core
// labels and printable ASCII.
func TestSubsetCoversUI(t *testing.T) {
	f, err := sfnt.Parse(fonts.TTF)
	require.NoError(t, err)
	src, err := glyphs.SourceRunes("../../wasm")
	require.NoError(t, err)
	require.Contains(t, src, "·", "the scan finds the status line's separator in wasm/app")
	var ascii strings.Builder
	for r := rune(0x20); r <= 0x7e; r++ {
		ascii.WriteRune(r)
	}
	var buf sfnt.Buffer
	for _, set := range []struct{ name, runes string }{
		{"i18n table", i18n.Runes()}, {"string literals in wasm/**/*.go", src},
		{"core labels", glyphs.CoreLabels()}, {"printable ASCII", ascii.String()},
	} {
		for _, r := range set.runes {
			g, err := f.GlyphIndex(&buf, r)
			require.NoError(t, err)
			assert.NotZero(t, g, "%s: no glyph for %q (U+%04X): run assets/fonts/make-subset.sh", set.name, r, r)
		}
	}
	name, err := f.Name(&buf, sfnt.NameIDFamily)
	require.NoError(t, err)
	assert.Equal(t, "PlaygroundGothic", name, "NanumGothic is a Reserved Font Name: the subset must be renamed")
}

// The lecture's formulas (and any new Korean string) must not need a font
// change: the subset holds the math symbols and sub/superscripts below and
// every Hangul syllable of a sample spread over the KS X 1001 rows.
func TestSubsetCoversFormulas(t *testing.T) {
	f, err := sfnt.Parse(fonts.TTF)
	require.NoError(t, err)
	var buf sfnt.Buffer
	for _, r := range "∇αξηθλΣ≈′←→−·⋅²³₀₁₂₃₄₅₆₇₈₉ₖₜōŌ≤≥∞×" + "가각갉뀨냠돼릭뮌밝뺑섞숯엎웰좇짹춥켱퉤펑흐힝" {
		g, err := f.GlyphIndex(&buf, r)
		require.NoError(t, err)
		assert.NotZero(t, g, "no glyph for %q (U+%04X): run assets/fonts/make-subset.sh", r, r)
	}
}
