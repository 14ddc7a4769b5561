package bench201

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strings"

	nb201data "github.com/nasplayground/nas/assets/nb201"
)

// Ops are the NAS-Bench-201 operations in the table's index order.
var Ops = []string{"none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"}

// Edges is the number of edges of a NAS-Bench-201 cell (4 nodes, all forward pairs).
const Edges = 6

// edgeFrom and edgeTo give edge e's nodes in the benchmark's string order
// |op~0|+|op~0|op~1|+|op~0|op~1|op~2|.
var edgeFrom = [Edges]int{0, 0, 1, 0, 1, 2}
var edgeTo = [Edges]int{1, 2, 2, 3, 3, 3}

// EdgeLabel names edge e, e.g. "0→1".
func EdgeLabel(e int) string { return fmt.Sprintf("%d→%d", edgeFrom[e], edgeTo[e]) }

// Table holds CIFAR-10 test accuracies (percent) of all 15,625 cells.
type Table struct {
	CIFAR10 []float32
}

// Load decodes the embedded table.
func Load() (*Table, error) {
	zr, err := gzip.NewReader(bytes.NewReader(nb201data.Gz))
	if err != nil {
		return nil, fmt.Errorf("bench201: embedded table: %w", err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("bench201: embedded table: %w", err)
	}
	want := nb201data.Cells * nb201data.Datasets * 4
	if len(raw) != want {
		return nil, fmt.Errorf("bench201: embedded table has %d bytes, want %d", len(raw), want)
	}
	t := &Table{CIFAR10: make([]float32, nb201data.Cells)}
	for i := range t.CIFAR10 {
		t.CIFAR10[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[i*nb201data.Datasets*4:]))
	}
	return t, nil
}

// Index returns the canonical index Σ_e op_e·5^e of a cell given by its ops.
func Index(ops []int) int {
	idx, pow := 0, 1
	for _, o := range ops {
		idx += o * pow
		pow *= len(Ops)
	}
	return idx
}

// Arch returns the benchmark's string of a cell, e.g.
// |nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|.
func Arch(ops []int) string {
	var b strings.Builder
	for e, o := range ops {
		if e > 0 && edgeFrom[e] == 0 {
			b.WriteString("+")
		}
		if edgeFrom[e] == 0 {
			b.WriteString("|")
		}
		fmt.Fprintf(&b, "%s~%d|", Ops[o], edgeFrom[e])
	}
	return b.String()
}

// Accuracy returns the CIFAR-10 test accuracy (percent) of a cell.
func (t *Table) Accuracy(ops []int) float64 { return float64(t.CIFAR10[Index(ops)]) }
