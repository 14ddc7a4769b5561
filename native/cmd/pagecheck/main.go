// Command pagecheck opens a page of NAS Playground in headless Chromium and
// waits until a JavaScript expression holds, e.g. that a lecture step's
// widget has its data:
//
//	pagecheck -url 'http://localhost:8080/?scene=lecture&step=6' \
//	    -until 'window.nas.lecture && window.nas.lecture.ready' -shot step6.png
//
// It exits 0 when the expression became true (printing the seconds it took
// and, with -print, the value of an expression then), 1 when it did not
// within -timeout or the browser failed, 2 on a bad flag; each failure is one
// line on stderr. It needs Chromium (`apt-get install -y chromium`; -chromium
// or $CHROMIUM names another binary).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// options are pagecheck's flags, checked.
type options struct {
	url, until, print, shot, chromium string
	timeout                           time.Duration
	w, h                              int64
}

// parse reads and checks the flags; the error is one line naming the flag.
func parse(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("pagecheck", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.url, "url", "", "page to open (http or https)")
	fs.StringVar(&o.until, "until", "window.nas && window.nas.frames > 0", "JavaScript expression to wait for (truthy)")
	fs.StringVar(&o.print, "print", "", "JavaScript expression whose JSON value is printed once -until holds")
	fs.StringVar(&o.shot, "shot", "", "write a PNG screenshot here once -until holds (temp file, then rename)")
	fs.StringVar(&o.chromium, "chromium", os.Getenv("CHROMIUM"), "Chromium binary (default: chromium, chromium-browser or google-chrome on $PATH)")
	fs.DurationVar(&o.timeout, "timeout", 3*time.Minute, "give up after this long")
	size := fs.String("size", "1280x720", "viewport, WxH")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stderr)
			fs.PrintDefaults()
		}
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q (flags only)", fs.Arg(0))
	}
	u, err := url.Parse(o.url)
	if o.url == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return o, fmt.Errorf("-url %q: want an http(s) URL, e.g. http://localhost:8080/?scene=lecture&step=1", o.url)
	}
	if strings.TrimSpace(o.until) == "" {
		return o, errors.New("-until: empty expression")
	}
	if o.timeout <= 0 {
		return o, fmt.Errorf("-timeout %v: want > 0", o.timeout)
	}
	w, h, ok := strings.Cut(*size, "x")
	var err2 error
	o.w, err = strconv.ParseInt(w, 10, 64)
	o.h, err2 = strconv.ParseInt(h, 10, 64)
	if !ok || err != nil || err2 != nil || o.w < 100 || o.h < 100 || o.w > 8192 || o.h > 8192 {
		return o, fmt.Errorf("-size %q: want WxH in pixels, 100..8192 each, e.g. 1920x1080", *size)
	}
	if o.chromium == "" {
		for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
			if p, err := exec.LookPath(name); err == nil {
				o.chromium = p
				break
			}
		}
		if o.chromium == "" {
			return o, errors.New("-chromium: no chromium, chromium-browser or google-chrome on $PATH (apt-get install -y chromium)")
		}
	}
	return o, nil
}

func run(args []string, stdout, stderr io.Writer) int {
	o, err := parse(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "pagecheck: %v\n", err)
		return 2
	}
	if err := check(o, stdout); err != nil {
		fmt.Fprintf(stderr, "pagecheck: %s: %v\n", o.url, err)
		return 1
	}
	return 0
}

// check opens the page and waits for o.until.
func check(o options, stdout io.Writer) error {
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout+30*time.Second) // browser start and shutdown on top
	defer cancel()
	actx, acancel := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(o.chromium),
		chromedp.Flag("headless", "new"), chromedp.NoSandbox,
		chromedp.Flag("use-angle", "swiftshader"), chromedp.Flag("enable-unsafe-swiftshader", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.NoFirstRun, chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-timer-throttling", true), chromedp.Flag("disable-renderer-backgrounding", true))
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()
	start := time.Now()
	if err := chromedp.Do(bctx, chromedp.EmulateViewport(o.w, o.h), chromedp.Navigate(o.url)); err != nil {
		return fmt.Errorf("opening: %w", err)
	}
	expr := "!!(" + o.until + ")"
	for {
		ok, err := chromedp.Run(bctx, chromedp.Evaluate[bool](expr))
		_ = err // a page still loading throws (window.nas undefined): keep waiting
		if ok {
			break
		}
		if time.Since(start) > o.timeout {
			msg, _ := chromedp.Run(bctx, chromedp.Evaluate[string](`String((window.nas && window.nas.message) || "")`))
			if msg != "" {
				return fmt.Errorf("%q not true after %v; the page says %q", o.until, o.timeout, msg)
			}
			return fmt.Errorf("%q not true after %v", o.until, o.timeout)
		}
		time.Sleep(250 * time.Millisecond)
	}
	fmt.Fprintf(stdout, "ok after %.1f s: %s\n", time.Since(start).Seconds(), o.until)
	if o.print != "" {
		v, err := chromedp.Run(bctx, chromedp.Evaluate[string]("JSON.stringify("+o.print+")"))
		if err != nil {
			return fmt.Errorf("-print %q: %w", o.print, err)
		}
		fmt.Fprintln(stdout, v)
	}
	if o.shot != "" {
		b, err := chromedp.Run(bctx, chromedp.CaptureScreenshot())
		if err != nil {
			return fmt.Errorf("screenshot: %w", err)
		}
		tmp, err := os.CreateTemp(filepath.Dir(o.shot), ".pagecheck-*.png")
		if err != nil {
			return fmt.Errorf("-shot: %w", err)
		}
		_, werr := tmp.Write(b)
		cerr := tmp.Close()
		if err := errors.Join(werr, cerr); err != nil {
			os.Remove(tmp.Name())
			return fmt.Errorf("-shot: %w", err)
		}
		if err := os.Rename(tmp.Name(), o.shot); err != nil {
			os.Remove(tmp.Name())
			return fmt.Errorf("-shot: %w", err)
		}
	}
	return nil
}
