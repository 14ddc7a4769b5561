package run_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/nb201"
	"github.com/nasplayground/nas/core/run"
	"github.com/nasplayground/nas/core/search"
	"github.com/nasplayground/nas/core/search/evolution"
	"github.com/nasplayground/nas/core/search/pnas"
	"github.com/nasplayground/nas/core/search/random"
	"github.com/nasplayground/nas/core/search/rl"
)

func compareConfig(samples, repeats int) run.Config {
	cfg := run.DefaultConfig()
	cfg.Method, cfg.Space, cfg.Dataset, cfg.Seed = run.CompareMethod, run.SpaceNB201, "cifar10", 7
	cfg.Sampling.Samples, cfg.Sampling.Repeats, cfg.Sampling.Hidden = samples, repeats, 16
	return cfg
}

// The comparison's curves are the mean and population std over repeats of
// each strategy's best-so-far, computed here from the strategies directly.
func TestCompareMatchesStrategies(t *testing.T) {
	const samples, repeats = 40, 3
	tab, err := nb201.Load()
	require.NoError(t, err)
	eval := nb201.Evaluator{Table: tab, Dataset: "cifar10"}
	want := map[string][][]float64{}
	for r := range repeats {
		seed := uint64(7 + r)
		ec := evolution.DefaultConfig(samples, seed)
		rc := rl.DefaultConfig(samples, seed)
		rc.Controller.Hidden = 16
		evo, err := evolution.New(nb201.Space{}, eval, ec)
		require.NoError(t, err)
		pn, err := pnas.New(pnas.NB201{}, eval, pnas.DefaultConfig(samples, seed))
		require.NoError(t, err)
		for name, s := range map[string]search.Searcher{"random": random.New(nb201.Space{}, eval, samples, seed),
			"evolution": evo, "reinforce": rl.New(nb201.Space{}, eval, rc), "pnas": pn} {
			var curve []float64
			for !s.Done() {
				ev, err := s.Step()
				require.NoError(t, err)
				curve = append(curve, ev.Best)
			}
			want[name] = append(want[name], curve)
		}
	}
	for _, interleave := range []bool{false, true} {
		cfg := compareConfig(samples, repeats)
		cfg.Sampling.Interleave = interleave
		r, err := run.New(cfg, run.Data{})
		require.NoError(t, err)
		assert.Equal(t, len(run.CompareMethods)*samples*repeats, r.Total())
		_, err = run.Drive(context.Background(), r, run.Hooks{})
		require.NoError(t, err)
		c := r.Searcher.(*run.Compare)
		res := c.Results()
		require.Len(t, res, len(run.CompareMethods))
		for i, m := range run.CompareMethods {
			assert.Equal(t, m, res[i].Method)
			for k := range samples {
				col := make([]float64, repeats)
				for rep := range repeats {
					col[rep] = want[m][rep][k]
				}
				mean, std := nb201.MeanStd(col)
				assert.InDelta(t, mean, res[i].CurveMean[k], 1e-12, "%s sample %d", m, k)
				assert.InDelta(t, std, res[i].CurveStd[k], 1e-12)
			}
			cv := c.Curves(10)[i]
			assert.Equal(t, repeats, cv.Trials)
			assert.Equal(t, res[i].BestMean, cv.Final)
			assert.Equal(t, res[i].CurveMean[samples-1], cv.Y[len(cv.Y)-1])
		}
	}
}

// Drive saves on its wall-clock period, stops after MaxIterations, and the
// checkpoint resumes where it stopped.
func TestDriveCheckpointsAndResumes(t *testing.T) {
	cfg := compareConfig(30, 2)
	cfg.Sampling.Methods = []string{"evolution", "random"}
	cfg.Sampling.Population, cfg.Sampling.Tournament = 10, 3
	now := time.Unix(0, 0)
	clock := func() time.Time { now = now.Add(time.Minute); return now }
	path := filepath.Join(t.TempDir(), "ck.bin")
	r, err := run.New(cfg, run.Data{})
	require.NoError(t, err)
	var etas []time.Duration
	o, err := run.Drive(context.Background(), r, run.Hooks{Checkpoint: path, SaveEvery: 10 * time.Minute, MaxIterations: 45, Now: clock,
		OnEvent: func(ev search.Event, p run.Progress) error {
			etas = append(etas, p.ETA)
			assert.Equal(t, 120, p.Total)
			assert.Equal(t, run.UnitSamples, p.Unit)
			return nil
		}})
	require.NoError(t, err)
	assert.Equal(t, run.Outcome{Stop: run.Limit, Iterations: 45, Saved: true}, o)
	assert.Positive(t, etas[len(etas)-1])

	ck, err := run.Load(path)
	require.NoError(t, err)
	resumed, err := run.Resume(ck, cfg, run.Data{}, false)
	require.NoError(t, err)
	assert.Equal(t, 45, resumed.Iterations())
	_, err = run.Drive(context.Background(), resumed, run.Hooks{})
	require.NoError(t, err)

	whole, err := run.CompareResults(cfg)
	require.NoError(t, err)
	assert.Equal(t, whole, resumed.Searcher.(*run.Compare).Results())

	other := cfg
	other.Sampling.Samples, other.Seed = 31, 8
	_, err = run.Resume(ck, other, run.Data{}, false)
	var ce *run.ConfigError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, []string{"Seed = 8 (checkpoint: 7)", "Sampling.Samples = 31 (checkpoint: 30)"}, ce.Diffs)
}

func TestRegistry(t *testing.T) {
	assert.Subset(t, run.Methods(), []string{"compare", "darts", "enas", "evolution", "random", "reinforce", "train"})
	assert.Subset(t, run.MethodsOn(run.SpaceNB201), []string{"compare", "evolution", "random", "reinforce"})
	assert.Subset(t, run.CompareMethods, []string{"random", "evolution", "reinforce"})
	assert.NotContains(t, run.MethodsOn(run.SpaceNB201), "darts")
	_, err := run.Lookup("darts", run.SpaceNB201)
	assert.ErrorContains(t, err, "runs on space darts or nasnet")
	_, err = run.Lookup("bohb", "")
	assert.ErrorContains(t, err, `method "bohb"`)
	assert.Panics(t, func() { run.Register(run.Method{Name: "darts"}) })
}

// Evolution whose population is not smaller than its samples never mutates.
func TestEvolutionRandomWarning(t *testing.T) {
	cfg := run.DefaultConfig()
	cfg.Method, cfg.Space, cfg.Dataset = "evolution", run.SpaceNB201, "cifar10"
	cfg.Sampling.Samples, cfg.Sampling.Population = 50, 100
	r, err := run.New(cfg, run.Data{})
	require.NoError(t, err)
	require.Len(t, r.Warnings, 1)
	assert.Contains(t, r.Warnings[0], "random search")
	cfg.Sampling.Samples = 101
	r, err = run.New(cfg, run.Data{})
	require.NoError(t, err)
	assert.Empty(t, r.Warnings)
	ev, err := r.Step()
	require.NoError(t, err)
	assert.Positive(t, ev.Elapsed, "the first sample's time counts")
	assert.Len(t, ev.Decisions, 6, "the first event carries the space's layout")
	assert.Len(t, ev.Decisions[0].Choices, 5)
}

func TestKatibLines(t *testing.T) {
	assert.Equal(t, "epoch=3\nTrain-Loss=1.23457\nTrain-Accuracy=0.5\nValidation-Loss=2\nValidation-Accuracy=0.25\n",
		run.KatibLines(search.Event{Kind: search.KindEpoch, Epoch: 3, TrainLoss: 1.234567, TrainAcc: 0.5, ValLoss: 2, ValAcc: 0.25}))
	assert.Equal(t, "samples=9\nValidation-Accuracy=93.12\n", run.KatibLines(search.Event{Kind: search.KindDone, Step: 9, Best: 93.12}))
	assert.Empty(t, run.KatibLines(search.Event{Kind: search.KindStep}))
}
