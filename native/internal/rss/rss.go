// Package rss reports the process's peak resident set size, as the
// benchmark anchors do (getrusage ru_maxrss).
package rss
