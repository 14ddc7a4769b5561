// Command gen writes the page's demo data set: class-balanced subsets of CIFAR-10 downsampled to 16×16
// (2×2 area average), as gzipped CIFAR-10 binary records, plus batches.meta.txt. It is deterministic.
//
//	go run ./assets/demo/gen -src ../shared/data/cifar-10-batches-bin -out assets/demo
package main

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"github.com/nasplayground/nas/core/data"
)

func main() {
	src := flag.String("src", "../shared/data/cifar-10-batches-bin", "CIFAR-10 binary folder (data_batch_1.bin, test_batch.bin)")
	out := flag.String("out", "assets/demo", "output folder")
	ntrain := flag.Int("train", 2000, "training images (a multiple of 20: half w-train, half α-val, balanced)")
	ntest := flag.Int("test", 500, "test images (a multiple of 10)")
	seed := flag.Uint64("seed", 2019, "selection seed")
	grid := flag.String("grid", "", "also write a 10×10 PNG grid (one row per class) of the train set here")
	flag.Parse()
	log.SetFlags(0)

	// Only data_batch_1.bin is read for train, so the output is the same with one or five batch files.
	train := must(readBatch(filepath.Join(*src, "data_batch_1.bin")))
	test := must(readBatch(filepath.Join(*src, "test_batch.bin")))
	rng := rand.New(rand.NewPCG(*seed, 1))
	dtrain := data.Downsample(train.Subset(balanced(train, *ntrain/10, rng)), 2)
	dtest := data.Downsample(test.Subset(balanced(test, *ntest/10, rng)), 2)

	for _, f := range []struct {
		name string
		d    *data.Dataset
	}{{data.DemoTrainFile, dtrain}, {data.DemoTestFile, dtest}} {
		b := gzipRecords(f.d)
		check(os.WriteFile(filepath.Join(*out, f.name), b, 0o644))
		fmt.Printf("%s: %d images %dx%d, %d bytes gzipped\n", f.name, f.d.N, f.d.H, f.d.W, len(b))
	}
	check(os.WriteFile(filepath.Join(*out, "batches.meta.txt"), []byte(strings.Join(train.Classes, "\n")+"\n"), 0o644))
	if *grid != "" {
		check(writeGrid(*grid, dtrain, 4))
	}
}

func readBatch(path string) (*data.Dataset, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return data.ReadCIFAR10Records(f, path, 32, 32)
}

// balanced picks k images of each class at random and orders them in rounds: round r holds the r-th pick
// of every class, classes in a random order. So the first half (DARTS' w-train split) and the second
// half (α-val) each have k/2 images per class.
func balanced(d *data.Dataset, k int, rng *rand.Rand) []int {
	perm := rng.Perm(d.N)
	byClass := make([][]int, len(d.Classes))
	for _, i := range perm {
		if c := d.Labels[i]; len(byClass[c]) < k {
			byClass[c] = append(byClass[c], i)
		}
	}
	var idx []int
	for r := range k {
		for _, c := range rng.Perm(len(byClass)) {
			if r >= len(byClass[c]) {
				log.Fatalf("class %d has %d images, want %d", c, len(byClass[c]), k)
			}
			idx = append(idx, byClass[c][r])
		}
	}
	return idx
}

// gzipRecords encodes d as CIFAR-10 records (label, R, G, B planes), gzipped with no name or time in the header.
func gzipRecords(d *data.Dataset) []byte {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	check(err)
	for i := range d.N {
		_, err = zw.Write(append([]byte{d.Labels[i]}, d.Image(i)...))
		check(err)
	}
	check(zw.Close())
	return buf.Bytes()
}

// writeGrid draws the first 10 images of each class, one class per row, each pixel scale×scale.
func writeGrid(path string, d *data.Dataset, scale int) error {
	s := d.H * scale
	img := image.NewRGBA(image.Rect(0, 0, 10*s, len(d.Classes)*s))
	col := make([]int, len(d.Classes))
	hw := d.H * d.W
	for i := range d.N {
		c := int(d.Labels[i])
		if col[c] >= 10 {
			continue
		}
		p := d.Image(i)
		for y := range s {
			for x := range s {
				k := (y/scale)*d.W + x/scale
				img.Set(col[c]*s+x, c*s+y, color.RGBA{p[k], p[hw+k], p[2*hw+k], 255})
			}
		}
		col[c]++
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func must[T any](v T, err error) T {
	check(err)
	return v
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
