package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/data"
	"github.com/nasplayground/nas/core/genotype"
	"github.com/nasplayground/nas/core/nn"
	"github.com/nasplayground/nas/core/run"
	"github.com/nasplayground/nas/core/search"
)

// lastJSON decodes the last line of out.
func lastJSON(t *testing.T, out string) map[string]any {
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(lines[len(lines)-1]), &m), out)
	return m
}

// --then-train trains the searched genotype exactly as `nas train` does (the
// same test accuracy from the same flags and seed), ends --json with a line
// holding both parts, and a resume of the finished folder reports the same.
func TestSearchThenTrain(t *testing.T) {
	dataDir := tinyDemoDir(t, 64, 32)
	out := t.TempDir()
	args := []string{"search", "--dataset", "demo", "--data", dataDir, "--C", "4", "--layers", "3", "--batch", "32",
		"--epochs", "1", "--train-portion", "0.5", "--val-limit", "32", "--threads", "1", "--seed", "5",
		"--then-train", "--train-epochs", "1", "--train-C", "4", "--train-layers", "3", "--train-batch", "32", "--json", "--out", out}
	code, stdout, errOut := nas(args...)
	require.Equal(t, 0, code, errOut)
	got := lastJSON(t, stdout)
	for _, k := range []string{"search_val_acc", "genotype", "test_acc", "best_test_acc", "params", "train_epochs"} {
		assert.Contains(t, got, k)
	}
	assert.Equal(t, true, got["train_done"])
	assert.EqualValues(t, 1, got["train_epochs"])

	// The genotype is the search's answer, as written in --out.
	gtxt, err := os.ReadFile(filepath.Join(out, "genotype.txt"))
	require.NoError(t, err)
	assert.Equal(t, strings.TrimSpace(string(gtxt)), got["genotype"])
	// The search's figure is its last epoch's validation accuracy.
	evs := readEventFile(t, filepath.Join(out, "events.jsonl"))
	assert.Equal(t, evs[len(evs)-1].ValAcc, got["search_val_acc"])

	// `nas train` with the same genotype, sizes and seed gives the same run.
	alone := t.TempDir()
	code, _, errOut = nas("train", "--genotype", got["genotype"].(string), "--dataset", "demo", "--data", dataDir,
		"--C", "4", "--layers", "3", "--batch", "32", "--epochs", "1", "--seed", "5", "--threads", "1", "--out", alone)
	require.Equal(t, 0, code, errOut)
	var res trainResult
	b, err := os.ReadFile(filepath.Join(alone, trainResultFile))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &res))
	assert.Equal(t, res.TestAcc, got["test_acc"])
	assert.EqualValues(t, res.Params, got["params"])
	assert.Equal(t, res.TestLoss, got["test_loss"])
	// The evaluation's own files are in --out/train, the summary in --out.
	for _, f := range []string{"events.jsonl", trainCheckpointFile, trainResultFile} {
		_, err := os.Stat(filepath.Join(out, thenTrainDir, f))
		assert.NoError(t, err, f)
	}
	b, err = os.ReadFile(filepath.Join(out, thenTrainResult))
	require.NoError(t, err)
	assert.Equal(t, got, lastJSON(t, string(b)))

	// Both parts are done: a resume steps neither and reports the same figures.
	code, stdout, errOut = nas(append(args, "--resume")...)
	require.Equal(t, 0, code, errOut)
	again := lastJSON(t, stdout)
	assert.Equal(t, got["test_acc"], again["test_acc"])
	assert.Equal(t, got["genotype"], again["genotype"])
	assert.Len(t, readEventFile(t, filepath.Join(out, "events.jsonl")), len(evs))
}

func TestThenTrainUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--then-train", "--train-C", "0"}, "--train-C 0"},
		{[]string{"--then-train", "--train-lr", "-1"}, "--train-lr -1"},
		{[]string{"--train-epochs", "3"}, "--train-epochs needs --then-train"},
		{[]string{"--early-stop", "--method", "random"}, "--early-stop"},
		{[]string{"--then-train", "--space", "nb201", "--method", "random"}, "nb201"},
	} {
		code, _, errOut := nas(append([]string{"search", "--dataset", "demo", "--max-steps", "1"}, tc.args...)...)
		assert.Equal(t, exitUsage, code, "%v", tc.args)
		assert.Equal(t, 1, strings.Count(strings.TrimSpace(errOut), "\n")+1, "one line: %q", errOut)
		assert.Contains(t, errOut, tc.want)
	}
}

// DARTS+ criterion 2 through the CLI: with an α learning rate so small that α
// cannot move, its ranking is the same after epoch 1 as after epoch 0, so
// patience 1 stops a 3-epoch search there, and the genotype is written.
// (Seed 5's initial α derives a normal cell with fewer than 2 skip_connect
// edges; with another seed criterion 1 may stop epoch 0 first.)
func TestEarlyStopStableRanking(t *testing.T) {
	dataDir := tinyDemoDir(t, 64, 32)
	out := t.TempDir()
	code, _, errOut := nas("search", "--dataset", "demo", "--data", dataDir, "--C", "4", "--layers", "3", "--batch", "32",
		"--epochs", "3", "--train-portion", "0.5", "--val-limit", "32", "--threads", "1", "--seed", "5", "--arch-lr", "1e-12",
		"--early-stop", "--early-stop-patience", "1", "--json", "--out", out)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, errOut, "criterion 2")
	var epochs []search.Event
	for _, ev := range readEventFile(t, filepath.Join(out, "events.jsonl")) {
		if ev.Kind == search.KindEpoch {
			epochs = append(epochs, ev)
		}
	}
	require.Len(t, epochs, 2, "stopped at the end of epoch 1 of 3")
	for _, f := range []string{"genotype.txt", "normal.svg", "reduce.png", checkpointFile} {
		_, err := os.Stat(filepath.Join(out, f))
		assert.NoError(t, err, f)
	}
}

// A search whose α makes every normal edge skip_connect warns in the epoch
// event and on stderr, and --early-stop ends it there (DARTS+ criterion 1)
// through run.Drive: checkpoint and genotype files are written, and a resume
// of the folder does not search on.
func TestCollapseWarningAndEarlyStop(t *testing.T) {
	dataDir := tinyDemoDir(t, 64, 32)
	train, err := data.Load("demo", dataDir, true)
	require.NoError(t, err)
	nn.SetThreads(1)
	cfg := run.DefaultConfig()
	cfg.Method, cfg.Space, cfg.Dataset, cfg.Seed = "darts", run.SpaceDARTS, "demo", 5
	dc := &cfg.DARTS
	dc.C, dc.Layers, dc.Batch, dc.Epochs, dc.TrainPortion, dc.ValLimit, dc.Ops = 4, 3, 32, 3, 0.5, 32, run.SpaceDARTS
	r, err := run.New(cfg, run.Data{Train: train})
	require.NoError(t, err)
	a := r.Searcher.(*run.DARTS).Net.AlphaNormal.Value
	skip := slices.Index(genotype.DARTSOps, genotype.SkipConnect)
	for e := range a.Dim(0) {
		a.Data[e*a.Dim(1)+skip] = 10 // softmax ≈ 1 on skip_connect, far beyond what an epoch of α steps moves
	}
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	f := searchFlags{runFlags: runFlags{out: out}, jsonOut: true, tt: &thenTrain{earlyStop: true, patience: 10}}
	require.NoError(t, searchThenTrain(r, f, -1, &stdout, &stderr, searchDARTS))
	assert.Contains(t, stderr.String(), "nas: warning: epoch 0: collapse: the normal cell has 8 of 8 edges skip_connect")
	assert.Contains(t, stderr.String(), "criterion 1")
	assert.Contains(t, stderr.String(), "nas: warning: final genotype: collapse")
	evs := readEventFile(t, filepath.Join(out, "events.jsonl"))
	last := evs[len(evs)-1]
	require.Equal(t, search.KindEpoch, last.Kind)
	assert.Equal(t, 0, last.Epoch, "stopped after the first of 3 epochs")
	assert.Contains(t, last.Warning, "collapse")
	g, err := os.ReadFile(filepath.Join(out, "genotype.txt"))
	require.NoError(t, err)
	assert.Equal(t, 8, strings.Count(string(g[:strings.Index(string(g), "reduce=")]), "skip_connect"))
	ck, err := run.Load(filepath.Join(out, checkpointFile))
	require.NoError(t, err)
	st, err := os.Stat(filepath.Join(out, "events.jsonl"))
	require.NoError(t, err)
	assert.Equal(t, st.Size(), ck.Events, "the checkpoint was saved at the stop, with every event")

	// A resume with --early-stop finds the stop in the epochs it replays and searches no further.
	code, _, errOut := nas("search", "--dataset", "demo", "--data", dataDir, "--threads", "1", "--early-stop", "--json", "--out", out, "--resume")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, errOut, "the search had stopped early: early stop (DARTS+ criterion 1)")
	assert.Len(t, readEventFile(t, filepath.Join(out, "events.jsonl")), len(evs))
}
