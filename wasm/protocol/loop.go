package protocol

import (
	"time"

	"github.com/nasplayground/nas/core/search"
)

// Pacer is the worker's stepping loop: each Slice runs Step until Budget is
// spent or the Rate limit is reached (at least one step when allowed), and says
// when PostEvery has passed since the last snapshot and how long to wait before
// the next slice. Between slices the worker yields to the browser (a
// MessageChannel ping, or a timer when rate-limited) so commands arrive within
// ~10 ms.
type Pacer struct {
	Budget    time.Duration // per slice, ~10 ms
	PostEvery time.Duration // snapshot period, ~100 ms
	Rate      float64       // steps per second; 0 runs as fast as the budget allows

	Now func() time.Time // clock, time.Now unless set (tests)

	lastPost  time.Time
	rateStart time.Time // when the current Rate took effect
	rateSteps int       // steps since rateStart
	pending   []search.Event
	dropped   int
	steps     int     // steps since the last post
	images    int     // images since the last post
	rateS     float64 // steps per second over the last post period
	rateI     float64
}

// NewPacer returns a Pacer with a 10 ms budget and a 100 ms snapshot period.
func NewPacer() *Pacer {
	return &Pacer{Budget: 10 * time.Millisecond, PostEvery: 100 * time.Millisecond}
}

func (p *Pacer) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

// SetRate changes the rate limit from now on.
func (p *Pacer) SetRate(r float64) { p.Rate, p.rateStart, p.rateSteps = r, time.Time{}, 0 }

// Slice runs step while under budget and under the rate limit, and returns
// whether a snapshot is due and how long to wait before the next slice (0:
// yield and come back at once). An error stops the slice and is returned.
func (p *Pacer) Slice(step func() (search.Event, error), done func() bool) (post bool, wait time.Duration, err error) {
	start := p.now()
	if p.lastPost.IsZero() {
		p.lastPost = start
	}
	if p.rateStart.IsZero() {
		p.rateStart = start
	}
	for !done() {
		if p.Rate > 0 {
			due := int(start.Sub(p.rateStart).Seconds()*p.Rate) + 1 // steps allowed by now, the first at once
			if p.rateSteps >= due {
				next := p.rateStart.Add(time.Duration(float64(p.rateSteps) / p.Rate * float64(time.Second)))
				wait = max(time.Millisecond, next.Sub(start))
				break
			}
		}
		ev, err := step()
		if err != nil {
			return true, 0, err
		}
		p.Add(ev)
		p.rateSteps++
		if p.now().Sub(start) >= p.Budget {
			break
		}
	}
	return p.now().Sub(p.lastPost) >= p.PostEvery, wait, nil
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
