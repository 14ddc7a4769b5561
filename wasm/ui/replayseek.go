package ui

import "github.com/nasplayground/nas/core/search"

// SeekTo moves the cursor to event n (clamped to 0..len(Events)) and returns
// the events to fold into the model: those between the old and the new
// cursor when moving forward, or, with reset true, all events up to n when
// moving back (the model is a fold and cannot be unwound). The timeline
// under the replay bar scrubs with it.
func (r *Replay) SeekTo(n int) (reset bool, evs []search.Event) {
	n = max(0, min(n, len(r.Events)))
	from := r.Pos()
	r.pos = float64(n)
	if n < from {
		return true, r.Events[:n]
	}
	return false, r.Events[from:n]
}

// SeekFraction returns the event index at fraction f (0..1) of a timeline.
func (r *Replay) SeekFraction(f float64) int {
	return int(max(0, min(1, f))*float64(len(r.Events)) + 0.5)
}
