package demo

import (
	"bytes"
	_ "embed"
	"errors"
	"strings"

	"github.com/nasplayground/nas/core/data"
)

var (
	//go:embed cifar10_16_train.bin.gz
	trainGz []byte
	//go:embed batches.meta.txt
	meta string
)

func init() {
	data.Register("demo", func(train bool) (*data.Dataset, error) {
		if train {
			return Train()
		}
		return Test()
	})
}

// Train returns the 2,000 demo training images (200 per class, 100 per class in each half, so
// Split(data.DefaultPortion) gives balanced w-train and α-val sets). Each call decodes a fresh copy.
func Train() (*data.Dataset, error) { return decode(trainGz, data.DemoTrainFile) }

// Test returns the 500 demo test images (50 per class). Each call decodes a fresh copy.
// The page's engine (js/wasm) trains on the training split only and leaves the
// test split out of its binary (374 KB less to download): there Test fails.
func Test() (*data.Dataset, error) {
	if testGz == nil {
		return nil, errors.New("demo: the test split is not in js/wasm builds (the page uses the training split only)")
	}
	return decode(testGz, data.DemoTestFile)
}

func decode(gz []byte, name string) (*data.Dataset, error) {
	d, err := data.ReadCIFAR10Records(bytes.NewReader(gz), "demo/"+name, data.DemoSize, data.DemoSize)
	if err != nil {
		return nil, err
	}
	d.Name = "demo"
	d.Classes = strings.Fields(meta)
	return d, nil
}
