//go:build js && wasm

package main

import (
	"math"

	"github.com/nasplayground/nas/assets/demo"
	"github.com/nasplayground/nas/core/search/darts"
	"github.com/nasplayground/nas/wasm/protocol"
)

// dartsSearch adds the page's sample predictions to darts.Search.
type dartsSearch struct{ *darts.Search }

// Predictions implements predictor: n validation images with the supernet's guesses.
func (d dartsSearch) Predictions(n int) []protocol.Prediction {
	var out []protocol.Prediction
	for _, p := range d.Predict(n) {
		size := int(math.Round(math.Sqrt(float64(len(p.Image) / 3)))) // CHW, 3 channels, square
		out = append(out, protocol.Prediction{Image: p.Image, Size: size, Label: p.Label, Pred: p.Pred, Probs: p.Probs})
	}
	return out
}

// newDARTS builds the page's DARTS search on the demo set (2,000 CIFAR-10
// training images at 16×16, split half for w and half for α as in
// train_search.py): a small supernet (C = 4, 3 cells, reductions at cells 1 and
// 2), batch 16, one kernel thread (Go wasm has no threads), first or second
// order from the command, the command's learning rates.
func newDARTS(c protocol.Command) (dartsSearch, error) {
	train, err := demo.Train()
	if err != nil {
		return dartsSearch{}, err
	}
	cfg := darts.DefaultConfig()
	cfg.C, cfg.Layers, cfg.Batch, cfg.Epochs = 4, 3, 16, 50
	cfg.Threads, cfg.Augment, cfg.EvalBatch, cfg.ValLimit = 1, false, 100, 200
	cfg.Seed = c.Seed
	if c.Order == 2 {
		cfg.Order = 2
	}
	if c.LR > 0 {
		cfg.LR = c.LR
	}
	if c.ArchLR > 0 {
		cfg.ArchLR = c.ArchLR
	}
	s, err := darts.New(cfg, train)
	return dartsSearch{s}, err
}
