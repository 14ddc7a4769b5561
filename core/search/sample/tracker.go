package sample

import (
	"time"

	"github.com/nasplayground/nas/core/search"
)

// HistoryCap bounds Tracker's event history (oldest dropped first).
const HistoryCap = 2000

// Tracker is the bookkeeping every sampling searcher shares: step counter,
// best reward and architecture so far, bounded history, Snapshot.
type Tracker struct {
	Method   string
	Space    Space
	Budget   int // samples; Done after Budget steps
	Steps    int
	Best     float64
	BestArch string
	Last     search.Event
	History  []search.Event
	start    time.Time
	prev     float64 // seconds before a resume
}

// TrackerState is what a checkpoint keeps of a Tracker.
type TrackerState struct {
	Budget, Steps int
	Best          float64
	BestArch      string
	Elapsed       float64
}

// State returns the tracker's resumable state.
func (t *Tracker) State() TrackerState {
	return TrackerState{Budget: t.Budget, Steps: t.Steps, Best: t.Best, BestArch: t.BestArch, Elapsed: t.Elapsed()}
}

// SetState restores a state saved by State; the clock continues from its Elapsed.
func (t *Tracker) SetState(st TrackerState) {
	t.Budget, t.Steps, t.Best, t.BestArch = st.Budget, st.Steps, st.Best, st.BestArch
	t.prev, t.start = st.Elapsed, time.Now()
}

// Elapsed returns the seconds since the tracker was made (across resumes).
func (t *Tracker) Elapsed() float64 { return t.prev + time.Since(t.start).Seconds() }

// NewTracker returns a tracker for method on space with a sample budget.
func NewTracker(method string, space Space, budget int) Tracker {
	return Tracker{Method: method, Space: space, Budget: budget, start: time.Now()}
}

// Done reports whether the sample budget is spent.
func (t *Tracker) Done() bool { return t.Steps >= t.Budget }

// Record completes ev with the bookkeeping fields (Kind, Method, Space, Step,
// Arch, Best, BestArch, Elapsed), stores it and returns it. ev must carry
// Choices and Reward.
func (t *Tracker) Record(ev search.Event) search.Event {
	t.Steps++
	arch := t.Space.Describe(ev.Choices)
	if t.Steps == 1 || ev.Reward > t.Best {
		t.Best, t.BestArch = ev.Reward, arch
	}
	ev.Kind, ev.Method, ev.Space, ev.Step = search.KindSample, t.Method, t.Space.Name(), t.Steps
	ev.Arch, ev.Best, ev.BestArch = arch, t.Best, t.BestArch
	ev.Elapsed = t.Elapsed()
	if t.Steps == 1 {
		ev.Decisions = Layout(t.Space)
	}
	t.Last = ev
	if len(t.History) == HistoryCap {
		t.History = append(t.History[:0], t.History[1:]...)
	}
	t.History = append(t.History, ev)
	return ev
}

// Layout returns the decisions of s with the names of their choices.
func Layout(s Space) []search.Decision {
	names := s.DecisionLabels()
	out := make([]search.Decision, len(names))
	for d, n := range names {
		out[d] = search.Decision{Name: n, Choices: s.ChoiceLabels(d)}
	}
	return out
}

// Layout returns the decision layout of the tracker's space.
func (t *Tracker) Layout() []search.Decision { return Layout(t.Space) }

// Snapshot returns a copy of the tracker's state.
func (t *Tracker) Snapshot() search.Snapshot {
	return search.Snapshot{
		Method:  t.Method,
		Space:   t.Space.Name(),
		Step:    t.Steps,
		Running: !t.Done(),
		Last:    t.Last,
		History: append([]search.Event(nil), t.History...),
	}
}
