//go:build !js

package core_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestCoreHasNoUIDependencies keeps Ebiten (and any cgo) out of core: the
// engine must build for the browser's worker, where Ebiten panics at init.
func TestCoreHasNoUIDependencies(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not on PATH; cannot list dependencies")
	}
	out, err := exec.Command(goBin, "list", "-deps", "./...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps ./...: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.Contains(dep, "ebiten") || dep == "runtime/cgo" {
			t.Errorf("core depends on %s", dep)
		}
	}
}
