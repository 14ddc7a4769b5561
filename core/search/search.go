package search

// Searcher is a search strategy as a step machine. Step does bounded work (one
// minibatch, one controller sample, one child evaluation) and returns the Event
// describing it. Snapshot returns copied plain data for a view.
type Searcher interface {
	Step() (Event, error)
	Snapshot() Snapshot
	// Done reports whether the configured budget (epochs, samples) is spent.
	Done() bool
}

// Event kinds.
const (
	KindStep   = "step"   // one minibatch of a gradient method (DARTS, ENAS shared weights)
	KindEpoch  = "epoch"  // end of an epoch: validation metrics, genotype
	KindSample = "sample" // one sampled architecture evaluated (RL, evolution, random)
	KindDone   = "done"   // budget spent
)

// Phases of a bilevel step (DARTS): which half of the problem was stepped.
const (
	PhaseWeights = "w"     // w on the training split
	PhaseAlpha   = "alpha" // α on the validation split
	PhaseCtrl    = "controller"
)

// Event is one line of events.jsonl. Fields that do not apply to a strategy stay
// zero and are omitted from JSON. Losses are mean cross-entropy, accuracies are
// fractions in [0,1] unless the field name says percent.
type Event struct {
	Kind   string `json:"kind"`
	Method string `json:"method"`
	Space  string `json:"space,omitempty"` // darts | nasnet | nb201
	Step   int    `json:"step"`            // global step (minibatch or sample) counter, from 1
	Epoch  int    `json:"epoch"`           // from 0
	Phase  string `json:"phase,omitempty"`

	TrainLoss float64 `json:"train_loss,omitempty"`
	TrainAcc  float64 `json:"train_acc,omitempty"`
	ValLoss   float64 `json:"val_loss,omitempty"`
	ValAcc    float64 `json:"val_acc,omitempty"`
	LR        float64 `json:"lr,omitempty"`

	// DARTS: softmax(α) rows per edge (14×len(ops)), op names in order.
	AlphaNormal [][]float64 `json:"alpha_normal,omitempty"`
	AlphaReduce [][]float64 `json:"alpha_reduce,omitempty"`
	Ops         []string    `json:"ops,omitempty"`
	Genotype    string      `json:"genotype,omitempty"` // DARTS text format, or NB201 arch string
	// Cells of Genotype (or of BestArch for sampling methods on the DARTS
	// space) as (from, to, op) edges, so a view draws them without parsing.
	Normal []CellEdge `json:"normal_edges,omitempty"`
	Reduce []CellEdge `json:"reduce_edges,omitempty"`
	// Classes names the data set's classes (epoch events and a run's first event).
	Classes []string `json:"classes,omitempty"`

	// Sampling strategies (RL, ENAS, evolution, random).
	Arch     string  `json:"arch,omitempty"`     // the sampled/evaluated architecture
	Reward   float64 `json:"reward,omitempty"`   // reward of this sample (val acc, fraction or percent as Space defines)
	Baseline float64 `json:"baseline,omitempty"` // moving-average baseline (REINFORCE)
	// Predicted is the surrogate's prediction of Reward made before the
	// architecture was evaluated (PNAS), in the units of Reward.
	Predicted float64     `json:"predicted,omitempty"`
	Best      float64     `json:"best,omitempty"` // best reward so far
	BestArch  string      `json:"best_arch,omitempty"`
	Probs     [][]float64 `json:"probs,omitempty"`   // controller distribution per decision
	Choices   []int       `json:"choices,omitempty"` // decision taken per decision
	Entropy   float64     `json:"entropy,omitempty"`
	LogProb   float64     `json:"log_prob,omitempty"`
	// Decisions is the layout of the sampled space (what each decision
	// chooses among, by name); set on a sampling run's first event.
	Decisions []Decision `json:"decisions,omitempty"`

	// Timing.
	Images       int     `json:"images,omitempty"`       // images processed by this step
	ImagesPerSec float64 `json:"images_per_s,omitempty"` // over the recent window
	Elapsed      float64 `json:"elapsed_s,omitempty"`    // since the search started
	StepSeconds  float64 `json:"step_s,omitempty"`       // wall time of this step
	Message      string  `json:"message,omitempty"`      // free text, e.g. "resumed from epoch 3"
	Warning      string  `json:"warning,omitempty"`      // DARTS epoch: the collapse warning of its genotype (genotype.Collapse)
}

// Snapshot is copied plain data a view can draw without touching the searcher.
type Snapshot struct {
	Method  string
	Space   string
	Step    int
	Epoch   int
	Running bool
	Last    Event   // the most recent event
	History []Event // bounded history (step/sample events, oldest dropped first)
	Epochs  []Event // one per finished epoch
}
