package protocol_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/wasm/protocol"
)

// builder numbers the runs it builds, so a test can tell which run a slot holds.
type builder struct{ n int }

func (b *builder) build(protocol.Command) (int, error) { b.n++; return b.n, nil }

// running returns Runs that started a run for each scene in turn, the last
// one current, and the builder that numbered them.
func running(t *testing.T, scenes ...string) (*protocol.Runs[int], *builder) {
	rs, b := &protocol.Runs[int]{}, &builder{}
	for _, sc := range scenes {
		_, _, _, err := rs.Start(start(sc, 1, false), b.build)
		require.NoError(t, err)
	}
	return rs, b
}

func start(scene string, seed uint64, keep bool) protocol.Command {
	p := protocol.DefaultParams()
	p.Scene, p.Seed = scene, seed
	c := p.StartCommand()
	c.Keep = keep
	return c
}

// DARTS runs, the page switches to RL and back: the DARTS run comes back (the
// same run, not a rebuilt one), parked while RL ran, and RL's run waits in
// its turn.
func TestRunsKeepEachScenesRun(t *testing.T) {
	var rs protocol.Runs[int]
	var b builder
	darts, parked, kept, err := rs.Start(start("darts", 1, false), b.build)
	require.NoError(t, err)
	assert.Nil(t, parked)
	assert.False(t, kept)
	assert.Equal(t, 1, darts.Run)
	assert.True(t, darts.Running, "a new run runs")

	rl, parked, kept, err := rs.Start(start("rl", 1, true), b.build)
	require.NoError(t, err)
	assert.False(t, kept, "rl had no run to keep")
	assert.Equal(t, 2, rl.Run)
	assert.Same(t, darts, parked)
	assert.False(t, darts.Running, "the parked run stops stepping")
	assert.Equal(t, "rl", rs.Scene())

	back, parked, kept, err := rs.Start(start("darts", 1, true), b.build)
	require.NoError(t, err)
	assert.True(t, kept)
	assert.Same(t, darts, back, "the DARTS scene's own run")
	assert.Equal(t, 1, back.Run)
	assert.Same(t, rl, parked)
	assert.False(t, back.Running, "kept as it was parked: the page resumes it")
	assert.Equal(t, 2, b.n, "nothing rebuilt")
	assert.Same(t, rl, rs.Get("rl"), "rl's run is kept too")
}

func TestRunsStartAnew(t *testing.T) {
	tests := []struct {
		name  string
		again protocol.Command
	}{
		{"start without keep (reset, a new setting)", start("darts", 1, false)},
		{"another seed", start("darts", 2, true)},
		{"another order", func() protocol.Command { c := start("darts", 1, true); c.Order = 2; return c }()},
		{"another α lr", func() protocol.Command { c := start("darts", 1, true); c.ArchLR = 1e-2; return c }()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rs, b := running(t, "darts", "rl")
			s, _, kept, err := rs.Start(tc.again, b.build)
			require.NoError(t, err)
			assert.False(t, kept)
			assert.Equal(t, 3, s.Run, "a new run")
			assert.True(t, s.Running)
			assert.Equal(t, tc.again.Seed, s.Cmd.Seed)
			assert.False(t, s.Cmd.Keep, "the slot records the run's definition, not how it was asked for")
		})
	}
}

// Reset drops the current scene's run only; a failed build leaves the scene
// without a run, and a later keep builds anew.
func TestRunsDropAndFailedBuild(t *testing.T) {
	rs, b := running(t, "rl", "darts")
	rs.Drop()
	assert.Nil(t, rs.Current())
	assert.Equal(t, 1, rs.Get("rl").Run)
	s, _, kept, err := rs.Start(start("darts", 1, true), b.build)
	require.NoError(t, err)
	assert.False(t, kept, "reset: nothing to keep")
	assert.Equal(t, 3, s.Run)

	boom := errors.New("boom")
	s, parked, _, err := rs.Start(start("compare", 1, true), func(protocol.Command) (int, error) { return 0, boom })
	assert.ErrorIs(t, err, boom)
	assert.Nil(t, s)
	assert.Equal(t, 3, parked.Run, "the DARTS run is parked even when the new scene's build fails")
	assert.Equal(t, "compare", rs.Scene())
	assert.Nil(t, rs.Current())
}

// The rate is not part of a run: a kept run takes the rate of the start that
// keeps it.
func TestRunsKeepTakesTheRate(t *testing.T) {
	rs, b := running(t, "rl", "darts")
	c := start("rl", 1, true)
	c.Rate = 40
	s, _, kept, err := rs.Start(c, b.build)
	require.NoError(t, err)
	assert.True(t, kept)
	assert.Equal(t, 40.0, s.Cmd.Rate)
	assert.Equal(t, 40.0, s.Pacer.Rate)
}

func TestSameRun(t *testing.T) {
	a := start("darts", 1, false)
	b := a
	b.Cmd, b.Rate, b.Keep, b.Seq = "", 99, true, 42
	assert.True(t, protocol.SameRun(a, b), "cmd, rate, keep and seq do not define a run")
	b = a
	b.Scene = "lecture"
	assert.False(t, protocol.SameRun(a, b), "the lecture's DARTS run is not the DARTS scene's")
	b = a
	b.LR = 0.1
	assert.False(t, protocol.SameRun(a, b))
}

// FuzzRuns drives Runs with a random sequence of starts (scene, seed, keep),
// resumes and resets, beside a plain model of what each scene's run should
// be, and checks after every operation: at most one run steps and it is the
// current scene's; a kept run is the very run the scene had; every scene's
// run is the one its last start or keep left.
func FuzzRuns(f *testing.F) {
	f.Add([]byte{0x10, 0x21, 0x12, 0x30, 0x11})
	f.Add([]byte{0x14, 0x40, 0x15, 0x30, 0x16, 0x14})
	f.Add([]byte{0x10, 0x50, 0x14, 0x22, 0x50, 0x23})
	scenes := []string{protocol.SceneDARTS, protocol.SceneRL, protocol.SceneCompare, protocol.SceneLecture}
	f.Fuzz(func(t *testing.T, ops []byte) {
		var rs protocol.Runs[int]
		var b builder
		want := map[string]struct {
			run  int
			seed uint64
		}{}
		cur := ""
		for _, op := range ops {
			switch op >> 4 {
			case 1, 2: // start: scene (2 bits), seed 1..2 (1 bit), keep (1 bit)
				sc, seed, keep := scenes[op&3], uint64(op>>2&1)+1, op&8 != 0
				s, _, kept, err := rs.Start(start(sc, seed, keep), b.build)
				require.NoError(t, err)
				w, had := want[sc]
				if keep && had && w.seed == seed {
					require.True(t, kept, "op %#x keeps %s's run", op, sc)
					require.Equal(t, w.run, s.Run)
				} else {
					require.False(t, kept, "op %#x", op)
					require.Equal(t, b.n, s.Run, "a new run")
					want[sc] = struct {
						run  int
						seed uint64
					}{b.n, seed}
				}
				cur = sc
			case 3: // resume
				if s := rs.Current(); s != nil {
					s.Running = true
				}
			case 4: // reset
				rs.Drop()
				delete(want, cur)
			}
			require.Equal(t, cur, rs.Scene())
			for _, sc := range scenes {
				s := rs.Get(sc)
				w, had := want[sc]
				require.Equal(t, had, s != nil, "%s has a run", sc)
				if s == nil {
					continue
				}
				require.Equal(t, w.run, s.Run, sc)
				require.Equal(t, sc, s.Cmd.Scene)
				require.False(t, s.Running && sc != cur, "%s steps while parked", sc)
			}
		}
	})
}
