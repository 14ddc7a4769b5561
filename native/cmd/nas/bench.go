package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/metric"
	"github.com/nasplayground/nas/core/model"
	"github.com/nasplayground/nas/core/nn"
	"github.com/nasplayground/nas/core/optim"
	"github.com/nasplayground/nas/core/run"
	"github.com/nasplayground/nas/core/tensor"
	"github.com/nasplayground/nas/native/internal/rss"
)

func init() {
	register(command{name: "bench", summary: "benchmarks mirroring shared/bench: darts | small-cnn | gemm", run: runBench})
}

func runBench(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintln(stdout, "Usage: nas bench darts|small-cnn|gemm [flags]  (nas bench <name> --help)")
			return nil
		}
		return usagef("want a benchmark: darts, small-cnn or gemm")
	}
	switch args[0] {
	case "darts":
		return benchDarts(args[1:], stdout, stderr)
	case "small-cnn":
		return benchSmallCNN(args[1:], stdout, stderr)
	case "gemm":
		return benchGemm(args[1:], stdout, stderr)
	}
	return usagef("unknown benchmark %q: want darts, small-cnn or gemm", args[0])
}

func summarize(ts []float64, batch int) map[string]any {
	med := metric.Median(ts)
	mn, mx := math.Inf(1), math.Inf(-1)
	for _, t := range ts {
		mn, mx = math.Min(mn, t), math.Max(mx, t)
	}
	return map[string]any{"median_s": med, "min_s": mn, "max_s": mx, "images_per_s": float64(batch) / med, "n": len(ts)}
}

func printJSON(w io.Writer, v any) {
	b, _ := json.Marshal(v)
	fmt.Fprintln(w, string(b))
}

// kernelFlags are the bench commands' choice of kernel set.
type kernelFlags struct {
	portable *bool
	set      *string
}

func commonBenchFlags(name string, stderr io.Writer) (*flag.FlagSet, *int, *bool, kernelFlags) {
	fs := newFlags("bench "+name, stderr)
	threads := fs.Int("threads", 0, "worker threads (0 = all cores)")
	jsonOut := fs.Bool("json", false, "print one JSON line per measurement only")
	k := kernelFlags{
		portable: fs.Bool("portable", false, "use the portable kernels (what the browser runs) instead of the SIMD fast path (--kernels generic)"),
		set:      fs.String("kernels", "best", "kernel set: best, or one this CPU runs ("+strings.Join(nn.KernelSets(), ", ")+"; generic = portable)"),
	}
	return fs, threads, jsonOut, k
}

func setupKernels(threads int, k kernelFlags) error {
	set := *k.set
	if *k.portable {
		if set != "best" && set != "generic" {
			return usagef("--portable and --kernels %s: pick one", set)
		}
		set = "generic"
	}
	if err := nn.UseKernels(set); err != nil {
		return usagef("--kernels: %v", err)
	}
	nn.SetThreads(threads)
	return nil
}

func benchDarts(args []string, stdout, stderr io.Writer) error {
	fs, threads, jsonOut, kf := commonBenchFlags("darts", stderr)
	c := fs.Int("C", 16, "initial channels")
	layers := fs.Int("layers", 8, "cells")
	batch := fs.Int("batch", 64, "batch size")
	size := fs.Int("size", 32, "image size")
	classes := fs.Int("classes", 10, "classes")
	iters := fs.Int("iters", 3, "timed iterations of each phase")
	warmup := fs.Int("warmup", 1, "untimed DARTS iterations first")
	mode := fs.String("mode", "both", "both | weight | darts")
	archGrads := fs.String("arch-grads", "alphas-only", "alphas-only | full (the reference computes the discarded weight gradients)")
	seed := fs.Uint64("seed", 0, "seed")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the timed steps to this file")
	forkMin := fs.Int("fork-min", nn.ForkMin(), "ops per worker from which a cell node's ops run side by side, each on one worker (fewer: one after the other, each split over the workers; 1000 = never)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *forkMin < 1 {
		return usagef("--fork-min %d: want >= 1", *forkMin)
	}
	if *archGrads != "alphas-only" && *archGrads != "full" {
		return usagef("--arch-grads %q: want alphas-only or full", *archGrads)
	}
	if *mode != "both" && *mode != "weight" && *mode != "darts" {
		return usagef("--mode %q: want both, weight or darts", *mode)
	}
	if *iters < 1 {
		return usagef("--iters %d: want >= 1", *iters)
	}
	if err := setupKernels(*threads, kf); err != nil {
		return err
	}
	nn.SetForkMin(*forkMin)
	b, err := run.NewBench(*c, *layers, *batch, *size, *classes, *archGrads == "alphas-only", *seed)
	if err != nil {
		return usageError{err}
	}
	res := map[string]any{
		"bench": "darts_search_step_go",
		"id": fmt.Sprintf("darts go threads=%d B=%d C=%d layers=%d size=%d arch_grads=%s mode=%s fast=%s fork_min=%d",
			nn.Threads(), *batch, *c, *layers, *size, *archGrads, *mode, nn.FastPath(), nn.ForkMin()),
		"go": runtime.Version(), "threads": nn.Threads(), "fast_path": nn.FastPath(), "fork_min": nn.ForkMin(), "batch": *batch, "C": *c,
		"layers": *layers, "size": *size, "classes": *classes, "iters": *iters, "warmup": *warmup, "arch_grads": *archGrads,
		"grad_clip": 5, "params": nn.CountParams(b.Net.Weights()), "alpha_params": nn.CountParams(b.Net.Alphas()),
		"fwd_macs_per_image": model.MACs(b.Net.Forward, 3, *size, *size),
	}
	for i := 0; i < *warmup; i++ {
		if *mode != "weight" {
			b.ArchStep()
		}
		b.WeightStep()
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	if *mode == "weight" || *mode == "both" {
		var ts []float64
		var loss float64
		for i := 0; i < *iters; i++ {
			t0 := time.Now()
			loss = b.WeightStep()
			ts = append(ts, time.Since(t0).Seconds())
		}
		ws := summarize(ts, *batch)
		ws["last_loss"] = loss
		res["weight_step"] = ws
		res["peak_rss_mib_after_weight"] = rss.PeakMiB()
	}
	if *mode == "darts" || *mode == "both" {
		var ti, ta, tw []float64
		for i := 0; i < *iters; i++ {
			t0 := time.Now()
			b.ArchStep()
			t1 := time.Now()
			b.WeightStep()
			t2 := time.Now()
			ti = append(ti, t2.Sub(t0).Seconds())
			ta = append(ta, t1.Sub(t0).Seconds())
			tw = append(tw, t2.Sub(t1).Seconds())
		}
		di := summarize(ti, *batch)
		di["arch_median_s"], di["weight_median_s"] = metric.Median(ta), metric.Median(tw)
		res["darts_iter"] = di
		eta := searchETA(25000, *batch, 50, time.Duration(metric.Median(ti)*float64(time.Second)))
		res["eta_search_25k_50ep_h"] = eta.Hours()
		res["peak_rss_mib_after_darts"] = rss.PeakMiB()
	}
	res["peak_rss_mib"] = rss.PeakMiB()
	if !*jsonOut {
		fmt.Fprintf(stdout, "DARTS search supernet  %s  threads=%d  fast path=%s  fork-min=%d  B=%d C=%d layers=%d size=%d\n",
			runtime.Version(), nn.Threads(), nn.FastPath(), nn.ForkMin(), *batch, *c, *layers, *size)
		fmt.Fprintf(stdout, "  params=%d  fwd MACs/image=%d\n", res["params"], res["fwd_macs_per_image"])
		if ws, ok := res["weight_step"].(map[string]any); ok {
			fmt.Fprintf(stdout, "  weight step  median %.1f ms -> %8.1f img/s\n", ws["median_s"].(float64)*1e3, ws["images_per_s"])
		}
		if di, ok := res["darts_iter"].(map[string]any); ok {
			fmt.Fprintf(stdout, "  DARTS iter   median %.1f ms (arch %.1f ms, weight %.1f ms) -> %8.1f img/s\n",
				di["median_s"].(float64)*1e3, di["arch_median_s"].(float64)*1e3, di["weight_median_s"].(float64)*1e3, di["images_per_s"])
			fmt.Fprintf(stdout, "  ETA of a search over 25k/25k images x 50 epochs at this rate: %.1f h\n", res["eta_search_25k_50ep_h"])
		}
		fmt.Fprintf(stdout, "  peak RSS %.0f MiB\n", res["peak_rss_mib"])
	}
	printJSON(stdout, res)
	return nil
}

// searchETA is how long a DARTS search takes at perIter per iteration (an
// architecture step on a validation batch and a weight step on a training
// batch of batch images): ⌈trainImages/batch⌉ iterations an epoch, epochs
// epochs, the per-epoch evaluation not counted. CIFAR-10 split as DARTS
// does: 25,000 training and 25,000 validation images, 50 epochs.
func searchETA(trainImages, batch, epochs int, perIter time.Duration) time.Duration {
	iters := (trainImages + batch - 1) / batch * epochs
	return time.Duration(iters) * perIter
}

func benchSmallCNN(args []string, stdout, stderr io.Writer) error {
	fs, threads, jsonOut, kf := commonBenchFlags("small-cnn", stderr)
	batch := fs.Int("batch", 32, "batch size")
	iters := fs.Int("iters", 300, "timed steps")
	warmup := fs.Int("warmup", 30, "untimed steps")
	mode := fs.String("mode", "train", "train | forward")
	pool := fs.Int("pool", 4, "random batches cycled")
	seed := fs.Uint64("seed", 0, "seed")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *mode != "train" && *mode != "forward" {
		return usagef("--mode %q: want train or forward", *mode)
	}
	if *iters < 1 || *batch < 1 || *pool < 1 {
		return usagef("--iters, --batch and --pool must be >= 1")
	}
	if err := setupKernels(*threads, kf); err != nil {
		return err
	}
	rng := tensor.NewRNG(*seed)
	m := model.NewSmallCNN(rng)
	opt := optim.NewSGD(m.Params(), 0.01, 0.9, 0, false)
	xs := make([]*tensor.Tensor, *pool)
	ys := make([][]int32, *pool)
	for i := range xs {
		xs[i] = tensor.New(*batch, 3, 32, 32)
		rng.Normal(xs[i], 0, 1)
		ys[i] = make([]int32, *batch)
		for j := range ys[i] {
			ys[i][j] = int32(rng.IntN(10))
		}
	}
	tp := autograd.NewTape()
	var loss float64
	step := func(i int) {
		x, y := xs[i%*pool], ys[i%*pool]
		tp.SetNoGrad(*mode == "forward")
		l := nn.CrossEntropy(tp, m.Forward(&nn.Ctx{Tape: tp, Training: true}, autograd.Const(x)), y)
		loss = float64(l.Value.Data[0])
		if *mode == "train" {
			autograd.ZeroGrads(m.Params())
			tp.Backward(l)
			opt.Step()
		}
		tp.Reset()
	}
	for i := 0; i < *warmup; i++ {
		step(i)
	}
	var ts []float64
	start := time.Now()
	for i := 0; i < *iters; i++ {
		t0 := time.Now()
		step(i)
		ts = append(ts, time.Since(t0).Seconds())
	}
	total := time.Since(start).Seconds()
	med := metric.Median(ts)
	res := map[string]any{"bench": "small_cnn_go", "id": fmt.Sprintf("small_cnn_go %s %s/%s threads=%d batch=%d fast=%s",
		*mode, runtime.GOOS, runtime.GOARCH, nn.Threads(), *batch, nn.FastPath()),
		"mode": *mode, "go": runtime.Version(), "goos": runtime.GOOS, "goarch": runtime.GOARCH, "threads": nn.Threads(),
		"fast_path": nn.FastPath(), "batch": *batch, "iters": *iters, "warmup": *warmup,
		"params": nn.CountParams(m.Params()), "fwd_macs_per_image": model.MACs(m.Forward, 3, 32, 32),
		"step_median_s": med, "images_per_s": float64(*batch) / med,
		"images_per_s_overall": float64(*batch**iters) / total, "last_loss": loss, "peak_rss_mib": rss.PeakMiB()}
	if !*jsonOut {
		fmt.Fprintf(stdout, "small_cnn (ConvNetJS CIFAR demo net) %s %s/%s threads=%d batch=%d fast path=%s\n",
			*mode, runtime.GOOS, runtime.GOARCH, nn.Threads(), *batch, nn.FastPath())
		fmt.Fprintf(stdout, "  params=%d  step median %.2f ms -> %.0f img/s (overall %.0f)\n", res["params"], med*1e3,
			res["images_per_s"], res["images_per_s_overall"])
	}
	printJSON(stdout, res)
	return nil
}

func benchGemm(args []string, stdout, stderr io.Writer) error {
	fs, threads, jsonOut, kf := commonBenchFlags("gemm", stderr)
	sizes := fs.String("sizes", "128,256,512,1024", "square sizes")
	minTime := fs.Float64("min-time", 0.4, "seconds per size (at least 3 calls)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	var ns []int
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return usagef("--sizes: %q is not a positive integer", s)
		}
		ns = append(ns, n)
	}
	if err := setupKernels(*threads, kf); err != nil {
		return err
	}
	rng := tensor.NewRNG(1)
	for _, n := range ns {
		a, b, c := tensor.New(n, n), tensor.New(n, n), tensor.New(n, n)
		rng.Uniform(a, -1, 1)
		rng.Uniform(b, -1, 1)
		nn.MatMul(n, n, n, a.Data, b.Data, c.Data)
		var ts []float64
		start := time.Now()
		for len(ts) < 3 || time.Since(start).Seconds() < *minTime {
			t0 := time.Now()
			nn.MatMul(n, n, n, a.Data, b.Data, c.Data)
			ts = append(ts, time.Since(t0).Seconds())
		}
		med := metric.Median(ts)
		sort.Float64s(ts)
		fl := 2 * float64(n) * float64(n) * float64(n)
		res := map[string]any{"bench": "gemm_go", "id": fmt.Sprintf("go n=%d threads=%d fast=%s", n, nn.Threads(), nn.FastPath()),
			"impl": "nas-" + nn.FastPath(), "n": n, "gomaxprocs": nn.Threads(), "threads": nn.Threads(), "reps": len(ts),
			"median_s": med, "gflops": fl / med / 1e9, "best_gflops": fl / ts[0] / 1e9}
		if !*jsonOut {
			fmt.Fprintf(stdout, "nas %s n=%5d  %8.1f GFLOP/s (best %.1f)  threads=%d\n", nn.FastPath(), n, res["gflops"], res["best_gflops"], nn.Threads())
		}
		printJSON(stdout, res)
	}
	return nil
}
