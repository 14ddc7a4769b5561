package protocol

import (
	"encoding/json"
	"fmt"

	"github.com/nasplayground/nas/core/search"
)

// Scenes of the page, in the order of the keyboard shortcuts 0-4.
const (
	SceneLecture = "lecture" // the guided lecture (wasm/lecture); its live steps run a DARTS search of their own
	SceneDARTS   = "darts"
	SceneRL      = "rl"
	SceneCompare = "compare"
	SceneReplay  = "replay"
)

// Scenes lists the scenes in shortcut order.
var Scenes = []string{SceneLecture, SceneDARTS, SceneRL, SceneCompare, SceneReplay}

// LectureSteps is the number of steps of the lecture scene (?step=1..LectureSteps).
const LectureSteps = 8

// Commands the UI sends to the engine. The engine keeps one run per scene
// (Runs); start selects the scene, the other commands act on its run.
const (
	CmdStart  = "start"  // make the Command's scene current and run a new search for it (Keep: or continue its own)
	CmdPause  = "pause"  // stop stepping, keep state
	CmdResume = "resume" // continue stepping
	CmdStep   = "step"   // one Step while paused, then post a snapshot
	CmdReset  = "reset"  // drop the scene's searcher; the next start begins from scratch
	CmdRate   = "rate"   // change Rate only
	CmdSync   = "sync"   // nothing but Seq: a command the coordinator handled itself (coordinator.js) has been seen
)

// Command is one message from the UI to the engine worker.
type Command struct {
	Cmd     string  `json:"cmd"`
	Scene   string  `json:"scene,omitempty"`
	Method  string  `json:"method,omitempty"` // darts | reinforce | enas | evolution | random | compare
	Space   string  `json:"space,omitempty"`  // darts | nb201
	Order   int     `json:"order,omitempty"`  // DARTS: 1 first-order, 2 second-order
	Seed    uint64  `json:"seed,omitempty"`
	LR      float64 `json:"lr,omitempty"`      // weights: DARTS, ENAS shared (SGD)
	ArchLR  float64 `json:"arch_lr,omitempty"` // DARTS α learning rate
	CtrlLR  float64 `json:"ctrl_lr,omitempty"` // REINFORCE / ENAS controller learning rate
	Rate    float64 `json:"rate,omitempty"`    // steps per second, 0 = as fast as possible
	Repeats int     `json:"repeats,omitempty"` // compare scene: runs per method
	Samples int     `json:"samples,omitempty"` // compare scene: samples per run
	Nodes   int     `json:"nodes,omitempty"`   // DARTS: intermediate nodes per cell (0 = 4)
	Size    int     `json:"size,omitempty"`    // DARTS: demo image side, 8 or 16 (0 = 16)
	Batch   int     `json:"batch,omitempty"`   // DARTS: batch size, 8..64 (0 = 16)
	Epochs  int     `json:"epochs,omitempty"`  // DARTS: epochs, 1..200 (0 = 50)
	// Keep (start): continue the scene's parked run, as it was, if a start
	// for the same run (SameRun) built it; otherwise start anew.
	Keep bool `json:"keep,omitempty"`
	// Seq numbers the page's commands, 1, 2, …; the engine stamps every
	// message with the highest Seq it has handled (Message.Seq), so the page
	// can tell a snapshot of the run as it is from one posted before the
	// engine saw its latest pause, resume or switch.
	Seq int64 `json:"seq,omitempty"`
}

// Messages the engine posts to the UI.
const (
	MsgReady    = "ready"    // the engine wasm is running and waits for commands
	MsgSnapshot = "snapshot" // periodic state
	MsgError    = "error"    // a command failed; Text says why
)

// Prediction is one sample image with the current network's prediction.
type Prediction struct {
	Image []uint8   `json:"image"` // CHW, 3×Size×Size
	Size  int       `json:"size"`
	Label int       `json:"label"`
	Pred  int       `json:"pred"`
	Probs []float64 `json:"probs,omitempty"`
}

// Curve is a mean curve over repeats: Y[i] after X[i] samples.
type Curve struct {
	Method string    `json:"method"`
	X      []int     `json:"x"`
	Y      []float64 `json:"y"`
	Final  float64   `json:"final"`  // mean best reward at the end of the budget so far
	Std    float64   `json:"std"`    // its standard deviation over repeats
	Cost   int       `json:"cost"`   // architectures evaluated per run
	Trials int       `json:"trials"` // repeats done
}

// Labels name a sampling space's decisions and each decision's choices
// (sample.Space's DecisionLabels and ChoiceLabels), so the page draws them
// without linking the space.
type Labels struct {
	Decisions []string   `json:"decisions"`
	Choices   [][]string `json:"choices"`
}

// Message is one message from the engine to the UI. Events holds the events
// since the previous snapshot (oldest first), at most MaxEvents of them.
type Message struct {
	Type         string         `json:"type"`
	Scene        string         `json:"scene,omitempty"` // the scene whose run this is (the UI keeps one model per scene)
	Method       string         `json:"method,omitempty"`
	Running      bool           `json:"running"`
	Done         bool           `json:"done,omitempty"`
	Step         int            `json:"step"`
	Epoch        int            `json:"epoch"`
	Last         search.Event   `json:"last"`
	Events       []search.Event `json:"events,omitempty"`
	Dropped      int            `json:"dropped,omitempty"` // events not sent because of MaxEvents
	StepsPerSec  float64        `json:"steps_per_s"`
	ImagesPerSec float64        `json:"images_per_s"`
	Curves       []Curve        `json:"curves,omitempty"`
	Preds        []Prediction   `json:"preds,omitempty"`
	Labels       *Labels        `json:"labels,omitempty"` // sampling scenes: the space's labels
	Text         string         `json:"text,omitempty"`
	Seq          int64          `json:"seq,omitempty"` // the highest Command.Seq the engine had handled when it posted this
}

// MaxEvents bounds the events carried by one snapshot; the UI keeps curves, not
// every event, so older ones in a burst are summarised by Dropped.
const MaxEvents = 256

// DecodeCommand parses one command and checks its fields.
func DecodeCommand(b []byte) (Command, error) {
	var c Command
	if err := json.Unmarshal(b, &c); err != nil {
		return c, fmt.Errorf("protocol: command %.80q: %w", b, err)
	}
	switch c.Cmd {
	case CmdStart, CmdPause, CmdResume, CmdStep, CmdReset, CmdRate, CmdSync:
	default:
		return c, fmt.Errorf("protocol: command %q: unknown cmd, want start|pause|resume|step|reset|rate|sync", c.Cmd)
	}
	if c.Rate < 0 {
		return c, fmt.Errorf("protocol: command %q: rate %g, want ≥ 0", c.Cmd, c.Rate)
	}
	if c.Nodes != 0 && (c.Nodes < 2 || c.Nodes > 4) {
		return c, fmt.Errorf("protocol: command %q: nodes %d, want 2..4", c.Cmd, c.Nodes)
	}
	if c.Size != 0 && c.Size != 8 && c.Size != 16 {
		return c, fmt.Errorf("protocol: command %q: size %d, want 8 or 16", c.Cmd, c.Size)
	}
	if c.Batch != 0 && (c.Batch < 8 || c.Batch > 64) {
		return c, fmt.Errorf("protocol: command %q: batch %d, want 8..64", c.Cmd, c.Batch)
	}
	if c.Epochs != 0 && (c.Epochs < 1 || c.Epochs > 200) {
		return c, fmt.Errorf("protocol: command %q: epochs %d, want 1..200", c.Cmd, c.Epochs)
	}
	return c, nil
}
