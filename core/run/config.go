package run

import (
	"fmt"
	"path/filepath"
	"reflect"
	"strings"

	"github.com/nasplayground/nas/core/genotype"
	"github.com/nasplayground/nas/core/rnn"
	"github.com/nasplayground/nas/core/search/child"
	"github.com/nasplayground/nas/core/search/darts"
	"github.com/nasplayground/nas/core/train"
)

// Config is one run of any registered method: what the front ends turn flags
// or clicks into. Only the part of the method is read (DARTS for darts, Train
// for train, Sampling for the sampling methods and compare).
type Config struct {
	Method  string `json:"method"`  // a registered method: darts, train, reinforce, enas, evolution, random, compare
	Space   string `json:"space"`   // darts | nasnet | nb201 (train: unused)
	Dataset string `json:"dataset"` // the data set's name (nb201: cifar10 | cifar100 | imagenet16)
	Seed    uint64 `json:"seed"`
	Threads int    `json:"-"` // kernel workers, set once by the front end (nn.SetThreads); not part of a run's identity
	// Downsample > 1 averages each Downsample×Downsample block of the
	// training images (data.Downsample) before the search sees them: 32×32
	// CIFAR-10 with 4 gives 8×8. 0 or 1: the images as they are.
	Downsample int `json:"downsample,omitempty"`
	// TrainImages > 0 keeps only the first TrainImages images of the
	// training set (before the w/α split): a search at the page's scale on
	// real data. 0: all of them.
	TrainImages int `json:"train_images,omitempty"`

	DARTS    darts.Config  `json:"darts"`
	Train    train.Config  `json:"train"`
	Sampling Sampling      `json:"sampling"`
	RNN      rnn.RunConfig `json:"rnn"` // darts-rnn: the recurrent cell on the PTB text
}

// Sampling configures the sampling methods (reinforce, enas, evolution,
// random) and NB201 comparisons.
type Sampling struct {
	Samples       int      `json:"samples"`           // architectures per run
	Repeats       int      `json:"repeats"`           // compare: runs per method, seeds Seed+r
	Methods       []string `json:"methods"`           // compare: subset of CompareMethods (empty: all)
	Population    int      `json:"population"`        // evolution P
	Tournament    int      `json:"tournament"`        // evolution S
	CtrlLR        float64  `json:"ctrl_lr"`           // REINFORCE/ENAS controller Adam lr (0: rl default)
	Entropy       float64  `json:"entropy,omitempty"` // REINFORCE entropy bonus β (0: rl default 1e-4)
	Hidden        int      `json:"hidden"`            // controller LSTM size (0: rl default)
	WeightSharing bool     `json:"weight_sharing"`
	// Interleave (compare, the page) lets the methods take turns sample by
	// sample within a repeat and labels the events "compare".
	Interleave bool `json:"interleave"`
	// Child trains the children (darts/nasnet space) or ENAS's supernet.
	Child child.Config `json:"child"`
}

// DefaultConfig returns the defaults of every part: darts.DefaultConfig,
// train.DefaultConfig, 500 samples, 1 repeat, evolution P=100 S=25,
// child.DefaultConfig.
func DefaultConfig() Config {
	return Config{Method: "darts", Space: "darts", Dataset: "cifar10", Seed: 2,
		DARTS: darts.DefaultConfig(), Train: train.DefaultConfig(),
		Sampling: Sampling{Samples: 500, Repeats: 1, Population: 100, Tournament: 25, Child: child.DefaultConfig()},
		RNN:      rnn.DefaultRunConfig(filepath.Join("..", "shared", "data", "ptb"))}
}

// Diff lists the fields of b that differ from a (a: the checkpoint's), as
// "darts.LR = 0.1 (checkpoint: 0.025)"; fields that do not make a run
// (threads, history sizes) and the parts of other methods are ignored.
func Diff(a, b Config) []string {
	var out []string
	part := map[string]string{"darts": "DARTS", "train": "Train", rnn.Method: "RNN"}
	keep := func(name string) bool {
		switch name {
		case "DARTS", "Train", "RNN":
			return part[a.Method] == name
		case "Sampling":
			return a.Method != "darts" && a.Method != "train" && a.Method != rnn.Method
		case "Threads", "History":
			return false
		}
		return true
	}
	var walk func(path string, x, y reflect.Value)
	walk = func(path string, x, y reflect.Value) {
		if x.Kind() == reflect.Struct && x.Type().Name() != "Genotype" {
			for i := range x.NumField() {
				f := x.Type().Field(i)
				if !f.IsExported() || !keep(f.Name) {
					continue
				}
				walk(strings.TrimPrefix(path+"."+f.Name, "."), x.Field(i), y.Field(i))
			}
			return
		}
		if g, ok := x.Interface().(genotype.Genotype); ok {
			if !g.Equal(y.Interface().(genotype.Genotype)) {
				out = append(out, fmt.Sprintf("%s = %v (checkpoint: %v)", path, show(y), show(x)))
			}
			return
		}
		if !reflect.DeepEqual(x.Interface(), y.Interface()) {
			out = append(out, fmt.Sprintf("%s = %v (checkpoint: %v)", path, show(y), show(x)))
		}
	}
	walk("", reflect.ValueOf(a), reflect.ValueOf(b))
	return out
}

func show(v reflect.Value) any {
	if s, ok := v.Interface().(fmt.Stringer); ok {
		return s.String()
	}
	return v.Interface()
}
