package ui

import (
	"github.com/nasplayground/nas/core/search"
	"github.com/nasplayground/nas/wasm/protocol"
)

// Point is one (x, y) sample of a curve.
type Point struct{ X, Y float64 }

// Series is a bounded curve: past MaxPoints it halves its resolution by
// averaging neighbouring points, so hours of events draw in constant time.
type Series struct {
	Points []Point
	pend   []Point // points not yet averaged at the current stride
	stride int     // raw points per stored point
}

// MaxPoints bounds a Series.
const MaxPoints = 600

// Add appends (x, y).
func (s *Series) Add(x, y float64) {
	if s.stride == 0 {
		s.stride = 1
	}
	s.pend = append(s.pend, Point{x, y})
	if len(s.pend) < s.stride {
		return
	}
	s.Points = append(s.Points, mean(s.pend))
	s.pend = s.pend[:0]
	if len(s.Points) >= MaxPoints {
		half := s.Points[:0]
		for i := 0; i+1 < len(s.Points); i += 2 {
			half = append(half, mean(s.Points[i:i+2]))
		}
		s.Points = half
		s.stride *= 2
	}
}

func mean(ps []Point) Point {
	var m Point
	for _, p := range ps {
		m.X += p.X
		m.Y += p.Y
	}
	n := float64(len(ps))
	return Point{m.X / n, m.Y / n}
}

// Last returns the latest point and whether there is one.
func (s *Series) Last() (Point, bool) {
	if len(s.pend) > 0 {
		return s.pend[len(s.pend)-1], true
	}
	if len(s.Points) > 0 {
		return s.Points[len(s.Points)-1], true
	}
	return Point{}, false
}

// All returns the stored points followed by the pending ones.
func (s *Series) All() []Point { return append(append([]Point(nil), s.Points...), s.pend...) }

// Model is what the scenes draw: the fold of all events seen.
type Model struct {
	Method, Space string
	Running, Done bool
	Step, Epoch   int
	Events        int // events folded
	Last          search.Event

	// DARTS.
	TrainLoss, TrainAcc, ValLoss, ValAcc Series
	AlphaNormal, AlphaReduce             [][]float64
	Ops                                  []string
	Genotype                             string
	Stability                            GenoStability // how long the derived genotype has held
	Phase                                string
	PhaseW, PhaseAlpha                   int // steps of each half of the bilevel problem
	Preds                                []protocol.Prediction
	// AlphaSeries[c][e][k] is op k's softmax(α) on edge e of cell c (0
	// normal, 1 reduce) over steps: the scene's "one edge over time" plot.
	AlphaSeries [2][][]Series

	// Sampling strategies.
	Reward, Baseline, Best Series
	Probs                  [][]float64
	Choices                []int
	Arch, BestArch         string
	BestReward             float64
	Labels                 *protocol.Labels // the sampled space's decision and choice names

	// Compare.
	Curves []protocol.Curve

	// Rates and messages.
	StepsPerSec, ImagesPerSec float64
	Text                      string // engine message (e.g. an error), shown in the scene
}

// Reset clears the model.
func (m *Model) Reset() { *m = Model{} }

// Apply folds one snapshot message from the engine.
func (m *Model) Apply(msg protocol.Message) {
	switch msg.Type {
	case protocol.MsgError:
		m.Text = msg.Text
		return
	case protocol.MsgSnapshot:
	default:
		return
	}
	for _, ev := range msg.Events {
		m.Fold(ev)
	}
	m.Running, m.Done = msg.Running, msg.Done
	m.Step, m.Epoch = msg.Step, msg.Epoch
	m.StepsPerSec, m.ImagesPerSec = msg.StepsPerSec, msg.ImagesPerSec
	if msg.Curves != nil {
		m.Curves = msg.Curves
	}
	if msg.Preds != nil {
		m.Preds = msg.Preds
	}
	if msg.Labels != nil {
		m.Labels = msg.Labels
	}
	if msg.Text != "" {
		m.Text = msg.Text
	}
}

// Fold folds one event.
func (m *Model) Fold(ev search.Event) {
	m.Events++
	m.Last = ev
	if ev.Method != "" {
		m.Method = ev.Method
	}
	if ev.Space != "" {
		m.Space = ev.Space
	}
	m.Step, m.Epoch = max(m.Step, ev.Step), max(m.Epoch, ev.Epoch)
	if ev.Kind == search.KindDone {
		m.Done = true
	}
	x := float64(ev.Step)
	if ev.Phase != "" {
		m.Phase = ev.Phase
		switch ev.Phase {
		case search.PhaseWeights:
			m.PhaseW++
		case search.PhaseAlpha:
			m.PhaseAlpha++
		}
	}
	// DARTS: train metrics come with weight steps, val metrics with α steps and epochs.
	if ev.Kind != search.KindSample {
		if ev.TrainLoss != 0 {
			m.TrainLoss.Add(x, ev.TrainLoss)
			m.TrainAcc.Add(x, ev.TrainAcc)
		}
		if ev.ValLoss != 0 {
			m.ValLoss.Add(x, ev.ValLoss)
			m.ValAcc.Add(x, ev.ValAcc)
		}
	}
	if ev.AlphaNormal != nil {
		m.AlphaNormal = ev.AlphaNormal
	}
	if ev.AlphaReduce != nil {
		m.AlphaReduce = ev.AlphaReduce
	}
	for c, a := range [2][][]float64{ev.AlphaNormal, ev.AlphaReduce} {
		if a == nil {
			continue
		}
		if len(m.AlphaSeries[c]) != len(a) {
			m.AlphaSeries[c] = make([][]Series, len(a))
		}
		for e, row := range a {
			if len(m.AlphaSeries[c][e]) != len(row) {
				m.AlphaSeries[c][e] = make([]Series, len(row))
			}
			for k, p := range row {
				m.AlphaSeries[c][e][k].Add(x, p)
			}
		}
	}
	if ev.Ops != nil {
		m.Ops = ev.Ops
	}
	if ev.Genotype != "" {
		m.Genotype = ev.Genotype
		m.Stability.Observe(ev.Step, ev.Genotype)
	}
	if ev.Kind == search.KindEpoch && m.Stability.Edges != nil {
		m.Stability.EndEpoch(ev.Step)
	}
	if ev.Message != "" {
		m.Text = ev.Message
	}
	if ev.Kind == search.KindSample || ev.Arch != "" {
		m.Reward.Add(x, ev.Reward)
		if ev.Baseline != 0 {
			m.Baseline.Add(x, ev.Baseline)
		}
		m.Best.Add(x, ev.Best)
		m.Probs, m.Choices, m.Arch = ev.Probs, ev.Choices, ev.Arch
		if ev.BestArch != "" {
			m.BestArch, m.BestReward = ev.BestArch, ev.Best
		}
	}
	if ev.ImagesPerSec != 0 {
		m.ImagesPerSec = ev.ImagesPerSec
	}
}

// IsDARTS reports whether the events so far are from a gradient (DARTS) search.
func (m *Model) IsDARTS() bool {
	return m.AlphaNormal != nil || m.Method == "darts" || m.Space == "darts" && m.Arch == ""
}

// SceneState is what the page keeps of a scene while another one shows: the
// model its engine snapshots fold into (curves, α and their history, the
// genotype's stability, validation images), the guard against a restarted
// run's late snapshots, the start command of the engine run it shows, and its
// controls. Coming back, the page restores it and the engine continues the
// same run (protocol.Runs), so a switch of scene loses nothing.
type SceneState struct {
	Model   Model
	Guard   StaleGuard
	Run     protocol.Command // the start command of the scene's engine run; Cmd "" when it has none
	Started bool             // the scene was set up (its run started, its recording loaded)
	Paused  bool             // its run was paused by the user
	Waiting bool             // its run was (re)started or resumed and no snapshot has said it runs yet
	Rate    float64          // its stepping rate (0: unlimited)
	URLRate float64          // its ?rate= value (0: the scene's default)
}

// Keeps reports whether coming back to the scene continues its run: it has
// one, and want, the start command the page's settings ask for now, is for
// the same run. A setting that defines the run (order, seed, a learning rate,
// the RL method) changed while the scene was away starts it anew.
func (s *SceneState) Keeps(want protocol.Command) bool {
	return s.Started && s.Run.Cmd == protocol.CmdStart && protocol.SameRun(s.Run, want)
}

// Fold folds a snapshot or error of the scene's run into its model while the
// scene is not on screen (the last events before a pause, the end of a
// data-parallel round in flight), unless it is of a run restarted since.
func (s *SceneState) Fold(m protocol.Message) {
	if s.Guard.Accept(m) {
		s.Model.Apply(m)
	}
}

// Current reports whether the engine posted m after it had handled every
// command the page sent (sent: the last command's Seq), so m tells the run's
// present state. A snapshot posted before the engine saw the page's latest
// pause, resume or switch must not end the page's waiting nor pause it: a
// DARTS step still running when the page switched to RL and back posted
// "running", then the switch's pause posted "stopped", and the page, back on
// DARTS and no longer waiting, took it for a run that had stopped by itself
// and showed it paused while the engine ran on (Space then resumed instead of
// pausing). Errors count whenever they come.
func Current(m protocol.Message, sent int64) bool {
	return m.Type == protocol.MsgError || m.Seq >= sent
}

// StoppedByItself reports whether snapshot m, of the scene on screen, says
// its run stopped without the page asking (an error stopped it, a
// data-parallel run ended) while the page shows it running: then the page
// shows it paused. Not when the run is done (shown as done), nor while
// waiting: m may then predate the page's start or resume.
func StoppedByItself(m protocol.Message, paused, waiting bool) bool {
	return m.Type == protocol.MsgSnapshot && !m.Running && !m.Done && !paused && !waiting && m.Step > 0
}
