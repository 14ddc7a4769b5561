// Package e2e holds the page's acceptance test: it builds the page like
// `make wasm`, serves it with native/internal/serve, drives Debian's headless
// Chromium with chromedp, reads window.nas and saves screenshots. It has no
// non-test code.
package e2e
