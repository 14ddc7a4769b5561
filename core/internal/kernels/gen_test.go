//go:build !js && !wasip1

package kernels

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"
)

// The generated row-block correlations (corrrows_amd64.s and .go) are what
// their generator writes today: edit internal/gencorrrows, then go generate.
// (Not built for js and wasip1, which cannot start the go command.)
func TestCorrRowsGenerated(t *testing.T) {
	for set, files := range map[string][2]string{
		"avx512": {"corrrows_amd64.s", "corrrows_amd64.go"},
		"avx2":   {"corrrows2_amd64.s", "corrrows2_amd64.go"},
	} {
		dir := t.TempDir()
		s, g := filepath.Join(dir, "corrrows.s"), filepath.Join(dir, "corrrows.go")
		cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "run", "./internal/gencorrrows", "-set", set, s, g)
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s", out)
		for gen, file := range map[string]string{s: files[0], g: files[1]} {
			want, err := os.ReadFile(gen)
			require.NoError(t, err)
			have, err := os.ReadFile(file)
			require.NoError(t, err)
			require.True(t, string(want) == string(have), "%s is stale: go generate ./core/internal/kernels", file)
		}
	}
}
