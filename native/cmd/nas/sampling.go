package main

import (
	"bytes"
	"context"
	"encoding/gob"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/nasplayground/nas/core/nb201"
	"github.com/nasplayground/nas/core/search"
	"github.com/nasplayground/nas/core/search/child"
	"github.com/nasplayground/nas/core/search/enas"
	"github.com/nasplayground/nas/core/search/evolution"
	"github.com/nasplayground/nas/core/search/random"
	"github.com/nasplayground/nas/core/search/rl"
	"github.com/nasplayground/nas/core/search/sample"
	"github.com/nasplayground/nas/native/internal/fsutil"
	"github.com/nasplayground/nas/native/internal/plot"
)

// samplingMethods are the --method values of the sampling strategies.
var samplingMethods = []string{random.Method, evolution.Method, rl.Method, enas.Method}

// searchSampling runs the sampling strategies: on --space nb201 a comparison
// over the NAS-Bench-201 table, on darts|nasnet a search whose children are
// trained on images (from scratch, or with shared weights for enas and
// --weight-sharing).
func searchSampling(f searchFlags, stdout, stderr io.Writer) error {
	space := f.space
	if space == "" {
		space = f.ops
	}
	switch space {
	case "nb201":
		return searchNB201(f, stdout)
	case "darts", "nasnet":
		if !contains(samplingMethods, f.method) {
			return usagef("--method %q: want darts, reinforce, enas, evolution or random", f.method)
		}
		return searchMicro(f, space, stdout, stderr)
	}
	return usagef("--space %q: want darts, nasnet or nb201", space)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// nb201Methods parses --method for the table: one method, a comma list or all.
func nb201Methods(m string) ([]string, error) {
	if m == "all" {
		return append([]string(nil), nb201.Methods...), nil
	}
	var out []string
	for _, s := range strings.Split(m, ",") {
		s = strings.TrimSpace(s)
		switch {
		case s == enas.Method:
			return nil, usagef("--method enas needs images (weight sharing): use --space darts; nb201 compares %s", strings.Join(nb201.Methods, ", "))
		case !contains(nb201.Methods, s):
			return nil, usagef("--method %q: want %s, a comma list of them, or all", s, strings.Join(nb201.Methods, ", "))
		}
		out = append(out, s)
	}
	return out, nil
}

var nb201Names = map[string]string{"cifar10": "CIFAR-10", "cifar100": "CIFAR-100", "imagenet16": "ImageNet16-120"}

// nb201JSON is one line of `nas search --space nb201 --json` (percent).
type nb201JSON struct {
	Method   string    `json:"method"`
	Samples  int       `json:"samples"`
	Repeats  int       `json:"repeats"`
	Dataset  string    `json:"dataset"`
	BestMean float64   `json:"best_mean"`
	BestStd  float64   `json:"best_std"`
	Curve    curveJSON `json:"curve"`
}

type curveJSON struct {
	Mean []float64 `json:"mean"`
	Std  []float64 `json:"std"`
}

func toJSON(r nb201.Result) nb201JSON {
	return nb201JSON{Method: r.Method, Samples: r.Samples, Repeats: r.Repeats, Dataset: r.Dataset,
		BestMean: r.BestMean, BestStd: r.BestStd, Curve: curveJSON{Mean: r.CurveMean, Std: r.CurveStd}}
}

func searchNB201(f searchFlags, stdout io.Writer) error {
	methods, err := nb201Methods(f.method)
	if err != nil {
		return err
	}
	if f.resume {
		return usagef("--resume applies to darts/nasnet searches; an nb201 comparison takes seconds, rerun it")
	}
	cfg := nb201.CompareConfig{Methods: methods, Samples: f.samples, Repeats: f.repeats, Dataset: f.dataset, Seed: f.seed,
		Population: f.population, SampleSize: f.tournament}
	switch {
	case f.samples < 1 || f.repeats < 1:
		return usagef("--samples %d --repeats %d: want both >= 1", f.samples, f.repeats)
	case f.population < 1 || f.tournament < 1 || f.tournament > f.population:
		return usagef("--population %d --tournament %d: want 1 <= tournament <= population", f.population, f.tournament)
	case f.dataset != "cifar10" && f.dataset != "cifar100" && f.dataset != "imagenet16":
		return usagef("--dataset %q: nb201 has cifar10, cifar100 and imagenet16", f.dataset)
	}
	results, err := nb201.Compare(cfg)
	if err != nil {
		return err
	}
	if f.jsonOut {
		for _, r := range results {
			b, _ := json.Marshal(toJSON(r))
			fmt.Fprintln(stdout, string(b))
		}
	} else {
		fmt.Fprintf(stdout, "NAS-Bench-201 %s: %d samples × %d runs (seeds %d..%d)\n\n", f.dataset, f.samples, f.repeats, f.seed, f.seed+uint64(f.repeats)-1)
		fmt.Fprint(stdout, nb201.FormatTable(results))
	}
	plotPath := f.plot
	if plotPath == "" && f.out != "" {
		plotPath = filepath.Join(f.out, "compare.png")
	}
	if f.out != "" {
		if err := writeNB201Out(f, cfg, results); err != nil {
			return err
		}
	}
	if plotPath != "" {
		title := fmt.Sprintf("NAS-Bench-201 %s: mean ± std of %d runs", nb201Names[f.dataset], f.repeats)
		if err := plot.Curves(results, title, plotPath); err != nil {
			return err
		}
		if !f.jsonOut {
			fmt.Fprintf(stdout, "\nplot: %s\n", plotPath)
		}
	}
	return nil
}

// writeNB201Out writes results.json and events.jsonl (the sample events of
// the first repeat of each method, rerun with the same seed as Compare's).
func writeNB201Out(f searchFlags, cfg nb201.CompareConfig, results []nb201.Result) error {
	var js []nb201JSON
	for _, r := range results {
		js = append(js, toJSON(r))
	}
	b, err := json.MarshalIndent(js, "", " ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(f.out, 0o755); err != nil {
		return fmt.Errorf("--out %s: %w", f.out, err)
	}
	if err := fsutil.WriteFile(filepath.Join(f.out, "results.json"), append(b, '\n')); err != nil {
		return err
	}
	tab, err := nb201.Load()
	if err != nil {
		return err
	}
	eval := nb201.Evaluator{Table: tab, Dataset: cfg.Dataset}
	log, err := openEventLog(f.out, false)
	if err != nil {
		return err
	}
	defer log.Close()
	for _, m := range cfg.Methods {
		s, err := newSampler(m, nb201.Space{}, eval, f, cfg.Seed)
		if err != nil {
			return err
		}
		for !s.Done() {
			ev, err := s.Step()
			if err != nil {
				return err
			}
			if err := log.write(ev); err != nil {
				return err
			}
		}
	}
	return log.Close()
}

// newSampler builds random, evolution or reinforce over space (the same
// configurations nb201.Compare uses).
func newSampler(method string, space sample.Space, eval sample.Evaluator, f searchFlags, seed uint64) (search.Searcher, error) {
	switch method {
	case random.Method:
		return random.New(space, eval, f.samples, seed), nil
	case evolution.Method:
		ec := evolution.DefaultConfig(f.samples, seed)
		ec.Population, ec.SampleSize = f.population, f.tournament
		s, err := evolution.New(space, eval, ec)
		if err != nil {
			return nil, usageError{err}
		}
		return s, nil
	case rl.Method:
		return rl.New(space, eval, rl.DefaultConfig(f.samples, seed)), nil
	}
	return nil, usagef("--method %q: want %s", method, strings.Join(samplingMethods, ", "))
}

// samplingCheckpoint is checkpoint.bin of a sampling search on darts/nasnet.
type samplingCheckpoint struct {
	Version       int
	Method, Space string
	Searcher      []byte // rl or enas state
	Shared        []byte // --weight-sharing supernet (reinforce)
	Evaluated     int    // children trained from scratch so far (their seeds)
}

const samplingCheckpointVersion = 1

// microRun is a sampling search on darts/nasnet with what it needs to save.
type microRun struct {
	s       search.Searcher
	scratch *child.FromScratch
	shared  *child.Shared
	method  string
	space   string
}

func (r *microRun) checkpoint() ([]byte, error) {
	ck := samplingCheckpoint{Version: samplingCheckpointVersion, Method: r.method, Space: r.space}
	m, ok := r.s.(interface{ MarshalBinary() ([]byte, error) })
	if !ok {
		return nil, nil // evolution, random: nothing resumable
	}
	var err error
	if ck.Searcher, err = m.MarshalBinary(); err != nil {
		return nil, err
	}
	if r.shared != nil && r.method != enas.Method {
		if ck.Shared, err = r.shared.MarshalBinary(); err != nil {
			return nil, err
		}
	}
	if r.scratch != nil {
		ck.Evaluated = r.scratch.Evaluated
	}
	var buf bytes.Buffer
	err = gob.NewEncoder(&buf).Encode(ck)
	return buf.Bytes(), err
}

func (r *microRun) restore(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return usagef("--resume: %v", err)
	}
	var ck samplingCheckpoint
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&ck); err != nil {
		return fmt.Errorf("%s: not a sampling-search checkpoint: %w", path, err)
	}
	if ck.Version != samplingCheckpointVersion || ck.Method != r.method || ck.Space != r.space {
		return usagef("--resume: %s holds version %d %s on %s, want version %d %s on %s", path, ck.Version, ck.Method, ck.Space,
			samplingCheckpointVersion, r.method, r.space)
	}
	u := r.s.(interface{ UnmarshalBinary([]byte) error })
	if err := u.UnmarshalBinary(ck.Searcher); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if r.shared != nil && r.method != enas.Method {
		if err := r.shared.UnmarshalBinary(ck.Shared); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	if r.scratch != nil {
		r.scratch.Evaluated = ck.Evaluated
	}
	return nil
}

func childConfig(f searchFlags, space string) child.Config {
	c := child.DefaultConfig()
	c.Ops, c.C, c.Layers, c.Batch, c.Steps, c.Epochs = space, f.c, f.layers, f.batch, f.childSteps, f.childEpochs
	c.LR, c.Seed = f.lr, f.seed
	if f.valLimit > 0 {
		c.ValImages = f.valLimit
	}
	return c
}

func newMicroRun(f searchFlags, space string) (*microRun, error) {
	if f.samples < 1 {
		return nil, usagef("--samples %d: want >= 1", f.samples)
	}
	if f.resume && (f.method == evolution.Method || f.method == random.Method) {
		return nil, usagef("--resume: %s does not save its state (population, RNG); rerun it, or use reinforce or enas", f.method)
	}
	if f.resume && f.out == "" {
		return nil, usagef("--resume needs --out DIR (the folder holding checkpoint.bin)")
	}
	cc := childConfig(f, space)
	if err := cc.Validate(); err != nil {
		return nil, usageError{err}
	}
	ds, err := loadData(f.dataset, f.dataDir, true)
	if err != nil {
		return nil, err
	}
	r := &microRun{method: f.method, space: space}
	if f.method == enas.Method {
		cfg := enas.Config{Child: cc, RL: rl.DefaultConfig(f.samples, f.seed)}
		s, err := enas.New(cfg, ds)
		if err != nil {
			return nil, usageError{err}
		}
		r.s, r.shared = s, s.Shared
		return r, nil
	}
	var eval sample.Evaluator
	var sp sample.Space
	if f.weightSharing {
		sh, err := child.NewShared(cc, ds, f.samples)
		if err != nil {
			return nil, usageError{err}
		}
		r.shared, eval, sp = sh, sh, sh.Space
	} else {
		fs, err := child.NewFromScratch(cc, ds)
		if err != nil {
			return nil, usageError{err}
		}
		r.scratch, eval, sp = fs, fs, fs.Space
	}
	if r.s, err = newSampler(f.method, sp, eval, f, f.seed); err != nil {
		return nil, err
	}
	return r, nil
}

// sampleLine is one --json line of a darts/nasnet sampling search.
func sampleLine(ev search.Event) string {
	ev.Probs = nil
	b, _ := json.Marshal(ev)
	return string(b)
}

func searchMicro(f searchFlags, space string, stdout, stderr io.Writer) error {
	r, err := newMicroRun(f, space)
	if err != nil {
		return err
	}
	ckPath := ""
	if f.out != "" {
		ckPath = filepath.Join(f.out, "checkpoint.bin")
	}
	if f.resume {
		if err := r.restore(ckPath); err != nil {
			return err
		}
	}
	log, err := openEventLog(f.out, f.resume)
	if err != nil {
		return err
	}
	defer log.Close()
	save := func() error {
		if ckPath == "" {
			return nil
		}
		b, err := r.checkpoint()
		if err != nil || b == nil {
			return err
		}
		return fsutil.WriteFile(ckPath, b)
	}

	quiet := f.jsonOut || f.metrics == "katib"
	if !quiet {
		how := "shared supernet weights (one minibatch per sample, reward on one validation minibatch)"
		if r.scratch != nil {
			how = fmt.Sprintf("children trained from scratch for %d steps (batch %d), reward on %d validation images",
				r.scratch.StepsPerChild(), f.batch, r.scratch.Cfg.ValImages)
		}
		fmt.Fprintf(stdout, "%s search: %s space, %s, %d samples, C=%d, %d layers; %s\n", f.method, space, f.dataset, f.samples, f.c, f.layers, how)
	}
	prog := newProgress(stderr, f.samples, f.method, quiet)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	every := 1 // print every sample of from-scratch children; ENAS steps are one minibatch
	if r.shared != nil {
		every = max(1, f.samples/20)
	}
	best, steps := "", 0
	for !r.s.Done() {
		if ctx.Err() != nil || (f.maxSteps > 0 && steps >= f.maxSteps) {
			if err := save(); err != nil {
				return err
			}
			prog.finish()
			if ctx.Err() != nil {
				return interruptedError{fmt.Sprintf("interrupted at sample %d; checkpoint: %s", r.s.Snapshot().Step, orDash(ckPath))}
			}
			fmt.Fprintf(stdout, "stopped after %d samples (--max-steps); checkpoint: %s\n", steps, orDash(ckPath))
			return nil
		}
		ev, err := r.s.Step()
		if err != nil {
			_ = save()
			return err
		}
		steps++
		if r.scratch != nil { // the child's own losses (the sample event has the reward only)
			st := r.scratch.Last
			ev.TrainLoss, ev.TrainAcc, ev.ValLoss, ev.ValAcc, ev.LR, ev.Images = st.TrainLoss, st.TrainAcc, st.ValLoss, st.ValAcc, st.LR, st.Images
		}
		if err := log.write(ev); err != nil {
			return err
		}
		if ev.BestArch != best {
			best = ev.BestArch
			if err := writeGenotypeFiles(f.out, best); err != nil {
				return err
			}
		}
		if r.shared == nil || ev.Step%every == 0 || r.s.Done() {
			if err := save(); err != nil {
				return err
			}
		}
		switch {
		case f.jsonOut:
			fmt.Fprintln(stdout, sampleLine(ev))
		case f.metrics == "katib":
		case ev.Step%every == 0 || r.s.Done():
			prog.line("sample %d/%d: reward %.4f | best %.4f | %.1fs", ev.Step, f.samples, ev.Reward, ev.Best, ev.Elapsed)
		}
		if prog.bar != nil { // plain output already has a line per sample (or per 5%)
			prog.step(ev.Step, fmt.Sprintf("reward %.3f best %.3f", ev.Reward, ev.Best))
		}
	}
	prog.finish()
	snap := r.s.Snapshot()
	if f.metrics == "katib" {
		fmt.Fprintf(stdout, "samples=%d\nValidation-Accuracy=%.6f\n", snap.Step, snap.Last.Best)
		return nil
	}
	if !quiet {
		fmt.Fprintf(stdout, "best reward %.4f: %s\n", snap.Last.Best, snap.Last.BestArch)
		if f.out != "" {
			fmt.Fprintf(stdout, "wrote %s (events.jsonl, genotype.txt, genotype.json, normal/reduce.svg/png, cell.dot%s)\n", f.out,
				map[bool]string{true: ", checkpoint.bin", false: ""}[ckPath != "" && (f.method == rl.Method || f.method == enas.Method)])
		}
	}
	return nil
}
