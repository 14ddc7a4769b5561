// Command nas is the NAS Playground command line: DARTS and the other searches,
// training of found cells, genotype tools, benchmarks and the demo page server.
// It holds no ML logic: flags become a config, core does the work.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"sort"
)

// exitUsage is the exit code for wrong flags and bad input, as documented.
const exitUsage = 2

// usageError marks an error that is the user's input (exit 2, one line).
type usageError struct{ error }

func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) error
}

var commands = map[string]command{}

func register(c command) { commands[c.name] = c }

func usage(w io.Writer) {
	fmt.Fprintln(w, "nas — Neural Architecture Search playground (DARTS, RL/ENAS, evolution, random, NAS-Bench-201)")
	fmt.Fprintln(w, "\nUsage: nas <command> [flags]   (nas <command> --help for its flags)\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
}

func main() {
	// A training step's working set is large and long-lived (the tape's pooled
	// buffers) while its garbage is small, so Go's default GOGC=100 lets the
	// heap drift up to twice the working set before collecting: measured as a
	// steady RSS climb of ~1 MB per step. A low target keeps memory flat at
	// little cost (the big buffers are pointer-free). GOGC in the environment wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(10)
	}
	os.Exit(execute(os.Args[1:], os.Stdout, os.Stderr))
}

func execute(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		if len(args) == 0 {
			return exitUsage
		}
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "nas: unknown command %q (see nas --help)\n", args[0])
		return exitUsage
	}
	err := c.run(args[1:], stdout, stderr)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	default:
		fmt.Fprintf(stderr, "nas %s: %v\n", c.name, err)
		var ue usageError
		if errors.As(err, &ue) {
			return exitUsage
		}
		var ie interruptedError
		if errors.As(err, &ie) {
			return exitInterrupted
		}
		var nf nonFiniteError
		if errors.As(err, &nf) {
			return exitNonFinite
		}
		return 1
	}
}

// newFlags returns a FlagSet that reports errors instead of exiting, so every
// wrong flag becomes a one-line error and exit code 2.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("nas "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported once, in one line, by run
	fs.Usage = func() {}
	helpOut[fs] = stderr
	return fs
}

// helpOut remembers where each FlagSet prints its --help text.
var helpOut = map[*flag.FlagSet]io.Writer{}

// parseFlags parses, turns flag errors into usage errors and checks the values.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			w := helpOut[fs]
			fmt.Fprintf(w, "Usage of %s:\n", fs.Name())
			fs.SetOutput(w)
			fs.PrintDefaults()
			return err
		}
		return usageError{fmt.Errorf("%v (see %s --help)", err, fs.Name())}
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	return checkFlags(fs) // flagcheck.go: finite, in range, fits in memory
}
