package optim

import "github.com/nasplayground/nas/core/internal/kernels"

// SumSq returns Σ x[i]² accumulated in float64 (kernels.SumSq), for callers
// above nn/optim that must not reach core/internal/kernels.
func SumSq(x []float32) float64 { return kernels.SumSq(x) }

// Axpy sets y[i] += a·x[i] (kernels.Axpy).
func Axpy(a float32, x, y []float32) { kernels.Axpy(a, x, y) }
