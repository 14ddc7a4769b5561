package train_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/data"
	"github.com/nasplayground/nas/core/genotype"
	"github.com/nasplayground/nas/core/search"
	"github.com/nasplayground/nas/core/tensor"
	"github.com/nasplayground/nas/core/train"
)

// colours returns a separable set that crop and flip keep separable: the
// class is the bright channel (red, green, blue), or none.
func colours(n, size int, seed uint64) *data.Dataset {
	rng := tensor.NewRNG(seed)
	ds := &data.Dataset{Name: "colours", N: n, C: 3, H: size, W: size, Pixels: make([]uint8, n*3*size*size),
		Labels: make([]uint8, n), Classes: []string{"red", "green", "blue", "grey"}}
	for i := range n {
		c := i % 4
		ds.Labels[i] = uint8(c)
		img := ds.Pixels[i*3*size*size : (i+1)*3*size*size]
		for k := range img {
			v := 40 + rng.IntN(60)
			if k/(size*size) == c {
				v += 100
			}
			img[k] = uint8(v)
		}
	}
	return ds
}

// tiny is a small cell: one sep conv and one skip per node, 2 nodes.
func tiny(t *testing.T) genotype.Genotype {
	g, err := genotype.Parse("Genotype(normal=[('sep_conv_3x3', 0), ('skip_connect', 1), ('max_pool_3x3', 2), ('skip_connect', 0)], " +
		"normal_concat=[2, 3], reduce=[('max_pool_3x3', 0), ('skip_connect', 1), ('avg_pool_3x3', 2), ('max_pool_3x3', 1)], reduce_concat=[2, 3])")
	require.NoError(t, err)
	return g
}

func tinyConfig(t *testing.T) train.Config {
	cfg := train.DefaultConfig()
	cfg.Genotype, cfg.C, cfg.Layers, cfg.Batch, cfg.Epochs, cfg.Threads, cfg.Seed = tiny(t), 4, 3, 16, 4, 1, 7
	cfg.LR = 0.05
	return cfg
}

// run steps until done and returns the epoch events and every step event.
func run(t *testing.T, tr *train.Trainer) (epochs, steps []search.Event) {
	for !tr.Done() {
		ev, err := tr.Step()
		require.NoError(t, err)
		if ev.Kind == search.KindEpoch {
			epochs = append(epochs, ev)
		} else {
			steps = append(steps, ev)
		}
	}
	return epochs, steps
}

func TestTrainerLearns(t *testing.T) {
	tr, err := train.New(tinyConfig(t), colours(128, 8, 1), colours(64, 8, 2))
	require.NoError(t, err)
	require.Equal(t, 8, tr.StepsPerEpoch())
	epochs, steps := run(t, tr)
	require.Len(t, epochs, 4)
	require.Len(t, steps, 32)
	for _, ev := range epochs {
		t.Logf("epoch %d: train loss %.4f acc %.3f, test loss %.4f acc %.3f", ev.Epoch, ev.TrainLoss, ev.TrainAcc, ev.ValLoss, ev.ValAcc)
	}
	first, last := epochs[0], epochs[len(epochs)-1]
	assert.Less(t, last.TrainLoss, first.TrainLoss, "training loss falls")
	assert.Less(t, last.ValLoss, math.Log(4), "test loss below chance")
	assert.Greater(t, last.ValAcc, 0.9, "the bright channel is learnt")
	assert.Greater(t, last.TrainAcc, first.TrainAcc)
	for i, ev := range epochs {
		assert.Equal(t, i, ev.Epoch)
		assert.Equal(t, 8*(i+1), ev.Step)
		assert.InDelta(t, 0.05*(1+math.Cos(math.Pi*float64(i)/4))/2, ev.LR, 1e-12, "cosine to 0 over the epochs")
	}
	_, err = tr.Step()
	assert.ErrorContains(t, err, "already done")

	// TestLimit counts images, not batches (of 16 here).
	tr.Net.Classifier.B.Value.Data[0] += 1e3 // class 0 everywhere: accuracy 1/4 exactly on 4 balanced classes, 5/20
	_, acc := tr.Evaluate(colours(64, 8, 2), 20)
	assert.Equal(t, 0.25, acc)
	_, acc = tr.Evaluate(colours(64, 8, 2), 22)
	assert.Equal(t, 6.0/22, acc, "images 0, 4, ..., 20 are class 0 (a whole second batch would give 8/32)")
}

func TestDropPathRamp(t *testing.T) {
	cfg := tinyConfig(t)
	cfg.DropPath, cfg.Epochs = 0.3, 3
	tr, err := train.New(cfg, colours(32, 8, 1), colours(16, 8, 2))
	require.NoError(t, err)
	for !tr.Done() {
		ev, err := tr.Step()
		require.NoError(t, err)
		if ev.Kind == search.KindStep {
			// train.py: model.drop_path_prob = drop_path_prob * epoch / epochs
			assert.InDelta(t, 0.3*float64(ev.Epoch)/3, tr.Net.DropPath, 1e-15, "epoch %d", ev.Epoch)
		}
	}
	assert.InDeltaSlice(t, []float64{0, 0.1, 0.2}, []float64{tr.DropPathAt(0), tr.DropPathAt(1), tr.DropPathAt(2)}, 1e-15)
}

func gradsOf(vs []*autograd.Var) [][]float32 {
	out := make([][]float32, len(vs))
	for i, v := range vs {
		out[i] = append([]float32(nil), v.Grad.Data...)
	}
	return out
}

// TestAuxiliaryWeight checks loss = CE + w·CE(aux): the first step's loss is
// affine in w, the classifier's gradient does not depend on w, the aux head's
// gradient is proportional to w, and there is no aux head without Auxiliary.
func TestAuxiliaryWeight(t *testing.T) {
	trainSet, testSet := colours(8, 32, 1), colours(4, 32, 2)
	first := func(aux bool, w float64) (*train.Trainer, search.Event) {
		cfg := tinyConfig(t)
		cfg.Batch, cfg.Auxiliary, cfg.AuxWeight, cfg.GradClip, cfg.DropPath = 8, aux, w, 0, 0
		tr, err := train.New(cfg, trainSet, testSet)
		require.NoError(t, err)
		ev, err := tr.Step()
		require.NoError(t, err)
		return tr, ev
	}
	t0, e0 := first(true, 0)
	t1, e1 := first(true, 0.4)
	t2, e2 := first(true, 0.8)
	ceAux := (e2.TrainLoss - e0.TrainLoss) / 0.8
	assert.Greater(t, ceAux, 0.5, "the aux head's CE on 4 classes starts near log 4")
	assert.InDelta(t, e0.TrainLoss+0.4*ceAux, e1.TrainLoss, 1e-5)
	assert.Equal(t, gradsOf(t0.Net.Classifier.Params()), gradsOf(t1.Net.Classifier.Params()), "CE(logits) does not see w")
	g0, g1, g2 := gradsOf(t0.Net.AuxHead.Params()), gradsOf(t1.Net.AuxHead.Params()), gradsOf(t2.Net.AuxHead.Params())
	for i := range g1 {
		for j := range g1[i] {
			assert.Zero(t, g0[i][j], "w = 0: no gradient reaches the aux head")
			assert.InDelta(t, 2*g1[i][j], g2[i][j], 1e-6+1e-4*math.Abs(float64(g2[i][j])))
		}
	}
	assert.NotZero(t, g1[len(g1)-2][0], "the aux classifier receives gradient")

	tn, _ := first(false, 0.4)
	assert.Nil(t, tn.Net.AuxHead)
	assert.Equal(t, len(tn.Net.Params()), len(tn.Net.AllParams()))

	cfg := tinyConfig(t)
	cfg.Auxiliary = true
	_, err := train.New(cfg, colours(8, 28, 1), colours(4, 28, 2))
	assert.ErrorContains(t, err, "28×28")
}

func TestResumeEquality(t *testing.T) {
	trainSet, testSet := colours(40, 8, 1), colours(12, 8, 2)
	cfg := tinyConfig(t)
	cfg.Epochs, cfg.DropPath, cfg.Cutout = 2, 0.2, 3
	ref, err := train.New(cfg, trainSet, testSet)
	require.NoError(t, err)
	refEpochs, refSteps := run(t, ref)

	for _, stop := range []int{2, 3, 4} { // mid-epoch, end of epoch before its evaluation, after it
		a, err := train.New(cfg, trainSet, testSet)
		require.NoError(t, err)
		for range stop {
			_, err := a.Step()
			require.NoError(t, err)
		}
		state, err := a.MarshalBinary()
		require.NoError(t, err)
		b, err := train.New(cfg, trainSet, testSet)
		require.NoError(t, err)
		require.NoError(t, b.UnmarshalBinary(state))
		epochs, steps := run(t, b)
		require.Len(t, steps, len(refSteps)-min(stop, 3))
		for i, ev := range steps {
			want := refSteps[len(refSteps)-len(steps)+i]
			assert.Equal(t, want.TrainLoss, ev.TrainLoss, "stop %d step %d", stop, ev.Step)
			assert.Equal(t, want.Step, ev.Step)
		}
		last, refLast := epochs[len(epochs)-1], refEpochs[len(refEpochs)-1]
		assert.Equal(t, refLast.ValLoss, last.ValLoss, "stop %d", stop)
		assert.Equal(t, len(refEpochs), len(b.Snapshot().Epochs))
		for i, p := range b.Net.AllParams() {
			assert.Equal(t, ref.Net.AllParams()[i].Value.Data, p.Value.Data)
		}
	}
}

func TestBadInput(t *testing.T) {
	cfg := tinyConfig(t)
	trainSet, testSet := colours(16, 8, 1), colours(8, 8, 2)
	for _, tc := range []struct {
		name string
		edit func(c *train.Config)
		want string
	}{
		{"layers", func(c *train.Config) { c.Layers = 2 }, "layers = 2"},
		{"drop path", func(c *train.Config) { c.DropPath = 1 }, "drop path = 1"},
		{"no genotype", func(c *train.Config) { c.Genotype = genotype.Genotype{} }, "genotype"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := cfg
			tc.edit(&c)
			_, err := train.New(c, trainSet, testSet)
			assert.ErrorContains(t, err, tc.want)
		})
	}
	tr, err := train.New(cfg, trainSet, testSet)
	require.NoError(t, err)
	assert.ErrorContains(t, tr.UnmarshalBinary([]byte("NASPLAYGROUND-DARTS-CKPT 1\n")), "train state does not decode")
}

func TestNaNLossNamesEpochAndStep(t *testing.T) {
	tr, err := train.New(tinyConfig(t), colours(32, 8, 1), colours(8, 8, 2))
	require.NoError(t, err)
	for range 3 {
		_, err := tr.Step()
		require.NoError(t, err)
	}
	tr.Net.Classifier.W.Value.Data[0] = float32(math.NaN())
	_, err = tr.Step()
	assert.EqualError(t, err, "train: training loss is NaN at epoch 1 step 3 (w phase); the update was not applied")
}

// TestAddScaledGrad checks the backward of the loss sum a + w·b that adds
// the auxiliary head's loss (train.py: loss += auxiliary_weight·loss_aux)
// against central differences, for the reference's weight 0.4 and others.
func TestAddScaledGrad(t *testing.T) {
	for _, w := range []float64{0.4, 1, -2.5} {
		a := autograd.Param(tensor.FromData([]float32{0.7}, 1), "a")
		b := autograd.Param(tensor.FromData([]float32{-1.3}, 1), "b")
		res := autograd.CheckGrad(func(tp *autograd.Tape) *autograd.Var { return train.AddScaled(tp, a, b, w) },
			[]*autograd.Var{a, b}, 1e-2, 3)
		// linear: central differences are exact up to float32 rounding, and a
		// backward scaled by 1.01 is 0.0099 off in CheckGrad's measure
		assert.Less(t, res.MaxErr, 1e-3, "w = %g: %v", w, res)
	}
}
