package data_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/data"
)

func TestReadTokens(t *testing.T) {
	v := data.NewVocab()
	ids, err := data.ReadTokens(strings.NewReader(" the cat <unk>\n\nthe  N\n"), "t", v)
	require.NoError(t, err)
	// the=0 cat=1 <unk>=2 <eos>=3 N=4
	assert.Equal(t, []int32{0, 1, 2, 3, 3, 0, 4, 3}, ids)
	assert.Equal(t, []string{"the", "cat", "<unk>", "<eos>", "N"}, v.Words)
	id, ok := v.ID("N")
	assert.True(t, ok)
	assert.Equal(t, int32(4), id)
	_, err = data.ReadTokens(strings.NewReader(""), "empty.txt", v)
	assert.ErrorContains(t, err, "empty.txt: empty text")
}

func TestBatchify(t *testing.T) {
	ids := []int32{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	out, steps := data.Batchify(ids, 3) // streams 0..2, 3..5, 6..8; 9, 10 dropped
	assert.Equal(t, 3, steps)
	assert.Equal(t, []int32{0, 3, 6, 1, 4, 7, 2, 5, 8}, out)
}

// TestPTBCounts reads the shared Penn Treebank files when present and checks
// the token counts their README states.
func TestPTBCounts(t *testing.T) {
	dir := "/work/shared/data/ptb"
	if _, err := os.Stat(filepath.Join(dir, "ptb.valid.txt")); err != nil {
		t.Skip("PTB text not present")
	}
	v := data.NewVocab()
	valid, err := data.ReadTextFile(filepath.Join(dir, "ptb.valid.txt"), v)
	require.NoError(t, err)
	test, err := data.ReadTextFile(filepath.Join(dir, "ptb.test.txt"), v)
	require.NoError(t, err)
	assert.Equal(t, 73760, len(valid))
	assert.Equal(t, 82430, len(test))
	assert.Equal(t, 7595+1, v.Len(), "7,595 words and <eos>")
}
