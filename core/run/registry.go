package run

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/nasplayground/nas/core/data"
	"github.com/nasplayground/nas/core/search"
)

// Data is what a method learns from: the training set (split by the method
// as it needs) and, for train, the test set. NB201 methods need none.
type Data struct {
	Train, Test *data.Dataset
}

// Method is one registered search (or training) method.
type Method struct {
	Name   string
	Spaces []string // spaces it runs on: darts, nasnet, nb201 (train: "")
	Unit   string   // what an iteration is, for progress: "steps" or "samples"
	// New builds the step machine for cfg. Errors are the user's input.
	New func(cfg Config, d Data) (search.Searcher, error)
	// Total returns the iterations of the whole run (0: unknown).
	Total func(cfg Config, s search.Searcher) int
}

var methods = map[string]Method{}

// Register adds m (a package such as core/search/pnas calls it from an init
// function in core/run, e.g. core/run/pnas.go). A name registered twice panics.
func Register(m Method) {
	if _, dup := methods[m.Name]; dup {
		panic("run: method " + m.Name + " registered twice")
	}
	methods[m.Name] = m
}

// Methods returns the registered method names, sorted.
func Methods() []string {
	names := make([]string, 0, len(methods))
	for n := range methods {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// MethodsOn returns the names of the methods that run on space, sorted.
func MethodsOn(space string) []string {
	var out []string
	for _, n := range Methods() {
		if slices.Contains(methods[n].Spaces, space) {
			out = append(out, n)
		}
	}
	return out
}

// Lookup returns the method called name and checks that it runs on space
// ("" skips the check).
func Lookup(name, space string) (Method, error) {
	m, ok := methods[name]
	if !ok {
		return m, fmt.Errorf("method %q: want one of %s", name, strings.Join(Methods(), ", "))
	}
	if space != "" && len(m.Spaces) > 0 && !slices.Contains(m.Spaces, space) {
		return m, fmt.Errorf("method %s runs on space %s, not %q", name, strings.Join(m.Spaces, " or "), space)
	}
	return m, nil
}

// Run is a built method: the step machine with its config and method.
type Run struct {
	search.Searcher
	Method Method
	Config Config
	Data   Data
	// Warnings are settings that make the run not what it says (evolution
	// whose population is not smaller than the samples is random search).
	Warnings []string
}

// New builds cfg.Method on cfg.Space.
func New(cfg Config, d Data) (*Run, error) {
	m, err := Lookup(cfg.Method, cfg.Space)
	if err != nil {
		return nil, err
	}
	if cfg.TrainImages > 0 && d.Train != nil {
		if cfg.TrainImages > d.Train.N {
			return nil, fmt.Errorf("run: train images %d: the training set has %d", cfg.TrainImages, d.Train.N)
		}
		idx := make([]int, cfg.TrainImages)
		for i := range idx {
			idx[i] = i
		}
		d.Train = d.Train.Subset(idx)
	}
	if cfg.Downsample > 1 && d.Train != nil {
		if d.Train.H%cfg.Downsample != 0 || d.Train.W%cfg.Downsample != 0 {
			return nil, fmt.Errorf("run: downsample %d: the %d×%d images do not divide into %d×%d blocks", cfg.Downsample, d.Train.H, d.Train.W, cfg.Downsample, cfg.Downsample)
		}
		d.Train = data.Downsample(d.Train, cfg.Downsample)
	}
	s, err := m.New(cfg, d)
	if err != nil {
		return nil, err
	}
	r := &Run{Searcher: s, Method: m, Config: cfg, Data: d}
	sc := cfg.Sampling
	if (cfg.Method == "evolution" || (cfg.Method == CompareMethod && (len(sc.Methods) == 0 || slices.Contains(sc.Methods, "evolution")))) &&
		sc.Population >= sc.Samples {
		r.Warnings = append(r.Warnings, fmt.Sprintf("evolution: population %d >= samples %d: every architecture is drawn at random before any mutation, so this is random search", sc.Population, sc.Samples))
	}
	return r, nil
}

// Total returns the iterations of the whole run (0: unknown).
func (r *Run) Total() int {
	if r.Method.Total == nil {
		return 0
	}
	return r.Method.Total(r.Config, r.Searcher)
}

// Iterations returns the iterations done (across resumes): DARTS iterations
// (w and α halves), training steps or samples.
func (r *Run) Iterations() int { return r.Snapshot().Step }

// Genotype returns the run's current answer as text: the derived DARTS
// genotype, the best sampled architecture, or the trained genotype.
func (r *Run) Genotype() string {
	if g, ok := r.Searcher.(interface{ GenotypeText() string }); ok {
		return g.GenotypeText()
	}
	snap := r.Snapshot()
	if snap.Last.BestArch != "" {
		return snap.Last.BestArch
	}
	return snap.Last.Genotype
}

// Layout returns the decision layout of a sampling run's space (nil for
// gradient methods).
func (r *Run) Layout() []search.Decision {
	if l, ok := r.Searcher.(interface{ Layout() []search.Decision }); ok {
		return l.Layout()
	}
	return nil
}
