package events_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/run/events"
	"github.com/nasplayground/nas/core/search"
)

const good = `{"kind":"step","method":"darts","step":1,"epoch":0,"phase":"alpha","val_loss":2.3,"elapsed_s":1}
{"kind":"step","method":"darts","step":1,"epoch":0,"phase":"w","train_loss":2.3,"elapsed_s":1.5}
{"kind":"epoch","method":"darts","step":1,"epoch":0,"val_acc":0.25,"elapsed_s":2}
`

func TestRead(t *testing.T) {
	evs, repaired, err := events.Read("e", strings.NewReader(good+"\n  \n"))
	require.NoError(t, err)
	assert.Empty(t, repaired)
	assert.Len(t, evs, 3, "blank lines are skipped")

	// A last line cut by a kill is dropped, and the reader says so.
	cut := `{"kind":"step","method":"darts","st`
	evs, repaired, err = events.Read("e", strings.NewReader(good+cut))
	require.NoError(t, err)
	assert.Len(t, evs, 3)
	assert.Equal(t, fmt.Sprintf("e: repaired: dropped the cut last line 4 (%d bytes)", len(cut)), repaired)

	for _, tc := range []struct{ name, body, want string }{
		{"bad line", good + "{oops\n", "e:4: not a search event"},
		{"cut in the middle", `{"kind":"ste` + "\n" + good, "e:1: not a search event"},
		{"unknown field", `{"kind":"step","method":"darts","lossy":1}` + "\n", `e:1: not a search event: json: unknown field "lossy"`},
		{"two values", `{"kind":"step","method":"darts"} {}` + "\n", "e:1: more than one JSON value"},
		{"no kind", `{"method":"darts"}` + "\n", `e:1: event has no "kind"`},
		{"kind", `{"kind":"stop","method":"darts"}` + "\n", `e:1: kind "stop"`},
		{"no method", `{"kind":"step"}` + "\n", "e:1: no method"},
		{"duplicate", good + `{"kind":"epoch","method":"darts","step":1,"epoch":0,"elapsed_s":3}` + "\n", "e:4: epoch event of darts at epoch 0 step 1 appears twice"},
		{"step back", good + `{"kind":"step","method":"darts","step":0,"epoch":0,"phase":"w","elapsed_s":3}` + "\n", "e:4: darts goes back from epoch 0 step 1 to epoch 0 step 0"},
		{"time back", good + `{"kind":"step","method":"darts","step":2,"epoch":1,"phase":"w","elapsed_s":1}` + "\n", "e:4: darts elapsed time goes back from 2.000s to 1.000s"},
		{"negative", `{"kind":"step","method":"darts","step":-1}` + "\n", "e:1: step -1"},
		{"empty", "", "e: no events"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := events.Read("e", strings.NewReader(tc.body))
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error()[:min(len(err.Error()), len(tc.want))])
		})
	}
}

// The recordings shipped with the page load with the one reader.
func TestShippedRecordings(t *testing.T) {
	files, err := filepath.Glob("../../../wasm/static/replays/*.jsonl")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		fh, err := os.Open(f)
		require.NoError(t, err)
		evs, repaired, err := events.Read(f, fh)
		fh.Close()
		require.NoError(t, err, f)
		assert.Empty(t, repaired)
		assert.NotEmpty(t, evs)
	}
}

// Open cuts the file back to a checkpoint's length, so a resumed run
// continues without the events written after its checkpoint.
func TestLogRewind(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.jsonl")
	l, err := events.Open(path, -1)
	require.NoError(t, err)
	for i := 1; i <= 3; i++ {
		require.NoError(t, l.Write(search.Event{Kind: search.KindSample, Method: "random", Step: i, Elapsed: float64(i)}))
		if i == 2 {
			off, err := l.Flush()
			require.NoError(t, err)
			defer func(off int64) {
				l, err := events.Open(path, off)
				require.NoError(t, err)
				require.NoError(t, l.Write(search.Event{Kind: search.KindSample, Method: "random", Step: 3, Elapsed: 3.5}))
				require.NoError(t, l.Close())
				f, err := os.Open(path)
				require.NoError(t, err)
				defer f.Close()
				evs, _, err := events.Read(path, f)
				require.NoError(t, err, "no duplicate after the rewind")
				require.Len(t, evs, 3)
				assert.Equal(t, 3.5, evs[2].Elapsed)
				_, err = events.Open(path, 1<<20)
				assert.ErrorContains(t, err, "the checkpoint's events end at")
			}(off)
		}
	}
	require.NoError(t, l.Close())
}

// FuzzRead: the reader never panics, and what it accepts it accepts again
// after being written back as JSON lines.
func FuzzRead(f *testing.F) {
	f.Add([]byte(good))
	f.Add([]byte(good + `{"kind":"step","met`))
	f.Add([]byte("\n\n{}\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		evs, _, err := events.Read("fuzz", bytes.NewReader(b))
		if err != nil {
			return
		}
		var buf bytes.Buffer
		for _, ev := range evs {
			line, err := json.Marshal(ev)
			if err != nil {
				return // a NaN that JSON cannot hold
			}
			buf.Write(append(line, '\n'))
		}
		again, repaired, err := events.Read("again", &buf)
		require.NoError(t, err)
		assert.Empty(t, repaired)
		assert.Equal(t, len(evs), len(again))
	})
}
