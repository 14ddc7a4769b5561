//go:build !long

package kernels

const posMaskExhaustive = false
