package ui

import (
	"image"
	"time"
)

// RedrawEvery is how often a frame is drawn even when nothing it shows has
// changed (the status line's FPS and rates move on their own).
const RedrawEvery = time.Second

// Redraw decides, frame by frame, whether the page must draw: only when
// something it shows changed (a snapshot or recording arrived, an input, the
// pointer moved, the canvas was resized, an animation runs) or RedrawEvery
// has passed. Skipped frames cost nothing: the screen is not cleared, so it
// keeps the last drawn frame, and Ebiten stops presenting a screen that
// Draw left untouched (its swap is skipped), which frees the CPU that
// software WebGL would spend on copying an unchanged frame.
type Redraw struct {
	Dirty          bool // set by Update: something the next frame shows changed
	last           time.Time
	bounds         image.Rectangle
	cx, cy         int
	Drawn, Skipped int // frames drawn and skipped so far
}

// Needed reports whether the frame at now must be drawn, given the screen's
// bounds, the pointer's position and whether every frame is to be drawn
// (the text audit checks each drawn frame). It clears Dirty when it says yes.
func (r *Redraw) Needed(now time.Time, bounds image.Rectangle, cx, cy int, always bool) bool {
	need := always || r.Dirty || r.last.IsZero() || now.Sub(r.last) >= RedrawEvery ||
		bounds != r.bounds || cx != r.cx || cy != r.cy
	if !need {
		r.Skipped++
		return false
	}
	r.Dirty, r.last, r.bounds, r.cx, r.cy = false, now, bounds, cx, cy
	r.Drawn++
	return true
}
