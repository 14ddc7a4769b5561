package genotype_test

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/nasplayground/nas/core/genotype"
)

// FuzzParse: Parse never panics, and whatever it accepts prints (String) to
// text that parses back to the same value, print form included.
func FuzzParse(f *testing.F) {
	for _, name := range genotype.Names() {
		g, _ := genotype.Named(name)
		f.Add(g.String())
	}
	f.Add(darts2Derived)
	f.Add(nasnetSource)
	f.Fuzz(func(t *testing.T, s string) {
		g, err := genotype.Parse(s)
		if err != nil {
			return
		}
		if err := g.Validate(); err != nil {
			t.Fatalf("Parse accepted an invalid genotype: %v", err)
		}
		text := g.String()
		h, err := genotype.Parse(text)
		if err != nil {
			t.Fatalf("String output does not parse: %v\n%s", err, text)
		}
		if !reflect.DeepEqual(g, h) || h.String() != text {
			t.Fatalf("round trip changed the genotype:\n%s\n%s", text, h.String())
		}
	})
}

// FuzzParseAlphasJSON: the alphas reader never panics; what it accepts is
// finite, rectangular, EdgeCount(steps) rows for some steps in both cells,
// re-encodes to JSON that reads back equal, derives a genotype when the rows
// are DARTS-shaped, and stops being accepted once anything but white space
// follows it.
func FuzzParseAlphasJSON(f *testing.F) {
	row := `[0.1,-2,3e-3,0,1,2,3,4]`
	rows := strings.TrimSuffix(strings.Repeat(row+",", 14), ",")
	f.Add([]byte(`{"normal": [` + rows + `], "reduce": [` + rows + `]}`))
	f.Add([]byte(`{"normal": [[1,2],[3,4]], "reduce": [[5,6],[7,8]]}`))
	f.Add([]byte(`{"normal": [[1,2],[3,4]], "reduce": [[5,6],[7,8]]}garbage`))
	f.Add([]byte(`{"normal": [], "reduce": []}`))
	f.Add([]byte(`{"normal": [[1e999,2],[3,4]], "reduce": [[5,6],[7,8]]}`))
	f.Add([]byte(`{"NORMAL": [[1,2],[3,4]], "reduce": [[5,6],[7,8]], "normal": null}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		n, r, err := genotype.ParseAlphasJSON(b)
		if err != nil {
			return
		}
		if len(n) == 0 || len(n) != len(r) {
			t.Fatalf("accepted %d normal and %d reduce rows", len(n), len(r))
		}
		steps := 0
		for s := 1; genotype.EdgeCount(s) <= len(n); s++ {
			if genotype.EdgeCount(s) == len(n) {
				steps = s
			}
		}
		if steps == 0 {
			t.Fatalf("accepted %d rows, not EdgeCount(steps) for any steps", len(n))
		}
		for _, cell := range [][][]float64{n, r} {
			for i, row := range cell {
				if len(row) != len(n[0]) || len(row) < 2 {
					t.Fatalf("row %d has %d values, row 0 has %d", i, len(row), len(n[0]))
				}
				for _, v := range row {
					if math.IsNaN(v) || math.IsInf(v, 0) {
						t.Fatalf("accepted %v", v)
					}
				}
			}
		}
		re, err := json.Marshal(map[string][][]float64{"normal": n, "reduce": r})
		if err != nil {
			t.Fatal(err)
		}
		n2, r2, err := genotype.ParseAlphasJSON(re)
		if err != nil || !reflect.DeepEqual(n, n2) || !reflect.DeepEqual(r, r2) {
			t.Fatalf("round trip: %v\n%s", err, re)
		}
		if steps == 4 && len(n[0]) == len(genotype.DARTSOps) {
			if _, err := genotype.DeriveFromAlpha(n, r, genotype.DARTSOps); err != nil {
				t.Fatalf("accepted DARTS-shaped α that does not derive: %v", err)
			}
		}
		for _, tail := range []string{"x", "}", "{}", "0", "]"} {
			if _, _, err := genotype.ParseAlphasJSON(append(append([]byte(nil), b...), tail...)); err == nil {
				t.Fatalf("accepted trailing %q", tail)
			}
		}
	})
}
