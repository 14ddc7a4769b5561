package ui

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestKeyAction(t *testing.T) {
	lrs := []string{"lr", "arch_lr"}
	for key, want := range map[string]string{
		" ": "run", "s": "step", "r": "reset", "l": "lang", "o": "order", "m": "method",
		"=": "rate+", "+": "rate+", "-": "rate-", "[": "lr-", "]": "lr+", ";": "arch_lr-", "'": "arch_lr+",
		",": "seed-", ".": "seed+", "1": "scene.darts", "2": "scene.rl", "3": "scene.compare", "4": "scene.replay", "0": "scene.lecture", "ArrowRight": "lec.next", "ArrowLeft": "lec.prev",
		"x": "", "Shift": "",
	} {
		assert.Equal(t, want, KeyAction(key, lrs), "key %q", key)
	}
	assert.Equal(t, "", KeyAction(";", []string{"ctrl_lr"}), "no second lr control: nothing")
}

// A click queued in CSS pixels hits the button drawn in device pixels.
func TestClickScalesByDPR(t *testing.T) {
	l := ComputeLayout("darts", "", "", 2560, 1440) // a 1280×720 window at dpr 2
	b, ok := l.Button("reset")
	assert.True(t, ok)
	assert.Equal(t, "reset", l.Click((b.X+b.W/2)/2, (b.Y+b.H/2)/2, 2))
	assert.Equal(t, "", l.Click(-5, -5, 2))
}
