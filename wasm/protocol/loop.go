package protocol

import (
	"time"

	"github.com/nasplayground/nas/core/search"
)

// Pacer is the worker's stepping loop: each Slice runs Step until Budget·Speed
// is spent (at least one step), and says when PostEvery has passed since the
// last snapshot. Between slices the worker yields to the browser (a
// MessageChannel ping) so commands arrive within ~10 ms.
type Pacer struct {
	Budget    time.Duration // per slice at Speed 1, ~10 ms
	PostEvery time.Duration // snapshot period, ~100 ms
	Speed     float64       // 0 < Speed ≤ 1; the slice yields early and idles the rest

	Now func() time.Time // clock, time.Now unless set (tests)

	lastPost time.Time
	pending  []search.Event
	dropped  int
	steps    int     // steps since the last post
	images   int     // images since the last post
	rateS    float64 // steps per second over the last post period
	rateI    float64
}

// NewPacer returns a Pacer with a 10 ms budget and a 100 ms snapshot period.
func NewPacer() *Pacer {
	return &Pacer{Budget: 10 * time.Millisecond, PostEvery: 100 * time.Millisecond, Speed: 1}
}

func (p *Pacer) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

// Slice runs step while under budget (and at least once) and returns whether a
// snapshot is due. An error stops the slice and is returned with the events so far.
func (p *Pacer) Slice(step func() (search.Event, error), done func() bool) (post bool, err error) {
	start := p.now()
	if p.lastPost.IsZero() {
		p.lastPost = start
	}
	budget := time.Duration(float64(p.Budget) * max(0.05, min(1, p.Speed)))
	for {
		if done() {
			break
		}
		ev, err := step()
		if err != nil {
			return true, err
		}
		p.Add(ev)
		if p.now().Sub(start) >= budget {
			break
		}
	}
	return p.now().Sub(p.lastPost) >= p.PostEvery, nil
}

// Add records one event for the next snapshot.
func (p *Pacer) Add(ev search.Event) {
	p.steps++
	p.images += ev.Images
	if len(p.pending) == MaxEvents {
		copy(p.pending, p.pending[1:])
		p.pending = p.pending[:MaxEvents-1]
		p.dropped++
	}
	p.pending = append(p.pending, ev)
}

// Flush returns the events since the last flush, how many were dropped, and
// updates the rates over the elapsed period.
func (p *Pacer) Flush() (events []search.Event, dropped int) {
	now := p.now()
	if dt := now.Sub(p.lastPost).Seconds(); dt > 0 && !p.lastPost.IsZero() {
		p.rateS, p.rateI = float64(p.steps)/dt, float64(p.images)/dt
	}
	p.lastPost = now
	events, dropped = p.pending, p.dropped
	p.pending, p.dropped, p.steps, p.images = nil, 0, 0, 0
	return events, dropped
}

// Rates returns steps/s and images/s over the last snapshot period.
func (p *Pacer) Rates() (stepsPerSec, imagesPerSec float64) { return p.rateS, p.rateI }

// Idle marks the loop as paused: the next period starts now, so rates do not
// average over the pause.
func (p *Pacer) Idle() {
	p.lastPost = time.Time{}
	p.steps, p.images, p.rateS, p.rateI = 0, 0, 0, 0
}
