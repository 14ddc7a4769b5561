//go:build js && wasm

package main

import (
	"fmt"
	"math"
	"slices"

	"github.com/nasplayground/nas/assets/demo"
	"github.com/nasplayground/nas/core/data"
	"github.com/nasplayground/nas/core/run"
	"github.com/nasplayground/nas/wasm/protocol"
)

// Sample budgets of the RL scene: effectively open-ended at the scene's pace
// on the table; ENAS's is the horizon of its shared weights' cosine learning
// rate, ~20 minutes at the page's pace.
const (
	rlBudget   = 1_000_000
	enasBudget = 10_000
)

// config turns a start command into a run configuration at the page's scale:
// the demo set (2,000 CIFAR-10 training images at 16×16, split half for w and
// half for α as in train_search.py), a small supernet (C = 4, 3 cells), batch
// 16, no augmentation; the sampling scene on the NAS-Bench-201 table
// (CIFAR-10 test accuracy in percent as the reward), or ENAS on the demo set.
func config(c protocol.Command) (run.Config, error) {
	cfg := run.DefaultConfig()
	cfg.Seed, cfg.Dataset, cfg.Threads = c.Seed, "demo", 1
	d := &cfg.DARTS
	d.C, d.Layers, d.Batch, d.Epochs = 4, 3, 16, 50
	d.Augment, d.EvalBatch, d.ValLimit = false, 100, 200
	if c.Order == 2 {
		d.Order = 2
	}
	if c.Nodes > 0 {
		d.Steps = c.Nodes
	}
	if c.Batch > 0 {
		d.Batch = c.Batch
	}
	if c.Epochs > 0 {
		d.Epochs = c.Epochs
	}
	if c.LR > 0 {
		d.LR = c.LR
	}
	if c.ArchLR > 0 {
		d.ArchLR = c.ArchLR
	}
	sc := &cfg.Sampling
	sc.CtrlLR = c.CtrlLR
	// The page's REINFORCE keeps exploring long enough to watch: with the
	// core's β = 1e-4 the controller reached p ≈ 1 within 250 samples; with
	// β = 0.5 max p was 0.57 after 250 and 0.79 after 3,000 samples, and it
	// still found a 94.37% cell by 1,000 (wasm/ui/rlpick_test.go, -tags settle).
	sc.Entropy = 0.5
	ch := &sc.Child
	ch.C, ch.Layers, ch.Batch, ch.Augment = 4, 3, 16, false
	if c.LR > 0 {
		ch.LR = c.LR
	}
	switch c.Scene {
	case protocol.SceneDARTS, protocol.SceneLecture: // the lecture's live steps run a DARTS search of their own
		cfg.Method, cfg.Space = "darts", run.SpaceDARTS
	case protocol.SceneRL:
		if !slices.Contains(protocol.RLMethods, c.Method) {
			return cfg, fmt.Errorf("engine: method %q, want one of %v", c.Method, protocol.RLMethods)
		}
		cfg.Method, cfg.Space, cfg.Dataset, sc.Samples = c.Method, run.SpaceNB201, "cifar10", rlBudget
		if c.Method == "enas" {
			cfg.Space, cfg.Dataset, sc.Samples = run.SpaceDARTS, "demo", enasBudget
		}
	case protocol.SceneCompare:
		cfg.Method, cfg.Space, cfg.Dataset = run.CompareMethod, run.SpaceNB201, "cifar10"
		sc.Repeats, sc.Samples, sc.Interleave = max(1, c.Repeats), max(10, c.Samples), true
	default:
		return cfg, fmt.Errorf("engine: scene %q has no engine (replay plays in the page)", c.Scene)
	}
	return cfg, nil
}

// build makes the run for a start command.
func build(c protocol.Command) (*run.Run, error) {
	cfg, err := config(c)
	if err != nil {
		return nil, err
	}
	var d run.Data
	if cfg.Dataset == "demo" {
		if d.Train, err = demo.Train(); err != nil {
			return nil, err
		}
		if c.Size == 8 && cfg.Method == "darts" { // 16×16 → 8×8: four times fewer pixels per step
			d.Train = data.Downsample(d.Train, 2)
		}
	}
	return run.New(cfg, d)
}

// predictions returns n validation images with the DARTS supernet's guesses.
func predictions(r *run.Run, n int) []protocol.Prediction {
	d, ok := r.Searcher.(*run.DARTS)
	if !ok {
		return nil
	}
	var out []protocol.Prediction
	for _, p := range d.Predict(n) {
		size := int(math.Round(math.Sqrt(float64(len(p.Image) / 3)))) // CHW, 3 channels, square
		out = append(out, protocol.Prediction{Image: p.Image, Size: size, Label: p.Label, Pred: p.Pred, Probs: p.Probs})
	}
	return out
}

// labels returns the space's decision and choice names for the page.
func labels(r *run.Run) *protocol.Labels {
	layout := r.Layout()
	if layout == nil {
		return nil
	}
	l := &protocol.Labels{}
	for _, d := range layout {
		l.Decisions, l.Choices = append(l.Decisions, d.Name), append(l.Choices, d.Choices)
	}
	return l
}

// curves returns the comparison's curves for the page.
func curves(r *run.Run) []protocol.Curve {
	c, ok := r.Searcher.(*run.Compare)
	if !ok {
		return nil
	}
	var out []protocol.Curve
	for _, cv := range c.Curves(100) {
		out = append(out, protocol.Curve{Method: cv.Method, X: cv.X, Y: cv.Y, Final: cv.Final, Std: cv.Std, Cost: cv.Cost, Trials: cv.Trials})
	}
	return out
}
