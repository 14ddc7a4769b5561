package data

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// CIFAR10Classes are the CIFAR-10 class names in label order (batches.meta.txt of the binary version).
var CIFAR10Classes = []string{"airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"}

// cifar10BatchRecords is the number of records in each file of the official cifar-10-binary.tar.gz.
const cifar10BatchRecords = 10000

// ReadCIFAR10Records decodes CIFAR-10 binary records of h×w RGB images from r (gzipped or not: the gzip
// magic 1f 8b is detected). Each record is 1 label byte followed by the R, G and B planes, each h·w bytes,
// row-major, top row first. name is used in errors only. Classes are CIFAR10Classes.
// A stream whose length is not a whole number of records is an error naming the expected size.
func ReadCIFAR10Records(r io.Reader, name string, h, w int) (*Dataset, error) {
	if h < 1 || w < 1 {
		return nil, fmt.Errorf("cifar10: %s: image size %dx%d, want positive", name, h, w)
	}
	src, closeFn, err := maybeGunzip(r)
	if err != nil {
		return nil, fmt.Errorf("cifar10: %s: %w", name, err)
	}
	defer closeFn()
	buf, err := io.ReadAll(src)
	if err != nil {
		return nil, fmt.Errorf("cifar10: %s: %w", name, err)
	}
	rec := 1 + 3*h*w
	if len(buf) == 0 || len(buf)%rec != 0 {
		want := (len(buf)/rec + 1) * rec // the next whole number of records
		if h == 32 && w == 32 {
			want = cifar10BatchRecords * rec // a full batch of the official files
		}
		return nil, fmt.Errorf("cifar10: %s: size %d is not a multiple of %d bytes (want %d)", name, len(buf), rec, want)
	}
	n := len(buf) / rec
	d := &Dataset{Name: "cifar10", N: n, C: 3, H: h, W: w,
		Pixels: make([]uint8, n*(rec-1)), Labels: make([]uint8, n), Classes: CIFAR10Classes}
	for i := range n {
		r := buf[i*rec : (i+1)*rec]
		if r[0] >= 10 {
			return nil, fmt.Errorf("cifar10: %s: record %d (offset %d) has label %d, want 0..9", name, i, i*rec, r[0])
		}
		d.Labels[i] = r[0]
		copy(d.Pixels[i*(rec-1):], r[1:])
	}
	return d, nil
}

// LoadCIFAR10 reads the CIFAR-10 binary version from dir (cifar-10-batches-bin): for train every
// data_batch_*.bin in name order (the official set has 1..5; fewer are fine), else test_batch.bin.
// Class names come from batches.meta.txt when present.
func LoadCIFAR10(dir string, train bool) (*Dataset, error) {
	files := []string{filepath.Join(dir, "test_batch.bin")}
	if train {
		var err error
		files, err = filepath.Glob(filepath.Join(dir, "data_batch_*.bin"))
		if err != nil {
			return nil, fmt.Errorf("cifar10: %s: %w", dir, err)
		}
		sort.Strings(files)
		if len(files) == 0 {
			return nil, fmt.Errorf("cifar10: no data_batch_*.bin files in %s", dir)
		}
	}
	var all *Dataset
	for _, path := range files {
		d, err := readCIFAR10File(path)
		if err != nil {
			return nil, err
		}
		if all == nil {
			all = d
			continue
		}
		all.N += d.N
		all.Pixels = append(all.Pixels, d.Pixels...)
		all.Labels = append(all.Labels, d.Labels...)
	}
	classes, err := readClassNames(filepath.Join(dir, "batches.meta.txt"), 10)
	if err != nil {
		return nil, err
	}
	if classes != nil {
		all.Classes = classes
	}
	return all, nil
}

func readCIFAR10File(path string) (*Dataset, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cifar10: %w", err)
	}
	defer f.Close()
	return ReadCIFAR10Records(f, path, 32, 32)
}

// readClassNames reads one class name per non-empty line; a missing file returns nil, nil.
func readClassNames(path string, want int) ([]string, error) {
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cifar10: %w", err)
	}
	return parseClassNames(b, path, want)
}

// parseClassNames reads batches.meta.txt: one class name a line, blank lines
// and surrounding white space ignored, exactly want names. Names are printed
// and drawn, so they must be UTF-8 without control characters (no terminal
// escapes). path is for errors.
func parseClassNames(b []byte, path string, want int) ([]string, error) {
	var names []string
	for i, line := range strings.Split(string(b), "\n") {
		s := strings.TrimSpace(line)
		if s == "" {
			continue
		}
		if !utf8.ValidString(s) || strings.ContainsFunc(s, unicode.IsControl) {
			return nil, fmt.Errorf("cifar10: %s line %d: %q is not a class name (control characters or invalid UTF-8)", path, i+1, s)
		}
		names = append(names, s)
	}
	if len(names) != want {
		return nil, fmt.Errorf("cifar10: %s: %d class names, want %d", path, len(names), want)
	}
	return names, nil
}

// DefaultDir returns the first existing directory where the named data set is usually found, or "".
// cifar10: $NAS_CIFAR10, ./data/cifar-10-batches-bin, ../shared/data/cifar-10-batches-bin;
// fashion-mnist: /usr/share/datasets/fashion-mnist (Debian package dataset-fashion-mnist);
// mnist: $NAS_MNIST, ./data/mnist.
func DefaultDir(name string) string {
	var dirs []string
	switch name {
	case "cifar10":
		dirs = []string{os.Getenv("NAS_CIFAR10"), "data/cifar-10-batches-bin", "../shared/data/cifar-10-batches-bin"}
	case "fashion-mnist":
		dirs = []string{os.Getenv("NAS_FASHION_MNIST"), FashionMNISTDir}
	case "mnist":
		dirs = []string{os.Getenv("NAS_MNIST"), "data/mnist"}
	}
	for _, d := range dirs {
		if st, err := os.Stat(d); d != "" && err == nil && st.IsDir() {
			return d
		}
	}
	return ""
}
