package protocol_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/search"
	"github.com/nasplayground/nas/wasm/protocol"
)

func TestParseParams(t *testing.T) {
	d := protocol.DefaultParams()
	tests := []struct {
		name  string
		query string
		want  func(p *protocol.Params)
		err   string
	}{
		{"empty gives defaults", "", func(p *protocol.Params) {}, ""},
		{"lecturer preset", "?scene=darts&order=2&seed=3&lang=ko", func(p *protocol.Params) { p.Order, p.Seed, p.Lang = 2, 3, "ko" }, ""},
		{"rl method", "scene=rl&method=evolution", func(p *protocol.Params) { p.Scene, p.Method = "rl", "evolution" }, ""},
		{"replay implies scene", "replay=runs%2Fevents.jsonl", func(p *protocol.Params) { p.Scene, p.Replay = "replay", "runs/events.jsonl" }, ""},
		{"rates", "lr=0.1&arch_lr=0.001&ctrl_lr=0.003&rate=2.5", func(p *protocol.Params) { p.LR, p.ArchLR, p.CtrlLR, p.Rate = 0.1, 0.001, 0.003, 2.5 }, ""},
		{"enas", "scene=rl&method=enas", func(p *protocol.Params) { p.Scene, p.Method = "rl", "enas" }, ""},
		{"lecture step", "scene=lecture&step=5&lang=ko", func(p *protocol.Params) { p.Scene, p.Step, p.Lang = "lecture", 5, "ko" }, ""},
		{"quick cell", "nodes=3&size=8&arch_lr=0.03", func(p *protocol.Params) { p.Nodes, p.Size, p.ArchLR = 3, 8, 0.03 }, ""},
		{"settling cell", "nodes=3&size=8&batch=32&epochs=20&arch_lr=0.03", func(p *protocol.Params) { p.Nodes, p.Size, p.Batch, p.Epochs, p.ArchLR = 3, 8, 32, 20, 0.03 }, ""},
		{"bad nodes", "nodes=5", nil, `nodes="5"`},
		{"bad batch", "batch=128", nil, `batch="128", want an integer in 8..64`},
		{"bad epochs", "epochs=0", nil, `epochs="0", want an integer in 1..200`},
		{"bad size", "size=12", nil, `size=12, want 8 or 16`},
		{"bad lecture step", "scene=lecture&step=9", nil, `step="9", want an integer in 1..8`},
		{"bad ctrl_lr", "ctrl_lr=0", nil, `ctrl_lr="0"`},
		{"bad scene", "scene=cnn", nil, `scene="cnn"`},
		{"bad order", "order=3", nil, `order="3"`},
		{"bad seed", "seed=-1", nil, `seed="-1"`},
		{"bad lang", "lang=fr", nil, `lang="fr"`},
		{"bad rate", "rate=-2", nil, `rate="-2"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := protocol.ParseParams(tc.query)
			if tc.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.err)
				return
			}
			require.NoError(t, err)
			want := d
			tc.want(&want)
			assert.Equal(t, want, got)
			back, err := protocol.ParseParams(got.Query())
			require.NoError(t, err)
			assert.Equal(t, got, back, "Query round-trips")
		})
	}
}

func TestDecodeCommand(t *testing.T) {
	c, err := protocol.DecodeCommand([]byte(`{"cmd":"start","scene":"rl","method":"reinforce","seed":7,"rate":8}`))
	require.NoError(t, err)
	assert.Equal(t, protocol.Command{Cmd: "start", Scene: "rl", Method: "reinforce", Seed: 7, Rate: 8}, c)
	_, err = protocol.DecodeCommand([]byte(`{"cmd":"start","batch":4}`))
	assert.ErrorContains(t, err, "batch 4, want 8..64")
	_, err = protocol.DecodeCommand([]byte(`{"cmd":"start","epochs":500}`))
	assert.ErrorContains(t, err, "epochs 500, want 1..200")
	c, err = protocol.DecodeCommand([]byte(`{"cmd":"sync","seq":12}`))
	require.NoError(t, err)
	assert.Equal(t, protocol.Command{Cmd: "sync", Seq: 12}, c)
	b, err := json.Marshal(protocol.Command{Cmd: "start", Scene: "darts", Keep: true, Seq: 3})
	require.NoError(t, err)
	assert.Equal(t, `{"cmd":"start","scene":"darts","keep":true,"seq":3}`, string(b), "seq is the last field: coordinator.js strips it to compare starts")
	_, err = protocol.DecodeCommand([]byte(`{"cmd":"jump"}`))
	assert.ErrorContains(t, err, `"jump": unknown cmd`)
	_, err = protocol.DecodeCommand([]byte(`{"cmd":`))
	assert.ErrorContains(t, err, "protocol: command")
}

// fakeClock advances by tick on every reading, so a step "costs" one tick.
type fakeClock struct {
	t    time.Time
	tick time.Duration
}

func (c *fakeClock) now() time.Time { c.t = c.t.Add(c.tick); return c.t }

func TestPacer(t *testing.T) {
	tests := []struct {
		name      string
		rate      float64
		wantSteps int // in the first slice
		wantWait  time.Duration
	}{
		{"unlimited: the 10 ms budget, each step reads the clock once", 0, 10, 0},
		{"rate 100/s: one step now, the next in 10 ms", 100, 1, 10 * time.Millisecond},
		{"rate 1000/s: one step per ms of clock", 1000, 1, time.Millisecond},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clk := &fakeClock{t: time.Unix(0, 0), tick: time.Millisecond}
			p := protocol.NewPacer()
			p.Now = clk.now
			p.SetRate(tc.rate)
			n := 0
			step := func() (search.Event, error) { n++; return search.Event{Step: n, Images: 64}, nil }
			post, wait, err := p.Slice(step, func() bool { return false })
			require.NoError(t, err)
			assert.False(t, post)
			assert.Equal(t, tc.wantSteps, n)
			assert.Equal(t, tc.wantWait, wait)
			for !post {
				post, _, err = p.Slice(step, func() bool { return false })
				require.NoError(t, err)
			}
			evs, dropped := p.Flush()
			assert.Equal(t, n, len(evs))
			assert.Zero(t, dropped)
			sps, ips := p.Rates()
			assert.Greater(t, sps, 0.0)
			assert.InDelta(t, 64*sps, ips, 1e-9)
			if tc.rate > 0 {
				assert.LessOrEqual(t, sps, tc.rate*1.5, "rate limit holds")
			}
		})
	}
}

func TestPacerStopsOnErrorAndDone(t *testing.T) {
	p := protocol.NewPacer()
	_, _, err := p.Slice(func() (search.Event, error) { return search.Event{}, errors.New("boom") }, func() bool { return false })
	assert.EqualError(t, err, "boom")
	calls := 0
	_, _, err = p.Slice(func() (search.Event, error) { calls++; return search.Event{}, nil }, func() bool { return true })
	require.NoError(t, err)
	assert.Zero(t, calls)
}

func TestPacerBoundsEvents(t *testing.T) {
	p := protocol.NewPacer()
	for i := range protocol.MaxEvents + 10 {
		p.Add(search.Event{Step: i + 1})
	}
	evs, dropped := p.Flush()
	require.Len(t, evs, protocol.MaxEvents)
	assert.Equal(t, 10, dropped)
	assert.Equal(t, 11, evs[0].Step, "oldest dropped first")
}

func TestStepLadder(t *testing.T) {
	l := protocol.Ladders["arch_lr"]
	tests := []struct {
		name string
		v    float64
		dir  int
		want float64
	}{
		{"up from a rung", 3e-3, 1, 1e-2},
		{"down from a rung", 3e-3, -1, 1e-3},
		{"up from between rungs", 2e-3, 1, 3e-3},
		{"down from between rungs", 2e-3, -1, 1e-3},
		{"top stays", 3e-2, 1, 3e-2},
		{"bottom stays", 1e-4, -1, 1e-4},
		{"below the ladder steps onto it", 1e-6, 1, 1e-4},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, protocol.StepLadder(l, tc.v, tc.dir))
		})
	}
	d := protocol.DefaultParams()
	for key, v := range map[string]float64{"lr": d.LR, "arch_lr": d.ArchLR, "ctrl_lr": d.CtrlLR} {
		assert.Contains(t, protocol.Ladders[key], v, "the default %s is a rung", key)
	}
}

func TestControlsAndStart(t *testing.T) {
	assert.Equal(t, []string{"rate", "seed", "lr", "arch_lr"}, protocol.Controls("darts", "reinforce"))
	assert.Equal(t, []string{"rate", "seed", "lr", "ctrl_lr"}, protocol.Controls("rl", "enas"))
	assert.Equal(t, []string{"rate", "seed"}, protocol.Controls("rl", "random"))
	p := protocol.DefaultParams()
	p.Scene, p.Method = "rl", "enas"
	c := p.StartCommand()
	assert.Equal(t, protocol.Command{Cmd: "start", Scene: "rl", Method: "enas", Space: "darts", Seed: 1, LR: 0.025, CtrlLR: 3e-3, Rate: 8, Order: 1}, c)
	p.Method = "reinforce"
	c = p.StartCommand()
	assert.Zero(t, c.LR, "REINFORCE on the table trains no weights")
	assert.Equal(t, 3e-3, c.CtrlLR)
}

// A bad value is reported and left at its default, and every other key is
// still read (issue 10: an invalid value used to stop the parse, so lang=ko
// after it was dropped and the page came up in English).
func TestParseParamsReadsPastABadValue(t *testing.T) {
	got, err := protocol.ParseParams("?seed=x&scene=lecture&order=7&step=3&lang=ko")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `seed="x"`)
	assert.Contains(t, err.Error(), `order="7"`)
	assert.NotContains(t, err.Error(), "\n", "one line on the page")
	want := protocol.DefaultParams()
	want.Scene, want.Step, want.Lang = protocol.SceneLecture, 3, "ko"
	assert.Equal(t, want, got)

	got, err = protocol.ParseParams("%zz&lang=ko&scene=rl")
	require.Error(t, err, "a malformed pair")
	assert.Equal(t, "ko", got.Lang)
	assert.Equal(t, protocol.SceneRL, got.Scene)
}

// The live DARTS size reaches the engine only where it differs from the
// paper's cell (so the default start command stays as it was).
func TestStartCommandCellSize(t *testing.T) {
	p := protocol.DefaultParams()
	c := p.StartCommand()
	assert.Zero(t, c.Nodes)
	assert.Zero(t, c.Size)
	assert.Zero(t, c.Batch)
	assert.Zero(t, c.Epochs)
	p.Nodes, p.Size, p.Batch, p.Epochs = 3, 8, 32, 20
	c = p.StartCommand()
	assert.Equal(t, 3, c.Nodes)
	assert.Equal(t, 8, c.Size)
	assert.Equal(t, 32, c.Batch)
	assert.Equal(t, 20, c.Epochs)
	b, err := json.Marshal(c)
	require.NoError(t, err)
	back, err := protocol.DecodeCommand(b)
	require.NoError(t, err)
	assert.Equal(t, c, back)
	_, err = protocol.DecodeCommand([]byte(`{"cmd":"start","nodes":7}`))
	assert.ErrorContains(t, err, "nodes 7")
	_, err = protocol.DecodeCommand([]byte(`{"cmd":"start","size":32}`))
	assert.ErrorContains(t, err, "size 32")
}
