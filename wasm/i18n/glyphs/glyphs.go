package glyphs

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/nasplayground/nas/core/nb201"
	"github.com/nasplayground/nas/core/search/sample"
	"github.com/nasplayground/nas/wasm/i18n"
)

// All returns every non-ASCII character the page can draw: the i18n table,
// the string literals under dir (SourceRunes) and CoreLabels.
func All(dir string) (string, error) {
	src, err := SourceRunes(dir)
	if err != nil {
		return "", err
	}
	return i18n.Runes() + src + CoreLabels(), nil
}

// CoreLabels joins the decision and choice labels of the core search spaces
// the page draws (NAS-Bench-201 edges "edge 0→1 op", the DARTS micro space's
// "c_{k-2}"): text from core that the font subset must cover too.
func CoreLabels() string {
	var all []string
	for _, sp := range []sample.Space{nb201.Space{}, sample.DARTSMicroSpace([]string{"sep_conv_3x3"}, 4)} {
		all = append(all, sp.DecisionLabels()...)
		for d := range sp.Decisions() {
			all = append(all, sp.ChoiceLabels(d)...)
		}
	}
	return strings.Join(all, "")
}

// SourceRunes returns every non-ASCII character of every string and rune
// literal in the non-test .go files under dir (e.g. the "→" of an edge label
// built with fmt.Sprintf), sorted, one string: what the font subset must cover
// besides the table of T. An unparsable file is an error naming it.
func SourceRunes(dir string) (string, error) {
	var seen []string
	fset := token.NewFileSet()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return fmt.Errorf("i18n: %w", err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING && lit.Kind != token.CHAR {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				return true // a CHAR literal: Unquote handles only strings
			}
			seen = append(seen, s)
			return true
		})
		return nil
	})
	if err != nil {
		return "", err
	}
	return i18n.NonASCII(seen...), nil
}
