package i18n_test

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/genotype"
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

// Every op name the engine can send (core/genotype's primitives) and every
// CIFAR-10 class has a Korean label that is not the English one.
func TestOpAndClassNamesTranslated(t *testing.T) {
	for p := genotype.Primitive(0); p.Valid(); p++ {
		op := p.String()
		assert.NotEqual(t, "", i18n.Op("en", op), "%s: no short label", op)
		assert.NotEqual(t, op, i18n.OpLong("en", op), "%s: no name", op)
		if !strings.ContainsAny(op, "×") && !strings.HasPrefix(op, "conv_7x1") && !strings.HasPrefix(op, "conv_3x1") {
			assert.NotEqual(t, i18n.Op("en", op), i18n.Op("ko", op), "%s: Korean short label", op)
		}
		assert.NotEqual(t, i18n.OpLong("en", op), i18n.OpLong("ko", op), "%s: Korean name", op)
	}
	for i := range 10 {
		assert.NotEqual(t, i18n.Class("en", i), i18n.Class("ko", i), "class %d", i)
	}
	assert.Equal(t, "10", i18n.Class("ko", 10))
}

// The engine's status lines (index.html, coordinator.js) are shown in the
// page's language; an unknown line (an error) as it is.
func TestEngineStatus(t *testing.T) {
	assert.Equal(t, "엔진을 컴파일하는 중…", i18n.Engine("ko", "compiling…"))
	assert.Equal(t, "building the search…", i18n.Engine("en", "building the search on 3 workers…"))
	assert.Equal(t, i18n.T("ko", "engine.first"), i18n.Engine("ko", "loading data, computing the first step…"))
	assert.Equal(t, "The search engine failed: x", i18n.Engine("ko", "The search engine failed: x"))
}

// The searchers' event messages are shown in the page's language, with
// their numbers; an unknown message (an error) as it is.
func TestMessages(t *testing.T) {
	assert.Equal(t, "무작위 (초기 개체군)", i18n.Message("ko", "random (initial population)"))
	assert.Equal(t, "12 단계에 태어난 부모를 변이", i18n.Message("ko", "mutated parent born at step 12"))
	assert.Equal(t, "2/3 단계 (블록 2개짜리 셀), 빔 8", i18n.Message("ko", "level 2/3 (2-block cells), beam 8"))
	assert.Equal(t, "mutated parent born at step 12", i18n.Message("en", "mutated parent born at step 12"))
	assert.Equal(t, "mutated parent born at step 12 of 3", i18n.Message("ko", "mutated parent born at step 12 of 3"), "more than the pattern: as it is")
	assert.Equal(t, "open x: no such file", i18n.Message("ko", "open x: no such file"))
}
