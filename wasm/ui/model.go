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
