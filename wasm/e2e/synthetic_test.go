//go:build !js

package e2e

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"sort"
	"strings"

	"github.com/nasplayground/nas/core/search"
)

// writeSyntheticDARTS writes a SYNTHETIC events.jsonl for developing and
// screenshotting the DARTS scene through the replay path until the real
// DARTS engine lands. It is test-only and never served by the product: α rows
// drift from uniform toward a few ops, losses fall, phases alternate.
func writeSyntheticDARTS(path string, steps int) error {
	ops := []string{"none", "max_pool_3x3", "avg_pool_3x3", "skip_connect", "sep_conv_3x3", "sep_conv_5x5", "dil_conv_3x3", "dil_conv_5x5"}
	rng := rand.New(rand.NewPCG(1, 2))
	target := func(cell int) [][]float64 {
		t := make([][]float64, 14)
		for e := range t {
			t[e] = make([]float64, len(ops))
			for k := range t[e] {
				t[e][k] = rng.NormFloat64() * 0.5
			}
			t[e][4+(e+cell)%4] += 2.5
			if e%3 == 0 {
				t[e][3] += 1.5
			}
		}
		return t
	}
	tn, tr := target(0), target(1)
	soft := func(tgt [][]float64, f float64) [][]float64 {
		out := make([][]float64, len(tgt))
		for e, row := range tgt {
			z := make([]float64, len(row))
			sum := 0.0
			for k, v := range row {
				z[k] = math.Exp(v * f)
				sum += z[k]
			}
			for k := range z {
				z[k] /= sum
			}
			out[e] = z
		}
		return out
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	enc := json.NewEncoder(f)
	for s := 1; s <= steps; s++ {
		frac := float64(s) / float64(steps)
		loss := 2.3*math.Exp(-1.2*frac) + 0.05*rng.NormFloat64()
		an, ar := soft(tn, frac), soft(tr, frac)
		for _, ph := range []string{search.PhaseAlpha, search.PhaseWeights} {
			ev := search.Event{Kind: search.KindStep, Method: "darts", Space: "darts", Step: s, Epoch: s * 5 / steps, Phase: ph, Images: 64, ImagesPerSec: 180}
			if ph == search.PhaseWeights {
				ev.TrainLoss, ev.TrainAcc = loss, math.Min(0.95, 0.1+0.55*frac+0.02*rng.NormFloat64())
			} else {
				ev.ValLoss, ev.ValAcc = loss+0.15, math.Min(0.9, 0.1+0.45*frac+0.02*rng.NormFloat64())
				ev.AlphaNormal, ev.AlphaReduce, ev.Ops = an, ar, ops
				ev.Genotype = derive(an, ar, ops)
			}
			if err := enc.Encode(ev); err != nil {
				return err
			}
		}
	}
	return nil
}

// derive mirrors quark0/darts model_search.py genotype(): per node, the two
// inputs with the strongest non-none op.
func derive(an, ar [][]float64, ops []string) string {
	cell := func(a [][]float64) string {
		var parts []string
		start := 0
		for i := range 4 {
			type cand struct {
				w  float64
				op string
				in int
			}
			var cs []cand
			for j := range i + 2 {
				row := a[start+j]
				best := 1
				for k := 1; k < len(row); k++ {
					if row[k] > row[best] {
						best = k
					}
				}
				cs = append(cs, cand{row[best], ops[best], j})
			}
			sort.Slice(cs, func(x, y int) bool { return cs[x].w > cs[y].w })
			for _, c := range cs[:2] {
				parts = append(parts, fmt.Sprintf("('%s', %d)", c.op, c.in))
			}
			start += i + 2
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return fmt.Sprintf("Genotype(normal=%s, normal_concat=range(2, 6), reduce=%s, reduce_concat=range(2, 6))", cell(an), cell(ar))
}
