package events

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"

	"github.com/nasplayground/nas/core/search"
)

// Log writes events.jsonl: one search.Event as JSON per line. Flush
// returns the length of the file up to the last event written; a checkpoint
// keeps it, so a resume can cut the file back to the checkpoint (Open).
type Log struct {
	f      *os.File
	w      *bufio.Writer
	offset int64
}

// Open creates path, or, when resuming (offset >= 0), cuts it to
// offset bytes (the checkpoint's events) and appends from there. A file
// shorter than offset is an error: the events of the checkpoint are lost.
func Open(path string, offset int64) (*Log, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	if offset < 0 {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
		if err != nil {
			return nil, err
		}
		return &Log{f: f, w: bufio.NewWriter(f)}, nil
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err == nil && st.Size() < offset {
		err = fmt.Errorf("%s has %d bytes, the checkpoint's events end at %d (the file was cut or replaced)", path, st.Size(), offset)
	}
	if err == nil {
		err = f.Truncate(offset)
	}
	if err == nil {
		_, err = f.Seek(offset, io.SeekStart)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return &Log{f: f, w: bufio.NewWriter(f), offset: offset}, nil
}

// Write appends ev as one line. Non-finite numbers (which JSON cannot hold)
// are an error.
func (l *Log) Write(ev search.Event) error {
	if l == nil {
		return nil
	}
	b, err := json.Marshal(ev)
	if err != nil {
		return fmt.Errorf("event %d: %w", ev.Step, err)
	}
	b = append(b, '\n')
	if _, err := l.w.Write(b); err != nil {
		return err
	}
	l.offset += int64(len(b))
	return nil
}

// Flush writes buffered events to the file and returns its length.
func (l *Log) Flush() (int64, error) {
	if l == nil {
		return 0, nil
	}
	return l.offset, l.w.Flush()
}

// Close flushes and closes the file.
func (l *Log) Close() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := l.w.Flush()
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f = nil
	return err
}

var eventKinds = map[string]bool{search.KindStep: true, search.KindEpoch: true, search.KindSample: true, search.KindDone: true}

// MaxLine bounds one line of events.jsonl (α matrices make long lines).
const MaxLine = 16 << 20

// Read reads an events.jsonl: every line one search.Event (blank lines
// are skipped; unknown fields and trailing garbage are errors naming the
// line), with
// a kind, a method, and per method (epoch, step) never decreasing, no event
// twice and elapsed time never going back. A last line without its newline
// that does not parse is the cut of a killed writer: it is dropped and
// repaired says so; everything else is an error "name:line: what". name
// labels messages.
func Read(name string, r io.Reader) (evs []search.Event, repaired string, err error) {
	br := bufio.NewReaderSize(r, 64<<10)
	type key struct {
		kind, phase string
		epoch, step int
	}
	type pos struct {
		epoch, step int
		elapsed     float64
	}
	seen := map[string]map[key]bool{}
	last := map[string]pos{}
	for line := 1; ; line++ {
		b, rerr := readLine(br)
		if len(b) == 0 && errors.Is(rerr, io.EOF) {
			break
		}
		if rerr != nil && !errors.Is(rerr, io.EOF) {
			return nil, "", fmt.Errorf("%s:%d: %w", name, line, rerr)
		}
		if len(bytes.TrimSpace(b)) == 0 {
			if rerr != nil {
				break
			}
			continue
		}
		ev, perr := parseEvent(b)
		if perr != nil {
			if errors.Is(rerr, io.EOF) && len(evs) > 0 { // a last line without newline: cut by a kill
				return evs, fmt.Sprintf("%s: repaired: dropped the cut last line %d (%d bytes)", name, line, len(b)), nil
			}
			return nil, "", fmt.Errorf("%s:%d: %v", name, line, perr)
		}
		p, k := last[ev.Method], key{ev.Kind, ev.Phase, ev.Epoch, ev.Step}
		if seen[ev.Method] == nil {
			seen[ev.Method] = map[key]bool{}
		} else {
			switch {
			case seen[ev.Method][k]:
				return nil, "", fmt.Errorf("%s:%d: %s event of %s at epoch %d step %d appears twice", name, line, ev.Kind, ev.Method, ev.Epoch, ev.Step)
			case ev.Epoch < p.epoch || (ev.Epoch == p.epoch && ev.Step < p.step):
				return nil, "", fmt.Errorf("%s:%d: %s goes back from epoch %d step %d to epoch %d step %d", name, line, ev.Method, p.epoch, p.step, ev.Epoch, ev.Step)
			case ev.Elapsed < p.elapsed:
				return nil, "", fmt.Errorf("%s:%d: %s elapsed time goes back from %.3fs to %.3fs", name, line, ev.Method, p.elapsed, ev.Elapsed)
			}
		}
		seen[ev.Method][k] = true
		last[ev.Method] = pos{ev.Epoch, ev.Step, ev.Elapsed}
		evs = append(evs, ev)
		if rerr != nil {
			break
		}
	}
	if len(evs) == 0 {
		return nil, "", fmt.Errorf("%s: no events", name)
	}
	return evs, "", nil
}

// readLine returns the next line without its newline; io.EOF comes with a
// last line that had none.
func readLine(br *bufio.Reader) ([]byte, error) {
	var b []byte
	for {
		frag, err := br.ReadSlice('\n')
		b = append(b, frag...)
		if len(b) > MaxLine {
			return nil, fmt.Errorf("line longer than %d bytes", MaxLine)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err == nil {
			return b[:len(b)-1], nil
		}
		return b, err
	}
}

func parseEvent(b []byte) (search.Event, error) {
	var ev search.Event
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(&ev); err != nil {
		return ev, fmt.Errorf("not a search event: %v", err)
	}
	if _, err := d.Token(); !errors.Is(err, io.EOF) {
		return ev, errors.New("more than one JSON value on the line")
	}
	switch {
	case ev.Kind == "":
		return ev, errors.New(`event has no "kind", want step, epoch, sample or done`)
	case !eventKinds[ev.Kind]:
		return ev, fmt.Errorf("kind %q, want step, epoch, sample or done", ev.Kind)
	case ev.Method == "":
		return ev, errors.New("no method")
	case ev.Step < 0 || ev.Epoch < 0:
		return ev, fmt.Errorf("step %d, epoch %d: want >= 0", ev.Step, ev.Epoch)
	case math.IsNaN(ev.Elapsed) || ev.Elapsed < 0:
		return ev, fmt.Errorf("elapsed_s %g, want >= 0", ev.Elapsed)
	}
	return ev, nil
}
