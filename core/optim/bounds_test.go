package optim_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/nasplayground/nas/core/optim"
)

// The constructors accept every hyper-parameter at the edge torch accepts
// (lr, eps, weight decay, momentum and betas of 0; DARTS' tests run Adam
// with lr 0) and panic just past it (gremlins left `< 0` → `<= 0` alive).
func TestHyperParameterBounds(t *testing.T) {
	const below = -1e-12
	adam := func(lr, b1, b2, eps, wd float64) func() {
		return func() { optim.NewAdam(newParams(), lr, b1, b2, eps, wd) }
	}
	assert.NotPanics(t, adam(0, 0, 0, 0, 0))
	for name, f := range map[string]func(){
		"lr": adam(below, 0.9, 0.999, 1e-8, 0), "beta1": adam(0.1, below, 0.999, 1e-8, 0),
		"beta2": adam(0.1, 0.9, below, 1e-8, 0), "eps": adam(0.1, 0.9, 0.999, below, 0),
		"wd": adam(0.1, 0.9, 0.999, 1e-8, below), "beta1=1": adam(0.1, 1, 0.999, 1e-8, 0),
		"beta2=1": adam(0.1, 0.9, 1, 1e-8, 0),
	} {
		assert.Panics(t, f, "adam %s", name)
	}
	sgd := func(lr, mu, wd float64, nesterov bool) func() {
		return func() { optim.NewSGD(newParams(), lr, mu, wd, nesterov) }
	}
	assert.NotPanics(t, sgd(0, 0, 0, false))
	assert.NotPanics(t, sgd(0.1, 1e-9, 0, true))
	for name, f := range map[string]func(){
		"lr": sgd(below, 0.9, 0, false), "momentum": sgd(0.1, below, 0, false), "wd": sgd(0.1, 0.9, below, false),
		"nesterov without momentum": sgd(0.1, 0, 0, true),
	} {
		assert.Panics(t, f, "sgd %s", name)
	}
}
