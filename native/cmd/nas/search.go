package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	_ "github.com/nasplayground/nas/assets/demo" // registers --dataset demo
	"github.com/nasplayground/nas/core/data"
	"github.com/nasplayground/nas/core/genotype"
	"github.com/nasplayground/nas/core/model"
	"github.com/nasplayground/nas/core/nn"
	"github.com/nasplayground/nas/core/search"
	"github.com/nasplayground/nas/core/search/darts"
	"github.com/nasplayground/nas/core/tensor"
	"github.com/nasplayground/nas/native/internal/fsutil"
)

func init() {
	register(command{name: "search", summary: "run an architecture search (darts, reinforce, enas, evolution, random; NAS-Bench-201)", run: runSearch})
}

// searchFlags are the flags of `nas search`, shared by every method.
type searchFlags struct {
	method, space, ops, dataset, dataDir, out, metrics string
	order, epochs, batch, c, layers, threads, maxSteps int
	seed                                               uint64
	portion, lr, lrMin, archLR                         float64
	resume, dryRun, jsonOut, secondOrderAlphasFull     bool
	valLimit                                           int
	// sampling methods
	samples, repeats, childEpochs, childSteps, population, tournament int
	weightSharing                                                     bool
	plot                                                              string
}

func runSearch(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("search", stderr)
	var f searchFlags
	d := darts.DefaultConfig()
	fs.StringVar(&f.method, "method", "darts", "search strategy: darts | reinforce | enas | evolution | random")
	fs.StringVar(&f.space, "space", "", "search space: darts | nasnet | nb201 (default: the --ops set)")
	fs.StringVar(&f.ops, "ops", "darts", "operation set of the cell: darts (8 ops) | nasnet (14 ops)")
	fs.IntVar(&f.order, "order", 1, "DARTS order: 1 (first order) or 2 (unrolled second order)")
	fs.StringVar(&f.dataset, "dataset", "cifar10", "data set: cifar10 | fashion-mnist | mnist | demo")
	fs.StringVar(&f.dataDir, "data", "", "data folder (cifar10: the cifar-10-batches-bin folder)")
	fs.IntVar(&f.epochs, "epochs", d.Epochs, "epochs")
	fs.IntVar(&f.batch, "batch", d.Batch, "batch size")
	fs.IntVar(&f.c, "C", d.C, "initial channels")
	fs.IntVar(&f.layers, "layers", d.Layers, "cells")
	fs.Float64Var(&f.portion, "train-portion", d.TrainPortion, "fraction of the training set used for w (the rest is α's validation half)")
	fs.Float64Var(&f.lr, "lr", d.LR, "weight learning rate (cosine annealed)")
	fs.Float64Var(&f.lrMin, "lr-min", d.LRMin, "final weight learning rate")
	fs.Float64Var(&f.archLR, "arch-lr", d.ArchLR, "α learning rate (Adam)")
	fs.Uint64Var(&f.seed, "seed", 2, "random seed")
	fs.IntVar(&f.threads, "threads", 0, "worker threads (0 = all cores)")
	fs.StringVar(&f.out, "out", "", "output folder: events.jsonl, genotype.txt/json, cell diagrams, checkpoint")
	fs.BoolVar(&f.resume, "resume", false, "continue from the checkpoint in --out")
	fs.BoolVar(&f.dryRun, "dry-run", false, "build the network, print its size and exit")
	fs.BoolVar(&f.jsonOut, "json", false, "machine-readable output: one JSON object per epoch (or per method)")
	fs.StringVar(&f.metrics, "metrics-format", "text", "text | katib (name=value lines for Katib's stdout collector)")
	fs.IntVar(&f.maxSteps, "max-steps", 0, "stop after this many steps (0 = run all epochs); a checkpoint is written")
	fs.IntVar(&f.valLimit, "val-limit", 0, "images of the end-of-epoch validation pass (0 = the whole validation half)")
	fs.BoolVar(&f.secondOrderAlphasFull, "arch-grads-full", false, "first order: also compute the (discarded) weight gradients in the α backward, as the reference does")
	fs.IntVar(&f.samples, "samples", 500, "sampling methods: architectures to sample")
	fs.IntVar(&f.repeats, "repeats", 1, "nb201: independent repeats per method")
	fs.IntVar(&f.childEpochs, "child-epochs", 1, "reinforce/evolution/random on darts: epochs to train each child")
	fs.IntVar(&f.childSteps, "child-steps", 50, "reinforce/evolution/random on darts: at most this many steps per child")
	fs.IntVar(&f.population, "population", 100, "evolution: population size P")
	fs.IntVar(&f.tournament, "tournament", 25, "evolution: tournament sample size S")
	fs.BoolVar(&f.weightSharing, "weight-sharing", false, "random: evaluate children with shared supernet weights")
	fs.StringVar(&f.plot, "plot", "", "nb201: write the comparison plot (PNG) here (default: --out/compare.png)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if f.metrics != "text" && f.metrics != "katib" {
		return usagef("--metrics-format %q: want text or katib", f.metrics)
	}
	if f.threads < 0 {
		return usagef("--threads %d: want >= 0", f.threads)
	}
	nn.SetThreads(f.threads)
	switch f.method {
	case "darts":
		if f.space == "nb201" {
			return usagef("--method darts runs on --space darts or nasnet (NAS-Bench-201 mode compares sampling methods)")
		}
		if f.space != "" {
			f.ops = f.space
		}
		return searchDARTS(f, stdout, stderr)
	default: // reinforce, enas, evolution, random; nb201 also takes a comma list or all
		return searchSampling(f, stdout, stderr)
	}
}

func loadData(name, dir string, train bool) (*data.Dataset, error) {
	ds, err := data.Load(name, dir, train)
	if err != nil {
		return nil, usageError{err}
	}
	return ds, nil
}

func searchDARTS(f searchFlags, stdout, stderr io.Writer) error {
	cfg := darts.DefaultConfig()
	cfg.C, cfg.Layers, cfg.Batch, cfg.Epochs, cfg.Order, cfg.Ops = f.c, f.layers, f.batch, f.epochs, f.order, f.ops
	cfg.TrainPortion, cfg.LR, cfg.LRMin, cfg.ArchLR, cfg.Seed, cfg.Threads = f.portion, f.lr, f.lrMin, f.archLR, f.seed, f.threads
	cfg.AlphasOnly = !f.secondOrderAlphasFull
	cfg.ValLimit = f.valLimit
	if err := cfg.Validate(); err != nil {
		return usageError{err}
	}
	if f.dryRun {
		return dartsDryRun(cfg, f, stdout)
	}
	ckPath := ""
	if f.out != "" {
		ckPath = filepath.Join(f.out, "checkpoint.bin")
	}
	if f.resume && f.out == "" {
		return usagef("--resume needs --out DIR (the folder holding checkpoint.bin)")
	}
	ds, err := loadData(f.dataset, f.dataDir, true)
	if err != nil {
		return err
	}
	var s *darts.Search
	if f.resume {
		ck, err := readDartsCheckpoint(ckPath)
		if err != nil {
			return err
		}
		if s, err = darts.Resume(ck, ds); err != nil {
			return err
		}
	} else if s, err = darts.New(cfg, ds); err != nil {
		return usageError{err}
	}
	cfg = s.Config()
	log, err := openEventLog(f.out, f.resume)
	if err != nil {
		return err
	}
	defer log.Close()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	stepsPerEpoch := (int(float64(ds.N)*cfg.TrainPortion) + cfg.Batch - 1) / cfg.Batch
	total := stepsPerEpoch * cfg.Epochs
	quiet := f.jsonOut || f.metrics == "katib"
	prog := newProgress(stderr, total, "darts", false)
	if !quiet {
		fmt.Fprintf(stdout, "DARTS search: %s, %d train / %d val images, C=%d, %d layers, batch %d, %d epochs, order %d, ops %s, %d threads\n",
			f.dataset, int(float64(ds.N)*cfg.TrainPortion), ds.N-int(float64(ds.N)*cfg.TrainPortion), cfg.C, cfg.Layers, cfg.Batch,
			cfg.Epochs, cfg.Order, cfg.Ops, nn.Threads())
	}
	save := func() error {
		if ckPath == "" {
			return nil
		}
		return fsutil.Write(ckPath, func(w io.Writer) error { return darts.WriteCheckpoint(w, s.Checkpoint()) })
	}
	steps := 0
	for !s.Done() {
		if ctx.Err() != nil || (f.maxSteps > 0 && steps >= f.maxSteps) {
			if err := save(); err != nil {
				return err
			}
			prog.finish()
			if ctx.Err() != nil {
				return interruptedError{fmt.Sprintf("interrupted at epoch %d step %d; checkpoint written to %s (continue with --resume)", s.Epoch(), s.Snapshot().Step, orDash(ckPath))}
			}
			fmt.Fprintf(stdout, "stopped after %d steps (--max-steps); checkpoint: %s\n", steps, orDash(ckPath))
			return nil
		}
		ev, err := s.Step()
		if err != nil {
			_ = save()
			return err
		}
		steps++
		if err := log.write(ev); err != nil {
			return err
		}
		switch ev.Kind {
		case search.KindStep:
			if ev.Phase == search.PhaseWeights {
				prog.step(ev.Step, fmt.Sprintf("epoch %d loss %.3f acc %.3f %.0f img/s", ev.Epoch, ev.TrainLoss, ev.TrainAcc, ev.ImagesPerSec))
			}
		case search.KindEpoch:
			if err := writeGenotypeFiles(f.out, ev.Genotype); err != nil {
				return err
			}
			if err := save(); err != nil {
				return err
			}
			reportEpoch(stdout, prog, f, ev)
		}
	}
	prog.finish()
	g, err := s.Genotype()
	if err != nil {
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

func orDash(s string) string {
	if s == "" {
		return "none (no --out)"
	}
	return s
}

func reportEpoch(stdout io.Writer, prog *progress, f searchFlags, ev search.Event) {
	switch {
	case f.metrics == "katib":
		fmt.Fprintf(stdout, "epoch=%d\nTrain-Loss=%.6f\nTrain-Accuracy=%.6f\nValidation-Loss=%.6f\nValidation-Accuracy=%.6f\n",
			ev.Epoch, ev.TrainLoss, ev.TrainAcc, ev.ValLoss, ev.ValAcc)
	case f.jsonOut:
		b, _ := json.Marshal(map[string]any{"epoch": ev.Epoch, "train_loss": ev.TrainLoss, "train_acc": ev.TrainAcc,
			"val_loss": ev.ValLoss, "val_acc": ev.ValAcc, "lr": ev.LR, "genotype": ev.Genotype, "elapsed_s": ev.Elapsed})
		fmt.Fprintln(stdout, string(b))
	default:
		prog.line("epoch %d: train loss %.4f acc %.4f | val loss %.4f acc %.4f | lr %.5f | %.0fs\n  %s",
			ev.Epoch, ev.TrainLoss, ev.TrainAcc, ev.ValLoss, ev.ValAcc, ev.LR, ev.Elapsed, ev.Genotype)
	}
}

func readDartsCheckpoint(path string) (*darts.Checkpoint, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, usagef("--resume: %v", err)
	}
	defer fh.Close()
	ck, err := darts.ReadCheckpoint(fh)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return ck, nil
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
			b, err := genotype.Draw(g, cell, format)
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

func dartsDryRun(cfg darts.Config, f searchFlags, stdout io.Writer) error {
	ops, _ := genotype.OpSet(cfg.Ops)
	mc := model.DefaultSearchConfig()
	mc.C, mc.Layers, mc.Ops = cfg.C, cfg.Layers, ops
	inC, size := 3, 32
	if f.dataset == "fashion-mnist" || f.dataset == "mnist" {
		inC, size = 1, 28
	} else if f.dataset == "demo" {
		size = data.DemoSize
	}
	mc.InChannels = inC
	net, err := model.NewSearchNet(mc, tensor.NewRNG(cfg.Seed))
	if err != nil {
		return err
	}
	params := nn.CountParams(net.Weights())
	macs := model.MACs(net.Forward, inC, size, size)
	out := map[string]any{"params": params, "alphas": nn.CountParams(net.Alphas()), "fwd_macs_per_image": macs,
		"image_size": size, "C": cfg.C, "layers": cfg.Layers, "ops": cfg.Ops, "edges": genotype.EdgeCount(mc.Steps)}
	if f.jsonOut {
		b, _ := json.Marshal(out)
		fmt.Fprintln(stdout, string(b))
		return nil
	}
	fmt.Fprintf(stdout, "search network: %d weight parameters (α excluded), %d α, %d MACs per %dx%d image forward\n",
		params, out["alphas"], macs, size, size)
	return nil
}
