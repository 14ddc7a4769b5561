package main

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"

	"github.com/nasplayground/nas/core/nb201"
	"github.com/nasplayground/nas/core/run"
	"github.com/nasplayground/nas/core/search"
	"github.com/nasplayground/nas/native/internal/fsutil"
	"github.com/nasplayground/nas/native/internal/plot"
)

// nb201JSON is one line of `nas search --space nb201 --json` (percent).
type nb201JSON struct {
	Method   string    `json:"method"`
	Samples  int       `json:"samples"`
	Repeats  int       `json:"repeats"`
	Dataset  string    `json:"dataset"`
	BestMean float64   `json:"best_mean"`
	BestStd  float64   `json:"best_std"`
	Curve    curveJSON `json:"curve"`
	Tau      *float64  `json:"tau,omitempty"` // pnas: surrogate's Kendall τ on held-out cells, mean over runs
}

type curveJSON struct {
	Mean []float64 `json:"mean"`
	Std  []float64 `json:"std"`
}

func toJSON(r nb201.Result) nb201JSON {
	j := nb201JSON{Method: r.Method, Samples: r.Samples, Repeats: r.Repeats, Dataset: r.Dataset,
		BestMean: r.BestMean, BestStd: r.BestStd, Curve: curveJSON{Mean: r.CurveMean, Std: r.CurveStd}}
	if r.HasTau {
		j.Tau = &r.Tau
	}
	return j
}

// searchNB201 runs a comparison on the NAS-Bench-201 table: the events of
// each method's first repeat go to events.jsonl, the curves to results.json
// and compare.png.
func searchNB201(r *run.Run, f searchFlags, offset int64, stdout io.Writer) error {
	cfg := r.Config
	sc := cfg.Sampling
	firstRepeat := func(ev search.Event) bool { return ev.Epoch == 0 }
	o, err := driveRun(r, f.runFlags, checkpointFile, offset, firstRepeat, func(search.Event, run.Progress) error { return nil })
	if err != nil {
		return err
	}
	if o.Stop != run.Finished {
		return stopped(o, r, f.runFlags, stdout)
	}
	results := r.Searcher.(*run.Compare).Results()
	if f.jsonOut {
		for _, res := range results {
			b, _ := json.Marshal(toJSON(res))
			fmt.Fprintln(stdout, string(b))
		}
	} else {
		fmt.Fprintf(stdout, "NAS-Bench-201 %s: %d samples × %d runs (seeds %d..%d)\n\n", cfg.Dataset, sc.Samples, sc.Repeats, cfg.Seed, cfg.Seed+uint64(sc.Repeats)-1)
		fmt.Fprint(stdout, nb201.FormatTable(results))
	}
	if f.out != "" {
		js := make([]nb201JSON, 0, len(results))
		for _, res := range results {
			js = append(js, toJSON(res))
		}
		b, err := json.MarshalIndent(js, "", " ")
		if err != nil {
			return err
		}
		if err := fsutil.WriteFile(filepath.Join(f.out, "results.json"), append(b, '\n')); err != nil {
			return err
		}
	}
	plotPath := f.plot
	if plotPath == "" && f.out != "" {
		plotPath = filepath.Join(f.out, "compare.png")
	}
	if plotPath != "" {
		title := fmt.Sprintf("NAS-Bench-201 %s: mean ± std of %d runs", nb201.DatasetNames[cfg.Dataset], sc.Repeats)
		if err := plot.Curves(results, title, plotPath); err != nil {
			return err
		}
		if !f.jsonOut {
			fmt.Fprintf(stdout, "\nplot: %s\n", plotPath)
		}
	}
	return nil
}

// sampleLine is one --json line of a darts/nasnet sampling search.
func sampleLine(ev search.Event) string {
	ev.Probs, ev.Decisions = nil, nil
	b, _ := json.Marshal(ev)
	return string(b)
}

// searchMicro runs a sampling search on darts/nasnet whose children are
// trained on images (from scratch, or with shared weights for enas and
// --weight-sharing).
func searchMicro(r *run.Run, f searchFlags, offset int64, stdout, stderr io.Writer) error {
	cfg := r.Config
	sc := cfg.Sampling
	quiet := f.jsonOut || f.metrics == "katib"
	shared := sc.WeightSharing || cfg.Method == "enas"
	if !quiet {
		how := "shared supernet weights (one minibatch per sample, reward on one validation minibatch)"
		if !shared {
			how = fmt.Sprintf("children trained from scratch for at most %d steps (batch %d), reward on %d validation images",
				sc.Child.Steps, sc.Child.Batch, sc.Child.ValImages)
		}
		fmt.Fprintf(stdout, "%s search: %s space, %s, %d samples, C=%d, %d layers; %s\n", cfg.Method, cfg.Space, cfg.Dataset,
			sc.Samples, sc.Child.C, sc.Child.Layers, how)
	}
	prog := newProgress(stderr, r, cfg.Method, quiet)
	every := 1 // print every sample of from-scratch children; shared ones are one minibatch
	if shared {
		every = max(1, sc.Samples/20)
	}
	best := ""
	o, err := driveRun(r, f.runFlags, checkpointFile, offset, nil, func(ev search.Event, p run.Progress) error {
		if ev.BestArch != best {
			best = ev.BestArch
			if err := writeGenotypeFiles(f.out, best); err != nil {
				return err
			}
		}
		switch {
		case f.jsonOut:
			fmt.Fprintln(stdout, sampleLine(ev))
		case f.metrics == "katib":
		case ev.Step%every == 0 || ev.Step == sc.Samples:
			prog.line("sample %d/%d: reward %.4f | best %.4f | %.1fs", ev.Step, sc.Samples, ev.Reward, ev.Best, ev.Elapsed)
		}
		if prog.bar != nil { // plain output already has a line per sample (or per 5%)
			prog.step(p, fmt.Sprintf("reward %.3f best %.3f", ev.Reward, ev.Best))
		}
		return nil
	})
	prog.finish()
	if err != nil {
		return err
	}
	if err := stopped(o, r, f.runFlags, stdout); err != nil || o.Stop != run.Finished {
		return err
	}
	snap := r.Snapshot()
	if f.metrics == "katib" {
		_, err := io.WriteString(stdout, run.KatibLines(search.Event{Kind: search.KindDone, Step: snap.Step, Best: snap.Last.Best}))
		return err
	}
	if !quiet {
		fmt.Fprintf(stdout, "best reward %.4f: %s\n", snap.Last.Best, snap.Last.BestArch)
		if f.out != "" {
			fmt.Fprintf(stdout, "wrote %s (events.jsonl, genotype.txt, genotype.json, normal/reduce.svg/png, cell.dot, checkpoint.bin)\n", f.out)
		}
	}
	return nil
}
