package main

import "io"

// searchSampling runs the sampling strategies (RL controller, ENAS, evolution,
// random); wired in once core/search/{rl,evolution,random} land.
func searchSampling(f searchFlags, stdout, stderr io.Writer) error {
	return usagef("--method %s is not available in this build yet", f.method)
}
