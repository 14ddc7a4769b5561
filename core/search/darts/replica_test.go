package darts

import (
	"fmt"
	"math"
	"testing"

	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/data"
	"github.com/nasplayground/nas/core/search"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// replicas builds shards identical replicas of cfg on ds.
func replicas(t *testing.T, cfg Config, ds *data.Dataset, shards int, frozenBN bool) []*Replica {
	rs := make([]*Replica, shards)
	for k := range rs {
		r, err := NewReplica(cfg, ds, k, shards)
		require.NoError(t, err)
		r.FrozenBN = frozenBN
		rs[k] = r
	}
	return rs
}

// stepAll runs one data-parallel step (all its rounds) and returns replica 0's
// event and the summed vector of every round.
func stepAll(t *testing.T, rs []*Replica) (search.Event, [][]float32) {
	var sums [][]float32
	for {
		parts := make([][]float32, len(rs))
		for k, r := range rs {
			p, err := r.Partial()
			require.NoError(t, err)
			parts[k] = append([]float32(nil), p...)
		}
		sum := Sum(parts)
		sums = append(sums, sum)
		var ev search.Event
		var done bool
		for k, r := range rs {
			e, d, err := r.Apply(sum)
			require.NoError(t, err)
			if k == 0 {
				ev, done = e, d
			} else {
				require.Equal(t, done, d, "replicas agree on the end of a step")
			}
		}
		if done {
			return ev, sums
		}
	}
}

func flat(vs []*autograd.Var) []float32 {
	var out []float32
	for _, v := range vs {
		out = append(out, v.Value.Data...)
	}
	return out
}

func replicaState(r *Replica) []float32 {
	out := append(flat(r.S.Net.Alphas()), flat(r.S.Net.Weights())...)
	for _, b := range r.S.Net.Buffers() {
		out = append(out, b.Data...)
	}
	return out
}

func replicaConfig(order int) Config {
	cfg := tinyConfig()
	cfg.Threads, cfg.Epochs, cfg.Order = 1, 2, order
	return cfg
}

// One replica is Search.Step, bit for bit: the same events, α, w and BN
// running statistics after two epochs (both halves, the evaluations, first and
// second order).
func TestReplicaOfOneIsStep(t *testing.T) {
	ds := synthetic(64, 8, 2)
	for _, order := range []int{1, 2} {
		cfg := replicaConfig(order)
		ref, err := New(cfg, ds)
		require.NoError(t, err)
		rs := replicas(t, cfg, ds, 1, false)
		for i := 0; !ref.Done(); i++ {
			want, err := ref.Step()
			require.NoError(t, err)
			got, _ := stepAll(t, rs)
			want.StepSeconds, got.StepSeconds = 0, 0
			want.Elapsed, got.Elapsed, want.ImagesPerSec, got.ImagesPerSec = 0, 0, 0, 0
			require.Equal(t, want, got, "order %d, step %d", order, i)
		}
		assert.True(t, rs[0].Done())
		assert.Equal(t, replicaState(&Replica{S: ref}), replicaState(rs[0]), "order %d", order)
	}
}

// With BN on its running statistics every image's loss is independent of the
// others in its batch, so the summed shard gradients are the whole batch's
// gradient up to float summation order: compare 2 and 3 replicas (3 splits 16
// images 5/5/6) with one, round by round, over 4 iterations.
//
// Tolerance: the kernels accumulate in float32 and a shard sums its images
// separately, so sums of m terms (m ≤ 16·8·8 = 1024 per weight gradient here)
// are re-associated: error ≲ m·ε32·Σ|terms| in the worst case, ~√m·ε32 ≈ 2e-6
// relative in practice. We allow 1e-4 of the vector's largest entry, and for
// the parameters after the steps 1e-4 of the largest parameter change.
func TestReplicaShardsSumToWholeBatch(t *testing.T) {
	ds := synthetic(64, 8, 2)
	for _, order := range []int{1, 2} {
		for _, shards := range []int{2, 3} {
			cfg := replicaConfig(order)
			one := replicas(t, cfg, ds, 1, true)
			many := replicas(t, cfg, ds, shards, true)
			start := replicaState(one[0])
			for i := 0; i < 5; i++ { // 2 iterations and a half (order 2: 3 rounds per α half)
				ev1, sums1 := stepAll(t, one)
				evN, sumsN := stepAll(t, many)
				require.Len(t, sumsN, len(sums1))
				for j := range sums1 {
					if len(sums1[j]) == 0 { // the end-of-epoch evaluation exchanges nothing
						continue
					}
					// gradients and BN deltas (zero here); loss and accuracy below
					n := len(sums1[j]) - 2
					assertClose(t, sums1[j][:n], sumsN[j][:n], 1e-4, "order %d shards %d step %d round %d", order, shards, i, j)
				}
				assert.InDelta(t, ev1.TrainLoss+ev1.ValLoss, evN.TrainLoss+evN.ValLoss, 1e-5*math.Max(1, ev1.TrainLoss+ev1.ValLoss))
				assert.Equal(t, ev1.TrainAcc+ev1.ValAcc, evN.TrainAcc+evN.ValAcc)
			}
			s1, sN := replicaState(one[0]), replicaState(many[0])
			var moved float64
			for i := range s1 {
				moved = math.Max(moved, math.Abs(float64(s1[i]-start[i])))
			}
			require.Greater(t, moved, 0.0)
			for i := range s1 {
				require.InDelta(t, s1[i], sN[i], 1e-4*moved, "order %d shards %d parameter %d", order, shards, i)
			}
			for _, r := range many[1:] {
				assert.Equal(t, sN, replicaState(r), "replicas stay identical")
			}
		}
	}
}

func assertClose(t *testing.T, want, got []float32, rel float64, msg string, args ...any) {
	t.Helper()
	require.Len(t, got, len(want))
	var scale float64
	for _, v := range want {
		scale = math.Max(scale, math.Abs(float64(v)))
	}
	for i := range want {
		if d := math.Abs(float64(want[i] - got[i])); d > rel*scale {
			t.Fatalf("%s: entry %d: %g vs %g (|Δ| %g > %g·%g)", fmt.Sprintf(msg, args...), i, want[i], got[i], d, rel, scale)
		}
	}
}

// In training mode (per-shard BN statistics, the page's setting) the replicas
// stay bit-identical and the search learns. Per-shard normalisation is
// ghost-batch BN: the first α gradient of two shards points the way of the
// whole batch's (cosine logged, asserted > 0.9), and the loss trajectories
// are logged for the record; they are not compared point by point, since two
// different (both valid) training runs drift apart step by step.
func TestReplicasTrainWithShardBN(t *testing.T) {
	ds := synthetic(96, 8, 2)
	cfg := replicaConfig(1)
	cfg.Epochs = 3
	one := replicas(t, cfg, ds, 1, false)
	two := replicas(t, cfg, ds, 2, false)
	var e1, e2 []search.Event
	for i := 0; !one[0].Done(); i++ {
		ev1, s1 := stepAll(t, one)
		ev2, s2 := stepAll(t, two)
		if i == 0 {
			n := len(one[0].S.Net.AlphaNormal.Value.Data) + len(one[0].S.Net.AlphaReduce.Value.Data)
			c := cosine(s1[0][:n], s2[0][:n])
			t.Logf("first α gradient, 2 shards vs whole batch: cosine %.4f", c)
			assert.Greater(t, c, 0.9)
		}
		if ev1.Kind == search.KindEpoch {
			e1, e2 = append(e1, ev1), append(e2, ev2)
		}
	}
	assert.Equal(t, replicaState(two[0]), replicaState(two[1]), "replicas stay identical")
	require.Len(t, e2, 3)
	assert.Less(t, e2[2].TrainLoss, e2[0].TrainLoss/2, "two replicas train")
	for i := range e1 {
		t.Logf("epoch %d: train loss 1 replica %.4f, 2 replicas %.4f; val acc %.3f, %.3f", i, e1[i].TrainLoss, e2[i].TrainLoss, e1[i].ValAcc, e2[i].ValAcc)
	}
}

func cosine(a, b []float32) float64 {
	var ab, aa, bb float64
	for i := range a {
		ab += float64(a[i]) * float64(b[i])
		aa += float64(a[i]) * float64(a[i])
		bb += float64(b[i]) * float64(b[i])
	}
	return ab / math.Sqrt(aa*bb)
}

func TestReplicaErrors(t *testing.T) {
	_, err := NewReplica(tinyConfig(), synthetic(8, 8, 1), 2, 2)
	assert.ErrorContains(t, err, "replica 2 of 2")
	r, err := NewReplica(tinyConfig(), synthetic(64, 8, 1), 0, 2)
	require.NoError(t, err)
	_, _, err = r.Apply(nil)
	assert.ErrorContains(t, err, "without Partial")
	_, err = r.Partial()
	require.NoError(t, err)
	_, _, err = r.Apply([]float32{1, 2, 3})
	assert.ErrorContains(t, err, "too short")
}
