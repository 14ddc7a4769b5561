package genotype_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/genotype"
)

// The reference's lines, verbatim (quark0/darts rnn/genotypes.py).
const (
	refRNNV1 = "Genotype(recurrent=[('relu', 0), ('relu', 1), ('tanh', 2), ('relu', 3), ('relu', 4), ('identity', 1), ('relu', 5), ('relu', 1)], concat=range(1, 9))"
	refRNNV2 = "Genotype(recurrent=[('sigmoid', 0), ('relu', 1), ('relu', 1), ('identity', 1), ('tanh', 2), ('sigmoid', 5), ('tanh', 3), ('relu', 5)], concat=range(1, 9))"
)

func TestRecurrentRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name, text string
	}{{"DARTS_RNN_V1", refRNNV1}, {"DARTS_RNN_V2", refRNNV2}} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := genotype.NamedRecurrent(tc.name)
			require.NoError(t, err)
			assert.Equal(t, tc.text, r.String())
			p, err := genotype.ParseRecurrent(tc.text)
			require.NoError(t, err)
			assert.True(t, p.Equal(r))
			assert.Equal(t, tc.text, p.String())
			q, err := genotype.ParseRecurrent(tc.name + " = " + tc.text)
			require.NoError(t, err)
			assert.True(t, q.Equal(r))
		})
	}
	// Lists stay lists; double quotes and trailing commas are accepted.
	r, err := genotype.ParseRecurrent(`Genotype(concat=[1, 2], recurrent=[("tanh", 0), ("relu", 1),],)`)
	require.NoError(t, err)
	assert.Equal(t, "Genotype(recurrent=[('tanh', 0), ('relu', 1)], concat=[1, 2])", r.String())
	b, err := json.Marshal(genotype.DARTS_RNN_V2)
	require.NoError(t, err)
	assert.JSONEq(t, `{"recurrent":[["sigmoid",0],["relu",1],["relu",1],["identity",1],["tanh",2],["sigmoid",5],["tanh",3],["relu",5]],"concat":[1,2,3,4,5,6,7,8]}`, string(b))
}

func TestRecurrentErrors(t *testing.T) {
	for _, tc := range []struct{ name, text, want string }{
		{"input ahead", "Genotype(recurrent=[('tanh', 1)], concat=range(1, 2))", "input 1 of node 0 out of range 0..0"},
		{"unknown op", "Genotype(recurrent=[('gelu', 0)], concat=range(1, 2))", `unknown recurrent op "gelu"`},
		{"none op", "Genotype(recurrent=[('none', 0)], concat=range(1, 2))", "want tanh, relu, sigmoid or identity"},
		{"concat beyond", "Genotype(recurrent=[('tanh', 0)], concat=range(1, 3))", "want states 0..1"},
		{"missing concat", "Genotype(recurrent=[('tanh', 0)])", "missing field concat"},
		{"cnn field", "Genotype(normal=[], concat=[1])", `want recurrent or concat got "normal"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := genotype.ParseRecurrent(tc.text)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// TestDeriveRecurrent: crafted weights pick the expected input and op per
// node, and none is never picked even where it is largest.
func TestDeriveRecurrent(t *testing.T) {
	const steps = 3
	w := make([][]float64, steps*(steps+1)/2)
	for i := range w {
		w[i] = []float64{0.9, 0.01, 0.02, 0.03, 0.04} // none dominates every row
	}
	w[0] = []float64{0.9, 0.05, 0.02, 0.02, 0.01} // node 0: tanh from 0
	w[1+1] = []float64{0.5, 0.1, 0.3, 0.05, 0.05} // node 1 reads state 1 with relu
	w[3+0] = []float64{0.2, 0.1, 0.1, 0.5, 0.1}   // node 2 reads state 0 with sigmoid
	r, err := genotype.DeriveRecurrent(w, steps)
	require.NoError(t, err)
	assert.Equal(t, "Genotype(recurrent=[('tanh', 0), ('relu', 1), ('sigmoid', 0)], concat=range(1, 4))", r.String())
	_, err = genotype.DeriveRecurrent(w[:5], steps)
	assert.Error(t, err)
}
