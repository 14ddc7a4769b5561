//go:build long

package kernels

// posMaskExhaustive: with -tags long, TestPosMaskIsGreaterThanZero checks all
// 2³² bit patterns (about 10 s).
const posMaskExhaustive = true
