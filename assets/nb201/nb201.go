package nb201data

import _ "embed"

// Cells is the number of NAS-Bench-201 cells (5 ops on 6 edges).
const Cells = 15625

// Datasets is the number of accuracies stored per cell, in this order:
// cifar10, cifar100, imagenet16-120 (test accuracy after 200 epochs, percent).
const Datasets = 3

// Gz is the gzipped table: Cells×Datasets little-endian float32, cell-major, in
// canonical index order (see gen/main.go).
//
//go:embed nb201.bin.gz
var Gz []byte
