package fonts_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/image/font/sfnt"

	"github.com/nasplayground/nas/assets/fonts"
	"github.com/nasplayground/nas/wasm/i18n"
)

// Every character the UI draws must have a glyph: a missing one renders as a
// box (the subset keeps .notdef outlined), which this test catches first.
func TestSubsetCoversUI(t *testing.T) {
	f, err := sfnt.Parse(fonts.TTF)
	require.NoError(t, err)
	var buf sfnt.Buffer
	for _, r := range i18n.Runes() + "ABCxyz019%()[]_|~" {
		g, err := f.GlyphIndex(&buf, r)
		require.NoError(t, err)
		assert.NotZero(t, g, "no glyph for %q (U+%04X): run assets/fonts/make-subset.sh", r, r)
	}
	name, err := f.Name(&buf, sfnt.NameIDFamily)
	require.NoError(t, err)
	assert.Equal(t, "PlaygroundGothic", name, "NanumGothic is a Reserved Font Name: the subset must be renamed")
}
