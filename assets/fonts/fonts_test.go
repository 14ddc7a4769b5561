package fonts_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/image/font/sfnt"

	"github.com/nasplayground/nas/assets/fonts"
	"github.com/nasplayground/nas/core/nb201"
	"github.com/nasplayground/nas/core/search/sample"
	"github.com/nasplayground/nas/wasm/i18n"
)

// coreLabels are the search-space labels the page draws (NAS-Bench-201 edges
// "0→1", the DARTS micro space's "c_{k-2}"), as wasm/i18n/fontstrings lists them.
func coreLabels() string {
	var all []string
	for _, sp := range []sample.Space{nb201.Space{}, sample.DARTSMicroSpace([]string{"sep_conv_3x3"}, 4)} {
		all = append(all, sp.DecisionLabels()...)
		for d := range sp.Decisions() {
			all = append(all, sp.ChoiceLabels(d)...)
		}
	}
	return strings.Join(all, "")
}

// Every character the UI can draw must have a glyph: a missing one renders as
// a box (the subset keeps .notdef outlined). The sources are the i18n table,
// every string literal of the page's Go code under wasm/ (go/parser), the core
// labels and printable ASCII.
func TestSubsetCoversUI(t *testing.T) {
	f, err := sfnt.Parse(fonts.TTF)
	require.NoError(t, err)
	src, err := i18n.SourceRunes("../../wasm")
	require.NoError(t, err)
	require.Contains(t, src, "·", "the scan finds the status line's separator in wasm/app")
	var ascii strings.Builder
	for r := rune(0x20); r <= 0x7e; r++ {
		ascii.WriteRune(r)
	}
	var buf sfnt.Buffer
	for _, set := range []struct{ name, runes string }{
		{"i18n table", i18n.Runes()}, {"string literals in wasm/**/*.go", src},
		{"core labels", coreLabels()}, {"printable ASCII", ascii.String()},
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
