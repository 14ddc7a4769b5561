package data

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// Names lists the data sets Load knows.
var Names = []string{"cifar10", "fashion-mnist", "mnist", "demo"}

// Demo file names (16×16 CIFAR-10 records, gzipped) as written by assets/demo/gen.
const (
	DemoTrainFile = "cifar10_16_train.bin.gz"
	DemoTestFile  = "cifar10_16_test.bin.gz"
	DemoSize      = 16
)

var (
	registryMu sync.Mutex
	registry   = map[string]func(train bool) (*Dataset, error){}
)

// Register makes an in-memory data set available to Load under name when Load is given no dir.
// Package assets/demo registers "demo" (its embedded files) when it is imported.
func Register(name string, load func(train bool) (*Dataset, error)) {
	registryMu.Lock()
	defer registryMu.Unlock()
	registry[name] = load
}

// Load reads the named data set (one of Names) from dir.
// cifar10 and mnist need a dir (DefaultDir suggests one); fashion-mnist defaults to FashionMNISTDir;
// demo reads DemoTrainFile/DemoTestFile from dir, or with dir "" the set registered by package assets/demo.
func Load(name, dir string, train bool) (*Dataset, error) {
	switch name {
	case "cifar10", "mnist":
		if dir == "" {
			hint := ""
			if d := DefaultDir(name); d != "" {
				hint = " (found " + d + ")"
			}
			return nil, fmt.Errorf("data: %s needs a data directory (--data)%s", name, hint)
		}
		if name == "mnist" {
			return LoadMNIST(dir, train)
		}
		return LoadCIFAR10(dir, train)
	case "fashion-mnist":
		return LoadFashionMNIST(dir, train)
	case "demo":
		if dir == "" {
			registryMu.Lock()
			load := registry[name]
			registryMu.Unlock()
			if load == nil {
				return nil, fmt.Errorf("data: demo set not linked in: import github.com/nasplayground/nas/assets/demo or pass its directory")
			}
			return load(train)
		}
		return loadDemoDir(dir, train)
	}
	names := append([]string(nil), Names...)
	sort.Strings(names)
	return nil, fmt.Errorf("data: unknown data set %q, want one of %s", name, strings.Join(names, ", "))
}

func loadDemoDir(dir string, train bool) (*Dataset, error) {
	path := filepath.Join(dir, DemoTestFile)
	if train {
		path = filepath.Join(dir, DemoTrainFile)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	defer f.Close()
	d, err := ReadCIFAR10Records(f, path, DemoSize, DemoSize)
	if err != nil {
		return nil, err
	}
	d.Name = "demo"
	return d, nil
}
