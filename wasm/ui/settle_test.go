//go:build settle

package ui_test

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nasplayground/nas/assets/demo"
	"github.com/nasplayground/nas/core/data"
	"github.com/nasplayground/nas/core/genotype"
	"github.com/nasplayground/nas/core/search"
	"github.com/nasplayground/nas/core/search/darts"
	"github.com/nasplayground/nas/wasm/ui"
)

// TestSettle measures, for the page's live DARTS configuration (the engine's
// newDARTS: demo set, C = 4, 3 cells, batch 16, one thread) and each α
// learning rate of NAS_SETTLE_LRS (default 3e-3,1e-2), how many steps and
// seconds pass until the derived genotype has stayed unchanged for a whole
// epoch, as the page's genotype panel counts it (ui.GenoStability). A
// measurement, not a check: run it with the portable kernels, as the
// browser does:
//
//	go test -tags 'settle noasm' -run Settle -v -timeout 60m ./wasm/ui/
//
// NAS_SETTLE_WD (α's weight decay), NAS_SETTLE_BATCH, NAS_SETTLE_PORTION
// (w's share of the demo set), NAS_SETTLE_STEPS (intermediate nodes) and
// NAS_SETTLE_OPS (op set), NAS_SETTLE_DOWNSAMPLE (16×16 images / k),
// NAS_SETTLE_SEED, NAS_SETTLE_LR (w's learning rate) and NAS_SETTLE_EPOCHS
// (the horizon of w's cosine schedule) vary the configuration;
// NAS_SETTLE_MINUTES bounds each run. Besides the time to settle it logs what changed between
// consecutive genotypes (an edge's op on the same input, or the node's
// chosen input) and the final mean softmax(α) per op, which tell why a
// configuration does not settle.
func TestSettle(t *testing.T) {
	lrs := os.Getenv("NAS_SETTLE_LRS")
	if lrs == "" {
		lrs = "3e-3,1e-2"
	}
	train, err := demo.Train()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range strings.Split(lrs, ",") {
		lr, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatal(err)
		}
		cfg := darts.DefaultConfig()
		cfg.C, cfg.Layers, cfg.Batch, cfg.Epochs = 4, 3, 16, 50
		cfg.Threads, cfg.Augment, cfg.EvalBatch, cfg.ValLimit = 1, false, 100, 200
		cfg.Seed, cfg.ArchLR = 1, lr
		seed := float64(cfg.Seed)
		envFloat(t, "NAS_SETTLE_SEED", &seed)
		cfg.Seed = uint64(seed)
		envFloat(t, "NAS_SETTLE_WD", &cfg.ArchWD)            // α's weight decay
		envFloat(t, "NAS_SETTLE_PORTION", &cfg.TrainPortion) // the w share of the demo set
		envFloat(t, "NAS_SETTLE_LR", &cfg.LR)                // w's learning rate
		epochs := float64(cfg.Epochs)
		envFloat(t, "NAS_SETTLE_EPOCHS", &epochs) // the cosine schedule's horizon
		cfg.Epochs = int(epochs)
		if v := os.Getenv("NAS_SETTLE_OPS"); v != "" {
			cfg.Ops = v
		}
		steps := float64(cfg.Steps)
		envFloat(t, "NAS_SETTLE_STEPS", &steps) // intermediate nodes per cell
		cfg.Steps = int(steps)
		batch := float64(cfg.Batch)
		envFloat(t, "NAS_SETTLE_BATCH", &batch)
		cfg.Batch = int(batch)
		set := train
		down := 1.0
		envFloat(t, "NAS_SETTLE_DOWNSAMPLE", &down) // image size divided by this
		if down > 1 {
			set = data.Downsample(train, int(down))
		}
		d, err := darts.New(cfg, set)
		if err != nil {
			t.Fatal(err)
		}
		perEpoch := (int(float64(train.N)*cfg.TrainPortion) + cfg.Batch - 1) / cfg.Batch
		var st ui.GenoStability
		start := time.Now()
		limit := 30 * time.Minute
		if v := os.Getenv("NAS_SETTLE_MINUTES"); v != "" {
			m, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatal(err)
			}
			limit = time.Duration(m * float64(time.Minute))
		}
		settled, longest, step := false, 0, 0
		var prevG genotype.Genotype
		var lastEv search.Event
		flips := map[string]int{} // what changed between consecutive genotypes
		for !d.Done() && time.Since(start) < limit {
			ev, err := d.Step()
			if err != nil {
				t.Fatal(err)
			}
			if ev.Genotype == "" || ev.Phase != search.PhaseAlpha {
				continue
			}
			lastEv = ev
			prev := st.LastChange
			if g, err := genotype.Parse(ev.Genotype); err == nil {
				if prevG.Normal != nil {
					countFlips(flips, "normal", prevG.Normal, g.Normal)
					countFlips(flips, "reduce", prevG.Reduce, g.Reduce)
				}
				prevG = g
			}
			st.Observe(ev.Step, ev.Genotype)
			if st.LastChange != prev {
				longest = max(longest, st.LastChange-prev)
			}
			step = ev.Step
			if st.StableSteps(ev.Step) >= perEpoch {
				settled = true
				t.Logf("arch_lr %g: settled at step %d (epoch %.2f; unchanged since step %d), %.0f s wall, %.2f steps/s",
					lr, ev.Step, float64(ev.Step)/float64(perEpoch), st.LastChange, time.Since(start).Seconds(), float64(ev.Step)/time.Since(start).Seconds())
				t.Logf("  %s", ev.Genotype)
				break
			}
		}
		logOpWeights(t, "normal", lastEv.Ops, lastEv.AlphaNormal)
		logOpWeights(t, "reduce", lastEv.Ops, lastEv.AlphaReduce)
		t.Logf("  changes by kind (cell/op: same input, other op; cell/input: another input chosen): %v", flips)
		if !settled {
			t.Logf("arch_lr %g: not settled after %.0f s: step %d (epoch %.2f), longest unchanged stretch %d steps (an epoch is %d)",
				lr, time.Since(start).Seconds(), step, float64(step)/float64(perEpoch), max(longest, st.StableSteps(step)), perEpoch)
		}
	}
}

// envFloat sets *v from the environment variable name when it is set.
func envFloat(t *testing.T, name string, v *float64) {
	if s := os.Getenv(name); s != "" {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		*v = f
	}
}

// countFlips adds to flips, per edge slot of a cell, whether its op changed
// on the same input or its input changed.
func countFlips(flips map[string]int, cell string, a, b []genotype.Edge) {
	for i := range min(len(a), len(b)) {
		switch {
		case a[i].Input != b[i].Input:
			flips[cell+"/input"]++
		case a[i].Op != b[i].Op:
			flips[cell+"/op"]++
		}
	}
}

// logOpWeights logs each op's mean softmax(α) over a cell's edges and how
// often it is an edge's strongest op.
func logOpWeights(t *testing.T, cell string, ops []string, w [][]float64) {
	if len(w) == 0 {
		return
	}
	mean, top := make([]float64, len(ops)), make([]int, len(ops))
	for _, row := range w {
		best := 0
		for j, v := range row {
			mean[j] += v / float64(len(w))
			if v > row[best] {
				best = j
			}
		}
		top[best]++
	}
	var b strings.Builder
	for j, op := range ops {
		fmt.Fprintf(&b, " %s %.3f (top on %d)", op, mean[j], top[j])
	}
	t.Logf("  %s cell, mean softmax(α) over %d edges:%s", cell, len(w), b.String())
}
