package protocol

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Params is the page state that lives in the URL, e.g.
// ?scene=darts&order=2&seed=3&lang=ko, so a lecturer can link a preset.
type Params struct {
	Scene  string
	Method string // rl scene: reinforce | enas | evolution | random
	Order  int
	Seed   uint64
	LR     float64 // DARTS weights, ENAS shared weights (SGD)
	ArchLR float64 // DARTS α (Adam)
	CtrlLR float64 // REINFORCE / ENAS controller (Adam)
	Rate   float64 // steps (or replayed events) per second; 0 = the scene's default
	Lang   string  // en | ko
	Replay string  // URL of an events.jsonl to replay
	Step   int     // lecture scene: the step shown, 1..LectureSteps
	// The live DARTS search's size (DARTS scene and lecture): intermediate
	// nodes per cell (2..4; the paper's 4), the demo images' side (16, or
	// 8: each 2×2 block averaged), the batch (8..64; 16) and the epochs of
	// w's cosine schedule (1..200; 50; the search ends after them).
	// ?nodes=3&size=8&batch=32&epochs=20&arch_lr=0.03 is the configuration
	// whose derived cell settles within minutes (README).
	Nodes  int
	Size   int
	Batch  int
	Epochs int
}

// DefaultParams are the page's defaults: the DARTS scene, first order, the DARTS
// weight learning rate 0.025, an α learning rate of 3e-3 (10× the paper's
// 3e-4, so α visibly moves within a minute on the small demo set; ?arch_lr=3e-4
// gives the paper's), a controller (REINFORCE, ENAS) Adam rate of 3e-3 (about
// 10× rl.DefaultConfig's 3.5e-4, so the controller's probabilities visibly
// move within the first hundred samples; on the NAS-Bench-201 table it
// reaches 94.18-94.21% after 500 samples vs 94.26%; ?ctrl_lr=0.00035 gives
// the tuned rate) and English.
func DefaultParams() Params {
	return Params{Scene: SceneDARTS, Method: "reinforce", Order: 1, Seed: 1, LR: 0.025, ArchLR: 3e-3, CtrlLR: 3e-3, Lang: "en", Nodes: 4, Size: 16, Batch: 16, Epochs: 50}
}

// RLMethods are the sampling strategies of the rl scene, in the order the
// method button cycles through them.
var RLMethods = []string{"reinforce", "enas", "evolution", "random"}

// ParseParams reads a URL query (with or without the leading '?'). Unknown keys
// are ignored. A bad value is an error naming the key; the other keys are
// still read, so p holds every good value and the defaults for the bad ones
// (the page runs p and shows the error: ?seed=x&lang=ko is Korean).
func ParseParams(query string) (Params, error) {
	p := DefaultParams()
	q, err := url.ParseQuery(strings.TrimPrefix(query, "?"))
	var bad []string
	if err != nil {
		bad = append(bad, fmt.Sprintf("query %q: %v", query, err)) // q still holds the pairs before and after the bad one
	}
	badf := func(format string, a ...any) { bad = append(bad, fmt.Sprintf(format, a...)) }
	if v := q.Get("replay"); v != "" {
		p.Replay, p.Scene = v, SceneReplay
	}
	if v := q.Get("scene"); v != "" {
		if slices.Contains(Scenes, v) {
			p.Scene = v
		} else {
			badf("scene=%q, want one of %v", v, Scenes)
		}
	}
	if v := q.Get("method"); v != "" {
		if slices.Contains(RLMethods, v) {
			p.Method = v
		} else {
			badf("method=%q, want one of %v", v, RLMethods)
		}
	}
	if v := q.Get("lang"); v != "" {
		if v == "en" || v == "ko" {
			p.Lang = v
		} else {
			badf("lang=%q, want en or ko", v)
		}
	}
	ints := []struct {
		key      string
		dst      *int
		min, max int
	}{{"order", &p.Order, 1, 2}, {"step", &p.Step, 1, LectureSteps}, {"nodes", &p.Nodes, 2, 4}, {"size", &p.Size, 8, 16},
		{"batch", &p.Batch, 8, 64}, {"epochs", &p.Epochs, 1, 200}}
	for _, f := range ints {
		if v := q.Get(f.key); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < f.min || n > f.max {
				badf("%s=%q, want an integer in %d..%d", f.key, v, f.min, f.max)
				continue
			}
			*f.dst = n
		}
	}
	if v := q.Get("seed"); v != "" {
		if n, err := strconv.ParseUint(v, 10, 64); err == nil {
			p.Seed = n
		} else {
			badf("seed=%q, want a non-negative integer", v)
		}
	}
	floats := []struct {
		key      string
		dst      *float64
		min, max float64
	}{{"lr", &p.LR, 0, 10}, {"arch_lr", &p.ArchLR, 0, 10}, {"ctrl_lr", &p.CtrlLR, 0, 10}, {"rate", &p.Rate, 0, 1e6}}
	for _, f := range floats {
		if v := q.Get(f.key); v != "" {
			x, err := strconv.ParseFloat(v, 64)
			if err != nil || !(x > f.min && x <= f.max) {
				badf("%s=%q, want a number in (%g, %g]", f.key, v, f.min, f.max)
				continue
			}
			*f.dst = x
		}
	}
	if p.Size != 8 && p.Size != 16 {
		badf("size=%d, want 8 or 16", p.Size)
		p.Size = DefaultParams().Size
	}
	if len(bad) > 0 {
		return p, fmt.Errorf("protocol: %s", strings.Join(bad, "; "))
	}
	return p, nil
}

// Query returns p as a URL query without the '?', listing only the values
// that differ from DefaultParams (Scene always), in a fixed order.
func (p Params) Query() string {
	d := DefaultParams()
	var kv []string
	add := func(k, v string) { kv = append(kv, k+"="+url.QueryEscape(v)) }
	add("scene", p.Scene)
	if p.Method != d.Method {
		add("method", p.Method)
	}
	if p.Order != d.Order {
		add("order", strconv.Itoa(p.Order))
	}
	if p.Seed != d.Seed {
		add("seed", strconv.FormatUint(p.Seed, 10))
	}
	if p.LR != d.LR {
		add("lr", strconv.FormatFloat(p.LR, 'g', -1, 64))
	}
	if p.ArchLR != d.ArchLR {
		add("arch_lr", strconv.FormatFloat(p.ArchLR, 'g', -1, 64))
	}
	if p.CtrlLR != d.CtrlLR {
		add("ctrl_lr", strconv.FormatFloat(p.CtrlLR, 'g', -1, 64))
	}
	if p.Rate != d.Rate {
		add("rate", strconv.FormatFloat(p.Rate, 'g', -1, 64))
	}
	if p.Lang != d.Lang {
		add("lang", p.Lang)
	}
	if p.Nodes != d.Nodes {
		add("nodes", strconv.Itoa(p.Nodes))
	}
	if p.Size != d.Size {
		add("size", strconv.Itoa(p.Size))
	}
	if p.Batch != d.Batch {
		add("batch", strconv.Itoa(p.Batch))
	}
	if p.Epochs != d.Epochs {
		add("epochs", strconv.Itoa(p.Epochs))
	}
	if p.Replay != "" {
		add("replay", p.Replay)
	}
	if p.Scene == SceneLecture && p.Step > 0 {
		add("step", strconv.Itoa(p.Step))
	}
	return strings.Join(kv, "&")
}

// DefaultRate is the stepping rate of a scene when the URL sets none: DARTS runs
// flat out (a step is a minibatch), the RL controller at a pace one can follow
// decision by decision, the comparison fast but still visibly growing.
func DefaultRate(scene string) float64 {
	switch scene {
	case SceneRL:
		return 8
	case SceneCompare:
		return 150
	case SceneReplay:
		return 20
	}
	return 0
}

// EffectiveRate returns p.Rate, or the scene's default when it is 0.
func (p Params) EffectiveRate() float64 {
	if p.Rate > 0 {
		return p.Rate
	}
	return DefaultRate(p.Scene)
}

// StartCommand returns the start command for the scene in p (for the replay
// scene, which has no engine run, one without a method).
func (p Params) StartCommand() Command {
	c := Command{Cmd: CmdStart, Scene: p.Scene, Seed: p.Seed, LR: p.LR, ArchLR: p.ArchLR, CtrlLR: p.CtrlLR, Rate: p.EffectiveRate(), Order: p.Order}
	switch p.Scene {
	case SceneDARTS, SceneLecture: // the lecture's live steps: a DARTS search of its own, parked apart from the DARTS scene's
		c.Method, c.Space, c.CtrlLR = "darts", "darts", 0
		if p.Nodes != DefaultParams().Nodes {
			c.Nodes = p.Nodes
		}
		if p.Size != DefaultParams().Size {
			c.Size = p.Size
		}
		if p.Batch != DefaultParams().Batch {
			c.Batch = p.Batch
		}
		if p.Epochs != DefaultParams().Epochs {
			c.Epochs = p.Epochs
		}
	case SceneRL:
		c.Method, c.Space = p.Method, "nb201"
		if p.Method == "enas" {
			c.Space = "darts"
		} else {
			c.LR = 0 // only ENAS trains weights
		}
		c.ArchLR = 0
	case SceneCompare:
		c.Method, c.Space, c.Repeats, c.Samples = "compare", "nb201", 10, 300
		c.LR, c.ArchLR = 0, 0
	}
	return c
}

// Controls returns the URL keys of the parameters the scene's control row
// shows, in order: speed (rate) and seed always, then the learning rates the
// scene's method uses.
func Controls(scene, method string) []string {
	switch scene {
	case SceneLecture:
		return nil
	case SceneReplay:
		return []string{"rate"}
	case SceneDARTS:
		return []string{"rate", "seed", "lr", "arch_lr"}
	case SceneCompare:
		return []string{"rate", "seed", "ctrl_lr"}
	}
	switch method {
	case "reinforce":
		return []string{"rate", "seed", "ctrl_lr"}
	case "enas":
		return []string{"rate", "seed", "lr", "ctrl_lr"}
	}
	return []string{"rate", "seed"}
}

// Ladders are the discrete values the -/+ controls step through, per URL key
// (a value set in the URL off the ladder steps to its neighbours).
var Ladders = map[string][]float64{
	"lr":      {0.001, 0.003, 0.01, 0.025, 0.05, 0.1, 0.2},
	"arch_lr": {1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2},
	"ctrl_lr": {1e-4, 3.5e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1},
}

// StepLadder returns the ladder value dir (±1) steps from v: from a value on
// the ladder its neighbour, from one off it the nearest value in direction
// dir; the ends stay put.
func StepLadder(ladder []float64, v float64, dir int) float64 {
	if dir > 0 {
		for _, x := range ladder {
			if x > v*(1+1e-9) {
				return x
			}
		}
		return ladder[len(ladder)-1]
	}
	for i := len(ladder) - 1; i >= 0; i-- {
		if ladder[i] < v*(1-1e-9) {
			return ladder[i]
		}
	}
	return ladder[0]
}
