package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	"unicode"

	"github.com/nasplayground/nas/core/run/events"
	"github.com/nasplayground/nas/core/search"
)

func init() {
	register(command{name: "replay", summary: "summarise (or --follow) a recorded events.jsonl of any search", run: runReplay})
}

// replaySummary is what `nas replay` reports per method of an events file.
type replaySummary struct {
	File     string  `json:"file"`
	Method   string  `json:"method"`
	Space    string  `json:"space,omitempty"`
	Events   int     `json:"events"`
	Steps    int     `json:"steps"`  // largest step counter (minibatches or samples)
	Epochs   int     `json:"epochs"` // epoch events
	Genotype string  `json:"genotype,omitempty"`
	BestAcc  float64 `json:"best_acc"` // best epoch val_acc (gradient methods) or best reward (sampling)
	Duration float64 `json:"duration_s"`
}

func runReplay(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("replay", stderr)
	file := fs.String("events", "", "events.jsonl written by nas search or nas train (required)")
	speed := fs.Float64("speed", 1, "--follow: playback speed (1 = real time, 10 = ten times faster, 0 = no waiting)")
	follow := fs.Bool("follow", false, "print the events as a timeline, paced by their elapsed times")
	jsonOut := fs.Bool("json", false, "print the summary (and followed events) as JSON lines")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *file == "" {
		return usagef("--events FILE is required")
	}
	if *speed < 0 {
		return usagef("--speed %g: want >= 0", *speed)
	}
	evs, err := readEventLog(*file, stderr)
	if err != nil {
		return err
	}
	if *follow {
		playEvents(stdout, evs, *speed, *jsonOut)
	}
	for _, s := range replaySummaries(*file, evs) {
		if *jsonOut {
			b, _ := json.Marshal(s)
			fmt.Fprintln(stdout, string(b))
			continue
		}
		fmt.Fprintf(stdout, "%s: %s", safe(s.File), safe(s.Method))
		if s.Space != "" {
			fmt.Fprintf(stdout, " on %s", safe(s.Space))
		}
		fmt.Fprintf(stdout, ", %d events, %d steps, %d epochs, best accuracy %.4f, %.1fs\n", s.Events, s.Steps, s.Epochs, s.BestAcc, s.Duration)
		if s.Genotype != "" {
			fmt.Fprintf(stdout, "  %s\n", safe(s.Genotype))
		}
	}
	return nil
}

// readEventLog reads path with run.ReadEvents (the page's reader too); a
// bad line is a one-line usage error naming the file and line, a cut last
// line is dropped with a note on stderr.
func readEventLog(path string, stderr io.Writer) ([]search.Event, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, usagef("--events: %v", err)
	}
	defer f.Close()
	evs, repaired, err := events.Read(path, f)
	if err != nil {
		return nil, usagef("%s", safe(err.Error()))
	}
	if repaired != "" {
		fmt.Fprintln(stderr, "nas replay:", safe(repaired))
	}
	return evs, nil
}

// safe escapes control characters (terminal escape sequences among them)
// of text read from a file, so printing it cannot drive the terminal.
func safe(s string) string {
	if !strings.ContainsFunc(s, unicode.IsControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) {
			fmt.Fprintf(&b, "\\x%02x", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// replaySummaries returns one summary per method, in order of first appearance.
func replaySummaries(file string, evs []search.Event) []replaySummary {
	var out []replaySummary
	idx := map[string]int{}
	for _, ev := range evs {
		i, ok := idx[ev.Method]
		if !ok {
			i = len(out)
			idx[ev.Method] = i
			out = append(out, replaySummary{File: file, Method: ev.Method, Space: ev.Space})
		}
		s := &out[i]
		s.Events++
		s.Steps = max(s.Steps, ev.Step)
		s.Duration = max(s.Duration, ev.Elapsed)
		switch ev.Kind {
		case search.KindEpoch:
			s.Epochs++
			s.BestAcc = max(s.BestAcc, ev.ValAcc)
			if ev.Genotype != "" {
				s.Genotype = ev.Genotype
			}
		case search.KindSample:
			s.BestAcc = max(s.BestAcc, ev.Reward, ev.Best)
			if ev.BestArch != "" {
				s.Genotype = ev.BestArch
			}
		case search.KindStep:
			if s.Epochs == 0 && ev.Genotype != "" {
				s.Genotype = ev.Genotype
			}
		}
	}
	return out
}

// playEvents prints evs as a timeline, waiting the recorded time between
// events divided by speed (0: no waiting).
func playEvents(w io.Writer, evs []search.Event, speed float64, jsonOut bool) {
	prev := 0.0
	for _, ev := range evs {
		if dt := ev.Elapsed - prev; speed > 0 && dt > 0 {
			time.Sleep(time.Duration(dt / speed * float64(time.Second)))
		}
		prev = ev.Elapsed
		if jsonOut {
			fmt.Fprintln(w, sampleLine(ev))
			continue
		}
		fmt.Fprintf(w, "[%8.1fs] %-9s %-6s %5d  %s\n", ev.Elapsed, safe(ev.Method), ev.Kind, ev.Step, safe(eventText(ev)))
	}
}

func eventText(ev search.Event) string {
	switch ev.Kind {
	case search.KindSample:
		return fmt.Sprintf("reward %.4f best %.4f", ev.Reward, ev.Best)
	case search.KindEpoch:
		return fmt.Sprintf("epoch %d: train acc %.4f val acc %.4f  %s", ev.Epoch, ev.TrainAcc, ev.ValAcc, ev.Genotype)
	case search.KindStep:
		if ev.Phase == search.PhaseAlpha {
			return fmt.Sprintf("epoch %d α: val loss %.4f acc %.4f", ev.Epoch, ev.ValLoss, ev.ValAcc)
		}
		return fmt.Sprintf("epoch %d %s: train loss %.4f acc %.4f", ev.Epoch, ev.Phase, ev.TrainLoss, ev.TrainAcc)
	}
	return ev.Message
}
