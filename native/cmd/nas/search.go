package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"time"

	_ "github.com/nasplayground/nas/assets/demo" // registers --dataset demo
	"github.com/nasplayground/nas/core/data"
	"github.com/nasplayground/nas/core/genotype"
	"github.com/nasplayground/nas/core/model"
	"github.com/nasplayground/nas/core/nn"
	"github.com/nasplayground/nas/core/run"
	"github.com/nasplayground/nas/core/search"
	"github.com/nasplayground/nas/core/tensor"
	"github.com/nasplayground/nas/native/internal/draw"
	"github.com/nasplayground/nas/native/internal/fsutil"
)

func init() {
	register(command{name: "search", summary: "run an architecture search (darts, reinforce, enas, evolution, random; NAS-Bench-201)", run: runSearch})
}

// searchFlags are the flags of `nas search`, shared by every method.
type searchFlags struct {
	runFlags
	method, space, ops, dataset, dataDir, metrics string
	order, epochs, batch, c, layers, valLimit     int
	nodes, downsample, trainImages                int
	augment                                       bool
	seed                                          uint64
	portion, lr, lrMin, archLR, ctrlLR            float64
	dryRun, jsonOut, archGradsFull, weightSharing bool
	samples, repeats, childEpochs, childSteps     int
	population, tournament                        int
	plot                                          string
	tt                                            *thenTrain // --then-train, --train-*, --early-stop (thentrain.go)
}

// runFlags are the flags of a run that `nas search` and `nas train` share:
// where it writes, how it stops and saves.
type runFlags struct {
	out              string
	resume, override bool
	maxSteps         int
	every            time.Duration
	threads          int
	set              map[string]bool // flags given on the command line
}

func (f *runFlags) define(fs interface {
	StringVar(*string, string, string, string)
	BoolVar(*bool, string, bool, string)
	IntVar(*int, string, int, string)
	DurationVar(*time.Duration, string, time.Duration, string)
}, what string) {
	fs.StringVar(&f.out, "out", "", "output folder: "+what)
	fs.BoolVar(&f.resume, "resume", false, "continue from the checkpoint in --out (flags given must agree with it)")
	fs.BoolVar(&f.override, "override", false, "--resume: use the flags given even where they contradict the checkpoint")
	fs.IntVar(&f.maxSteps, "max-steps", 0, "stop after this many iterations (DARTS: α+w steps; sampling: samples; 0 = no limit); a checkpoint is written")
	fs.DurationVar(&f.every, "checkpoint-every", run.DefaultSaveEvery, "also checkpoint after this much wall time (epoch ends always do; 0 = epoch ends only)")
	fs.IntVar(&f.threads, "threads", 0, "worker threads (0 = all cores)")
}

func runSearch(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("search", stderr)
	var f searchFlags
	d := run.DefaultConfig()
	fs.StringVar(&f.method, "method", "darts", "search strategy: darts | reinforce | enas | evolution | random | pnas (nb201: a comma list of random, evolution, reinforce, pnas, or all)")
	fs.StringVar(&f.space, "space", "", "search space: darts | nasnet | nb201 (default: the --ops set)")
	fs.StringVar(&f.ops, "ops", "darts", "operation set of the cell: darts (8 ops) | nasnet (14 ops)")
	fs.IntVar(&f.order, "order", 1, "DARTS order: 1 (first order) or 2 (unrolled second order)")
	fs.StringVar(&f.dataset, "dataset", "cifar10", "data set: cifar10 | fashion-mnist | mnist | demo (nb201: cifar10 | cifar100 | imagenet16)")
	fs.StringVar(&f.dataDir, "data", "", "data folder (cifar10: the cifar-10-batches-bin folder)")
	fs.IntVar(&f.epochs, "epochs", d.DARTS.Epochs, "epochs")
	fs.IntVar(&f.batch, "batch", d.DARTS.Batch, "batch size")
	fs.IntVar(&f.c, "C", d.DARTS.C, "initial channels")
	fs.IntVar(&f.layers, "layers", d.DARTS.Layers, "cells")
	fs.IntVar(&f.nodes, "nodes", d.DARTS.Steps, "darts: intermediate nodes per cell (the paper's 4)")
	fs.IntVar(&f.downsample, "downsample", 1, "average k×k blocks of the training images first (32×32 CIFAR-10 with 4: 8×8)")
	fs.BoolVar(&f.augment, "augment", d.DARTS.Augment, "darts: random crop (pad 4) and flip on both halves, as train_search.py (--augment=false for small images)")
	fs.IntVar(&f.trainImages, "train-images", 0, "use only the first N images of the training set, before the w/α split (0 = all)")
	fs.Float64Var(&f.portion, "train-portion", d.DARTS.TrainPortion, "fraction of the training set used for w (the rest is α's validation half)")
	fs.Float64Var(&f.lr, "lr", d.DARTS.LR, "weight learning rate (cosine annealed)")
	fs.Float64Var(&f.lrMin, "lr-min", d.DARTS.LRMin, "final weight learning rate")
	fs.Float64Var(&f.archLR, "arch-lr", d.DARTS.ArchLR, "α learning rate (Adam)")
	fs.Float64Var(&f.ctrlLR, "ctrl-lr", 0, "reinforce/enas: controller learning rate (0 = 3.5e-4)")
	fs.Uint64Var(&f.seed, "seed", d.Seed, "random seed")
	fs.BoolVar(&f.dryRun, "dry-run", false, "build the network, print its size and exit")
	fs.BoolVar(&f.jsonOut, "json", false, "machine-readable output: one JSON object per epoch (or per method)")
	fs.StringVar(&f.metrics, "metrics-format", "text", "text | katib (name=value lines for Katib's stdout collector)")
	fs.IntVar(&f.valLimit, "val-limit", 0, "images of the end-of-epoch validation pass (0 = the whole validation half)")
	fs.BoolVar(&f.archGradsFull, "arch-grads-full", false, "first order: also compute the (discarded) weight gradients in the α backward, as the reference does")
	fs.IntVar(&f.samples, "samples", d.Sampling.Samples, "sampling methods: architectures to sample")
	fs.IntVar(&f.repeats, "repeats", d.Sampling.Repeats, "nb201: independent repeats per method")
	fs.IntVar(&f.childEpochs, "child-epochs", 1, "reinforce/evolution/random on darts: epochs to train each child")
	fs.IntVar(&f.childSteps, "child-steps", 50, "reinforce/evolution/random on darts: at most this many steps per child")
	fs.IntVar(&f.population, "population", d.Sampling.Population, "evolution: population size P")
	fs.IntVar(&f.tournament, "tournament", d.Sampling.Tournament, "evolution: tournament sample size S")
	fs.BoolVar(&f.weightSharing, "weight-sharing", false, "random: evaluate children with shared supernet weights")
	fs.StringVar(&f.plot, "plot", "", "nb201: write the comparison plot (PNG) here (default: --out/compare.png)")
	f.define(fs, "events.jsonl, genotype.txt/json, cell diagrams, checkpoint.bin (nb201: results.json, compare.png)")
	f.tt = defineThenTrain(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	f.set = map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { f.set[fl.Name] = true })
	if f.metrics != "text" && f.metrics != "katib" {
		return usagef("--metrics-format %q: want text or katib", f.metrics)
	}
	if f.threads < 0 {
		return usagef("--threads %d: want >= 0", f.threads)
	}
	if f.downsample < 1 {
		return usagef("--downsample %d: want >= 1", f.downsample)
	}
	if f.trainImages < 0 {
		return usagef("--train-images %d: want >= 0 (0 = all)", f.trainImages)
	}
	cfg := run.DefaultConfig()
	if err := f.apply(&cfg, true); err != nil {
		return err
	}
	if err := f.tt.prepare(&f, cfg); err != nil {
		return err
	}
	nn.SetThreads(f.threads)
	if f.dryRun && cfg.Method == "darts" {
		return dartsDryRun(cfg, f, stdout)
	}
	var ds run.Data
	if cfg.Space != run.SpaceNB201 {
		train, err := loadData(f.dataset, f.dataDir, true)
		if err != nil {
			return err
		}
		ds.Train = train
	}
	r, offset, err := start(cfg, ds, f.runFlags, checkpointFile, func(c *run.Config) error { return f.apply(c, false) }, stderr)
	if err != nil {
		return err
	}
	switch {
	case r.Config.Method == "darts":
		return searchThenTrain(r, f, offset, stdout, stderr, searchDARTS)
	case r.Config.Method == run.CompareMethod:
		return searchNB201(r, f, offset, stdout)
	}
	return searchThenTrain(r, f, offset, stdout, stderr, searchMicro)
}

// checkpointFile is the checkpoint in the --out folder of `nas search`.
const checkpointFile = "checkpoint.bin"

// apply sets the flags into cfg: all of them, or (when resuming onto the
// checkpoint's configuration) only those given on the command line.
func (f *searchFlags) apply(cfg *run.Config, all bool) error {
	set := func(names ...string) bool {
		return all || slices.ContainsFunc(names, func(n string) bool { return f.set[n] })
	}
	space := f.space
	if space == "" {
		space = f.ops
	}
	if set("method", "space", "ops") {
		switch {
		case space != run.SpaceDARTS && space != run.SpaceNASNet && space != run.SpaceNB201:
			return usagef("--space %q: want darts, nasnet or nb201", space)
		case f.method == "darts" && space == run.SpaceNB201:
			return usagef("--method darts runs on --space darts or nasnet (NAS-Bench-201 mode compares sampling methods)")
		case space == run.SpaceNB201:
			methods, err := nb201Methods(f.method)
			if err != nil {
				return err
			}
			cfg.Method, cfg.Sampling.Methods = run.CompareMethod, methods
		default:
			if _, err := run.Lookup(f.method, space); err != nil || f.method == "train" || f.method == run.CompareMethod {
				return usagef("--method %q: want darts, reinforce, enas, evolution, random or pnas", f.method)
			}
			cfg.Method, cfg.Sampling.Methods = f.method, nil
		}
		cfg.Space = space
	}
	if cfg.Space == run.SpaceNB201 && set("dataset") && f.dataset != "cifar10" && f.dataset != "cifar100" && f.dataset != "imagenet16" {
		return usagef("--dataset %q: nb201 has cifar10, cifar100 and imagenet16", f.dataset)
	}
	dc, sc, cc := &cfg.DARTS, &cfg.Sampling, &cfg.Sampling.Child
	for _, a := range []struct {
		flag string
		do   func()
	}{
		{"dataset", func() { cfg.Dataset = f.dataset }},
		{"seed", func() { cfg.Seed = f.seed }},
		{"order", func() { dc.Order = f.order }},
		{"epochs", func() { dc.Epochs = f.epochs }},
		{"batch", func() { dc.Batch, cc.Batch = f.batch, f.batch }},
		{"C", func() { dc.C, cc.C = f.c, f.c }},
		{"layers", func() { dc.Layers, cc.Layers = f.layers, f.layers }},
		{"nodes", func() { dc.Steps = f.nodes }},
		{"downsample", func() { cfg.Downsample = f.downsample }},
		{"train-images", func() { cfg.TrainImages = f.trainImages }},
		{"augment", func() { dc.Augment = f.augment }},
		{"train-portion", func() { dc.TrainPortion = f.portion }},
		{"lr", func() { dc.LR, cc.LR = f.lr, f.lr }},
		{"lr-min", func() { dc.LRMin = f.lrMin }},
		{"arch-lr", func() { dc.ArchLR = f.archLR }},
		{"ctrl-lr", func() { sc.CtrlLR = f.ctrlLR }},
		{"arch-grads-full", func() { dc.AlphasOnly = !f.archGradsFull }},
		{"val-limit", func() {
			dc.ValLimit = f.valLimit
			if f.valLimit > 0 {
				cc.ValImages = f.valLimit
			}
		}},
		{"samples", func() { sc.Samples = f.samples }},
		{"repeats", func() { sc.Repeats = f.repeats }},
		{"child-epochs", func() { cc.Epochs = f.childEpochs }},
		{"child-steps", func() { cc.Steps = f.childSteps }},
		{"population", func() { sc.Population = f.population }},
		{"tournament", func() { sc.Tournament = f.tournament }},
		{"weight-sharing", func() { sc.WeightSharing = f.weightSharing }},
	} {
		if set(a.flag) {
			a.do()
		}
	}
	cfg.Threads = f.threads
	if cfg.Method == "darts" {
		dc.Ops = cfg.Space
		if err := dc.Validate(); err != nil {
			return usageError{err}
		}
	}
	switch {
	case cfg.Method == "darts":
	case sc.Samples < 1 || sc.Repeats < 1:
		return usagef("--samples %d --repeats %d: want both >= 1", sc.Samples, sc.Repeats)
	case sc.Population < 1 || sc.Tournament < 1 || sc.Tournament > sc.Population:
		return usagef("--population %d --tournament %d: want 1 <= tournament <= population", sc.Population, sc.Tournament)
	}
	return nil
}

// nb201Methods parses --method for the table: one method, a comma list or all.
func nb201Methods(m string) ([]string, error) {
	if m == "all" {
		return append([]string(nil), run.CompareMethods...), nil
	}
	var out []string
	for _, s := range strings.Split(m, ",") {
		s = strings.TrimSpace(s)
		switch {
		case s == "enas":
			return nil, usagef("--method enas needs images (weight sharing): use --space darts; nb201 compares %s", strings.Join(run.CompareMethods, ", "))
		case !slices.Contains(run.CompareMethods, s):
			return nil, usagef("--method %q: want %s, a comma list of them, or all", s, strings.Join(run.CompareMethods, ", "))
		}
		out = append(out, s)
	}
	return out, nil
}

func loadData(name, dir string, train bool) (*data.Dataset, error) {
	ds, err := data.Load(name, dir, train)
	if err != nil {
		return nil, usageError{err}
	}
	return ds, nil
}

func searchDARTS(r *run.Run, f searchFlags, offset int64, stdout, stderr io.Writer) error {
	cfg := r.Config.DARTS
	quiet := f.jsonOut || f.metrics == "katib"
	if !quiet {
		n := r.Data.Train.N
		fmt.Fprintf(stdout, "DARTS search: %s, %d train / %d val images, C=%d, %d layers, batch %d, %d epochs, order %d, ops %s, %d threads\n",
			r.Config.Dataset, int(float64(n)*cfg.TrainPortion), n-int(float64(n)*cfg.TrainPortion), cfg.C, cfg.Layers, cfg.Batch,
			cfg.Epochs, cfg.Order, r.Config.Space, nn.Threads())
	}
	prog := newProgress(stderr, r, "darts", false)
	o, err := driveRun(r, f.runFlags, checkpointFile, offset, nil, func(ev search.Event, p run.Progress) error {
		switch ev.Kind {
		case search.KindStep:
			if ev.Phase == search.PhaseWeights {
				prog.step(p, fmt.Sprintf("epoch %d loss %.3f acc %.3f %.0f img/s", ev.Epoch, ev.TrainLoss, ev.TrainAcc, ev.ImagesPerSec))
			}
		case search.KindEpoch:
			if err := writeGenotypeFiles(f.out, ev.Genotype); err != nil {
				return err
			}
			if err := reportEpoch(stdout, prog, f.jsonOut, f.metrics, ev); err != nil {
				return err
			}
			return f.tt.epoch(r, ev, prog, stderr) // collapse warning, --early-stop
		}
		return nil
	})
	prog.finish()
	if err != nil {
		return err
	}
	// The answer so far, also after --max-steps or Ctrl-C.
	g := r.Genotype()
	if err := writeGenotypeFiles(f.out, g); err != nil {
		return err
	}
	if err := stopped(o, r, f.runFlags, stdout); err != nil {
		return err
	}
	if !quiet {
		fmt.Fprintf(stdout, "final genotype: %s\n", g)
		if f.out != "" {
			fmt.Fprintf(stdout, "wrote %s (events.jsonl, genotype.txt, genotype.json, normal.svg/png, reduce.svg/png, cell.dot, checkpoint.bin)\n", f.out)
		}
	}
	return nil
}

// reportEpoch prints an epoch event as Katib lines, a JSON line or text.
func reportEpoch(stdout io.Writer, prog *progress, jsonOut bool, metrics string, ev search.Event) error {
	var err error
	switch {
	case metrics == "katib":
		_, err = io.WriteString(stdout, run.KatibLines(ev))
	case jsonOut:
		ev.AlphaNormal, ev.AlphaReduce, ev.Normal, ev.Reduce = nil, nil, nil, nil
		err = json.NewEncoder(stdout).Encode(ev)
	default:
		prog.line("epoch %d: train loss %.4f acc %.4f | val loss %.4f acc %.4f | lr %.5f | %.0fs\n  %s",
			ev.Epoch, ev.TrainLoss, ev.TrainAcc, ev.ValLoss, ev.ValAcc, ev.LR, ev.Elapsed, ev.Genotype)
	}
	return err
}

// writeGenotypeFiles writes genotype.txt, genotype.json and the cell diagrams.
func writeGenotypeFiles(dir, text string) error {
	if dir == "" || text == "" {
		return nil
	}
	g, err := genotype.Parse(text)
	if err != nil {
		return err
	}
	if err := fsutil.WriteFile(filepath.Join(dir, "genotype.txt"), []byte(g.String()+"\n")); err != nil {
		return err
	}
	js, err := json.MarshalIndent(g, "", "  ")
	if err != nil {
		return err
	}
	if err := fsutil.WriteFile(filepath.Join(dir, "genotype.json"), append(js, '\n')); err != nil {
		return err
	}
	dot := genotype.DOT(g, "normal") + "\n" + genotype.DOT(g, "reduce")
	if err := fsutil.WriteFile(filepath.Join(dir, "cell.dot"), []byte(dot)); err != nil {
		return err
	}
	for _, cell := range []string{"normal", "reduce"} {
		for _, format := range []string{"svg", "png"} {
			b, err := draw.Cell(g, cell, format)
			if err != nil {
				return err
			}
			if err := fsutil.WriteFile(filepath.Join(dir, cell+"."+format), b); err != nil {
				return err
			}
		}
	}
	return nil
}

func dartsDryRun(rc run.Config, f searchFlags, stdout io.Writer) error {
	cfg := rc.DARTS
	ops, _ := genotype.OpSet(rc.Space)
	mc := model.DefaultSearchConfig()
	mc.C, mc.Layers, mc.Ops, mc.Steps, mc.Multiplier = cfg.C, cfg.Layers, ops, cfg.Steps, cfg.Steps
	inC, size := 3, 32
	if f.dataset == "fashion-mnist" || f.dataset == "mnist" {
		inC, size = 1, 28
	} else if f.dataset == "demo" {
		size = data.DemoSize
	}
	if rc.Downsample > 1 {
		size /= rc.Downsample
	}
	mc.InChannels = inC
	net, err := model.NewSearchNet(mc, tensor.NewRNG(rc.Seed))
	if err != nil {
		return err
	}
	params := nn.CountParams(net.Weights())
	macs := model.MACs(net.Forward, inC, size, size)
	out := map[string]any{"params": params, "alphas": nn.CountParams(net.Alphas()), "fwd_macs_per_image": macs,
		"image_size": size, "C": cfg.C, "layers": cfg.Layers, "ops": rc.Space, "edges": genotype.EdgeCount(mc.Steps)}
	if f.jsonOut {
		b, _ := json.Marshal(out)
		fmt.Fprintln(stdout, string(b))
		return nil
	}
	fmt.Fprintf(stdout, "search network: %d weight parameters (α excluded), %d α, %d MACs per %dx%d image forward\n",
		params, out["alphas"], macs, size, size)
	return nil
}
