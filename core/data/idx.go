package data

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
)

// IDX magic numbers: two zero bytes, type 0x08 (unsigned byte), number of dimensions.
const (
	idxImagesMagic = 0x00000803 // ubyte, 3 dims: N, H, W
	idxLabelsMagic = 0x00000801 // ubyte, 1 dim: N
)

// FashionMNISTDir is where the Debian package dataset-fashion-mnist installs the gzipped IDX files.
const FashionMNISTDir = "/usr/share/datasets/fashion-mnist"

// FashionMNISTClasses are the Fashion-MNIST class names in label order (Xiao, Rasul, Vollgraf 2017).
var FashionMNISTClasses = []string{"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"}

// MNISTClasses are the MNIST class names (the digits) in label order.
var MNISTClasses = []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}

// ReadIDX decodes an IDX image file (magic 0x00000803, dims N×H×W) and an IDX label file (magic 0x00000801,
// dim N), each gzipped or not, into a one-channel Dataset. The names are used in errors only.
// Magic numbers, dimensions, matching counts and exact lengths are checked. Classes are named "0".."K-1"
// for labels up to K-1.
func ReadIDX(images, labels io.Reader, imagesName, labelsName string) (*Dataset, error) {
	dims, pix, err := readIDXFile(images, imagesName, idxImagesMagic)
	if err != nil {
		return nil, err
	}
	ldims, lab, err := readIDXFile(labels, labelsName, idxLabelsMagic)
	if err != nil {
		return nil, err
	}
	if dims[0] != ldims[0] {
		return nil, fmt.Errorf("idx: %s has %d images but %s has %d labels", imagesName, dims[0], labelsName, ldims[0])
	}
	d := &Dataset{N: dims[0], C: 1, H: dims[1], W: dims[2], Pixels: pix, Labels: lab}
	k := 0
	for _, l := range lab {
		k = max(k, int(l)+1)
	}
	for i := range k {
		d.Classes = append(d.Classes, strconv.Itoa(i))
	}
	return d, nil
}

// readIDXFile reads one IDX file with the given magic and returns its dimensions and payload.
func readIDXFile(r io.Reader, name string, magic uint32) ([]int, []uint8, error) {
	src, closeFn, err := maybeGunzip(r)
	if err != nil {
		return nil, nil, fmt.Errorf("idx: %s: %w", name, err)
	}
	defer closeFn()
	ndim := int(magic & 0xff)
	hdr := make([]byte, 4+4*ndim)
	if n, err := io.ReadFull(src, hdr[:4]); err != nil {
		return nil, nil, fmt.Errorf("idx: %s: size %d, shorter than the 4-byte magic", name, n)
	}
	if got := binary.BigEndian.Uint32(hdr); got != magic {
		return nil, nil, fmt.Errorf("idx: %s: magic 0x%08x, want 0x%08x", name, got, magic)
	}
	if n, err := io.ReadFull(src, hdr[4:]); err != nil {
		return nil, nil, fmt.Errorf("idx: %s: size %d, shorter than the %d-byte header", name, 4+n, len(hdr))
	}
	dims := make([]int, ndim)
	size := uint64(1)
	for i := range dims {
		v := binary.BigEndian.Uint32(hdr[4+4*i:])
		dims[i] = int(v)
		size *= uint64(v)
		if v == 0 || size > 1<<32 {
			return nil, nil, fmt.Errorf("idx: %s: dimension %d is %d, want 1..2^32 bytes in all", name, i, v)
		}
	}
	want := uint64(len(hdr)) + size
	payload, err := io.ReadAll(io.LimitReader(src, int64(size)+1))
	if err != nil {
		return nil, nil, fmt.Errorf("idx: %s: %w", name, err)
	}
	if got := uint64(len(hdr)) + uint64(len(payload)); got != want {
		more := ""
		if got > want {
			more = " or more"
		}
		return nil, nil, fmt.Errorf("idx: %s: size %d%s, want %d (header %d + %v bytes)", name, got, more, want, len(hdr), dims)
	}
	return dims, payload, nil
}

// maybeGunzip returns r, decompressed if it starts with the gzip magic 1f 8b.
func maybeGunzip(r io.Reader) (io.Reader, func(), error) {
	br := bufio.NewReader(r)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, nil, err
		}
		return zr, func() { zr.Close() }, nil
	}
	return br, func() {}, nil
}

// LoadIDX reads an IDX image file and label file (gzipped or not) from disk; see ReadIDX.
func LoadIDX(imagesPath, labelsPath string) (*Dataset, error) {
	fi, err := os.Open(imagesPath)
	if err != nil {
		return nil, fmt.Errorf("idx: %w", err)
	}
	defer fi.Close()
	fl, err := os.Open(labelsPath)
	if err != nil {
		return nil, fmt.Errorf("idx: %w", err)
	}
	defer fl.Close()
	return ReadIDX(fi, fl, imagesPath, labelsPath)
}

// LoadMNIST reads MNIST from dir: train-images-idx3-ubyte and train-labels-idx1-ubyte (or t10k-… for test),
// each optionally with a .gz suffix.
func LoadMNIST(dir string, train bool) (*Dataset, error) {
	return loadIDXDir("mnist", dir, train, MNISTClasses)
}

// LoadFashionMNIST reads Fashion-MNIST from dir (FashionMNISTDir if dir is ""), with the MNIST file names.
func LoadFashionMNIST(dir string, train bool) (*Dataset, error) {
	if dir == "" {
		dir = FashionMNISTDir
	}
	return loadIDXDir("fashion-mnist", dir, train, FashionMNISTClasses)
}

func loadIDXDir(name, dir string, train bool, classes []string) (*Dataset, error) {
	prefix := "t10k"
	if train {
		prefix = "train"
	}
	find := func(base string) (string, error) {
		for _, p := range []string{base, base + ".gz"} {
			if _, err := os.Stat(filepath.Join(dir, p)); err == nil {
				return filepath.Join(dir, p), nil
			}
		}
		return "", fmt.Errorf("%s: neither %s nor %s.gz in %s", name, base, base, dir)
	}
	ip, err := find(prefix + "-images-idx3-ubyte")
	if err != nil {
		return nil, err
	}
	lp, err := find(prefix + "-labels-idx1-ubyte")
	if err != nil {
		return nil, err
	}
	d, err := LoadIDX(ip, lp)
	if err != nil {
		return nil, err
	}
	if len(d.Classes) > len(classes) {
		return nil, fmt.Errorf("%s: %s has label %d, want 0..%d", name, lp, len(d.Classes)-1, len(classes)-1)
	}
	d.Name, d.Classes = name, classes
	return d, nil
}
