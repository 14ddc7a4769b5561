package darts

import "testing"

// benchStep mirrors shared/bench/darts_search_step.py (see Bench).
func benchStep(b *testing.B, c, layers, batch, size int, iteration bool) {
	bench, err := NewBench(c, layers, batch, size, 10, true, 0)
	if err != nil {
		b.Fatal(err)
	}
	step := func() {
		if iteration {
			bench.ArchStep()
		}
		bench.WeightStep()
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
