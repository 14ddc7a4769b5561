package genotype_test

import (
	"bytes"
	"image/png"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/genotype"
)

func TestDraw(t *testing.T) {
	for _, name := range genotype.Names() {
		g, _ := genotype.Named(name)
		for _, cell := range []string{"normal", "reduce"} {
			t.Run(name+"/"+cell, func(t *testing.T) {
				es, concat, err := g.Cell(cell)
				require.NoError(t, err)

				dot, err := genotype.Draw(g, cell, "dot")
				require.NoError(t, err)
				assert.Equal(t, len(es)+len(concat), strings.Count(string(dot), "->"))
				for _, e := range es {
					assert.Contains(t, string(dot), `label="`+e.Op.String()+`"`)
				}

				svg, err := genotype.Draw(g, cell, "svg")
				require.NoError(t, err)
				assert.True(t, bytes.HasPrefix(svg, []byte("<svg ")))
				assert.Equal(t, len(es)+len(concat), bytes.Count(svg, []byte(`stroke-width="1.6"`)))
				for _, lab := range []string{"c_{k-2}", "c_{k-1}", "c_{k}", ">0<"} {
					assert.Contains(t, string(svg), lab)
				}

				b, err := genotype.Draw(g, cell, "png")
				require.NoError(t, err)
				img, err := png.Decode(bytes.NewReader(b))
				require.NoError(t, err)
				assert.Greater(t, img.Bounds().Dx(), 400)
				r, gg, bb, _ := img.At(1, 1).RGBA()
				assert.Equal(t, [3]uint32{0xffff, 0xffff, 0xffff}, [3]uint32{r, gg, bb}, "light background")
				if dir := os.Getenv("GENOTYPE_DRAW_DIR"); dir != "" {
					require.NoError(t, os.WriteFile(dir+"/"+name+"_"+cell+".png", b, 0o644))
					require.NoError(t, os.WriteFile(dir+"/"+name+"_"+cell+".svg", svg, 0o644))
				}
			})
		}
	}
	_, err := genotype.Draw(genotype.DARTS, "middle", "png")
	assert.ErrorContains(t, err, `unknown cell "middle"`)
	_, err = genotype.Draw(genotype.DARTS, "normal", "gif")
	assert.ErrorContains(t, err, `unknown drawing format "gif"`)
	_, err = genotype.Draw(genotype.Genotype{}, "normal", "png")
	assert.ErrorContains(t, err, "normal cell is empty")
}
