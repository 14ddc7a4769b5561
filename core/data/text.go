package data

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
)

// EOS is the end-of-sentence token appended to every line of a text corpus,
// as the word-level language-model readers of AWD-LSTM and quark0/darts
// rnn/data.py do.
const EOS = "<eos>"

// Vocab maps words to ids in order of first appearance.
type Vocab struct {
	Words []string
	ids   map[string]int32
}

// NewVocab returns an empty vocabulary.
func NewVocab() *Vocab { return &Vocab{ids: map[string]int32{}} }

// Add returns the id of w, adding it when new.
func (v *Vocab) Add(w string) int32 {
	if id, ok := v.ids[w]; ok {
		return id
	}
	id := int32(len(v.Words))
	v.ids[w] = id
	v.Words = append(v.Words, w)
	return id
}

// ID returns the id of w and whether it is known.
func (v *Vocab) ID(w string) (int32, bool) {
	id, ok := v.ids[w]
	return id, ok
}

// Len returns the number of words.
func (v *Vocab) Len() int { return len(v.Words) }

// ReadTokens reads whitespace-separated words line by line from r, appending
// EOS after each line (blank lines included, as rnn/data.py does), and returns
// their ids, adding new words to v. name labels errors.
func ReadTokens(r io.Reader, name string, v *Vocab) ([]int32, error) {
	var ids []int32
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<16), 1<<22)
	for line := 1; sc.Scan(); line++ {
		for _, w := range strings.Fields(sc.Text()) {
			ids = append(ids, v.Add(w))
		}
		ids = append(ids, v.Add(EOS))
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("data: %s: %w", name, err)
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("data: %s: empty text", name)
	}
	return ids, nil
}

// ReadTextFile is ReadTokens on the file at path.
func ReadTextFile(path string, v *Vocab) ([]int32, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	defer f.Close()
	return ReadTokens(f, path, v)
}

// Batchify cuts ids into b parallel streams of equal length (the tail that
// does not fill a row is dropped), as rnn/utils.py batchify does: the result
// is time-major, out[t*b+j] = ids[j*T+t] with T = len(ids)/b, and T is returned.
func Batchify(ids []int32, b int) (out []int32, steps int) {
	if b < 1 {
		return nil, 0
	}
	steps = len(ids) / b
	out = make([]int32, steps*b)
	for j := range b {
		for t := range steps {
			out[t*b+j] = ids[j*steps+t]
		}
	}
	return out, steps
}
