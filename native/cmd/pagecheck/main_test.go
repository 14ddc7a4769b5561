package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Bad flags are refused before any browser starts: exit 2 and one line
// naming the flag.
func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"-url", "localhost:8080/?scene=lecture"},
		{"-url", "ftp://host/"},
		{"-url", "http://127.0.0.1:1/", "-until", " "},
		{"-url", "http://127.0.0.1:1/", "-timeout", "0s"},
		{"-url", "http://127.0.0.1:1/", "-size", "1280"},
		{"-url", "http://127.0.0.1:1/", "-size", "50x50"},
		{"-url", "http://127.0.0.1:1/", "stray"},
		{"-nosuchflag"},
	} {
		var out, errOut bytes.Buffer
		code := run(append(args, "-chromium", "/bin/true"), &out, &errOut)
		assert.Equal(t, 2, code, "%v", args)
		assert.Empty(t, out.String(), "%v", args)
		line := strings.TrimSpace(errOut.String())
		assert.NotContains(t, line, "\n", "%v: one line", args)
		assert.True(t, strings.HasPrefix(line, "pagecheck: "), "%v: %q", args, line)
	}
}

// Good flags parse into the options the check uses.
func TestFlags(t *testing.T) {
	o, err := parse([]string{"-url", "http://127.0.0.1:8080/?scene=lecture&step=6", "-until", "window.nas.lecture.ready",
		"-size", "1920x1080", "-chromium", "/bin/true"}, nil)
	assert.NoError(t, err)
	assert.Equal(t, int64(1920), o.w)
	assert.Equal(t, int64(1080), o.h)
	assert.Equal(t, "window.nas.lecture.ready", o.until)
	assert.Equal(t, "/bin/true", o.chromium)
}
