//go:build !(js && wasm)

package demo

import _ "embed"

//go:embed cifar10_16_test.bin.gz
var testGz []byte
