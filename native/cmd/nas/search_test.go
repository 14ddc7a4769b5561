package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/search"
)

// The search network's size matches the reference (shared/bench/README.md:
// 1,930,618 weights and 300,255,744 MACs per 32×32 image at C=16, 8 layers).
func TestSearchDryRun(t *testing.T) {
	code, out, errOut := nas("search", "--dry-run", "--json")
	require.Equal(t, 0, code, errOut)
	var got struct {
		Params int   `json:"params"`
		Alphas int   `json:"alphas"`
		MACs   int64 `json:"fwd_macs_per_image"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.Equal(t, 1930618, got.Params)
	assert.Equal(t, 224, got.Alphas)
	assert.Equal(t, int64(300255744), got.MACs)
}

func TestSearchUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"search", "--bogus"},
		{"search", "--order", "3"},
		{"search", "--ops", "foo"},
		{"search", "--dataset", "cifar10", "--max-steps", "1"}, // no --data
		{"search", "--dataset", "demo", "--resume"},            // no --out
		{"search", "--metrics-format", "xml"},
		{"search", "--method", "darts", "--space", "nb201"},
	} {
		code, _, errOut := nas(args...)
		assert.Equal(t, 2, code, "%v", args)
		assert.Equal(t, 1, strings.Count(strings.TrimSpace(errOut), "\n")+1, "one line for %v: %q", args, errOut)
	}
}

// tinyDarts is a DARTS search on the embedded demo set small enough for a unit test.
var tinyDarts = []string{"search", "--dataset", "demo", "--C", "4", "--layers", "3", "--batch", "32",
	"--epochs", "2", "--train-portion", "0.02", "--val-limit", "32", "--threads", "1", "--seed", "5"}

// A search writes its files, and one stopped by --max-steps and resumed ends
// with the same genotype as an uninterrupted one, with the events appended.
func TestSearchDartsOutputAndResume(t *testing.T) {
	full := t.TempDir()
	code, out, errOut := nas(append(tinyDarts, "--out", full)...)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "final genotype: Genotype(")
	for _, f := range []string{"events.jsonl", "genotype.txt", "genotype.json", "normal.svg", "normal.png", "reduce.svg", "reduce.png", "cell.dot", "checkpoint.bin"} {
		st, err := os.Stat(filepath.Join(full, f))
		require.NoError(t, err, f)
		assert.Positive(t, st.Size(), f)
	}
	fullEvents := readEventFile(t, filepath.Join(full, "events.jsonl"))

	part := t.TempDir()
	code, _, errOut = nas(append(tinyDarts, "--out", part, "--max-steps", "3")...)
	require.Equal(t, 0, code, errOut)
	code, _, errOut = nas(append(tinyDarts, "--out", part, "--resume")...)
	require.Equal(t, 0, code, errOut)
	partEvents := readEventFile(t, filepath.Join(part, "events.jsonl"))
	require.Equal(t, len(fullEvents), len(partEvents), "resumed events are appended, none lost or repeated")
	for i := range fullEvents {
		assert.Equal(t, fullEvents[i].Kind, partEvents[i].Kind, "event %d", i)
		assert.Equal(t, fullEvents[i].Genotype, partEvents[i].Genotype, "event %d", i)
		assert.Equal(t, fullEvents[i].TrainLoss, partEvents[i].TrainLoss, "event %d", i)
	}
	g1, err := os.ReadFile(filepath.Join(full, "genotype.txt"))
	require.NoError(t, err)
	g2, err := os.ReadFile(filepath.Join(part, "genotype.txt"))
	require.NoError(t, err)
	assert.Equal(t, string(g1), string(g2))
	assert.Equal(t, search.KindEpoch, fullEvents[len(fullEvents)-1].Kind)
}

// Katib's StdOut collector parses name=value lines.
func TestSearchKatibMetrics(t *testing.T) {
	args := append(append([]string{}, tinyDarts...), "--epochs", "1", "--metrics-format", "katib")
	code, out, errOut := nas(args...)
	require.Equal(t, 0, code, errOut)
	assert.Regexp(t, `(?m)^epoch=0\nTrain-Loss=[0-9.]+\nTrain-Accuracy=[0-9.]+\nValidation-Loss=[0-9.]+\nValidation-Accuracy=[0-9.]+$`, out)
}
