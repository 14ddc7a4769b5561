package protocol

// SameRun reports whether start commands a and b ask for the same search:
// every field that defines the run is equal (scene, method, space, order,
// seed, learning rates, the comparison's size); Cmd, Rate, Keep and Seq are
// not part of a run's definition.
func SameRun(a, b Command) bool {
	a.Cmd, a.Rate, a.Keep, a.Seq = "", 0, false, 0
	b.Cmd, b.Rate, b.Keep, b.Seq = "", 0, false, 0
	return a == b
}

// Runs is the engine's searches, one per scene: the current scene's run
// steps, the others wait where they were (parked), so a switch of scene does
// not restart a search and does not take the CPU from the scene on screen.
// R is what the engine keeps of one run.
type Runs[R any] struct {
	cur   string
	slots map[string]*Slot[R]
}

// Slot is one scene's run.
type Slot[R any] struct {
	Cmd     Command // the start command that built Run (Rate: the rate it runs at)
	Run     R
	Running bool   // stepping; only the current scene's slot steps
	Pacer   *Pacer // its stepping loop and the events not yet posted
}

// Start makes c.Scene the current scene and returns its slot. The slot that
// was current before, if another scene's, stops (Running false) and is
// returned as parked, so its last snapshot can be posted. With c.Keep, the
// scene's run is kept as it is (kept true) if a start for the same run
// (SameRun) built it; otherwise build makes a new run that replaces the
// scene's and runs. When build fails the scene has no run (cur nil).
func (rs *Runs[R]) Start(c Command, build func(Command) (R, error)) (cur, parked *Slot[R], kept bool, err error) {
	if rs.slots == nil {
		rs.slots = map[string]*Slot[R]{}
	}
	if old := rs.slots[rs.cur]; old != nil && rs.cur != c.Scene {
		old.Running = false
		old.Pacer.Idle()
		parked = old
	}
	rs.cur = c.Scene
	if s := rs.slots[c.Scene]; s != nil && c.Keep && SameRun(s.Cmd, c) {
		s.Cmd.Rate = c.Rate
		s.Pacer.SetRate(c.Rate)
		return s, parked, true, nil
	}
	delete(rs.slots, c.Scene)
	r, err := build(c)
	if err != nil {
		return nil, parked, false, err
	}
	c.Cmd, c.Keep = CmdStart, false
	s := &Slot[R]{Cmd: c, Run: r, Running: true, Pacer: NewPacer()}
	s.Pacer.SetRate(c.Rate)
	rs.slots[c.Scene] = s
	return s, parked, false, nil
}

// Current returns the current scene's slot, nil if it has no run.
func (rs *Runs[R]) Current() *Slot[R] { return rs.slots[rs.cur] }

// Scene returns the current scene ("" before the first start).
func (rs *Runs[R]) Scene() string { return rs.cur }

// Get returns scene's slot, nil if it has no run.
func (rs *Runs[R]) Get(scene string) *Slot[R] { return rs.slots[scene] }

// Drop forgets the current scene's run (reset): its next start builds anew.
func (rs *Runs[R]) Drop() { delete(rs.slots, rs.cur) }
