// Package fsutil writes output files the way every `nas` command must: to a
// temporary file in the same folder, synced, then renamed over the target, so
// an interrupted run never leaves a half-written file behind (core/state's
// WriteFile, which also removes the temporary files of killed writers).
package fsutil

import (
	"io"

	"github.com/nasplayground/nas/core/state"
)

// WriteFile atomically replaces path with data.
func WriteFile(path string, data []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// Write atomically replaces path with what fill writes.
func Write(path string, fill func(w io.Writer) error) error { return state.WriteFile(path, fill) }
