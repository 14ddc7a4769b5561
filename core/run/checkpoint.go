package run

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/nasplayground/nas/core/state"
)

// Checkpoint is checkpoint.bin of any method (core/state's format, kind
// "run"): the configuration, where events.jsonl ended, and the step
// machine's own state (its MarshalBinary).
type Checkpoint struct {
	Config Config
	Events int64 // bytes of events.jsonl at the save
	State  []byte
}

// ErrNoCheckpoint marks a checkpoint file that is not there.
var ErrNoCheckpoint = errors.New("no checkpoint")

// Save writes r's state to path atomically; events is the length of the
// events file that goes with it. A state holding NaN or ±Inf is refused by
// the step machine's MarshalBinary and nothing is written.
func Save(path string, r *Run, events int64) error {
	b, err := marshal(r.Searcher)
	if err != nil {
		return err
	}
	ck := &Checkpoint{Config: r.Config, Events: events, State: b}
	return state.WriteFile(path, func(w io.Writer) error { return state.Write(w, "run", ck) })
}

// Load reads a checkpoint written by Save; errors are one line naming path.
func Load(path string) (*Checkpoint, error) {
	state.CleanTemp(path)
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%s: %w", path, ErrNoCheckpoint)
		}
		return nil, err
	}
	defer f.Close()
	ck := new(Checkpoint)
	if err := state.Read(f, "run", ck); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return ck, nil
}

// ConfigError lists the settings that contradict a checkpoint.
type ConfigError struct{ Diffs []string }

func (e *ConfigError) Error() string {
	return "the flags contradict the checkpoint: " + strings.Join(e.Diffs, "; ") + " (drop them, or force them with --override)"
}

// Resume rebuilds the run of ck over d. cfg is what the front end asks for;
// settings that differ from the checkpoint's are a *ConfigError unless
// override is set, in which case cfg is used (and the state must still fit).
func Resume(ck *Checkpoint, cfg Config, d Data, override bool) (*Run, error) {
	use := ck.Config
	if diff := Diff(ck.Config, cfg); len(diff) > 0 {
		if !override {
			return nil, &ConfigError{Diffs: diff}
		}
		use = cfg
	}
	use.Threads = cfg.Threads
	r, err := New(use, d)
	if err != nil {
		return nil, err
	}
	if err := unmarshal(r.Searcher, ck.State); err != nil {
		return nil, fmt.Errorf("the checkpoint does not fit this run: %w", err)
	}
	return r, nil
}
