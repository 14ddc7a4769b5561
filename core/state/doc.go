// Package state is how step machines save themselves: the one checkpoint
// format (a header line with kind, format version, payload length and
// CRC32C, then a gob payload), written atomically by WriteFile, and the
// copy/restore/finiteness helpers for parameter tensors. It is shared by
// core/train, core/search/... and core/run, so none of them imports another
// for it. Imports: autograd, tensor and the standard library.
package state
