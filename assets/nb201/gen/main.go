// Command gen converts the NAS-Bench-201 CSV (nats_bench_tss_200ep.csv) into
// nb201.bin.gz: 15,625 records in canonical index order, each three
// little-endian float32 test accuracies in percent (cifar10, cifar100,
// imagenet16-120). The index of a cell is Σ_e op_e·5^e over its 6 edges in the
// benchmark's string order, with ops none=0, skip_connect=1, nor_conv_1x1=2,
// nor_conv_3x3=3, avg_pool_3x3=4. The output is deterministic (no gzip header
// name or time).
//
// Usage (from the repository root):
//
//	go run ./assets/nb201/gen -in ../shared/data/nas-bench-201/nats_bench_tss_200ep.csv -out assets/nb201/nb201.bin.gz
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
)

const cells = 15625

var opIndex = map[string]int{"none": 0, "skip_connect": 1, "nor_conv_1x1": 2, "nor_conv_3x3": 3, "avg_pool_3x3": 4}

// archIndex parses |op~0|+|op~0|op~1|+|op~0|op~1|op~2| into its canonical index.
func archIndex(s string) (int, error) {
	groups := strings.Split(s, "+")
	if len(groups) != 3 {
		return 0, fmt.Errorf("arch %q: %d node groups, want 3", s, len(groups))
	}
	idx, pow, edge := 0, 1, 0
	for node, g := range groups {
		if len(g) < 2 || g[0] != '|' || g[len(g)-1] != '|' {
			return 0, fmt.Errorf("arch %q: group %d %q not enclosed in |", s, node, g)
		}
		parts := strings.Split(g[1:len(g)-1], "|")
		if len(parts) != node+1 {
			return 0, fmt.Errorf("arch %q: group %d has %d edges, want %d", s, node, len(parts), node+1)
		}
		for from, p := range parts {
			name, in, ok := strings.Cut(p, "~")
			op, known := opIndex[name]
			if !ok || !known || in != strconv.Itoa(from) {
				return 0, fmt.Errorf("arch %q: edge %d %q, want <op>~%d", s, edge, p, from)
			}
			idx += op * pow
			pow *= 5
			edge++
		}
	}
	return idx, nil
}

func run(in, out string) error {
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(f)
	head, err := r.Read()
	if err != nil {
		return fmt.Errorf("%s: header: %w", in, err)
	}
	want := []string{"CIFAR10TestAccuracy200Epochs", "CIFAR100TestAccuracy200Epochs", "ImageNetTestAccuracy200Epochs", "ArchitectureString"}
	for i, w := range want {
		if i >= len(head) || head[i] != w {
			return fmt.Errorf("%s: line 1: column %d is %q, want %q", in, i+1, head[min(i, len(head)-1)], w)
		}
	}
	acc := make([]float32, 3*cells)
	seen := make([]bool, cells)
	line := 1
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line++
		if err != nil {
			return fmt.Errorf("%s: line %d: %w", in, line, err)
		}
		idx, err := archIndex(rec[3])
		if err != nil {
			return fmt.Errorf("%s: line %d: %w", in, line, err)
		}
		if seen[idx] {
			return fmt.Errorf("%s: line %d: duplicate arch %s", in, line, rec[3])
		}
		seen[idx] = true
		for k := range 3 {
			v, err := strconv.ParseFloat(rec[k], 64)
			if err != nil || math.IsNaN(v) || v < 0 || v > 100 {
				return fmt.Errorf("%s: line %d column %d: accuracy %q, want a percentage", in, line, k+1, rec[k])
			}
			acc[3*idx+k] = float32(v)
		}
	}
	for i, ok := range seen {
		if !ok {
			return fmt.Errorf("%s: cell index %d missing (%d rows read, want %d)", in, i, line-1, cells)
		}
	}
	var raw bytes.Buffer
	if err := binary.Write(&raw, binary.LittleEndian, acc); err != nil {
		return err
	}
	var gz bytes.Buffer
	zw, err := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if err != nil {
		return err
	}
	if _, err := zw.Write(raw.Bytes()); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	tmp := out + ".tmp"
	if err := os.WriteFile(tmp, gz.Bytes(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, out)
}

func main() {
	in := flag.String("in", "../shared/data/nas-bench-201/nats_bench_tss_200ep.csv", "NAS-Bench-201 CSV")
	out := flag.String("out", "assets/nb201/nb201.bin.gz", "output file")
	flag.Parse()
	if err := run(*in, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
