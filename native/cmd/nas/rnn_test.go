package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/genotype"
	"github.com/nasplayground/nas/core/rnn"
)

// TestRNNCommand runs `nas rnn search` and `nas rnn train` on a toy text in
// the PTB layout: a JSON line with both perplexities and the genotype, the
// genotype file and one event per validation; a missing folder exits 2.
func TestRNNCommand(t *testing.T) {
	data := t.TempDir()
	require.NoError(t, rnn.WriteToyPTB(data))
	for _, sub := range []string{"search", "train"} {
		t.Run(sub, func(t *testing.T) {
			out := t.TempDir()
			code, stdout, errOut := nas("rnn", sub, "--data", data, "--iters", "6", "--hidden", "8", "--nodes", "3", "--batch", "4",
				"--bptt", "5", "--eval-tokens", "0", "--genotype", "DARTS_RNN_V1", "--out", out, "--json")
			require.Equal(t, 0, code, errOut)
			var res rnnJSON
			require.NoError(t, json.Unmarshal([]byte(stdout), &res))
			assert.Equal(t, "ptb.valid.txt", res.TrainText)
			assert.Equal(t, "ptb.test.txt", res.EvalText)
			assert.Equal(t, 6, res.Steps)
			assert.Positive(t, res.PplBefore)
			assert.Positive(t, res.PplAfter)
			g, err := genotype.ParseRecurrent(res.Genotype)
			require.NoError(t, err)
			if sub == "train" {
				assert.True(t, g.Equal(genotype.DARTS_RNN_V1))
			} else {
				assert.Len(t, g.Nodes, 3)
			}
			b, err := os.ReadFile(filepath.Join(out, "genotype.txt"))
			require.NoError(t, err)
			assert.Equal(t, res.Genotype+"\n", string(b))
			evs := readEventFile(t, filepath.Join(out, "events.jsonl"))
			assert.Len(t, evs, 6) // --iters/10 rounds up to a validation every step
		})
	}
	code, _, errOut := nas("rnn", "search", "--data", filepath.Join(data, "missing"))
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "ptb.valid.txt")
}
