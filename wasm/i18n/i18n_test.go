package i18n_test

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/wasm/i18n"
)

func TestEveryKeyHasBothLanguages(t *testing.T) {
	for _, k := range i18n.Keys() {
		assert.NotEmpty(t, i18n.T("en", k), k)
		assert.NotEmpty(t, i18n.T("ko", k), k)
	}
	assert.Equal(t, "[no.such.key]", i18n.T("en", "no.such.key"))
	assert.Equal(t, "비교", strings.TrimPrefix(i18n.T("ko", "scene.compare"), "3 "))
}

// The committed font subset must cover every character the UI draws; if this
// fails, run assets/fonts/make-subset.sh.
func TestFontStringsCoverUI(t *testing.T) {
	b, err := os.ReadFile("../../assets/fonts/strings.txt")
	require.NoError(t, err)
	have := string(b)
	for _, r := range i18n.Runes() {
		assert.True(t, strings.ContainsRune(have, r), "assets/fonts/strings.txt lacks %q (U+%04X): run assets/fonts/make-subset.sh", r, r)
	}
}
