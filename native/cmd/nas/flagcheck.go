package main

import (
	"bufio"
	"flag"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/nasplayground/nas/core/data"
	"github.com/nasplayground/nas/core/genotype"
)

// checkFlags is the one check every command's flags pass right after parsing
// (parseFlags calls it), before anything is read or allocated:
//   - every float flag is finite (NaN and ±Inf are rejected) and inside the
//     range floatRanges gives its name;
//   - every int and duration flag is >= 0, and the sizes in minInt are >= their minimum;
//   - a network that C, layers and batch describe fits in this machine's memory.
//
// Each test is written as "ok(v)" and negated, so NaN, for which every
// comparison is false, fails it instead of slipping through.
func checkFlags(fs *flag.FlagSet) error {
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if err != nil {
			return
		}
		g, ok := f.Value.(flag.Getter)
		if !ok {
			return
		}
		switch v := g.Get().(type) {
		case float64:
			err = checkFloat(f.Name, v)
		case int:
			lo := minInt[f.Name]
			if !(v >= lo) {
				err = usagef("--%s %d: want >= %d", f.Name, v, lo)
			}
		case time.Duration:
			if v < 0 {
				err = usagef("--%s %v: want a duration >= 0", f.Name, v)
			}
		}
	})
	if err != nil {
		return err
	}
	return checkMemory(fs)
}

// floatRange is an interval of allowed values; open ends exclude the bound.
type floatRange struct {
	lo, hi         float64
	loOpen, hiOpen bool
}

func (r floatRange) contains(v float64) bool {
	aboveLo := v >= r.lo
	if r.loOpen {
		aboveLo = v > r.lo
	}
	belowHi := v <= r.hi
	if r.hiOpen {
		belowHi = v < r.hi
	}
	return aboveLo && belowHi // false for NaN
}

func (r floatRange) String() string {
	l, h := "[", "]"
	if r.loOpen {
		l = "("
	}
	if r.hiOpen {
		h = ")"
	}
	hi := strconv.FormatFloat(r.hi, 'g', -1, 64)
	if math.IsInf(r.hi, 1) {
		hi = "∞"
	}
	return fmt.Sprintf("%s%g, %s%s", l, r.lo, hi, h)
}

var (
	positive    = floatRange{lo: 0, hi: math.Inf(1), loOpen: true, hiOpen: true}
	nonNegative = floatRange{lo: 0, hi: math.Inf(1), hiOpen: true}
	fraction    = floatRange{lo: 0, hi: 1, loOpen: true, hiOpen: true} // (0, 1)
	probability = floatRange{lo: 0, hi: 1, hiOpen: true}               // [0, 1)
)

// floatRanges holds the range of every float flag of every command, by name
// (a name means the same thing wherever it appears). A float flag missing here
// is still checked for NaN and ±Inf.
var floatRanges = map[string]floatRange{
	"train-portion":    fraction,    // search: w's share of the training set
	"lr":               positive,    // search, train: weight learning rate
	"train-lr":         positive,    // search --then-train: the evaluation's learning rate
	"lr-min":           nonNegative, // search: end of the cosine schedule
	"arch-lr":          positive,    // search: α learning rate
	"ctrl-lr":          nonNegative, // search reinforce/enas: controller learning rate (0 = its default)
	"momentum":         probability, // train: SGD momentum
	"weight-decay":     nonNegative, // train
	"grad-clip":        nonNegative, // train: 0 = off
	"drop-path":        probability, // train: a probability, 1 would drop every path
	"auxiliary-weight": nonNegative, // train
	"speed":            nonNegative, // replay: 0 = no waiting
	"min-time":         positive,    // bench gemm: seconds per size
}

// minInt is the smallest value of the int flags that are sizes; every other
// int flag (limits, threads, counts where 0 means "off" or "all") is >= 0.
var minInt = map[string]int{"C": 1, "layers": 1, "batch": 1, "epochs": 1, "size": 1, "classes": 1,
	"train-C": 1, "train-layers": 1, "train-batch": 1, "train-epochs": 1}

func checkFloat(name string, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return usagef("--%s %v: want a finite number", name, v)
	}
	if r, ok := floatRanges[name]; ok && !r.contains(v) {
		return usagef("--%s %v: want a value in %v", name, v, r)
	}
	return nil
}

// checkMemory rejects C, layers and batch whose network cannot fit in this
// machine's memory, before anything is allocated: `--C 100000000` would
// otherwise die in the runtime with a page of stack, `--layers 100000000` spend
// minutes building cells. The estimate is a lower bound (netBytes), so a
// configuration that fits is never refused.
func checkMemory(fs *flag.FlagSet) error {
	c, okC := intFlag(fs, "C")
	layers, okL := intFlag(fs, "layers")
	if !okC || !okL || stringFlag(fs, "space") == "nb201" {
		return nil // no cell network (gemm, small-cnn benches; NAS-Bench-201 table lookups)
	}
	supernet := fs.Name() == "nas bench darts" || (fs.Name() == "nas search" && stringFlag(fs, "method") == "darts")
	training := fs.Name() != "nas genotype info" && !boolFlag(fs, "dry-run")
	batch, _ := intFlag(fs, "batch")
	need := netBytes(c, layers, batch, imageSide(fs), supernet, training)
	have, ok := memTotal()
	if !ok || need <= float64(have) {
		return nil
	}
	var set []string
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "C" || f.Name == "layers" || (training && f.Name == "batch") {
			set = append(set, fmt.Sprintf("--%s %s", f.Name, f.Value))
		}
	})
	if len(set) == 0 { // the defaults never get here on a machine that can run anything
		set = []string{fmt.Sprintf("--C %d --layers %d", c, layers)}
	}
	return usagef("%s needs at least ~%s GiB; this machine has %s GiB", strings.Join(set, " "), gib(need), gib(float64(have)))
}

// netBytes is a lower bound on the bytes a network of `layers` cells starting
// at C channels allocates: its weights (float32), times 3 when training
// (value, gradient, momentum), plus the stem's output for one batch when training.
//
// Cells follow the DARTS layout: reductions at layers/3 and 2·layers/3 double
// the channels, so n1 cells have C, n2 have 2C, n3 have 4C and Σ c² over the
// cells is (n1 + 4·n2 + 16·n3)·C². Every cell preprocesses its two inputs with
// 1×1 convolutions from at least c channels to c (≥ 2c² weights). A supernet
// cell also has on each of its 14 edges sep_conv_3x3 and sep_conv_5x5 (two
// pointwise c×c each) and dil_conv_3x3 and dil_conv_5x5 (one each): ≥ 6c² per
// edge; both op sets (darts, nasnet) hold these four ops.
func netBytes(c, layers, batch, side int, supernet, training bool) float64 {
	n1 := float64(layers / 3)
	n2 := float64(2*layers/3 - layers/3)
	n3 := float64(layers - 2*layers/3)
	cc := float64(c) * float64(c) * (n1 + 4*n2 + 16*n3)
	perC2 := 2.0
	if supernet {
		perC2 += 6 * float64(genotype.EdgeCount(4))
	}
	bytes := 4 * perC2 * cc
	if training {
		bytes = 3*bytes + 4*float64(batch)*3*float64(c)*float64(side)*float64(side)
	}
	return bytes
}

// imageSide is the side of the images the command will feed the network.
func imageSide(fs *flag.FlagSet) int {
	if s, ok := intFlag(fs, "size"); ok {
		return s
	}
	switch stringFlag(fs, "dataset") {
	case "demo":
		return data.DemoSize
	case "mnist", "fashion-mnist":
		return 28
	}
	return 32
}

// memTotal is the memory this process may use: MemTotal of /proc/meminfo,
// capped by a cgroup v2 limit; ok is false where neither can be read (then
// nothing is refused).
func memTotal() (bytes uint64, ok bool) {
	if f, err := os.Open("/proc/meminfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) >= 2 && fields[0] == "MemTotal:" {
				if kb, err := strconv.ParseUint(fields[1], 10, 64); err == nil {
					bytes, ok = kb*1024, true
				}
				break
			}
		}
		f.Close()
	}
	if b, err := os.ReadFile("/sys/fs/cgroup/memory.max"); err == nil {
		if lim, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64); err == nil && (!ok || lim < bytes) {
			bytes, ok = lim, true
		}
	}
	return bytes, ok
}

func gib(b float64) string {
	g := b / (1 << 30)
	if g >= 10 {
		return strconv.FormatFloat(math.Round(g), 'f', -1, 64)
	}
	return strconv.FormatFloat(g, 'f', 1, 64)
}

func intFlag(fs *flag.FlagSet, name string) (int, bool) {
	if f := fs.Lookup(name); f != nil {
		if v, ok := f.Value.(flag.Getter).Get().(int); ok {
			return v, true
		}
	}
	return 0, false
}

func stringFlag(fs *flag.FlagSet, name string) string {
	if f := fs.Lookup(name); f != nil {
		return f.Value.String()
	}
	return ""
}

func boolFlag(fs *flag.FlagSet, name string) bool {
	return stringFlag(fs, name) == "true"
}
