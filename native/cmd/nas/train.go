package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"reflect"
	"strings"

	_ "github.com/nasplayground/nas/assets/demo" // registers the embedded demo set
	"github.com/nasplayground/nas/core/data"
	"github.com/nasplayground/nas/core/genotype"
	"github.com/nasplayground/nas/core/model"
	"github.com/nasplayground/nas/core/nn"
	"github.com/nasplayground/nas/core/run"
	"github.com/nasplayground/nas/core/search"
	"github.com/nasplayground/nas/core/tensor"
	"github.com/nasplayground/nas/core/train"
	"github.com/nasplayground/nas/native/internal/fsutil"
)

func init() {
	register(command{name: "train", summary: "train a genotype's network from scratch (DARTS cnn/train.py)", run: runTrain})
}

// Files in the --out folder of `nas train`.
const (
	trainCheckpointFile = "train.ckpt"
	trainResultFile     = "result.json"
)

// trainResult is result.json of `nas train`.
type trainResult struct {
	Genotype     string         `json:"genotype"`
	Dataset      string         `json:"dataset"`
	Params       int            `json:"params"`
	ParamsTotal  int            `json:"params_total"`
	Epochs       int            `json:"epochs"` // finished epochs
	Steps        int            `json:"steps"`
	Done         bool           `json:"done"`
	TestAcc      float64        `json:"test_acc"`
	TestLoss     float64        `json:"test_loss"`
	BestTestAcc  float64        `json:"best_test_acc"`
	TrainAcc     float64        `json:"train_acc"`
	ElapsedS     float64        `json:"elapsed_s"`
	ImagesPerSec float64        `json:"images_per_s"` // training steps only, since the start or resume
	Config       train.Config   `json:"config"`
	History      []search.Event `json:"history"`
}

type trainFlags struct {
	runFlags
	genotype, dataset, dir, metrics string
	cfg                             train.Config
	seed                            uint64
	cutout                          bool
	cutoutLen, trainLimit           int
	dryRun, json                    bool
	trained                         *run.Run // the run trainLoop drove (nas search --then-train reads it)
}

func parseTrainFlags(args []string, stderr io.Writer) (*trainFlags, error) {
	f := &trainFlags{cfg: train.DefaultConfig()}
	c := &f.cfg
	fs := newFlags("train", stderr)
	fs.StringVar(&f.genotype, "genotype", "", "genotype: a name ("+strings.Join(genotype.Names(), ", ")+"), DARTS text, or a file")
	fs.StringVar(&f.dataset, "dataset", "cifar10", "data set: cifar10, fashion-mnist, mnist or demo")
	fs.StringVar(&f.dir, "data", "", "data directory (default: the usual place of the data set)")
	fs.IntVar(&c.C, "C", c.C, "initial channels")
	fs.IntVar(&c.Layers, "layers", c.Layers, "number of cells")
	fs.BoolVar(&c.Auxiliary, "auxiliary", false, "auxiliary head after cell 2·layers/3 (32×32 images)")
	fs.Float64Var(&c.AuxWeight, "auxiliary-weight", c.AuxWeight, "weight of the auxiliary loss")
	fs.BoolVar(&f.cutout, "cutout", false, "cutout augmentation")
	fs.IntVar(&f.cutoutLen, "cutout-length", 16, "cutout side")
	fs.Float64Var(&c.DropPath, "drop-path", c.DropPath, "final drop-path probability (ramped linearly from 0)")
	fs.IntVar(&c.Epochs, "epochs", c.Epochs, "epochs")
	fs.IntVar(&c.Batch, "batch", c.Batch, "batch size")
	fs.Float64Var(&c.LR, "lr", c.LR, "initial learning rate (cosine to 0)")
	fs.Float64Var(&c.Momentum, "momentum", c.Momentum, "SGD momentum")
	fs.Float64Var(&c.WeightDecay, "weight-decay", c.WeightDecay, "weight decay")
	fs.Float64Var(&c.GradClip, "grad-clip", c.GradClip, "gradient norm clip (0 = off)")
	fs.Uint64Var(&f.seed, "seed", 0, "random seed")
	fs.IntVar(&c.TestLimit, "test-limit", 0, "images of the per-epoch test pass (0 = all)")
	fs.IntVar(&f.trainLimit, "train-limit", 0, "train on the first N training images only (0 = all)")
	fs.BoolVar(&f.dryRun, "dry-run", false, "print parameter count and MACs, then exit without reading data")
	fs.BoolVar(&f.json, "json", false, "one JSON object per epoch on stdout")
	fs.StringVar(&f.metrics, "metrics-format", "text", "text, or katib (name=value lines for Katib's stdout collector)")
	f.define(fs, "events.jsonl, "+trainCheckpointFile+" and "+trainResultFile)
	if err := parseFlags(fs, args); err != nil {
		return nil, err
	}
	f.set = map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { f.set[fl.Name] = true })
	switch {
	case f.genotype == "":
		return nil, usagef("--genotype is required (a name such as DARTS_V2, genotype text, or a file)")
	case f.metrics != "text" && f.metrics != "katib":
		return nil, usagef("--metrics-format %q, want text or katib", f.metrics)
	case f.resume && f.out == "":
		return nil, usagef("--resume needs --out (the folder holding %s)", trainCheckpointFile)
	case f.maxSteps < 0 || f.trainLimit < 0:
		return nil, usagef("--max-steps %d, --train-limit %d: want >= 0", f.maxSteps, f.trainLimit)
	case f.threads < 0:
		return nil, usagef("--threads %d: want >= 0", f.threads)
	}
	if f.cutout {
		c.Cutout = f.cutoutLen
	}
	g, err := genotype.Resolve(f.genotype)
	if err != nil {
		return nil, usageError{err}
	}
	c.Genotype = g
	c.Seed = f.seed
	return f, nil
}

// config returns the run configuration of the flags.
func (f *trainFlags) config() run.Config {
	cfg := run.DefaultConfig()
	cfg.Method, cfg.Space, cfg.Dataset, cfg.Seed, cfg.Threads = "train", "", f.dataset, f.seed, f.threads
	cfg.Train = f.cfg
	return cfg
}

// given applies the flags given on the command line onto a checkpoint's configuration.
func (f *trainFlags) given(cfg *run.Config) error {
	mine := f.config()
	a, b := reflect.ValueOf(&cfg.Train).Elem(), reflect.ValueOf(&mine.Train).Elem()
	for flagName, field := range trainFlagFields {
		if f.set[flagName] {
			a.FieldByName(field).Set(b.FieldByName(field))
		}
	}
	if f.set["cutout"] || f.set["cutout-length"] {
		cfg.Train.Cutout = mine.Train.Cutout
	}
	if f.set["genotype"] {
		cfg.Train.Genotype = mine.Train.Genotype
	}
	if f.set["seed"] {
		cfg.Seed, cfg.Train.Seed = mine.Seed, mine.Seed
	}
	if f.set["dataset"] {
		cfg.Dataset = mine.Dataset
	}
	cfg.Threads = f.threads
	return nil
}

// trainFlagFields maps the flags of `nas train` to train.Config fields.
var trainFlagFields = map[string]string{"C": "C", "layers": "Layers", "auxiliary": "Auxiliary", "auxiliary-weight": "AuxWeight",
	"drop-path": "DropPath", "epochs": "Epochs", "batch": "Batch", "lr": "LR", "momentum": "Momentum",
	"weight-decay": "WeightDecay", "grad-clip": "GradClip", "test-limit": "TestLimit"}

func runTrain(args []string, stdout, stderr io.Writer) error {
	f, err := parseTrainFlags(args, stderr)
	if err != nil {
		return err
	}
	return f.train(stdout, stderr)
}

// train is `nas train` once its flags are parsed (also `nas search --then-train`).
func (f *trainFlags) train(stdout, stderr io.Writer) error {
	if f.dryRun {
		return trainDryRun(f, stdout)
	}
	trainSet, testSet, err := loadTrainData(f.dataset, f.dir)
	if err != nil {
		return err
	}
	if f.trainLimit > 0 && f.trainLimit < trainSet.N {
		idx := make([]int, f.trainLimit)
		for i := range idx {
			idx[i] = i
		}
		trainSet = trainSet.Subset(idx)
	}
	nn.SetThreads(f.threads)
	r, offset, err := start(f.config(), run.Data{Train: trainSet, Test: testSet}, f.runFlags, trainCheckpointFile, f.given, stderr)
	if err != nil {
		return err
	}
	return trainLoop(r, f, offset, stdout)
}

// imageShape is what the data set is expected to hold, for --dry-run.
func imageShape(dataset string) (c, h, w int, err error) {
	switch dataset {
	case "cifar10":
		return 3, 32, 32, nil
	case "demo":
		return 3, data.DemoSize, data.DemoSize, nil
	case "fashion-mnist", "mnist":
		return 1, 28, 28, nil
	}
	return 0, 0, 0, usagef("--dataset %q, want one of cifar10, fashion-mnist, mnist, demo", dataset)
}

// netSize returns the parameters without and with the auxiliary head and the
// MACs of one image (auxiliary head excluded).
func netSize(cfg model.EvalConfig, h, w int) (params, total int, macs int64, err error) {
	net, err := model.NewEvalNet(cfg, tensor.NewRNG(0))
	if err != nil {
		return 0, 0, 0, err
	}
	return nn.CountParams(net.Params()), nn.CountParams(net.AllParams()), model.MACs(net.Logits, cfg.InChannels, h, w), nil
}

func trainDryRun(f *trainFlags, stdout io.Writer) error {
	ch, h, w, err := imageShape(f.dataset)
	if err != nil {
		return err
	}
	c := f.cfg
	if err := c.Validate(); err != nil {
		return usageError{err}
	}
	p, total, macs, err := netSize(model.EvalConfig{C: c.C, Layers: c.Layers, Classes: 10, InChannels: ch,
		Auxiliary: c.Auxiliary, Genotype: c.Genotype}, h, w)
	if err != nil {
		return usageError{err}
	}
	if f.json {
		fmt.Fprintf(stdout, "{\"params\": %d, \"params_total\": %d, \"macs\": %d}\n", p, total, macs)
		return nil
	}
	fmt.Fprintf(stdout, "params %d (%.6f MB as DARTS prints), with auxiliary head %d, MACs per %d×%d×%d image %d (%.1f M)\n",
		p, float64(p)/1e6, total, ch, h, w, macs, float64(macs)/1e6)
	return nil
}

func loadTrainData(name, dir string) (trainSet, testSet *data.Dataset, err error) {
	if _, _, _, err := imageShape(name); err != nil {
		return nil, nil, err
	}
	if dir == "" && name != "demo" {
		dir = data.DefaultDir(name)
	}
	if trainSet, err = data.Load(name, dir, true); err != nil {
		return nil, nil, usageError{err}
	}
	if testSet, err = data.Load(name, dir, false); err != nil {
		return nil, nil, usageError{err}
	}
	return trainSet, testSet, nil
}

// trainLoop drives the training to the end (or --max-steps, or Ctrl-C),
// reporting each epoch in the chosen format; result.json is written at the end.
func trainLoop(r *run.Run, f *trainFlags, offset int64, stdout io.Writer) error {
	tr := r.Searcher.(*run.Trainer)
	cfg := tr.Config()
	f.trained = r
	bar := newProgress(stdout, r, "train", f.json || f.metrics == "katib")
	o, err := driveRun(r, f.runFlags, trainCheckpointFile, offset, nil, func(ev search.Event, p run.Progress) error {
		if ev.Kind == search.KindStep {
			bar.step(p, fmt.Sprintf("epoch %d/%d loss %.3f acc %.3f", ev.Epoch+1, cfg.Epochs, ev.TrainLoss, ev.TrainAcc))
			return nil
		}
		if f.json || f.metrics == "katib" {
			return reportEpoch(stdout, bar, f.json, f.metrics, ev)
		}
		bar.line("epoch %d/%d  train loss %.4f acc %.4f  test loss %.4f acc %.4f  lr %.5f  %.1f images/s  %.0fs",
			ev.Epoch+1, cfg.Epochs, ev.TrainLoss, ev.TrainAcc, ev.ValLoss, ev.ValAcc, ev.LR, ev.ImagesPerSec, ev.Elapsed)
		return nil
	})
	bar.finish()
	if err != nil {
		return err
	}
	if err := writeTrainResult(f, tr.Trainer); err != nil {
		return err
	}
	return stopped(o, r, f.runFlags, io.Discard)
}

func writeTrainResult(f *trainFlags, tr *train.Trainer) error {
	if f.out == "" {
		return nil
	}
	snap := tr.Snapshot()
	r := trainResult{Genotype: tr.Config().Genotype.String(), Dataset: f.dataset, Params: nn.CountParams(tr.Net.Params()),
		ParamsTotal: nn.CountParams(tr.Net.AllParams()), Epochs: len(snap.Epochs), Steps: snap.Step, Done: tr.Done(),
		ElapsedS: tr.Elapsed(), ImagesPerSec: tr.ImagesPerSec(), Config: tr.Config(), History: snap.Epochs}
	for _, ev := range snap.Epochs {
		r.TestAcc, r.TestLoss, r.TrainAcc = ev.ValAcc, ev.ValLoss, ev.TrainAcc
		r.BestTestAcc = max(r.BestTestAcc, ev.ValAcc)
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if err := fsutil.WriteFile(filepath.Join(f.out, trainResultFile), append(b, '\n')); err != nil {
		return err
	}
	return nil
}
