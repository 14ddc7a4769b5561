package i18n

import "strings"

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
