package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/nasplayground/nas/core/genotype"
	"github.com/nasplayground/nas/core/rnn"
	"github.com/nasplayground/nas/core/run"
	"github.com/nasplayground/nas/core/run/events"
	"github.com/nasplayground/nas/core/search"
	"github.com/nasplayground/nas/native/internal/fsutil"
)

func init() {
	register(command{name: "rnn", summary: "the DARTS recurrent cell on Penn Treebank text: train a genotype, or search the cell", run: runRNN})
}

func runRNN(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(stdout, "Usage: nas rnn train|search [flags]   (nas rnn <sub> --help for its flags)")
		if len(args) == 0 {
			return usagef("missing subcommand: train or search")
		}
		return nil
	}
	switch args[0] {
	case "train":
		return rnnRun(false, args[1:], stdout, stderr)
	case "search":
		return rnnRun(true, args[1:], stdout, stderr)
	}
	return usagef("unknown subcommand %q, want train or search", args[0])
}

// rnnJSON is the final --json line of `nas rnn train|search`.
type rnnJSON struct {
	Method    string  `json:"method"` // darts-rnn (search) | train
	Space     string  `json:"space"`  // rnn
	TrainText string  `json:"train_text"`
	EvalText  string  `json:"eval_text"`
	Steps     int     `json:"steps"`
	Params    int     `json:"params"`
	PplBefore float64 `json:"val_ppl_before"`
	PplAfter  float64 `json:"val_ppl"`
	Genotype  string  `json:"genotype"`
	Collapse  string  `json:"warning,omitempty"`
	Seconds   float64 `json:"elapsed_s"`
}

func rnnRun(searching bool, args []string, stdout, stderr io.Writer) error {
	name := "rnn train"
	if searching {
		name = "rnn search"
	}
	fs := newFlags(name, stderr)
	dir := fs.String("data", filepath.Join("..", "shared", "data", "ptb"), "folder of ptb.valid.txt (trains) and ptb.test.txt (evaluates)")
	arg := fs.String("genotype", "DARTS_RNN_V2", "train: the recurrent genotype (a name or its text)")
	hidden := fs.Int("hidden", 64, "embedding and hidden size (reference: 300 search, 850 train)")
	nodes := fs.Int("nodes", 8, "search: nodes of the cell")
	batch := fs.Int("batch", 32, "parallel streams")
	bptt := fs.Int("bptt", 20, "unrolled time steps per chunk")
	iters := fs.Int("iters", 100, "training steps (chunks)")
	lr := fs.Float64("lr", 20, "SGD learning rate of the weights")
	clip := fs.Float64("grad-clip", 0.25, "gradient norm clip of the weights")
	archLR := fs.Float64("arch-lr", 3e-3, "search: Adam learning rate of α")
	maxTokens := fs.Int("max-tokens", 0, "use only the first N training tokens (0: all)")
	evalTokens := fs.Int("eval-tokens", 4000, "evaluate on the first N tokens of the evaluation text (0: all)")
	seed := fs.Uint64("seed", 1, "seed")
	out := fs.String("out", "", "folder for genotype.txt and events.jsonl (one event per validation)")
	asJSON := fs.Bool("json", false, "print one JSON line at the end")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	switch {
	case *hidden < 1 || *nodes < 1 || *batch < 1 || *bptt < 1 || *iters < 1:
		return usagef("--hidden, --nodes, --batch, --bptt, --iters: want >= 1")
	}
	cfg := run.DefaultConfig()
	cfg.Method, cfg.Space, cfg.Seed = rnn.Method, run.SpaceRNN, *seed
	rc := rnn.DefaultRunConfig(*dir)
	rc.Hidden, rc.Nodes, rc.Iters, rc.EvalEvery, rc.EvalTokens, rc.MaxTokens, rc.Seed = *hidden, *nodes, *iters, max(1, *iters/10), *evalTokens, *maxTokens, *seed
	rc.Train.Batch, rc.Train.BPTT, rc.Train.LR, rc.Train.Clip, rc.Train.ArchLR = *batch, *bptt, *lr, *clip, *archLR
	if !searching {
		if _, err := genotype.ResolveRecurrent(*arg); err != nil {
			return usageError{err}
		}
		rc.Genotype = *arg
	}
	cfg.RNN = rc
	r, err := run.New(cfg, run.Data{})
	if err != nil {
		return usagef("%v", err)
	}
	s := r.Searcher.(*rnn.Searcher)
	var h run.Hooks
	if *out != "" {
		if err := os.MkdirAll(*out, 0o755); err != nil {
			return fmt.Errorf("--out %s: %w", *out, err)
		}
		el, err := events.Open(filepath.Join(*out, "events.jsonl"), 0)
		if err != nil {
			return err
		}
		defer el.Close()
		h.Events, h.Log = el, func(ev search.Event) bool { return ev.Kind == search.KindEpoch }
	}
	start := time.Now()
	before := s.Perplexity()
	if !*asJSON {
		what := "train " + s.GenotypeText()
		if searching {
			what = fmt.Sprintf("DARTS search of the %d-node recurrent cell (first order; α on the last %.0f%% of the training text)", *nodes, 100*rc.Train.ArchPortion)
		}
		tokens := len(s.Corpus.Train)
		if *maxTokens > 0 {
			tokens = min(tokens, *maxTokens)
		}
		fmt.Fprintf(stdout, "%s\ntext: %s trains (%d tokens), %s evaluates; vocabulary %d; %d params; H=%d, batch %d, bptt %d\n",
			what, s.Corpus.TrainName, tokens, s.Corpus.EvalName,
			s.Corpus.Vocab.Len(), s.T.M.NumParams(), *hidden, *batch, *bptt)
		fmt.Fprintf(stdout, "step 0: val ppl %.1f\n", before)
	}
	ppl := before
	h.OnEvent = func(ev search.Event, _ run.Progress) error {
		if ev.Kind != search.KindEpoch {
			return nil
		}
		ppl = math.Exp(ev.ValLoss)
		if !*asJSON {
			fmt.Fprintf(stdout, "step %d/%d: train loss %.3f (ppl %.1f) | val ppl %.1f | %.0fs\n", ev.Step, *iters, ev.TrainLoss, math.Exp(ev.TrainLoss), ppl, time.Since(start).Seconds())
		}
		return nil
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	o, err := run.Drive(ctx, r, h)
	if err != nil {
		return err
	}
	if o.Stop == run.Interrupted {
		return interruptedError{fmt.Sprintf("interrupted at step %d", r.Iterations())}
	}
	res := rnnJSON{Method: "train", Space: run.SpaceRNN, TrainText: s.Corpus.TrainName, EvalText: s.Corpus.EvalName, Steps: r.Iterations(),
		Params: s.T.M.NumParams(), PplBefore: before, PplAfter: ppl, Genotype: r.Genotype(), Seconds: time.Since(start).Seconds()}
	if searching {
		res.Method = rnn.Method
	}
	if *out != "" {
		if err := fsutil.WriteFile(filepath.Join(*out, "genotype.txt"), []byte(res.Genotype+"\n")); err != nil {
			return err
		}
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(res)
	}
	fmt.Fprintf(stdout, "val ppl %.1f → %.1f on %s\n%s\n", before, ppl, s.Corpus.EvalName, res.Genotype)
	return nil
}
