package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"time"

	"github.com/nasplayground/nas/core/genotype"
	"github.com/nasplayground/nas/core/rnn"
	"github.com/nasplayground/nas/core/tensor"
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
	Method    string  `json:"method"` // darts (search) | train
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

func rnnRun(search bool, args []string, stdout, stderr io.Writer) error {
	name := "rnn train"
	if search {
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
	out := fs.String("out", "", "folder for genotype.txt and log.jsonl")
	asJSON := fs.Bool("json", false, "print one JSON line at the end")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	switch {
	case *hidden < 1 || *nodes < 1 || *batch < 1 || *bptt < 1 || *iters < 1:
		return usagef("--hidden, --nodes, --batch, --bptt, --iters: want >= 1")
	case *maxTokens < 0 || *evalTokens < 0:
		return usagef("--max-tokens, --eval-tokens: want >= 0")
	}
	corpus, err := rnn.LoadPTB(*dir)
	if err != nil {
		return usagef("--data %s: %v (want the folder of ptb.valid.txt and ptb.test.txt)", *dir, err)
	}
	train, eval := corpus.Train, corpus.Eval
	if *maxTokens > 0 && *maxTokens < len(train) {
		train = train[:*maxTokens]
	}
	if *evalTokens > 0 && *evalTokens < len(eval) {
		eval = eval[:*evalTokens]
	}
	var g *genotype.Recurrent
	if !search {
		r, err := genotype.ResolveRecurrent(*arg)
		if err != nil {
			return usageError{err}
		}
		g = &r
	}
	m, err := rnn.New(rnn.Config{Vocab: corpus.Vocab.Len(), Hidden: *hidden, Steps: *nodes}, g, tensor.NewRNG(*seed))
	if err != nil {
		return usageError{err}
	}
	cfg := rnn.DefaultTrainConfig()
	cfg.Batch, cfg.BPTT, cfg.LR, cfg.Clip, cfg.ArchLR = *batch, *bptt, *lr, *clip, *archLR
	tr, err := rnn.NewTrainer(m, cfg, train)
	if err != nil {
		return usageError{err}
	}
	if *out != "" {
		if err := os.MkdirAll(*out, 0o755); err != nil {
			return fmt.Errorf("--out %s: %w", *out, err)
		}
	}
	evalBatch := min(10, max(1, len(eval)/(2*cfg.BPTT)))
	start := time.Now()
	before := tr.Perplexity(eval, evalBatch)
	var what string
	if g != nil {
		what = "train " + g.String()
	} else {
		what = fmt.Sprintf("DARTS search of the %d-node recurrent cell (first order; α on the last %.0f%% of the training text)", *nodes, 100*cfg.ArchPortion)
	}
	if !*asJSON {
		fmt.Fprintf(stdout, "%s\ntext: %s trains (%d tokens), %s evaluates (%d tokens); vocabulary %d; %d params; H=%d, batch %d, bptt %d\n",
			what, corpus.TrainName, len(train), corpus.EvalName, len(eval), corpus.Vocab.Len(), m.NumParams(), *hidden, *batch, *bptt)
		fmt.Fprintf(stdout, "step 0: val ppl %.1f\n", before)
	}
	var log []byte
	every := max(1, *iters/10)
	ppl := before
	for k := 1; k <= *iters; k++ {
		loss, err := tr.Step()
		if err != nil {
			return err
		}
		if k%every == 0 || k == *iters {
			ppl = tr.Perplexity(eval, evalBatch)
			line := map[string]any{"step": k, "train_loss": loss, "val_ppl": ppl, "elapsed_s": time.Since(start).Seconds()}
			if search {
				r, err := m.Derive()
				if err != nil {
					return err
				}
				line["genotype"] = r.String()
			}
			b, _ := json.Marshal(line)
			log = append(append(log, b...), '\n')
			if !*asJSON {
				fmt.Fprintf(stdout, "step %d/%d: train loss %.3f (ppl %.1f) | val ppl %.1f | %.0fs\n", k, *iters, loss, math.Exp(loss), ppl, time.Since(start).Seconds())
			}
		}
	}
	res := rnnJSON{Method: "train", Space: "rnn", TrainText: corpus.TrainName, EvalText: corpus.EvalName, Steps: *iters,
		Params: m.NumParams(), PplBefore: before, PplAfter: ppl, Seconds: time.Since(start).Seconds()}
	if search {
		r, err := m.Derive()
		if err != nil {
			return err
		}
		res.Method, res.Genotype = "darts", r.String()
	} else {
		res.Genotype = g.String()
	}
	if *out != "" {
		if err := fsutil.WriteFile(filepath.Join(*out, "genotype.txt"), []byte(res.Genotype+"\n")); err != nil {
			return err
		}
		if err := fsutil.WriteFile(filepath.Join(*out, "log.jsonl"), log); err != nil {
			return err
		}
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(res)
	}
	fmt.Fprintf(stdout, "val ppl %.1f → %.1f on %s\n%s\n", before, ppl, corpus.EvalName, res.Genotype)
	return nil
}
