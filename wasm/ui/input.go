package ui

import "github.com/nasplayground/nas/wasm/protocol"

// Input is one browser input event as queued by the page's listeners
// (pointerup, keydown): every click and key tap reaches the game however
// long a frame takes, unlike polling the input state once per frame.
type Input struct {
	Key  string  // KeyboardEvent.key for a key, "" for a pointer release
	X, Y float64 // pointer position in CSS pixels
}

// KeyAction returns the button id (Layout.Buttons, game.press) a key stands
// for, and "" for keys without one. method is the RL scene's method and
// lrs are the URL keys of the scene's learning-rate controls, in order.
func KeyAction(key string, lrs []string) string {
	lr := func(i int, dir string) string {
		if i < len(lrs) {
			return lrs[i] + dir
		}
		return ""
	}
	switch key {
	case " ":
		return "run"
	case "s", "S":
		return "step"
	case "r", "R":
		return "reset"
	case "l", "L":
		return "lang"
	case "m", "M":
		return "method"
	case "o", "O":
		return "order"
	case "=", "+":
		return "rate+"
	case "-", "_":
		return "rate-"
	case "[":
		return lr(0, "-")
	case "]":
		return lr(0, "+")
	case ";":
		return lr(1, "-")
	case "'":
		return lr(1, "+")
	case ",":
		return "seed-"
	case ".":
		return "seed+"
	case "1":
		return "scene." + protocol.SceneDARTS
	case "2":
		return "scene." + protocol.SceneRL
	case "3":
		return "scene." + protocol.SceneCompare
	case "4":
		return "scene." + protocol.SceneReplay
	case "0":
		return "scene." + protocol.SceneLecture
	case "ArrowRight":
		return "lec.next"
	case "ArrowLeft":
		return "lec.prev"
	case "Escape":
		return "edge.none"
	}
	return ""
}

// Click returns the button id under a queued pointer release at CSS pixels
// (x, y) on a screen of dpr device pixels per CSS pixel, or "".
func (l *Layout) Click(x, y, dpr float64) string { return l.Hit(x*dpr, y*dpr) }
