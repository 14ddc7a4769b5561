package optim

import (
	"fmt"
	"math"
)

// CosineLR returns the learning rate at each epoch of torch's
// CosineAnnealingLR in closed form,
//
//	lr(epoch) = min + (base - min)·(1 + cos(π·epoch/tMax))/2,
//
// so lr(0) = base and lr(tMax) = min. Like torch's closed form it is not
// clamped: past tMax the cosine rises again. DARTS: CosineLR(0.025, 0.001, 50),
// stepped once per epoch. It panics if tMax <= 0.
func CosineLR(base, min float64, tMax int) func(epoch int) float64 {
	if tMax <= 0 {
		panic(fmt.Sprintf("optim.CosineLR: tMax %d, want > 0", tMax))
	}
	return func(epoch int) float64 {
		return min + (base-min)*(1+math.Cos(math.Pi*float64(epoch)/float64(tMax)))/2
	}
}
