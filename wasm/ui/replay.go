package ui

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/nasplayground/nas/core/search"
)

// ParseEvents reads an events.jsonl (one search.Event per line, blank lines
// ignored) as written by `nas search`. name labels errors.
func ParseEvents(name string, r io.Reader) ([]search.Event, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 16<<20) // α matrices make long lines
	var evs []search.Event
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if s == "" {
			continue
		}
		var ev search.Event
		if err := json.Unmarshal([]byte(s), &ev); err != nil {
			return evs, fmt.Errorf("%s:%d: %w", name, line, err)
		}
		if ev.Kind == "" {
			return evs, fmt.Errorf("%s:%d: event has no \"kind\", want step|epoch|sample|done", name, line)
		}
		evs = append(evs, ev)
	}
	if err := sc.Err(); err != nil {
		return evs, fmt.Errorf("%s:%d: %w", name, line+1, err)
	}
	if len(evs) == 0 {
		return nil, fmt.Errorf("%s: no events", name)
	}
	return evs, nil
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
