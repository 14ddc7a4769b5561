package darts

import "testing"

// benchStep mirrors shared/bench/darts_search_step.py (see Bench).
func benchStep(b *testing.B, c, layers, batch, size int, iteration bool) {
	benchSteps(b, c, layers, batch, size, iteration, true)
}

// benchSteps times the architecture step (arch), then the weight step (weight).
func benchSteps(b *testing.B, c, layers, batch, size int, arch, weight bool) {
	bench, err := NewBench(c, layers, batch, size, 10, true, 0)
	if err != nil {
		b.Fatal(err)
	}
	step := func() {
		if arch {
			bench.ArchStep()
		}
		if weight {
			bench.WeightStep()
		}
	}
	step()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		step()
	}
	b.ReportMetric(float64(batch*b.N)/b.Elapsed().Seconds(), "images/s")
}

func BenchmarkDartsWeightStepBrowser(b *testing.B) { benchStep(b, 8, 5, 32, 16, false) }
func BenchmarkDartsIterationBrowser(b *testing.B)  { benchStep(b, 8, 5, 32, 16, true) }
func BenchmarkDartsWeightStep(b *testing.B)        { benchStep(b, 16, 8, 64, 32, false) }
func BenchmarkDartsIteration(b *testing.B)         { benchStep(b, 16, 8, 64, 32, true) }
func BenchmarkDartsArchStep(b *testing.B)          { benchSteps(b, 16, 8, 64, 32, true, false) }
