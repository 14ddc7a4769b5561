package data

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseClassNames(t *testing.T) {
	names, err := parseClassNames([]byte("\r\n  airplane\r\nautomobile\n\nbird \n"), "m", 3)
	require.NoError(t, err)
	assert.Equal(t, []string{"airplane", "automobile", "bird"}, names)
	_, err = parseClassNames([]byte("a\nb\n"), "m", 3)
	assert.EqualError(t, err, "cifar10: m: 2 class names, want 3")
	// A terminal escape in a name would be printed raw by the CLI.
	_, err = parseClassNames([]byte("a\n\x1b[2Jb\nc"), "m", 3)
	assert.ErrorContains(t, err, "m line 2")
	_, err = parseClassNames([]byte("a\n\xffb\nc"), "m", 3)
	assert.ErrorContains(t, err, "invalid UTF-8")
}

// FuzzParseClassNames: the batches.meta.txt reader never panics; what it
// accepts is want names, each non-empty, trimmed, one line, printable UTF-8,
// and written back one a line they read back equal.
func FuzzParseClassNames(f *testing.F) {
	f.Add([]byte(strings.Join(CIFAR10Classes, "\n")+"\n"), uint8(10))
	f.Add([]byte("a\r\n\r\n b \n"), uint8(2))
	f.Add([]byte("\x1b[31mred\n"), uint8(1))
	f.Add([]byte{}, uint8(0))
	f.Fuzz(func(t *testing.T, b []byte, want uint8) {
		names, err := parseClassNames(b, "fuzz", int(want%16))
		if err != nil {
			return
		}
		if len(names) != int(want%16) {
			t.Fatalf("%d names, want %d", len(names), want%16)
		}
		for _, s := range names {
			if s == "" || s != strings.TrimSpace(s) || strings.Contains(s, "\n") ||
				!utf8.ValidString(s) || strings.ContainsFunc(s, unicode.IsControl) {
				t.Fatalf("accepted name %q", s)
			}
		}
		again, err := parseClassNames([]byte(strings.Join(names, "\n")), "fuzz", len(names))
		if err != nil || strings.Join(again, "\n") != strings.Join(names, "\n") {
			t.Fatalf("round trip: %v %q -> %q", err, names, again)
		}
	})
}
