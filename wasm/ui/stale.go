package ui

import "github.com/nasplayground/nas/wasm/protocol"

// StaleGuard drops the snapshots of a run the page has just restarted (Reset,
// an order or parameter switch): the engine posts them before it reads the
// restart, and folding them drew a stale point of the old run into the new
// curves. After Restart(step), a snapshot is the new run's once its step is
// below the old run's last step or it carries the first step of a run.
type StaleGuard struct {
	on   bool
	from int
}

// Restart records that the run was restarted when the page had seen step.
// A second restart before the new run's first snapshot (Reset clears the
// model, then the next frame starts the run: Restart(0)) keeps dropping the
// old run's snapshots.
func (s *StaleGuard) Restart(step int) {
	if s.on {
		s.from = max(s.from, step)
		return
	}
	s.on, s.from = step > 0, step
}

// Accept reports whether m belongs to the current run.
func (s *StaleGuard) Accept(m protocol.Message) bool {
	if !s.on || m.Type != protocol.MsgSnapshot {
		return true
	}
	fresh := m.Step < s.from
	for _, ev := range m.Events {
		fresh = fresh || ev.Step <= 1
	}
	if fresh {
		s.on = false
	}
	return fresh
}
