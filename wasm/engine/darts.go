//go:build js && wasm

package main

import (
	"errors"

	"github.com/nasplayground/nas/core/search"
	"github.com/nasplayground/nas/wasm/protocol"
)

// newDARTS builds the DARTS searcher for the page (first or second order, the
// command's learning rates and seed) on the demo data set.
//
// TODO(darts): wire in core/search/darts and assets/demo when they land:
//
//	train, err := demo.Train()
//	s, err := darts.New(darts.Config{Order: c.Order, Seed: c.Seed, LR: c.LR, ArchLR: c.ArchLR, ...}, train)
//	return dartsSearch{s}, err
//
// with dartsSearch adding Predictions(n) from (*darts.Search).Predict(n)
// (Image CHW 3×16×16, Label, Pred, Probs → protocol.Prediction{Size: 16}).
// Until then the scene shows this message and draws nothing made up.
func newDARTS(c protocol.Command) (search.Searcher, error) {
	_ = c
	return nil, errors.New("DARTS engine not built yet")
}
