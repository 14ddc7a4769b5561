// Package events is events.jsonl: Log writes it (one search.Event per line,
// cut back to a checkpoint's length on resume) and Read is the one reader,
// used by `nas replay` and by the page's Replay, with the same rules
// everywhere. It imports only core/search, so the page links it without the
// search strategies.
package events
