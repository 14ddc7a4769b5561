package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"github.com/nasplayground/nas/core/genotype"
	"github.com/nasplayground/nas/core/nn"
	"github.com/nasplayground/nas/core/run"
	"github.com/nasplayground/nas/core/search"
	"github.com/nasplayground/nas/core/tensor"
	"github.com/nasplayground/nas/core/train"
	"github.com/nasplayground/nas/native/internal/fsutil"
)

// Files of `nas search --then-train`: the training's folder inside --out
// (its events.jsonl, train.ckpt and result.json, as `nas train --out` writes
// them) and the summary of both parts.
const (
	thenTrainDir    = "train"
	thenTrainResult = "search_train.json"
)

// thenTrain holds the flags of `nas search` that go beyond one search: the
// evaluation training after it (--then-train, --train-*) and the DARTS+
// early stop (--early-stop), with the state they keep during the run.
type thenTrain struct {
	on                       bool
	epochs, c, layers, batch int
	lr                       float64
	earlyStop                bool
	patience                 int

	tf     *trainFlags         // the evaluation's flags, checked before the search
	rule   *genotype.EarlyStop // --early-stop's state
	reason string              // why the search stopped early ("" = it did not)
	warned map[string]bool     // collapse warnings printed (each once)
	fig    map[string]any      // the summary: the search's figures, then the evaluation's
}

// defineThenTrain adds the flags to fs; their defaults are `nas train`'s.
func defineThenTrain(fs *flag.FlagSet) *thenTrain {
	t := &thenTrain{}
	d := train.DefaultConfig()
	fs.BoolVar(&t.on, "then-train", false, "after the search, train the derived genotype from scratch at evaluation scale (nas train's defaults, the --train-* overrides) in --out/"+thenTrainDir+"; --json ends with one line holding both parts' figures")
	fs.IntVar(&t.epochs, "train-epochs", d.Epochs, "--then-train: epochs")
	fs.IntVar(&t.c, "train-C", d.C, "--then-train: initial channels")
	fs.IntVar(&t.layers, "train-layers", d.Layers, "--then-train: cells")
	fs.IntVar(&t.batch, "train-batch", d.Batch, "--then-train: batch size")
	fs.Float64Var(&t.lr, "train-lr", d.LR, "--then-train: initial learning rate (cosine to 0)")
	fs.BoolVar(&t.earlyStop, "early-stop", false, "darts: DARTS+ early stopping: stop the search at the end of an epoch whose normal cell has 2 skip_connect edges, or whose ranking of α has not changed for --early-stop-patience epochs")
	fs.IntVar(&t.patience, "early-stop-patience", 10, "--early-stop: epochs of an unchanged ranking of α that stop the search (0 = only the skip_connect rule)")
	return t
}

// prepare checks the flags before anything is read: --early-stop needs
// darts, --then-train a genotype of the DARTS cell space, and the
// evaluation's flags are parsed (a placeholder genotype until the search
// derives one) so a bad --train-* value fails at once.
func (t *thenTrain) prepare(f *searchFlags, cfg run.Config) error {
	if t == nil {
		return nil
	}
	if t.earlyStop && cfg.Method != "darts" {
		return usagef("--early-stop is DARTS+'s rule for --method darts, not %s", cfg.Method)
	}
	if !t.on {
		for _, name := range []string{"train-epochs", "train-C", "train-layers", "train-batch", "train-lr"} {
			if f.set[name] {
				return usagef("--%s needs --then-train", name)
			}
		}
		return nil
	}
	if cfg.Space == run.SpaceNB201 {
		return usagef("--then-train trains a cell of the darts or nasnet space; nb201 architectures are table look-ups")
	}
	args := []string{"--genotype", "DARTS_V2", "--dataset", f.dataset, "--seed", strconv.FormatUint(cfg.Seed, 10),
		"--threads", strconv.Itoa(f.threads), "--max-steps", strconv.Itoa(f.maxSteps), "--checkpoint-every", f.every.String(),
		"--metrics-format", f.metrics, "--json=" + strconv.FormatBool(f.jsonOut),
		"--epochs", strconv.Itoa(t.epochs), "--C", strconv.Itoa(t.c), "--layers", strconv.Itoa(t.layers),
		"--batch", strconv.Itoa(t.batch), "--lr", strconv.FormatFloat(t.lr, 'g', -1, 64)}
	if f.dataDir != "" {
		args = append(args, "--data", f.dataDir)
	}
	if f.out != "" {
		dir := filepath.Join(f.out, thenTrainDir)
		args = append(args, "--out", dir)
		// Resume the evaluation where it has a checkpoint; else it starts.
		if _, err := os.Stat(filepath.Join(dir, trainCheckpointFile)); f.resume && err == nil {
			args = append(args, "--resume", "--override="+strconv.FormatBool(f.override))
		}
	}
	tf, err := parseTrainFlags(args, io.Discard)
	if err != nil {
		return fmt.Errorf("--then-train: %w", err)
	}
	t.tf = tf
	return nil
}

// epoch is called at each DARTS epoch end: it prints the epoch's collapse
// warning and applies the early-stopping rule (a run.StopRun ends the search
// through run.Drive, which saves the checkpoint).
func (t *thenTrain) epoch(r *run.Run, ev search.Event, prog *progress, stderr io.Writer) error {
	if t == nil {
		return nil
	}
	if ev.Warning != "" {
		t.warn(prog, stderr, fmt.Sprintf("epoch %d: %s", ev.Epoch, ev.Warning))
	}
	if !t.earlyStop {
		return nil
	}
	d, ok := r.Searcher.(*run.DARTS)
	if !ok {
		return nil
	}
	stop, reason, err := t.observe(rawRows(d.Net.AlphaNormal.Value), rawRows(d.Net.AlphaReduce.Value), r.Config.Space)
	if err != nil || !stop {
		return err
	}
	t.reason = fmt.Sprintf("%s (epoch %d)", reason, ev.Epoch)
	t.say(prog, stderr, "nas: "+t.reason+"; the genotype of this epoch is the answer")
	return run.StopRun{Reason: t.reason}
}

// observe feeds one epoch's raw α to the DARTS+ rule.
func (t *thenTrain) observe(normal, reduce [][]float64, space string) (bool, string, error) {
	if t.rule == nil {
		ops, err := genotype.OpSet(space)
		if err != nil {
			return false, "", err
		}
		t.rule = &genotype.EarlyStop{Ops: ops, Patience: t.patience}
	}
	stop, reason, _, err := t.rule.Observe(normal, reduce)
	return stop, reason, err
}

// prime replays the epochs of a resumed search into the rule (their events
// hold softmax(α), whose logarithm is α up to a per-row constant: the same
// ranking and derivation). It reports whether the search had stopped early.
func (t *thenTrain) prime(r *run.Run) error {
	if t == nil || !t.earlyStop {
		return nil
	}
	for _, ev := range r.Snapshot().Epochs {
		stop, reason, err := t.observe(logRows(ev.AlphaNormal), logRows(ev.AlphaReduce), r.Config.Space)
		if err != nil {
			return err
		}
		if stop {
			t.reason = fmt.Sprintf("%s (epoch %d)", reason, ev.Epoch)
			return nil
		}
	}
	return nil
}

func (t *thenTrain) warn(prog *progress, stderr io.Writer, msg string) {
	if t.warned == nil {
		t.warned = map[string]bool{}
	}
	if !t.warned[msg] {
		t.warned[msg] = true
		t.say(prog, stderr, "nas: warning: "+msg)
	}
}

// say prints a line on stderr without breaking a progress bar.
func (t *thenTrain) say(prog *progress, stderr io.Writer, line string) {
	if prog != nil && prog.bar != nil {
		_ = prog.bar.Clear()
	}
	fmt.Fprintln(stderr, line)
}

func rawRows(x *tensor.Tensor) [][]float64 {
	n, k := x.Dim(0), x.Dim(1)
	out := make([][]float64, n)
	for i := range out {
		out[i] = make([]float64, k)
		for j := range k {
			out[i][j] = float64(x.Data[i*k+j])
		}
	}
	return out
}

func logRows(p [][]float64) [][]float64 {
	out := make([][]float64, len(p))
	for i, row := range p {
		out[i] = make([]float64, len(row))
		for j, v := range row {
			out[i][j] = math.Log(v) // a rounded 0 gives -Inf: last in its row, as it was
		}
	}
	return out
}

// searchFunc is searchDARTS or searchMicro.
type searchFunc func(r *run.Run, f searchFlags, offset int64, stdout, stderr io.Writer) error

// searchThenTrain runs the search (unless a resumed one had already stopped
// early), warns when the final DARTS genotype is collapsed, and with
// --then-train trains that genotype as `nas train` does and reports both.
func searchThenTrain(r *run.Run, f searchFlags, offset int64, stdout, stderr io.Writer, searchRun searchFunc) error {
	t := f.tt
	if err := t.prime(r); err != nil {
		return err
	}
	if t != nil && t.reason != "" { // resumed after an early stop: the search is over
		fmt.Fprintf(stderr, "nas: the search had stopped early: %s\n", t.reason)
		if err := writeGenotypeFiles(f.out, r.Genotype()); err != nil {
			return err
		}
	} else if err := searchRun(r, f, offset, stdout, stderr); err != nil {
		return err
	}
	g, err := genotype.Parse(r.Genotype())
	if err != nil {
		return fmt.Errorf("search: no genotype to train: %w", err)
	}
	if w := genotype.Collapse(g); w != "" && r.Config.Method == "darts" {
		fmt.Fprintln(stderr, "nas: warning: final genotype:", w)
	}
	if t == nil || !t.on || (!r.Done() && t.reason == "") { // no --then-train, or stopped by --max-steps
		return nil
	}
	t.fig = searchFigures(r, g, t.reason)
	if !f.jsonOut && f.metrics != "katib" {
		fmt.Fprintf(stdout, "evaluation: training %s from scratch (C=%d, %d layers, %d epochs)\n", g, t.tf.cfg.C, t.tf.cfg.Layers, t.tf.cfg.Epochs)
	}
	t.tf.genotype, t.tf.cfg.Genotype = g.String(), g
	if err := t.tf.train(stdout, stderr); err != nil {
		return err
	}
	return t.report(stdout, f)
}

// searchFigures are the search's part of the summary.
func searchFigures(r *run.Run, g genotype.Genotype, early string) map[string]any {
	snap := r.Snapshot()
	fig := map[string]any{"method": r.Config.Method, "space": r.Config.Space, "dataset": r.Config.Dataset,
		"genotype": g.String(), "search_steps": snap.Step}
	if n := len(snap.Epochs); n > 0 { // darts: the last epoch's validation accuracy
		fig["search_val_acc"], fig["search_epochs"] = snap.Epochs[n-1].ValAcc, n
	} else { // sampling methods: the best child's reward
		fig["search_val_acc"] = snap.Last.Best
	}
	if early != "" {
		fig["early_stop"] = early
	}
	if w := genotype.Collapse(g); w != "" {
		fig["warning"] = w
	}
	return fig
}

// report prints (and with --out writes) the summary of both parts.
func (t *thenTrain) report(stdout io.Writer, f searchFlags) error {
	r := t.tf.trained
	if r == nil {
		return errors.New("--then-train: the evaluation did not run")
	}
	tr := r.Searcher.(*run.Trainer)
	snap := tr.Snapshot()
	fig := t.fig
	fig["train_epochs"], fig["train_steps"], fig["train_done"] = len(snap.Epochs), snap.Step, tr.Done()
	fig["params"], fig["params_total"] = nn.CountParams(tr.Net.Params()), nn.CountParams(tr.Net.AllParams())
	fig["train_C"], fig["train_layers"] = tr.Config().C, tr.Config().Layers
	if n := len(snap.Epochs); n > 0 {
		best := 0.0
		for _, ev := range snap.Epochs {
			best = max(best, ev.ValAcc)
		}
		fig["test_acc"], fig["test_loss"], fig["best_test_acc"] = snap.Epochs[n-1].ValAcc, snap.Epochs[n-1].ValLoss, best
	}
	b, err := json.Marshal(fig)
	if err != nil {
		return err
	}
	if f.out != "" {
		if err := fsutil.WriteFile(filepath.Join(f.out, thenTrainResult), append(b, '\n')); err != nil {
			return err
		}
	}
	switch {
	case f.jsonOut:
		_, err = fmt.Fprintf(stdout, "%s\n", b)
	case f.metrics == "katib":
		if acc, ok := fig["test_acc"].(float64); ok {
			_, err = fmt.Fprintf(stdout, "Test-Accuracy=%.6g\n", acc)
		}
	default:
		acc, _ := fig["test_acc"].(float64)
		_, err = fmt.Fprintf(stdout, "search: val acc %.4f, genotype %s\nevaluation: test acc %.4f after %d epochs, %d params (C=%d, %d layers)\n",
			fig["search_val_acc"], fig["genotype"], acc, fig["train_epochs"], fig["params"], fig["train_C"], fig["train_layers"])
		if err == nil && f.out != "" {
			_, err = fmt.Fprintf(stdout, "wrote %s; the evaluation's files are in %s\n", filepath.Join(f.out, thenTrainResult), filepath.Join(f.out, thenTrainDir))
		}
	}
	return err
}
