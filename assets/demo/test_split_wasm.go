//go:build js && wasm

package demo

// testGz is left out of js/wasm builds: see Test.
var testGz []byte
