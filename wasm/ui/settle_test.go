//go:build settle

package ui_test

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nasplayground/nas/assets/demo"
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
		d, err := darts.New(cfg, train)
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
		for !d.Done() && time.Since(start) < limit {
			ev, err := d.Step()
			if err != nil {
				t.Fatal(err)
			}
			if ev.Genotype == "" || ev.Phase != search.PhaseAlpha {
				continue
			}
			prev := st.LastChange
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
		if !settled {
			t.Logf("arch_lr %g: not settled after %.0f s: step %d (epoch %.2f), longest unchanged stretch %d steps (an epoch is %d)",
				lr, time.Since(start).Seconds(), step, float64(step)/float64(perEpoch), max(longest, st.StableSteps(step)), perEpoch)
		}
	}
}
