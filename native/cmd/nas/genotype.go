package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/nasplayground/nas/core/genotype"
	"github.com/nasplayground/nas/core/model"
	"github.com/nasplayground/nas/core/rnn"
	"github.com/nasplayground/nas/native/internal/draw"
	"github.com/nasplayground/nas/native/internal/fsutil"
)

func init() {
	register(command{name: "genotype", summary: "genotype tools: info, derive (from α), draw (svg|png|dot), list", run: runGenotype})
}

var genotypeSubs = map[string]func(args []string, stdout, stderr io.Writer) error{
	"info": genotypeInfo, "derive": genotypeDerive, "draw": genotypeDraw, "list": genotypeList,
}

func runGenotype(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(stdout, "Usage: nas genotype info|derive|draw|list [flags]   (nas genotype <sub> --help for its flags)")
		if len(args) == 0 {
			return usagef("missing subcommand: info, derive, draw or list")
		}
		return nil
	}
	sub, ok := genotypeSubs[args[0]]
	if !ok {
		return usagef("unknown subcommand %q, want info, derive, draw or list", args[0])
	}
	return sub(args[1:], stdout, stderr)
}

// resolveGenotype wraps genotype.Resolve's errors as usage errors.
func resolveGenotype(arg string) (genotype.Genotype, error) {
	if arg == "" {
		return genotype.Genotype{}, usagef("--genotype is required (a name such as DARTS_V2, genotype text, or a file)")
	}
	g, err := genotype.Resolve(arg)
	if err != nil {
		return g, usageError{err}
	}
	return g, nil
}

// genotypeInfoJSON is `nas genotype info --json`.
type genotypeInfoJSON struct {
	Genotype    string            `json:"genotype"`
	Normal      genotype.CellInfo `json:"normal"`
	Reduce      genotype.CellInfo `json:"reduce"`
	C           int               `json:"C"`
	Layers      int               `json:"layers"`
	Params      int               `json:"params"`       // eval net without the auxiliary head
	ParamsTotal int               `json:"params_total"` // with the auxiliary head
	MACs        int64             `json:"macs"`         // one 3×32×32 image
}

func genotypeInfo(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("genotype info", stderr)
	arg := fs.String("genotype", "", "genotype: a name, DARTS text, or a file")
	c := fs.Int("C", 36, "initial channels of the evaluation network")
	layers := fs.Int("layers", 20, "cells of the evaluation network")
	vocab := fs.Int("vocab", 10000, "recurrent cells: words of the language model (PTB: 10000)")
	hidden := fs.Int("hidden", 850, "recurrent cells: embedding and hidden size (rnn/train.py: 850)")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if r, err := genotype.ResolveRecurrent(*arg); err == nil {
		return recurrentInfo(r, *vocab, *hidden, *asJSON, stdout)
	}
	g, err := resolveGenotype(*arg)
	if err != nil {
		return err
	}
	s := genotype.Info(g)
	p, total, macs, err := netSize(model.EvalConfig{C: *c, Layers: *layers, Classes: 10, InChannels: 3, Auxiliary: true, Genotype: g}, 32, 32)
	if err != nil {
		return usageError{err}
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(genotypeInfoJSON{Genotype: g.String(), Normal: s.Normal, Reduce: s.Reduce,
			C: *c, Layers: *layers, Params: p, ParamsTotal: total, MACs: macs})
	}
	fmt.Fprintln(stdout, g.String())
	for _, cell := range []struct {
		name string
		ci   genotype.CellInfo
	}{{"normal", s.Normal}, {"reduce", s.Reduce}} {
		fmt.Fprintf(stdout, "%s cell: %d nodes, %d edges, %d parameter-free, concat %v\n", cell.name, cell.ci.Nodes, cell.ci.Edges, cell.ci.ParamFree, cell.ci.Concat)
		ops := make([]genotype.Primitive, 0, len(cell.ci.Ops))
		for op := range cell.ci.Ops {
			ops = append(ops, op)
		}
		sort.Slice(ops, func(i, j int) bool { return ops[i] < ops[j] })
		for _, op := range ops {
			fmt.Fprintf(stdout, "  %-14s %d\n", op, cell.ci.Ops[op])
		}
	}
	fmt.Fprintf(stdout, "evaluation network C=%d, %d layers: %d params (%.6f MB as DARTS prints), %d with the auxiliary head, %.1f M MACs per 32×32 image\n",
		*c, *layers, p, float64(p)/1e6, total, float64(macs)/1e6)
	return nil
}

func genotypeDerive(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("genotype derive", stderr)
	path := fs.String("alphas", "", `JSON file of raw α: {"normal": [[...] per edge], "reduce": [...]}`)
	opsName := fs.String("ops", "darts", "operation set of the α columns: darts or nasnet")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *path == "" {
		return usagef("--alphas is required")
	}
	ops, err := genotype.OpSet(*opsName)
	if err != nil {
		return usageError{err}
	}
	b, err := os.ReadFile(*path)
	if err != nil {
		return usageError{err}
	}
	normal, reduce, err := genotype.ParseAlphasJSON(b)
	if err != nil {
		return usagef("%s: %v", *path, err)
	}
	g, err := genotype.DeriveFromAlpha(normal, reduce, ops)
	if err != nil {
		return usagef("%s: %v", *path, err)
	}
	if w := genotype.Collapse(g); w != "" {
		fmt.Fprintf(stderr, "nas genotype derive: warning: %s\n", w)
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(struct {
			Genotype string          `json:"genotype"`
			Normal   []genotype.Edge `json:"normal"`
			Reduce   []genotype.Edge `json:"reduce"`
		}{g.String(), g.Normal, g.Reduce})
	}
	fmt.Fprintln(stdout, g.String())
	return nil
}

func genotypeDraw(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("genotype draw", stderr)
	arg := fs.String("genotype", "", "genotype: a name (DARTS_V2, DARTS_RNN_V2, ...), DARTS text, or a file")
	format := fs.String("format", "", "svg, png or dot (default: from the --out extension, else svg)")
	cell := fs.String("cell", "both", "normal, reduce or both (both writes OUT_normal.EXT and OUT_reduce.EXT)")
	out := fs.String("out", "", "output file")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usagef("--out is required")
	}
	ext := filepath.Ext(*out)
	if *format == "" {
		*format = strings.TrimPrefix(strings.ToLower(ext), ".")
		if *format == "" {
			*format = "svg"
		}
	}
	*format = strings.ToLower(*format)
	if *format != "svg" && *format != "png" && *format != "dot" {
		return usagef("--format %q, want svg, png or dot", *format)
	}
	if r, err := genotype.ResolveRecurrent(*arg); err == nil { // one drawing: the recurrent cell (Figure 6 of DARTS)
		if dir := filepath.Dir(*out); !isDir(dir) {
			return usagef("--out %s: folder %s does not exist", *out, dir)
		}
		b, err := draw.Recurrent(r, *format)
		if err != nil {
			return usageError{err}
		}
		if err := fsutil.WriteFile(*out, b); err != nil {
			return err
		}
		fmt.Fprintln(stdout, *out)
		return nil
	}
	g, err := resolveGenotype(*arg)
	if err != nil {
		return err
	}
	targets := map[string]string{*cell: *out}
	switch *cell {
	case "normal", "reduce":
	case "both":
		base := strings.TrimSuffix(*out, ext)
		targets = map[string]string{"normal": base + "_normal" + ext, "reduce": base + "_reduce" + ext}
	default:
		return usagef("--cell %q, want normal, reduce or both", *cell)
	}
	for _, path := range targets {
		if dir := filepath.Dir(path); !isDir(dir) {
			return usagef("--out %s: folder %s does not exist", *out, dir)
		}
	}
	for _, name := range []string{"normal", "reduce"} {
		path, ok := targets[name]
		if !ok {
			continue
		}
		b, err := draw.Cell(g, name, *format)
		if err != nil {
			return usageError{err}
		}
		if err := fsutil.WriteFile(path, b); err != nil {
			return err
		}
		fmt.Fprintln(stdout, path)
	}
	return nil
}

func genotypeList(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("genotype list", stderr)
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	type entry struct {
		Name     string `json:"name"`
		Genotype string `json:"genotype"`
	}
	var list []entry
	for _, n := range genotype.Names() {
		g, err := genotype.Named(n)
		if err != nil {
			return err
		}
		list = append(list, entry{n, g.String()})
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(list)
	}
	for _, e := range list {
		fmt.Fprintf(stdout, "%s = %s\n", e.Name, e.Genotype)
	}
	return nil
}

// isDir reports whether path is an existing folder.
func isDir(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}

// recurrentInfoJSON is `nas genotype info --json` of a recurrent cell.
type recurrentInfoJSON struct {
	Genotype string `json:"genotype"`
	Kind     string `json:"kind"` // recurrent
	genotype.RecurrentInfo
	Vocab  int `json:"vocab"`
	Hidden int `json:"hidden"`
	Params int `json:"params"` // language model of rnn/model.py at these sizes
}

func recurrentInfo(r genotype.Recurrent, vocab, hidden int, asJSON bool, stdout io.Writer) error {
	if vocab < 2 || hidden < 1 {
		return usagef("--vocab %d --hidden %d: want vocab >= 2, hidden >= 1", vocab, hidden)
	}
	ri := r.Info()
	p := rnn.Config{Vocab: vocab, Hidden: hidden, Steps: len(r.Nodes)}.NumParams()
	if asJSON {
		return json.NewEncoder(stdout).Encode(recurrentInfoJSON{Genotype: r.String(), Kind: "recurrent", RecurrentInfo: ri,
			Vocab: vocab, Hidden: hidden, Params: p})
	}
	fmt.Fprintln(stdout, r.String())
	fmt.Fprintf(stdout, "recurrent cell: %d nodes, concat %v (h_t is their mean)\n", ri.Nodes, ri.Concat)
	for _, op := range genotype.RecurrentOps {
		if n := ri.Ops[op]; n > 0 {
			fmt.Fprintf(stdout, "  %-14s %d\n", op, n)
		}
	}
	fmt.Fprintf(stdout, "language model, %d words, embedding = hidden = %d: %d params (%.2f M)\n", vocab, hidden, p, float64(p)/1e6)
	return nil
}
