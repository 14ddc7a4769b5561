package protocol_test

import (
	"encoding/json"
	"math"
	"reflect"
	"slices"
	"testing"

	"github.com/nasplayground/nas/wasm/protocol"
)

// FuzzParseParams: the page's URL query never panics the parser; what it
// accepts has a known scene, method and language, an order of 1 or 2, finite
// rates in range, and Query writes it back to a query that parses to the same
// Params.
func FuzzParseParams(f *testing.F) {
	for _, q := range []string{"", "?scene=rl&method=enas&rate=40", "scene=darts&order=2&seed=3&lang=ko",
		"lr=0.1&arch_lr=0.001&ctrl_lr=0.003&rate=2.5", "replay=replays/a%20b.jsonl&rate=400",
		"replay=x&scene=darts", "lr=NaN", "rate=Inf", "seed=18446744073709551615", "%zz", "scene=compare&lr=1e-300"} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		p, err := protocol.ParseParams(q)
		if err != nil {
			return
		}
		if !slices.Contains(protocol.Scenes, p.Scene) || !slices.Contains(protocol.RLMethods, p.Method) || (p.Lang != "en" && p.Lang != "ko") {
			t.Fatalf("accepted scene %q method %q lang %q", p.Scene, p.Method, p.Lang)
		}
		if p.Order != 1 && p.Order != 2 {
			t.Fatalf("accepted order %d", p.Order)
		}
		for _, v := range []float64{p.LR, p.ArchLR, p.CtrlLR, p.Rate} {
			if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v > 1e6 {
				t.Fatalf("accepted rate %v from %q", v, q)
			}
		}
		back, err := protocol.ParseParams(p.Query())
		if err != nil || !reflect.DeepEqual(p, back) {
			t.Fatalf("round trip of %q via %q: %v\n%+v\n%+v", q, p.Query(), err, p, back)
		}
	})
}

// FuzzDecodeCommand: a message from the UI never panics the engine's decoder;
// what it accepts is a known command with a finite rate >= 0, and encodes back
// to a message that decodes to the same Command; it asks for the same run as
// itself at any other rate or keep, and for another run with another seed.
func FuzzDecodeCommand(f *testing.F) {
	for _, m := range []string{`{"cmd":"start","scene":"darts","seed":3,"lr":0.025,"arch_lr":0.003,"rate":0,"order":2}`,
		`{"cmd":"rate","rate":12.5}`, `{"cmd":"pause"}`, `{"cmd":"bogus"}`, `{"cmd":"rate","rate":-1}`,
		`{"cmd":"step"}garbage`, `{"cmd":"start","repeats":3,"samples":100,"method":"compare","space":"nb201"}`,
		`{"cmd":"start","seed":-1}`, `{"cmd":"rate","rate":1e999}`, `[]`, `null`,
		`{"cmd":"start","scene":"darts","method":"darts","seed":1,"keep":true}`, `{"cmd":"start","keep":"yes"}`} {
		f.Add([]byte(m))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := protocol.DecodeCommand(b)
		if err != nil {
			return
		}
		switch c.Cmd {
		case protocol.CmdStart, protocol.CmdPause, protocol.CmdResume, protocol.CmdStep, protocol.CmdReset, protocol.CmdRate:
		default:
			t.Fatalf("accepted cmd %q", c.Cmd)
		}
		if !(c.Rate >= 0) || math.IsInf(c.Rate, 0) {
			t.Fatalf("accepted rate %v", c.Rate)
		}
		re, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		back, err := protocol.DecodeCommand(re)
		if err != nil || !reflect.DeepEqual(c, back) {
			t.Fatalf("round trip via %s: %v\n%+v\n%+v", re, err, c, back)
		}
		other := c
		other.Cmd, other.Rate, other.Keep = protocol.CmdStart, c.Rate+1, !c.Keep
		if !protocol.SameRun(c, c) || !protocol.SameRun(c, other) {
			t.Fatalf("%+v is not the same run as itself at rate %g, keep %v", c, other.Rate, other.Keep)
		}
		other.Seed++
		if protocol.SameRun(c, other) {
			t.Fatalf("%+v is the same run as with seed %d", c, other.Seed)
		}
	})
}
