//go:build !js

package e2e

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The browser's lifecycle as TestPage uses it: when the allocator's cancel
// returns, Chromium has exited and its profile folder is gone, so nothing is
// left writing into a folder that a test cleanup removes (the flake "unlinkat
// …/Default: directory not empty" came from a t.TempDir() profile removed
// while Chromium still wrote to it).
func TestBrowserExitsBeforeProfileRemoval(t *testing.T) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium not installed: skipping the browser test")
	}
	if testing.Short() {
		t.Skip("-short: skipping the browser test")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	actx, acancel := chromedp.NewExecAllocator(ctx, chromedp.ExecPath(chromium),
		chromedp.Flag("headless", "new"), chromedp.NoSandbox, chromedp.NoFirstRun)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()
	require.NoError(t, chromedp.Do(bctx, chromedp.Navigate("about:blank")))

	proc := chromedp.FromContext(bctx).Browser.Process()
	require.NotNil(t, proc)
	cmdline, err := os.ReadFile("/proc/" + strconv.Itoa(proc.Pid) + "/cmdline")
	if err != nil {
		t.Skip("no /proc here: cannot find the profile folder")
	}
	var profile string
	for arg := range bytes.SplitSeq(cmdline, []byte{0}) {
		if s, ok := strings.CutPrefix(string(arg), "--user-data-dir="); ok {
			profile = s
		}
	}
	require.NotEmpty(t, profile, "chromium runs with a --user-data-dir")
	_, err = os.Stat(profile)
	require.NoError(t, err, "the profile exists while the browser runs")

	bcancel()
	acancel() // what TestPage's deferred acancel does
	assert.ErrorIs(t, proc.Signal(syscall.Signal(0)), os.ErrProcessDone, "chromium still runs after the allocator's cancel")
	_, err = os.Stat(profile)
	assert.True(t, os.IsNotExist(err), "profile %s still there after the allocator's cancel", profile)
}

// No browser test gives Chromium a profile folder of its own (UserDataDir):
// a folder the test owns is removed by its cleanup whether or not Chromium
// has finished writing to it. TestBrowserExitsBeforeProfileRemoval shows that
// chromedp's own folder is gone, with the browser, when acancel returns.
func TestNoTestOwnedBrowserProfile(t *testing.T) {
	files, err := filepath.Glob("*_test.go")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		for i, line := range strings.Split(string(b), "\n") {
			code, _, _ := strings.Cut(line, "//")
			assert.NotContains(t, code, "chromedp."+"UserDataDir(", "%s:%d", f, i+1) // split: this line must not match itself
		}
	}
}

// chromiumFlags are the exec allocator options of every page test: headless
// Chromium drawing WebGL through SwiftShader, no network chatter, no throttling
// of a page in the background, and no UserDataDir — chromedp makes the profile
// folder itself and removes it only after the browser and the children still
// using it have exited (a t.TempDir() profile was removed by the test's cleanup
// while Chromium still wrote it: "unlinkat …/Default: directory not empty"
// failed a passing run under load).
func chromiumFlags(chromium string) []chromedp.ExecAllocatorOption {
	return []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium),
		chromedp.Flag("headless", "new"), chromedp.NoSandbox,
		chromedp.Flag("use-angle", "swiftshader"), chromedp.Flag("enable-unsafe-swiftshader", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.NoFirstRun, chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-timer-throttling", true), chromedp.Flag("disable-renderer-backgrounding", true),
	}
}
