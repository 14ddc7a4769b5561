package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/assets/demo"
	"github.com/nasplayground/nas/core/data"
	"github.com/nasplayground/nas/core/search"
)

// nas runs the command line and returns the exit code, stdout and stderr.
func nas(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := execute(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestTrainDryRun(t *testing.T) {
	for _, tc := range []struct {
		name          string
		args          []string
		params, total int
	}{
		// DARTS train.py logs "param size = 3.349342MB" for DARTS_V2 at C=36, 20 layers.
		{"DARTS_V2", []string{"--genotype", "DARTS_V2"}, 3349342, 3349342},
		{"DARTS_V2 auxiliary", []string{"--genotype", "DARTS_V2", "--auxiliary"}, 3349342, 3825768},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := nas(append([]string{"train", "--dry-run", "--json"}, tc.args...)...)
			require.Equal(t, 0, code, errOut)
			assert.Regexp(t, `^\{"params": \d+, "params_total": \d+, "macs": \d+\}\n$`, out)
			var got struct {
				Params      int   `json:"params"`
				ParamsTotal int   `json:"params_total"`
				MACs        int64 `json:"macs"`
			}
			require.NoError(t, json.Unmarshal([]byte(out), &got))
			assert.Equal(t, tc.params, got.Params)
			assert.Equal(t, tc.total, got.ParamsTotal)
			assert.Greater(t, got.MACs, int64(500e6), "DARTS_V2 is about half a GMAC per CIFAR image")
		})
	}
}

func TestTrainUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown name", []string{"--genotype", "DARTS_V9", "--dry-run"}, `"DARTS_V9" is not a name`},
		{"malformed text", []string{"--genotype", "Genotype(normal=[('sep_conv_3x3', 0) x", "--dry-run"}, "offset 37"},
		{"no genotype", []string{"--dry-run"}, "--genotype is required"},
		{"wrong flag", []string{"--genotype", "DARTS_V2", "--epochz", "3"}, "epochz"},
		{"bad metrics format", []string{"--genotype", "DARTS_V2", "--metrics-format", "csv"}, `"csv"`},
		{"unknown data set", []string{"--genotype", "DARTS_V2", "--dataset", "imagenet"}, `"imagenet"`},
		{"missing data", []string{"--genotype", "DARTS_V2", "--dataset", "mnist", "--data", "/nonexistent/mnist"}, "/nonexistent/mnist"},
		{"aux head on 16×16", []string{"--genotype", "DARTS_V2", "--dataset", "demo", "--C", "4", "--layers", "3", "--auxiliary"}, "16×16"},
		{"negative train limit", []string{"--genotype", "DARTS_V2", "--train-limit", "-1"}, "--train-limit -1"},
		{"resume without out", []string{"--genotype", "DARTS_V2", "--resume"}, "--resume needs --out"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := nas(append([]string{"train"}, tc.args...)...)
			assert.Equal(t, exitUsage, code)
			lines := strings.Split(strings.TrimSpace(errOut), "\n")
			assert.Contains(t, lines[len(lines)-1], tc.want)
			if tc.name != "wrong flag" { // the flag package prints the usage after its error
				assert.Len(t, lines, 1, errOut)
			}
		})
	}
}

// tinyDemoDir writes the first n training and m test images of the demo set
// as a demo folder (plain CIFAR records; the reader detects gzip).
func tinyDemoDir(t *testing.T, n, m int) string {
	dir := t.TempDir()
	for _, f := range []struct {
		name string
		load func() (*data.Dataset, error)
		n    int
	}{{data.DemoTrainFile, demo.Train, n}, {data.DemoTestFile, demo.Test, m}} {
		ds, err := f.load()
		require.NoError(t, err)
		var b []byte
		for i := range f.n {
			b = append(append(b, ds.Labels[i]), ds.Image(i)...)
		}
		require.NoError(t, os.WriteFile(filepath.Join(dir, f.name), b, 0o644))
	}
	return dir
}

func TestTrainTinyRun(t *testing.T) {
	dataDir := tinyDemoDir(t, 64, 32)
	out := t.TempDir()
	base := []string{"train", "--genotype", "DARTS_V2", "--dataset", "demo", "--data", dataDir, "--C", "4", "--layers", "3",
		"--epochs", "2", "--batch", "32", "--threads", "1", "--out", out}

	// --max-steps stops inside the first epoch with a checkpoint and result.json.
	code, stdout, errOut := nas(append(base, "--json", "--max-steps", "1")...)
	require.Equal(t, 0, code, errOut)
	assert.Empty(t, stdout, "no epoch finished")
	evs := readEventFile(t, filepath.Join(out, "events.jsonl"))
	require.Len(t, evs, 1)
	assert.Equal(t, search.KindStep, evs[0].Kind)
	assert.Equal(t, 1, evs[0].Step)
	assert.FileExists(t, filepath.Join(out, trainCheckpointFile))

	// --resume continues to the end; events are appended, one JSON line per epoch on stdout.
	code, stdout, errOut = nas(append(base, "--json", "--resume")...)
	require.Equal(t, 0, code, errOut)
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	require.Len(t, lines, 2)
	for i, l := range lines {
		var ev search.Event
		require.NoError(t, json.Unmarshal([]byte(l), &ev))
		assert.Equal(t, search.KindEpoch, ev.Kind)
		assert.Equal(t, i, ev.Epoch)
		assert.Equal(t, 2*(i+1), ev.Step)
		assert.InDelta(t, 0.5, ev.ValAcc, 0.5)
	}
	evs = readEventFile(t, filepath.Join(out, "events.jsonl"))
	require.Len(t, evs, 6, "4 steps and 2 epochs")
	for i, ev := range evs {
		if ev.Kind == search.KindStep {
			assert.Equal(t, i+1-ev.Epoch, ev.Step, "event %d", i)
		}
	}
	var res trainResult
	b, err := os.ReadFile(filepath.Join(out, trainResultFile))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &res))
	assert.True(t, res.Done)
	assert.Equal(t, 2, res.Epochs)
	assert.Equal(t, 4, res.Steps)
	assert.Equal(t, evs[5].ValAcc, res.TestAcc)
	assert.Equal(t, 2858, res.Params)

	// Katib's stdout collector reads name=value lines.
	code, stdout, errOut = nas("train", "--genotype", "DARTS_V2", "--dataset", "demo", "--data", dataDir, "--C", "4",
		"--layers", "3", "--epochs", "1", "--batch", "64", "--threads", "1", "--metrics-format", "katib")
	require.Equal(t, 0, code, errOut)
	assert.Regexp(t, `^epoch=0\nTrain-Loss=[0-9.e+-]+\nTrain-Accuracy=[0-9.e+-]+\nValidation-Loss=[0-9.e+-]+\nValidation-Accuracy=[0-9.e+-]+\n$`, stdout)
}

func TestTrainEmbeddedDemoMaxSteps(t *testing.T) {
	out := t.TempDir()
	code, stdout, errOut := nas("train", "--genotype", "DARTS_V2", "--dataset", "demo", "--C", "4", "--layers", "3",
		"--epochs", "1", "--batch", "32", "--threads", "1", "--max-steps", "2", "--out", out)
	require.Equal(t, 0, code, errOut)
	assert.NotContains(t, stdout, "epoch 1/1  train", "no epoch finished")
	evs := readEventFile(t, filepath.Join(out, "events.jsonl"))
	require.Len(t, evs, 2)
	var res trainResult
	b, err := os.ReadFile(filepath.Join(out, trainResultFile))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &res))
	assert.Equal(t, 2, res.Steps)
	assert.False(t, res.Done)
	assert.Equal(t, 32, res.Config.Batch)
	assert.FileExists(t, filepath.Join(out, trainCheckpointFile))
}
