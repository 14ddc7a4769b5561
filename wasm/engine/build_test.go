//go:build js && wasm

package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/wasm/protocol"
)

// Every scene with a search gets a run configuration for the start command
// the page sends it (run under Node: make test-wasm); the lecture's live
// steps run DARTS of their own, and the replay scene has no engine run.
func TestConfigForEveryScene(t *testing.T) {
	for _, scene := range protocol.Scenes {
		methods := []string{protocol.DefaultParams().Method}
		if scene == protocol.SceneRL {
			methods = protocol.RLMethods
		}
		for _, m := range methods {
			p := protocol.DefaultParams()
			p.Scene, p.Method = scene, m
			cfg, err := config(p.StartCommand())
			if scene == protocol.SceneReplay {
				assert.Error(t, err, "replay plays in the page")
				continue
			}
			require.NoError(t, err, "%s %s", scene, m)
			switch scene {
			case protocol.SceneDARTS, protocol.SceneLecture:
				assert.Equal(t, "darts", cfg.Method, scene)
			case protocol.SceneRL:
				assert.Equal(t, m, cfg.Method)
			}
		}
	}
}
