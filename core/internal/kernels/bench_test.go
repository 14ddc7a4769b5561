package kernels

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// withPath runs b with the fast path on or off and the given worker count,
// restoring both afterwards.
func withPath(b *testing.B, fast bool, nw int, fn func(b *testing.B)) {
	withPathName(b, pathName(fast), nw, fn)
}

// withPathName is withPath for a kernel set by name: "fast" (the CPU's
// best), "generic", or one of fastPaths (e.g. "avx2" on an AVX-512 CPU).
func withPathName(b *testing.B, name string, nw int, fn func(b *testing.B)) {
	if name != "generic" && len(fastPaths) == 0 {
		b.Skip("no fast path in this build")
	}
	oldFast, oldName, oldW := fastOn, fastName, Workers()
	switch name {
	case "fast":
		SetFastPath(true)
	case "generic":
		SetFastPath(false)
	default:
		if !useFastPath(name) {
			b.Skip("no " + name + " kernels on this CPU")
		}
	}
	SetWorkers(nw)
	defer func() {
		if !oldFast || !useFastPath(oldName) {
			SetFastPath(oldFast)
		}
		SetWorkers(oldW)
	}()
	fn(b)
}

// benchPaths names the kernel sets the per-op benchmarks compare: the
// best fast one, the generic one, and the CPU's other fast sets (avx2 where
// avx512 is best), so one run lists them side by side.
func benchPaths() []string {
	names := []string{"fast", "generic"}
	for _, p := range fastPaths[min(1, len(fastPaths)):] {
		names = append(names, p.name)
	}
	return names
}

func reportGFLOPs(b *testing.B, flopsPerOp float64) {
	b.ReportMetric(flopsPerOp*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

func pathName(fast bool) string {
	if fast {
		return "fast"
	}
	return "generic"
}

// BenchmarkGemm: square NN GEMMs, fast and generic, 1 and 2 workers.
func BenchmarkGemm(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{128, 256, 512, 1024} {
		a, bb, c := randSlice(r, n*n), randSlice(r, n*n), make([]float32, n*n)
		for _, fast := range []bool{true, false} {
			for _, nw := range []int{1, 2} {
				b.Run(fmt.Sprintf("%s/n=%d/w=%d", pathName(fast), n, nw), func(b *testing.B) {
					withPath(b, fast, nw, func(b *testing.B) {
						for b.Loop() {
							GemmNN(n, n, n, a, n, bb, n, 0, c, n)
						}
						reportGFLOPs(b, 2*float64(n)*float64(n)*float64(n))
					})
				})
			}
		}
	}
}

// dartsConvs are the per-image shapes of the DARTS search network at C=16
// (32×32), 32 (16×16), 64 (8×8); a benchmark op is one batch of 64 images.
var dartsConvs = []struct{ c, hw int }{{16, 32}, {32, 16}, {64, 8}}

const dartsBatch = 64

// BenchmarkPointwise: 1×1 conv C→C per image, as GEMM W(C×C)·X(C×HW)
// (gemm: GemmNN) and as the fused units run it (apply: Pointwise.Apply;
// wgrad: its weight gradient, GemmNTDot),
// on the default config's shapes and the reduced one's smallest (C=32, 4×4).
func BenchmarkPointwise(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, sh := range append(dartsConvs, struct{ c, hw int }{32, 4}) {
		n := sh.hw * sh.hw
		w, x, y := randSlice(r, sh.c*sh.c), randSlice(r, dartsBatch*sh.c*n+PointwiseSlack), make([]float32, dartsBatch*sh.c*n)
		ld := PlaneStride(n)
		xs := randSlice(r, dartsBatch*sh.c*ld+PointwiseSlack)
		for _, path := range benchPaths() {
			b.Run(fmt.Sprintf("gemm/%s/C=%d/%dx%d", path, sh.c, sh.hw, sh.hw), func(b *testing.B) {
				withPathName(b, path, 1, func(b *testing.B) {
					for b.Loop() {
						for i := 0; i < dartsBatch; i++ {
							off := i * sh.c * n
							GemmNN(sh.c, n, sh.c, w, sh.c, x[off:], n, 0, y[off:], n)
						}
					}
					reportGFLOPs(b, 2*float64(dartsBatch*sh.c*sh.c*n))
				})
			})
			// apply: x's rows n apart; apply-ld: PlaneStride apart, as the
			// fused units lay them
			for _, lay := range []struct {
				name string
				x    []float32
				ld   int
			}{{"apply", x, n}, {"apply-ld", xs, ld}} {
				b.Run(fmt.Sprintf("%s/%s/C=%d/%dx%d", lay.name, path, sh.c, sh.hw, sh.hw), func(b *testing.B) {
					withPathName(b, path, 1, func(b *testing.B) {
						p := NewPointwise(w, sh.c, sh.c, false)
						defer p.Release()
						for b.Loop() {
							for i := 0; i < dartsBatch; i++ {
								off := i * sh.c
								p.Apply(lay.x[off*lay.ld:], lay.ld, n, y[off*n:off*n+sh.c*n])
							}
						}
						reportGFLOPs(b, 2*float64(dartsBatch*sh.c*sh.c*n))
					})
				})
			}
			b.Run(fmt.Sprintf("wgrad/%s/C=%d/%dx%d", path, sh.c, sh.hw, sh.hw), func(b *testing.B) {
				withPathName(b, path, 1, func(b *testing.B) {
					dw := make([]float32, sh.c*sh.c)
					for b.Loop() {
						for i := 0; i < dartsBatch; i++ {
							off := i * sh.c * n
							GemmNTDot(sh.c, sh.c, n, x[off:], n, y[off:], n, dw, sh.c)
						}
					}
					reportGFLOPs(b, 2*float64(dartsBatch*sh.c*sh.c*n))
				})
			})
		}
	}
}

// BenchmarkDepthwise: 3×3 / 5×5 depthwise, plain and dilation 2, stride 1.
func BenchmarkDepthwise(b *testing.B) {
	r := rand.New(rand.NewPCG(5, 6))
	kernels := []struct {
		name    string
		k, p, d int
	}{{"3x3", 3, 1, 1}, {"5x5", 5, 2, 1}, {"dil3x3", 3, 2, 2}, {"dil5x5", 5, 4, 2}}
	for _, sh := range dartsConvs {
		for _, kr := range kernels {
			g := Geom{H: sh.hw, W: sh.hw, KH: kr.k, KW: kr.k, SH: 1, SW: 1, PH: kr.p, PW: kr.p, DH: kr.d, DW: kr.d}
			per := sh.c * sh.hw * sh.hw
			x, w := randSlice(r, dartsBatch*per), randSlice(r, sh.c*kr.k*kr.k)
			y, dy := make([]float32, dartsBatch*per), randSlice(r, dartsBatch*per)
			dx, dw := make([]float32, dartsBatch*per), make([]float32, sh.c*kr.k*kr.k)
			flops := 2 * float64(dartsBatch*per*kr.k*kr.k)
			for _, path := range benchPaths() {
				b.Run(fmt.Sprintf("fwd/%s/%s/C=%d/%dx%d", path, kr.name, sh.c, sh.hw, sh.hw), func(b *testing.B) {
					withPathName(b, path, 1, func(b *testing.B) {
						for b.Loop() {
							for i := 0; i < dartsBatch; i++ {
								Depthwise(x[i*per:(i+1)*per], w, sh.c, g, y[i*per:(i+1)*per])
							}
						}
						reportGFLOPs(b, flops)
					})
				})
				b.Run(fmt.Sprintf("bwd/%s/%s/C=%d/%dx%d", path, kr.name, sh.c, sh.hw, sh.hw), func(b *testing.B) {
					withPathName(b, path, 1, func(b *testing.B) {
						for b.Loop() {
							for i := 0; i < dartsBatch; i++ {
								DepthwiseBackward(x[i*per:(i+1)*per], w, dy[i*per:(i+1)*per], sh.c, g, dx[i*per:(i+1)*per], dw)
							}
						}
						reportGFLOPs(b, 2*flops)
					})
				})
				// what a search step runs: ReLU into planes, the forward from
				// them, and the backward gathering dx through the ReLU mask
				pl := make([]float32, dartsBatch*sh.c*PlanarLen(g))
				ppi := len(pl) / dartsBatch
				b.Run(fmt.Sprintf("reluFwd/%s/%s/C=%d/%dx%d", path, kr.name, sh.c, sh.hw, sh.hw), func(b *testing.B) {
					withPathName(b, path, 1, func(b *testing.B) {
						for b.Loop() {
							for i := 0; i < dartsBatch; i++ {
								PlanarReLU(x[i*per:(i+1)*per], sh.c, g, pl[i*ppi:(i+1)*ppi])
								DepthwisePlanes(pl[i*ppi:(i+1)*ppi], w, sh.c, g, y[i*per:(i+1)*per], sh.hw*sh.hw)
							}
						}
						reportGFLOPs(b, flops)
					})
				})
				b.Run(fmt.Sprintf("reluBwd/%s/%s/C=%d/%dx%d", path, kr.name, sh.c, sh.hw, sh.hw), func(b *testing.B) {
					withPathName(b, path, 1, func(b *testing.B) {
						for i := 0; i < dartsBatch; i++ {
							PlanarReLU(x[i*per:(i+1)*per], sh.c, g, pl[i*ppi:(i+1)*ppi])
						}
						for b.Loop() {
							for i := 0; i < dartsBatch; i++ {
								DepthwisePlanesBackward(pl[i*ppi:(i+1)*ppi], x[i*per:(i+1)*per], w, dy[i*per:(i+1)*per], sh.c, g, dx[i*per:(i+1)*per], dw)
							}
						}
						reportGFLOPs(b, 2*flops)
					})
				})
			}
		}
	}
}

// BenchmarkCorr: the flat correlation under the depthwise convolutions
// and average pools, on runs as long as the planar layouts of the DARTS
// shapes give (48: 4×4 padded by 4, 80: 8×8 by 1, 100 … 1088: 32×32 by 1),
// 3×3 and 5×5 taps.
func BenchmarkCorr(b *testing.B) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, n := range []int{48, 80, 100, 288, 1088} {
		for _, taps := range []int{9, 25} {
			off := make([]int, taps)
			for t := range off {
				off[t] = (t/5)*36 + t%5
			}
			in, w, out := randSlice(r, n+4*36+5), randSlice(r, taps), make([]float32, n)
			for _, path := range benchPaths() {
				b.Run(fmt.Sprintf("%s/n=%d/taps=%d", path, n, taps), func(b *testing.B) {
					withPathName(b, path, 1, func(b *testing.B) {
						for b.Loop() {
							Corr(out, in, w, off)
						}
						reportGFLOPs(b, 2*float64(n*taps))
					})
				})
			}
		}
	}
}

// BenchmarkMaxPool: DARTS' 3×3 max pool (pad 1) with its argmax, stride 1
// and 2, one batch of the default config's shapes; Gcmp/s counts the
// window's comparisons (8 per output) whatever the kernel does.
func BenchmarkMaxPool(b *testing.B) {
	r := rand.New(rand.NewPCG(9, 10))
	for _, sh := range dartsConvs {
		for _, s := range []int{1, 2} {
			g := Geom{H: sh.hw, W: sh.hw, KH: 3, KW: 3, SH: s, SW: s, PH: 1, PW: 1, DH: 1, DW: 1}
			per, oper := sh.c*sh.hw*sh.hw, sh.c*g.OH()*g.OW()
			x := randSlice(r, dartsBatch*per)
			y, idx := make([]float32, dartsBatch*oper), make([]int32, dartsBatch*oper)
			for _, fast := range []bool{true, false} {
				b.Run(fmt.Sprintf("%s/stride%d/C=%d/%dx%d", pathName(fast), s, sh.c, sh.hw, sh.hw), func(b *testing.B) {
					withPath(b, fast, 1, func(b *testing.B) {
						for b.Loop() {
							for i := 0; i < dartsBatch; i++ {
								MaxPool(x[i*per:(i+1)*per], sh.c, g, y[i*oper:(i+1)*oper], idx[i*oper:(i+1)*oper])
							}
						}
						b.ReportMetric(8*float64(dartsBatch*oper)*float64(b.N)/b.Elapsed().Seconds()/1e9, "Gcmp/s")
					})
				})
			}
		}
	}
}

// BenchmarkIm2col: 3×3 pad 1 unrolling of one DARTS batch (GB/s of col written).
func BenchmarkIm2col(b *testing.B) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, sh := range dartsConvs {
		g := Geom{H: sh.hw, W: sh.hw, KH: 3, KW: 3, SH: 1, SW: 1, PH: 1, PW: 1, DH: 1, DW: 1}
		x := randSlice(r, sh.c*sh.hw*sh.hw)
		col := make([]float32, sh.c*9*sh.hw*sh.hw)
		b.Run(fmt.Sprintf("C=%d/%dx%d", sh.c, sh.hw, sh.hw), func(b *testing.B) {
			for b.Loop() {
				for range dartsBatch {
					Im2col(x, sh.c, g, col)
				}
			}
			b.ReportMetric(float64(4*len(col)*dartsBatch)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GB/s")
		})
	}
}

// BenchmarkMicroKernel: one mr×nr tile over kc=256 with packed panels hot in
// L1: the ceiling the packed GEMM can reach with each micro-kernel.
func BenchmarkMicroKernel(b *testing.B) {
	all := map[string]*packedGemm{"generic4x4": packedGeneric}
	for name, g := range testGemms {
		all[name] = g
	}
	r := rand.New(rand.NewPCG(9, 9))
	for name, g := range all {
		const kc = 256
		a, bp, c := randSlice(r, kc*g.mr), randSlice(r, kc*g.nr), make([]float32, g.mr*g.nr)
		b.Run(fmt.Sprintf("%s/%dx%d", name, g.mr, g.nr), func(b *testing.B) {
			for b.Loop() {
				g.kern(kc, a, bp, c, g.nr)
			}
			reportGFLOPs(b, 2*float64(kc*g.mr*g.nr))
		})
	}
}

// BenchmarkParallelForkJoin: the cost of one Parallel call whose chunks do
// nothing (fork, claim, join), back to back as a step's ops are.
func BenchmarkParallelForkJoin(b *testing.B) {
	for _, nw := range []int{2, 4, 8, 16} {
		b.Run(fmt.Sprintf("w=%d", nw), func(b *testing.B) {
			defer SetWorkers(Workers())
			SetWorkers(nw)
			var sink [256]int
			fn := func(s, lo, hi int) { sink[s] += hi - lo }
			for b.Loop() {
				Parallel(64, fn)
			}
		})
	}
}

// BenchmarkBNPasses: batch norm's element-wise passes plane by plane over a
// default-config tensor (batch 64, each of dartsConvs' shapes), as nn runs
// them: the statistics (sumDot), the forward scale and shift (affine), the
// backward sums (sumDotBlocks) and the input gradient (affine2, addAffine2).
// GB/s counts the bytes each pass reads and writes once, so the kernel sets
// (fast, generic and the CPU's other fast sets) compare side by side.
func BenchmarkBNPasses(b *testing.B) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, sh := range dartsConvs {
		n := sh.hw * sh.hw
		planes := dartsBatch * sh.c
		x, y, dst := randSlice(r, planes*n), randSlice(r, planes*n), make([]float32, planes*n)
		passes := []struct {
			name  string
			bytes int // per element
			run   func(o int)
		}{
			{"sumDot", 8, func(o int) { SumDot(x[o:o+n], y[o:o+n]) }},
			{"sumDotBlocks", 8, func(o int) { SumDotBlocks(x[o:o+n], y[o:o+n]) }},
			{"affine", 8, func(o int) { Affine(dst[o:o+n], x[o:o+n], 1.5, -0.25) }},
			{"affine2", 12, func(o int) { Affine2(dst[o:o+n], x[o:o+n], y[o:o+n], 1.5, -0.25, 0.125) }},
			{"addAffine2", 16, func(o int) { AddAffine2(dst[o:o+n], x[o:o+n], y[o:o+n], 1.5, -0.25, 1e-7) }},
		}
		// tensor: each plane once (from memory or L3, as where nn's passes
		// follow another op's); cached: the same 8 KiB over and over
		for _, span := range []struct {
			name  string
			cycle int
		}{{"tensor", planes}, {"cached", 2048 / n}} {
			for _, ps := range passes {
				for _, path := range benchPaths() {
					b.Run(fmt.Sprintf("%s/%s/%s/C=%d/%dx%d", ps.name, span.name, path, sh.c, sh.hw, sh.hw), func(b *testing.B) {
						withPathName(b, path, 1, func(b *testing.B) {
							for b.Loop() {
								for p := 0; p < planes; p++ {
									ps.run(p % span.cycle * n)
								}
							}
							b.ReportMetric(float64(ps.bytes*planes*n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GB/s")
						})
					})
				}
			}
		}
	}
}
