package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/nb201"
	"github.com/nasplayground/nas/core/search"
)

func TestSearchNB201JSON(t *testing.T) {
	tab, err := nb201.Load()
	require.NoError(t, err)
	_, best := tab.Best("cifar10")
	// NAS-Bench-201 (Dong & Yang 2020) Table 5: the CIFAR-10 test optimum is 94.37.
	require.InDelta(t, 94.37, best, 0.005)
	dir := t.TempDir()
	code, out, errOut := nas("search", "--space", "nb201", "--method", "all", "--samples", "50", "--repeats", "2", "--json", "--out", dir)
	require.Equal(t, 0, code, errOut)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 4)
	for i, want := range []string{"random", "evolution", "reinforce", "pnas"} {
		var m map[string]json.RawMessage
		require.NoError(t, json.Unmarshal([]byte(lines[i]), &m))
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		fields := []string{"method", "samples", "repeats", "dataset", "best_mean", "best_std", "curve"}
		if want == "pnas" {
			fields = append(fields, "tau") // the surrogate's Kendall τ on held-out cells
		}
		assert.ElementsMatch(t, fields, keys)
		var r nb201JSON
		require.NoError(t, json.Unmarshal([]byte(lines[i]), &r))
		assert.Equal(t, want, r.Method)
		assert.Equal(t, 50, r.Samples)
		assert.Equal(t, 2, r.Repeats)
		assert.Equal(t, "cifar10", r.Dataset)
		assert.LessOrEqual(t, r.BestMean, best)
		assert.Greater(t, r.BestMean, 90.0, "50 samples find a cell within a few points of the optimum")
		require.Len(t, r.Curve.Mean, 50)
		require.Len(t, r.Curve.Std, 50)
		assert.Equal(t, r.BestMean, r.Curve.Mean[49])
		for k := 1; k < 50; k++ {
			assert.GreaterOrEqual(t, r.Curve.Mean[k], r.Curve.Mean[k-1], "the best-so-far curve never falls")
		}
	}
	for _, f := range []string{"compare.png", "results.json"} {
		st, err := os.Stat(filepath.Join(dir, f))
		require.NoError(t, err)
		assert.Positive(t, st.Size())
	}
	evs := readEventFile(t, filepath.Join(dir, "events.jsonl"))
	assert.Len(t, evs, 200, "first repeat of each method: 4 × 50 samples")
	assert.Equal(t, "random", evs[0].Method)
	assert.Equal(t, "reinforce", evs[149].Method)
	assert.Equal(t, "pnas", evs[199].Method)
	assert.Equal(t, "nb201", evs[0].Space)
}

func TestSearchSamplingUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"bogus nb201", []string{"--space", "nb201", "--method", "bogus"}, `--method "bogus"`},
		{"bogus in list", []string{"--space", "nb201", "--method", "random,bogus"}, `--method "bogus"`},
		{"bogus darts", []string{"--method", "bogus"}, `--method "bogus"`},
		{"enas nb201", []string{"--space", "nb201", "--method", "enas"}, "--method enas needs images"},
		{"nb201 dataset", []string{"--space", "nb201", "--method", "random", "--dataset", "mnist"}, `--dataset "mnist"`},
		{"space", []string{"--space", "bogus", "--method", "random"}, `--space "bogus"`},
		{"evolution resume", []string{"--method", "evolution", "--dataset", "demo", "--resume", "--out", "x"}, "no checkpoint"},
		{"odd C", []string{"--method", "reinforce", "--dataset", "demo", "--C", "5"}, "C = 5"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := nas(append([]string{"search"}, tc.args...)...)
			assert.Equal(t, exitUsage, code)
			assert.Contains(t, errOut, tc.want)
			assert.Equal(t, 1, strings.Count(errOut, "\n"), "one line: %q", errOut)
		})
	}
}

func readEventFile(t *testing.T, path string) []search.Event {
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var evs []search.Event
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var ev search.Event
		require.NoError(t, json.Unmarshal(sc.Bytes(), &ev))
		evs = append(evs, ev)
	}
	require.NoError(t, sc.Err())
	return evs
}

// TestSearchMicroTiny runs tiny ENAS and REINFORCE searches on the demo set
// and replays their events.
func TestSearchMicroTiny(t *testing.T) {
	for _, method := range []string{"enas", "reinforce"} {
		t.Run(method, func(t *testing.T) {
			dir := t.TempDir()
			code, out, errOut := nas("search", "--method", method, "--dataset", "demo", "--C", "4", "--layers", "3",
				"--samples", "3", "--child-steps", "2", "--out", dir)
			require.Equal(t, 0, code, errOut)
			assert.Contains(t, out, "best reward")
			evs := readEventFile(t, filepath.Join(dir, "events.jsonl"))
			require.Len(t, evs, 3)
			for i, ev := range evs {
				assert.Equal(t, search.KindSample, ev.Kind)
				assert.Equal(t, method, ev.Method)
				assert.Equal(t, i+1, ev.Step)
				assert.GreaterOrEqual(t, ev.Reward, 0.0)
				assert.LessOrEqual(t, ev.Reward, 1.0)
			}
			g, err := os.ReadFile(filepath.Join(dir, "genotype.txt"))
			require.NoError(t, err)
			assert.Equal(t, evs[2].BestArch+"\n", string(g))

			code, out, errOut = nas("replay", "--events", filepath.Join(dir, "events.jsonl"), "--json")
			require.Equal(t, 0, code, errOut)
			var s replaySummary
			require.NoError(t, json.Unmarshal([]byte(out), &s))
			assert.Equal(t, method, s.Method)
			assert.Equal(t, 3, s.Steps)
			assert.Equal(t, evs[2].Best, s.BestAcc)
			assert.Equal(t, evs[2].BestArch, s.Genotype)
		})
	}
}

// TestSearchReinforceResume: 2 samples, then --resume for the third, give
// the events of an uninterrupted run.
func TestSearchReinforceResume(t *testing.T) {
	args := []string{"search", "--method", "reinforce", "--dataset", "demo", "--C", "4", "--layers", "3", "--samples", "3",
		"--child-steps", "1", "--val-limit", "64", "--threads", "1"}
	full, part := t.TempDir(), t.TempDir()
	code, _, errOut := nas(append(args, "--out", full)...)
	require.Equal(t, 0, code, errOut)
	code, out, errOut := nas(append(args, "--out", part, "--max-steps", "2")...)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "stopped after 2 samples")
	code, _, errOut = nas(append(args, "--out", part, "--resume")...)
	require.Equal(t, 0, code, errOut)
	a, b := readEventFile(t, filepath.Join(full, "events.jsonl")), readEventFile(t, filepath.Join(part, "events.jsonl"))
	require.Len(t, b, 3)
	for i := range a {
		assert.Equal(t, a[i].Arch, b[i].Arch, "sample %d", i+1)
		assert.Equal(t, a[i].Reward, b[i].Reward, "sample %d", i+1)
		assert.Equal(t, i+1, b[i].Step)
	}
}

func TestReplay(t *testing.T) {
	dir := t.TempDir()
	good := `{"kind":"step","method":"darts","space":"darts","step":1,"epoch":0,"phase":"w","train_loss":2.3,"elapsed_s":1}
{"kind":"epoch","method":"darts","space":"darts","step":1,"epoch":0,"val_acc":0.25,"genotype":"G1","elapsed_s":2}
{"kind":"epoch","method":"darts","space":"darts","step":2,"epoch":1,"val_acc":0.5,"genotype":"G2","elapsed_s":4.5}
{"kind":"epoch","method":"darts","space":"darts","step":3,"epoch":2,"val_acc":0.4,"genotype":"G3","elapsed_s":6}
`
	path := filepath.Join(dir, "events.jsonl")
	require.NoError(t, os.WriteFile(path, []byte(good), 0o644))
	code, out, errOut := nas("replay", "--events", path, "--json")
	require.Equal(t, 0, code, errOut)
	var s replaySummary
	require.NoError(t, json.Unmarshal([]byte(out), &s))
	assert.Equal(t, replaySummary{File: path, Method: "darts", Space: "darts", Events: 4, Steps: 3, Epochs: 3,
		Genotype: "G3", BestAcc: 0.5, Duration: 6}, s)

	code, out, errOut = nas("replay", "--events", path, "--follow", "--speed", "0")
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, 4+2, strings.Count(out, "\n"), "4 timeline lines, then the summary and its genotype:\n%s", out)
	assert.Contains(t, out, "epoch 1: train acc 0.0000 val acc 0.5000  G2")

	for _, tc := range []struct {
		name, body, want string
	}{
		{"not json", good + "oops\n", ":5: not a search event"},
		{"unknown field", `{"kind":"step","method":"darts","step":1,"epoch":0,"lossy":1}` + "\n", `:1: not a search event: json: unknown field "lossy"`},
		{"kind", `{"kind":"stop","method":"darts","step":1,"epoch":0}` + "\n", `:1: kind "stop"`},
		{"method", `{"kind":"step","step":1,"epoch":0}` + "\n", ":1: no method"},
		{"empty", "", "no events"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(dir, tc.name+".jsonl")
			require.NoError(t, os.WriteFile(p, []byte(tc.body), 0o644))
			code, _, errOut := nas("replay", "--events", p)
			assert.Equal(t, exitUsage, code)
			assert.Contains(t, errOut, p)
			assert.Contains(t, errOut, tc.want)
			assert.Equal(t, 1, strings.Count(errOut, "\n"))
		})
	}
	code, _, _ = nas("replay")
	assert.Equal(t, exitUsage, code)
}
