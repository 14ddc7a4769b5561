package nb201

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"sync"

	nb201data "github.com/nasplayground/nas/assets/nb201"
)

// Datasets are the names Accuracy accepts, in the table's column order.
var Datasets = []string{"cifar10", "cifar100", "imagenet16"}

// Table holds the 200-epoch test accuracies (percent) of every cell.
type Table struct {
	acc []float32 // Cells × len(Datasets), cell-major
}

var (
	loadOnce  sync.Once
	loaded    *Table
	loadError error
)

// Load decodes the embedded table (once; later calls share it).
func Load() (*Table, error) {
	loadOnce.Do(func() { loaded, loadError = decode(nb201data.Gz) })
	return loaded, loadError
}

func decode(gz []byte) (*Table, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("nb201: embedded table: %w", err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("nb201: embedded table: %w", err)
	}
	want := 4 * Cells * len(Datasets)
	if len(raw) != want {
		return nil, fmt.Errorf("nb201: embedded table has %d bytes, want %d", len(raw), want)
	}
	t := &Table{acc: make([]float32, Cells*len(Datasets))}
	for i := range t.acc {
		t.acc[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
	}
	return t, nil
}

func datasetColumn(dataset string) (int, error) {
	for k, d := range Datasets {
		if d == dataset {
			return k, nil
		}
	}
	return 0, fmt.Errorf("nb201: dataset %q, want one of %v", dataset, Datasets)
}

// Accuracy returns the test accuracy (percent) of a on dataset.
func (t *Table) Accuracy(a Arch, dataset string) (float64, error) {
	k, err := datasetColumn(dataset)
	if err != nil {
		return 0, err
	}
	for e, op := range a {
		if op < 0 || op >= NumOps {
			return 0, fmt.Errorf("nb201: edge %d has op %d, want 0..%d", e, int(op), NumOps-1)
		}
	}
	return float64(t.acc[a.Index()*len(Datasets)+k]), nil
}

// Best returns the cell with the highest test accuracy on dataset (the lowest
// index on ties) and that accuracy; an unknown dataset gives accuracy NaN.
func (t *Table) Best(dataset string) (Arch, float64) {
	k, err := datasetColumn(dataset)
	if err != nil {
		return Arch{}, math.NaN()
	}
	best := 0
	for i := 1; i < Cells; i++ {
		if t.acc[i*len(Datasets)+k] > t.acc[best*len(Datasets)+k] {
			best = i
		}
	}
	a, _ := FromIndex(best)
	return a, float64(t.acc[best*len(Datasets)+k])
}
