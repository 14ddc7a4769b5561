package ui

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/nasplayground/nas/core/run/events"
	"github.com/nasplayground/nas/core/search"
)

// ParseEvents reads an events.jsonl as written by `nas search` with the one
// reader of `nas replay` (core/run/events.Read); name labels errors. A cut
// last line is dropped (ReadEvents says so).
func ParseEvents(name string, r io.Reader) ([]search.Event, error) {
	evs, _, err := events.Read(name, r)
	return evs, err
}

// ReadEvents is ParseEvents with the note of a repaired file ("" if none).
func ReadEvents(name string, r io.Reader) (evs []search.Event, repaired string, err error) {
	return events.Read(name, r)
}

// Replay plays a recorded event list at Rate events per second.
type Replay struct {
	Events  []search.Event
	Rate    float64 // events per second
	Playing bool
	pos     float64 // events emitted so far (fractional)
}

// Pos returns the number of events played.
func (r *Replay) Pos() int { return int(r.pos) }

// Advance moves the cursor by dt seconds (if playing) and returns the events
// that became due.
func (r *Replay) Advance(dt float64) []search.Event {
	if !r.Playing {
		return nil
	}
	return r.to(r.pos + dt*r.Rate)
}

// StepOne emits exactly one event.
func (r *Replay) StepOne() []search.Event { return r.to(float64(r.Pos() + 1)) }

func (r *Replay) to(p float64) []search.Event {
	p = min(p, float64(len(r.Events)))
	from, to := r.Pos(), int(p)
	r.pos = p
	if r.Pos() >= len(r.Events) {
		r.Playing = false
	}
	return r.Events[from:to]
}

// Rewind moves the cursor back to the start.
func (r *Replay) Rewind() { r.pos = 0 }

// ReplayEntry is one recording shipped with the page: replays/File, shown as Title.
type ReplayEntry struct {
	File    string `json:"file"`
	Title   string `json:"title"`
	TitleKo string `json:"title_ko,omitempty"` // the Korean title; Title if empty
}

// TitleIn returns the entry's title in lang.
func (e ReplayEntry) TitleIn(lang string) string {
	if lang == "ko" && e.TitleKo != "" {
		return e.TitleKo
	}
	return e.Title
}

// URL returns the entry's address relative to the page.
func (e ReplayEntry) URL() string { return "replays/" + e.File }

// ParseReplayIndex reads replays/index.json: a JSON list of {"file", "title"}
// whose files sit next to it (no directories); a missing title is the file
// name. name labels errors.
func ParseReplayIndex(name string, data []byte) ([]ReplayEntry, error) {
	var es []ReplayEntry
	if err := json.Unmarshal(data, &es); err != nil {
		return nil, fmt.Errorf("%s: %w (want a JSON list of {\"file\": ..., \"title\": ...})", name, err)
	}
	for i, e := range es {
		if e.File == "" || strings.ContainsAny(e.File, "/\\") || strings.HasPrefix(e.File, ".") {
			return nil, fmt.Errorf("%s: entry %d: file %q, want a file name next to the index", name, i, e.File)
		}
		if e.Title == "" {
			es[i].Title = e.File
		}
	}
	return es, nil
}
