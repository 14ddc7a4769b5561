package enas

import (
	"bytes"
	"encoding/gob"
	"fmt"

	"github.com/nasplayground/nas/core/data"
	"github.com/nasplayground/nas/core/search"
	"github.com/nasplayground/nas/core/search/child"
	"github.com/nasplayground/nas/core/search/rl"
)

// Method is the method name in events.
const Method = "enas"

// Config is an ENAS search: the shared supernet and its optimiser (Child),
// and the controller (RL; its Samples is the budget, its Seed the search's).
type Config struct {
	Child child.Config
	RL    rl.Config
}

// DefaultConfig returns child.DefaultConfig for the supernet and
// rl.DefaultConfig (Adam lr 3.5e-4, baseline decay 0.95, entropy weight
// 1e-4: ENAS micro search) for the controller; both seeded with seed.
func DefaultConfig(samples int, seed uint64) Config {
	c := child.DefaultConfig()
	c.Seed = seed
	return Config{Child: c, RL: rl.DefaultConfig(samples, seed)}
}

// Searcher is the ENAS step machine: an rl.Searcher whose evaluator is the
// shared supernet. Its events are the controller's sample events with
// Method "enas" and the shared step's losses and learning rate.
type Searcher struct {
	*rl.Searcher
	Shared *child.Shared
}

var _ search.Searcher = (*Searcher)(nil)

// New builds the supernet over train (split 50/50 into the weights' and the
// reward's halves) and the controller. The shared learning rate is annealed
// (cosine) over the sample budget.
func New(cfg Config, train *data.Dataset) (*Searcher, error) {
	sh, err := child.NewShared(cfg.Child, train, cfg.RL.Samples)
	if err != nil {
		return nil, err
	}
	s := &Searcher{Searcher: rl.New(sh.Space, sh, cfg.RL), Shared: sh}
	s.Tracker.Method = Method
	return s, nil
}

// Step samples a cell, trains the shared weights on it for one minibatch,
// rewards it with its accuracy on one validation minibatch and updates the
// controller.
func (s *Searcher) Step() (search.Event, error) {
	ev, err := s.Searcher.Step()
	if err != nil {
		return ev, err
	}
	st := s.Shared.Last
	ev.TrainLoss, ev.TrainAcc, ev.ValLoss, ev.ValAcc, ev.LR, ev.Images = st.TrainLoss, st.TrainAcc, st.ValLoss, st.ValAcc, st.LR, st.Images
	s.Tracker.Last = ev
	s.Tracker.History[len(s.Tracker.History)-1] = ev
	return ev, nil
}

// state is the gob checkpoint of a Searcher.
type state struct {
	Version    int
	Controller []byte
	Shared     []byte
}

// MarshalBinary saves the controller (rl state) and the shared supernet.
func (s *Searcher) MarshalBinary() ([]byte, error) {
	c, err := s.Searcher.MarshalBinary()
	if err != nil {
		return nil, err
	}
	sh, err := s.Shared.MarshalBinary()
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	err = gob.NewEncoder(&buf).Encode(state{Version: 1, Controller: c, Shared: sh})
	return buf.Bytes(), err
}

// UnmarshalBinary restores a state saved by MarshalBinary into a Searcher
// built by New with the same config and data.
func (s *Searcher) UnmarshalBinary(b []byte) error {
	var st state
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&st); err != nil {
		return fmt.Errorf("enas: decoding state: %w", err)
	}
	if st.Version != 1 {
		return fmt.Errorf("enas: state version %d, want 1", st.Version)
	}
	if err := s.Searcher.UnmarshalBinary(st.Controller); err != nil {
		return err
	}
	return s.Shared.UnmarshalBinary(st.Shared)
}
