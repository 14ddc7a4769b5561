package genotype_test

import (
	"reflect"
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
