package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

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
	evs, err := readEventLog(*file)
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
		fmt.Fprintf(stdout, "%s: %s", s.File, s.Method)
		if s.Space != "" {
			fmt.Fprintf(stdout, " on %s", s.Space)
		}
		fmt.Fprintf(stdout, ", %d events, %d steps, %d epochs, best accuracy %.4f, %.1fs\n", s.Events, s.Steps, s.Epochs, s.BestAcc, s.Duration)
		if s.Genotype != "" {
			fmt.Fprintf(stdout, "  %s\n", s.Genotype)
		}
	}
	return nil
}

var eventKinds = map[string]bool{search.KindStep: true, search.KindEpoch: true, search.KindSample: true, search.KindDone: true}

// readEventLog decodes every line of path as a search.Event; a bad line is a
// one-line usage error naming the file and line.
func readEventLog(path string) ([]search.Event, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, usagef("--events: %v", err)
	}
	defer f.Close()
	r := bufio.NewReader(f)
	var evs []search.Event
	for line := 1; ; line++ {
		b, err := r.ReadBytes('\n')
		if len(b) == 0 && errors.Is(err, io.EOF) {
			break
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		ev, perr := parseEvent(b)
		if perr != nil {
			return nil, usagef("%s:%d: %v", path, line, perr)
		}
		evs = append(evs, ev)
		if err != nil { // EOF after a last line without newline
			break
		}
	}
	if len(evs) == 0 {
		return nil, usagef("%s: no events", path)
	}
	return evs, nil
}

func parseEvent(b []byte) (search.Event, error) {
	var ev search.Event
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(&ev); err != nil {
		return ev, fmt.Errorf("not a search event: %v", err)
	}
	if d.More() {
		return ev, errors.New("more than one JSON value on the line")
	}
	switch {
	case !eventKinds[ev.Kind]:
		return ev, fmt.Errorf("kind %q, want step, epoch, sample or done", ev.Kind)
	case ev.Method == "":
		return ev, errors.New("no method")
	case ev.Step < 0 || ev.Epoch < 0:
		return ev, fmt.Errorf("step %d, epoch %d: want >= 0", ev.Step, ev.Epoch)
	}
	return ev, nil
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
		fmt.Fprintf(w, "[%8.1fs] %-9s %-6s %5d  %s\n", ev.Elapsed, ev.Method, ev.Kind, ev.Step, eventText(ev))
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
