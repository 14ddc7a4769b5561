package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/run"
	"github.com/nasplayground/nas/core/run/events"
	"github.com/nasplayground/nas/core/search"
)

// errKilled stops a run the way SIGKILL would: no checkpoint is written after
// it (Drive writes none after an error), and the events written since the
// last checkpoint stay in the file.
var errKilled = errors.New("killed")

// killAt runs nas with a fake clock that advances a minute per reading (so
// --checkpoint-every 5m saves every few iterations, whatever the machine's
// load) and stops it at the k-th event. The hooks are reset afterwards.
func killAt(t *testing.T, k int, args ...string) (int, string) {
	t.Helper()
	now := time.Unix(0, 0)
	clock = func() time.Time { now = now.Add(time.Minute); return now }
	n := 0
	afterEvent = func(search.Event) error {
		if n++; n == k {
			return errKilled
		}
		return nil
	}
	defer func() { clock, afterEvent = nil, nil }()
	code, _, errOut := nas(append(args, "--checkpoint-every", "5m")...)
	return code, errOut
}

// readEvents reads an events file with the one reader (duplicates, steps
// going back and elapsed time going back are errors there).
func readEvents(t *testing.T, path string) []search.Event {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	evs, repaired, err := events.Read(path, f)
	require.NoError(t, err)
	require.Empty(t, repaired)
	return evs
}

// sameEvents compares two event lists but for wall-clock fields.
func sameEvents(t *testing.T, a, b []search.Event) {
	t.Helper()
	require.Equal(t, len(a), len(b), "events")
	for i := range a {
		x, y := a[i], b[i]
		for _, e := range []*search.Event{&x, &y} {
			e.Elapsed, e.StepSeconds, e.ImagesPerSec = 0, 0, 0
		}
		require.Equal(t, x, y, "event %d", i)
	}
}

// A run killed mid-way and resumed ends with the files of an uninterrupted
// run, and its events.jsonl has no duplicate and never goes back.
func TestKillAndResume(t *testing.T) {
	for _, tc := range []struct {
		name  string
		args  []string
		kill  int
		files []string
	}{
		{"nb201 evolution", []string{"search", "--space", "nb201", "--method", "evolution", "--samples", "500", "--population", "50", "--tournament", "10"}, 333, []string{"results.json"}},
		{"nb201 random", []string{"search", "--space", "nb201", "--method", "random", "--samples", "500"}, 250, []string{"results.json"}},
		{"nb201 all", []string{"search", "--space", "nb201", "--method", "all", "--samples", "60", "--repeats", "2"}, 200, []string{"results.json"}},
		{"darts-space evolution", []string{"search", "--method", "evolution", "--dataset", "demo", "--C", "4", "--layers", "3",
			"--samples", "6", "--population", "3", "--tournament", "2", "--child-steps", "1", "--val-limit", "32", "--threads", "1"}, 5, []string{"genotype.txt"}},
		{"darts second order", append(append([]string{}, tinyDarts...), "--order", "2"), 7, []string{"genotype.txt"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			full, part := t.TempDir(), t.TempDir()
			code, _, errOut := nas(append(tc.args, "--out", full, "--json")...)
			require.Equal(t, 0, code, errOut)
			code, errOut = killAt(t, tc.kill, append(tc.args, "--out", part, "--json")...)
			require.Equal(t, 1, code, errOut)
			require.Contains(t, errOut, "killed")
			code, _, errOut = nas(append(tc.args, "--out", part, "--json", "--resume")...)
			require.Equal(t, 0, code, errOut)
			for _, f := range tc.files {
				a, err := os.ReadFile(filepath.Join(full, f))
				require.NoError(t, err)
				b, err := os.ReadFile(filepath.Join(part, f))
				require.NoError(t, err)
				assert.Equal(t, string(a), string(b), f)
			}
			sameEvents(t, readEvents(t, filepath.Join(full, "events.jsonl")), readEvents(t, filepath.Join(part, "events.jsonl")))
			tmp, _ := filepath.Glob(filepath.Join(part, ".*tmp*"))
			assert.Empty(t, tmp, "no temporary file left")
		})
	}
}

// A checkpoint that is damaged, cut or of another run is a one-line error.
func TestResumeRejects(t *testing.T) {
	args := []string{"search", "--space", "nb201", "--method", "random", "--samples", "40"}
	dir := t.TempDir()
	code, _, errOut := nas(append(args, "--out", dir, "--max-steps", "10")...)
	require.Equal(t, 0, code, errOut)
	ck := filepath.Join(dir, checkpointFile)
	good, err := os.ReadFile(ck)
	require.NoError(t, err)

	code, _, errOut = nas(append(args, "--out", dir, "--resume", "--samples", "50", "--seed", "9")...)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "Sampling.Samples = 50 (checkpoint: 40)")
	assert.Contains(t, errOut, "Seed = 9 (checkpoint: 2)")
	assert.Contains(t, errOut, "--override")
	assert.Equal(t, 1, strings.Count(errOut, "\n"))

	bad := bytes.Clone(good)
	bad[len(bad)-7] ^= 0x40
	for name, b := range map[string][]byte{"flipped bit": bad, "cut": good[:len(good)/2], "not a checkpoint": []byte("hello\n")} {
		require.NoError(t, os.WriteFile(ck, b, 0o644))
		code, _, errOut = nas(append(args, "--out", dir, "--resume")...)
		assert.Equal(t, exitUsage, code, name)
		assert.Equal(t, 1, strings.Count(errOut, "\n"), "%s: %q", name, errOut)
		assert.Contains(t, errOut, ck, name)
	}
	// An orphan temporary file of a killed writer is removed.
	require.NoError(t, os.WriteFile(ck, good, 0o644))
	orphan := filepath.Join(dir, ".checkpoint.bin.tmp123")
	require.NoError(t, os.WriteFile(orphan, []byte("half"), 0o644))
	code, _, errOut = nas(append(args, "--out", dir, "--resume")...)
	require.Equal(t, 0, code, errOut)
	assert.NoFileExists(t, orphan)
}

// --max-steps counts full iterations (DARTS: α and w halves) and still
// writes the genotype and the diagrams.
func TestMaxStepsIterations(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := nas(append(append([]string{}, tinyDarts...), "--out", dir, "--max-steps", "3")...)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "stopped after 3 steps")
	evs := readEvents(t, filepath.Join(dir, "events.jsonl"))
	var halves []string
	for _, ev := range evs {
		halves = append(halves, ev.Kind+" "+ev.Phase)
	}
	assert.Equal(t, []string{"step alpha", "step w", "step alpha", "step w", "epoch ", "step alpha", "step w"}, halves,
		"3 iterations of an α and a w half (2 per epoch of this tiny split)")
	assert.Equal(t, 3, evs[6].Step)
	for _, f := range []string{"genotype.txt", "genotype.json", "normal.svg", "reduce.png", "cell.dot"} {
		assert.FileExists(t, filepath.Join(dir, f))
	}
}

// A diverging run stops at the first non-finite loss or gradient with exit
// 3 and one line naming epoch, step and phase; the last good checkpoint is
// left as it was.
func TestNonFiniteKeepsCheckpoint(t *testing.T) {
	dir := t.TempDir()
	code, _, errOut := nas(append(append([]string{}, tinyDarts...), "--out", dir, "--max-steps", "1")...)
	require.Equal(t, 0, code, errOut)
	ck := filepath.Join(dir, checkpointFile)
	before, err := os.ReadFile(ck)
	require.NoError(t, err)
	code, _, errOut = nas(append(append([]string{}, tinyDarts...), "--out", dir, "--resume", "--override", "--lr", "1e39")...)
	require.Equal(t, exitNonFinite, code, errOut)
	assert.Regexp(t, `is (NaN|[+-]Inf) at epoch \d+ step \d+ \((w phase|alpha phase|end-of-epoch evaluation)\)`, errOut)
	assert.Contains(t, errOut, "untouched")
	assert.Equal(t, 1, strings.Count(errOut, "nas search:"), "one line: %s", errOut)
	after, err := os.ReadFile(ck)
	require.NoError(t, err)
	assert.Equal(t, before, after, "the checkpoint is not overwritten with a diverged state")
	ckp, err := run.Load(ck)
	require.NoError(t, err)
	assert.Equal(t, 0.025, ckp.Config.DARTS.LR)

	// A run diverging from the start leaves no checkpoint holding NaN/Inf:
	// whatever it saved resumes into a state that saves again (MarshalBinary
	// refuses non-finite weights, α and BN statistics).
	dir = t.TempDir()
	code, _, errOut = nas(append(append([]string{}, tinyDarts...), "--out", dir, "--lr", "1e39", "--checkpoint-every", "1ns")...)
	require.Equal(t, exitNonFinite, code, errOut)
	if ckp, err := run.Load(filepath.Join(dir, checkpointFile)); err == nil {
		ds, err := loadData("demo", "", true)
		require.NoError(t, err)
		r, err := run.Resume(ckp, ckp.Config, run.Data{Train: ds}, false)
		require.NoError(t, err)
		require.NoError(t, run.Save(filepath.Join(t.TempDir(), "again.bin"), r, 0))
	}
}

// Katib's stdout collector reads the same name=value lines from every method
// (darts: TestSearchKatibMetrics).
func TestKatibEveryMethod(t *testing.T) {
	epoch := regexp.MustCompile(`(?m)^epoch=\d+\nTrain-Loss=[0-9.e+-]+\nTrain-Accuracy=[0-9.e+-]+\nValidation-Loss=[0-9.e+-]+\nValidation-Accuracy=[0-9.e+-]+$`)
	sampled := regexp.MustCompile(`^samples=3\nValidation-Accuracy=[0-9.e+-]+\n$`)
	micro := []string{"search", "--dataset", "demo", "--C", "4", "--layers", "3", "--samples", "3", "--child-steps", "1",
		"--val-limit", "32", "--threads", "1", "--population", "2", "--tournament", "1", "--metrics-format", "katib", "--method"}
	for _, tc := range []struct {
		name string
		args []string
		want *regexp.Regexp
	}{
		{"random", append(micro, "random"), sampled},
		{"evolution", append(micro, "evolution"), sampled},
		{"reinforce", append(micro, "reinforce"), sampled},
		{"enas", append(micro, "enas"), sampled},
		{"train", []string{"train", "--genotype", "DARTS_V2", "--dataset", "demo", "--C", "4", "--layers", "3", "--epochs", "1",
			"--batch", "64", "--threads", "1", "--train-limit", "64", "--test-limit", "32", "--metrics-format", "katib"}, epoch},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := nas(tc.args...)
			require.Equal(t, 0, code, errOut)
			assert.Regexp(t, tc.want, out)
		})
	}
}

// Exit codes: 1 when the run fails, 130 when interrupted (after a checkpoint).
func TestExitCodes(t *testing.T) {
	file := filepath.Join(t.TempDir(), "a-file")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	code, _, errOut := nas("search", "--space", "nb201", "--method", "random", "--samples", "5", "--out", file)
	assert.Equal(t, 1, code, "--out is a file: the run cannot write")
	assert.Equal(t, 1, strings.Count(errOut, "\n"), errOut)

	// A real SIGINT to this process, caught by the run's context.
	var ctx context.Context
	notifyContext = func(parent context.Context, sig ...os.Signal) (context.Context, context.CancelFunc) {
		c, stop := signalNotify(parent, sig...)
		ctx = c
		return c, stop
	}
	afterEvent = func(ev search.Event) error {
		if ev.Step == 3 {
			require.NoError(t, syscall.Kill(os.Getpid(), syscall.SIGINT))
			<-ctx.Done()
		}
		return nil
	}
	defer func() { notifyContext, afterEvent = signalNotify, nil }()
	dir := t.TempDir()
	code, _, errOut = nas("search", "--space", "nb201", "--method", "random", "--samples", "50", "--out", dir)
	assert.Equal(t, exitInterrupted, code, errOut)
	assert.Contains(t, errOut, "interrupted after 3 samples")
	ck, err := run.Load(filepath.Join(dir, checkpointFile))
	require.NoError(t, err)
	assert.Equal(t, 50, ck.Config.Sampling.Samples)
}

// nas replay prints fields read from a file with control characters
// escaped, so a recording cannot drive the terminal.
func TestReplayEscapes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.jsonl")
	body := `{"kind":"sample","method":"random\u001b[2J","step":1,"epoch":0,"best_arch":"\u001b]0;pwned\u0007","elapsed_s":1}` + "\n"
	require.NoError(t, os.WriteFile(path, []byte(body), 0o644))
	code, out, errOut := nas("replay", "--events", path, "--follow", "--speed", "0")
	require.Equal(t, 0, code, errOut)
	assert.NotContains(t, out, "\x1b")
	assert.NotContains(t, out, "\x07")
	assert.Contains(t, out, `random\x1b[2J`)
	assert.Contains(t, out, `\x1b]0;pwned\x07`)

	// A file cut by a kill is repaired with a note, the same rule as the page's.
	require.NoError(t, os.WriteFile(path, []byte(body+`{"kind":"sample","meth`), 0o644))
	code, _, errOut = nas("replay", "--events", path)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, errOut, "repaired: dropped the cut last line 2")
}

// Evolution whose population is not smaller than its samples is random
// search, and says so; the progress of sampling methods counts samples.
func TestEvolutionWarns(t *testing.T) {
	code, _, errOut := nas("search", "--space", "nb201", "--method", "evolution", "--samples", "40", "--population", "50", "--tournament", "5")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, errOut, "nas: warning: evolution: population 50 >= samples 40")
	code, _, errOut = nas("search", "--space", "nb201", "--method", "evolution", "--samples", "60", "--population", "50", "--tournament", "5")
	require.Equal(t, 0, code, errOut)
	assert.NotContains(t, errOut, "warning")
}
