package i18n

import (
	"fmt"
	"strings"
)

// engineStates are the engine worker's status lines before its first step
// (index.html, wasm/static/coordinator.js), by prefix, with their keys.
var engineStates = []struct{ prefix, key string }{
	{"downloading", "engine.downloading"},
	{"compiling", "engine.compiling"},
	{"starting", "engine.starting"},
	{"building the search", "engine.building"},
	{"loading data", "engine.first"},
	{"computing the first step", "engine.first"},
}

// Engine returns the engine's status line in lang; a line it does not know
// (an error) is returned as it is.
func Engine(lang, status string) string {
	for _, s := range engineStates {
		if strings.HasPrefix(status, s.prefix) {
			return T(lang, s.key)
		}
	}
	return status
}

// messages are the searchers' event messages (core/search: evolution, pnas;
// core/rnn), as fmt patterns, with the key of their translation taking the
// same numbers in the same order.
var messages = []struct{ pattern, key string }{
	{"random (initial population)", "msg.evo.random"},
	{"mutated parent born at step %d", "msg.evo.mutated"},
	{"level %d/%d (%d-block cells), beam %d", "msg.pnas.level"},
}

// Message returns a searcher's event message in lang; one it does not know
// (an error) is returned as it is.
func Message(lang, msg string) string {
	for _, m := range messages {
		n := strings.Count(m.pattern, "%d")
		if n == 0 {
			if msg == m.pattern {
				return T(lang, m.key)
			}
			continue
		}
		ptrs := make([]any, n)
		for i := range ptrs {
			ptrs[i] = new(int)
		}
		if k, err := fmt.Sscanf(msg, m.pattern, ptrs...); err == nil && k == n && fmt.Sprintf(m.pattern, deref(ptrs)...) == msg {
			return fmt.Sprintf(T(lang, m.key), deref(ptrs)...)
		}
	}
	return msg
}

func deref(ptrs []any) []any {
	out := make([]any, len(ptrs))
	for i, p := range ptrs {
		out[i] = *p.(*int)
	}
	return out
}
