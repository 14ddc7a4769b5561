package tensor

import (
	"math"
	"math/rand/v2"
)

// RNG is the seeded generator every random choice in core goes through, so a
// seed reproduces a run. Its state can be saved in checkpoints.
type RNG struct {
	src *rand.PCG
	*rand.Rand
}

// NewRNG returns a PCG generator seeded with seed (two words derived from it).
func NewRNG(seed uint64) *RNG {
	src := rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)
	return &RNG{src: src, Rand: rand.New(src)}
}

// MarshalBinary returns the generator state.
func (r *RNG) MarshalBinary() ([]byte, error) { return r.src.MarshalBinary() }

// UnmarshalBinary restores a state written by MarshalBinary.
func (r *RNG) UnmarshalBinary(b []byte) error { return r.src.UnmarshalBinary(b) }

// Uniform fills t with values drawn uniformly from [lo, hi).
func (r *RNG) Uniform(t *Tensor, lo, hi float32) {
	for i := range t.Data {
		t.Data[i] = lo + (hi-lo)*r.Float32()
	}
}

// Normal fills t with N(mean, std²) values.
func (r *RNG) Normal(t *Tensor, mean, std float32) {
	for i := range t.Data {
		t.Data[i] = mean + std*float32(r.NormFloat64())
	}
}

// KaimingUniform fills w with PyTorch's default conv/linear weight init,
// kaiming_uniform_(a=√5): gain = √(2/(1+a²)) = √(1/3), bound = gain·√3/√fan_in
// = 1/√fan_in, so w ~ U(−1/√fan_in, 1/√fan_in). fan_in = C/groups·KH·KW for
// conv, C for linear.
func (r *RNG) KaimingUniform(w *Tensor, fanIn int) {
	gain := math.Sqrt(2.0 / (1 + 5.0))
	bound := float32(gain * math.Sqrt(3.0/float64(fanIn)))
	r.Uniform(w, -bound, bound)
}

// BiasUniform fills b with PyTorch's default bias init U(−1/√fan_in, 1/√fan_in).
func (r *RNG) BiasUniform(b *Tensor, fanIn int) {
	bound := float32(1 / math.Sqrt(float64(fanIn)))
	r.Uniform(b, -bound, bound)
}
