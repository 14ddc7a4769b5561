package genotype

import (
	"fmt"
	"strconv"
	"unicode/utf8"
)

// Parse reads a genotype in the text form Python prints (see String). It also
// accepts lists for the concats, double quotes, any whitespace, trailing
// commas, keyword fields in any order, and a missing leading "Genotype" name.
// Errors are one line naming the byte offset and what was expected, e.g.
// "genotype: offset 57: want ')' got 'x'".
func Parse(s string) (Genotype, error) {
	p := parser{s: s}
	g, err := p.genotype()
	if err != nil {
		return Genotype{}, err
	}
	if err := g.Validate(); err != nil {
		return Genotype{}, err
	}
	return g, nil
}

type parser struct {
	s string
	i int
}

// maxInt bounds the integers Parse accepts, so that no input overflows.
const maxInt = 1 << 20

func (p *parser) errf(at int, format string, args ...any) error {
	return fmt.Errorf("genotype: offset %d: "+format, append([]any{at}, args...)...)
}

func (p *parser) skip() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// got describes the input at the current offset for an error message.
func (p *parser) got() string {
	if p.i >= len(p.s) {
		return "end of input"
	}
	r, _ := utf8.DecodeRuneInString(p.s[p.i:])
	return strconv.QuoteRune(r)
}

func (p *parser) peek() byte {
	p.skip()
	if p.i >= len(p.s) {
		return 0
	}
	return p.s[p.i]
}

func (p *parser) want(c byte) error {
	if p.peek() != c || p.i >= len(p.s) {
		return p.errf(p.i, "want %q got %s", rune(c), p.got())
	}
	p.i++
	return nil
}

// accept consumes c if it is next.
func (p *parser) accept(c byte) bool {
	if p.i < len(p.s) && p.peek() == c {
		p.i++
		return true
	}
	return false
}

func isIdent(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func (p *parser) ident() (string, int) {
	p.skip()
	at := p.i
	for p.i < len(p.s) && isIdent(p.s[p.i]) {
		p.i++
	}
	return p.s[at:p.i], at
}

func (p *parser) integer() (int, int, error) {
	p.skip()
	at := p.i
	for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
		p.i++
		if p.i-at > 7 {
			return 0, at, p.errf(at, "integer too large")
		}
	}
	if p.i == at {
		return 0, at, p.errf(at, "want integer got %s", p.got())
	}
	v, _ := strconv.Atoi(p.s[at:p.i])
	if v > maxInt {
		return 0, at, p.errf(at, "integer %d too large", v)
	}
	return v, at, nil
}

// genotype := ["Genotype"] "(" field {"," field} [","] ")"
func (p *parser) genotype() (Genotype, error) {
	var g Genotype
	if name, at := p.ident(); name != "" && name != "Genotype" {
		return g, p.errf(at, "want 'Genotype' or '(' got %q", name)
	}
	if err := p.want('('); err != nil {
		return g, err
	}
	seen := map[string]int{}
	for {
		if p.peek() == ')' && len(seen) > 0 {
			break
		}
		name, at := p.ident()
		if _, dup := seen[name]; dup {
			return g, p.errf(at, "duplicate field %q", name)
		}
		if err := p.want('='); err != nil {
			if name == "" {
				return g, p.errf(at, "want field name got %s", p.got())
			}
			return g, err
		}
		var err error
		switch name {
		case "normal":
			g.Normal, err = p.cell()
		case "reduce":
			g.Reduce, err = p.cell()
		case "normal_concat":
			g.NormalConcat, g.listNormal, err = p.concat()
		case "reduce_concat":
			g.ReduceConcat, g.listReduce, err = p.concat()
		default:
			return g, p.errf(at, "want normal, normal_concat, reduce or reduce_concat got %q", name)
		}
		if err != nil {
			return g, err
		}
		seen[name] = p.i
		if !p.accept(',') {
			break
		}
	}
	end := p.i
	if err := p.want(')'); err != nil {
		return g, err
	}
	for _, f := range []string{"normal", "normal_concat", "reduce", "reduce_concat"} {
		if _, ok := seen[f]; !ok {
			return g, p.errf(end, "missing field %s", f)
		}
	}
	if p.skip(); p.i < len(p.s) {
		return g, p.errf(p.i, "want end of input got %s", p.got())
	}
	for _, c := range []struct {
		name   string
		edges  []Edge
		concat []int
	}{{"normal_concat", g.Normal, g.NormalConcat}, {"reduce_concat", g.Reduce, g.ReduceConcat}} {
		states := 2 + len(c.edges)/2
		for _, v := range c.concat {
			if v >= states {
				return g, p.errf(seen[c.name], "%s holds %d, want states 0..%d", c.name, v, states-1)
			}
		}
	}
	return g, nil
}

// cell := "[" [edge {"," edge} [","]] "]"
func (p *parser) cell() ([]Edge, error) {
	if err := p.want('['); err != nil {
		return nil, err
	}
	es := []Edge{}
	for p.peek() != ']' {
		e, err := p.edge(len(es) / 2)
		if err != nil {
			return nil, err
		}
		es = append(es, e)
		if !p.accept(',') {
			break
		}
	}
	end := p.i
	if err := p.want(']'); err != nil {
		return nil, err
	}
	if len(es) == 0 {
		return nil, p.errf(end, "empty cell, want 2 edges per node")
	}
	if len(es)%2 != 0 {
		return nil, p.errf(end, "odd number of edges (%d), want 2 per node", len(es))
	}
	return es, nil
}

// edge := "(" quoted-op "," int [","] ")"
func (p *parser) edge(node int) (Edge, error) {
	if err := p.want('('); err != nil {
		return Edge{}, err
	}
	name, at, err := p.quoted()
	if err != nil {
		return Edge{}, err
	}
	op, err := ParsePrimitive(name)
	if err != nil {
		return Edge{}, p.errf(at, "unknown op %q", name)
	}
	if err := p.want(','); err != nil {
		return Edge{}, err
	}
	in, inAt, err := p.integer()
	if err != nil {
		return Edge{}, err
	}
	if in > node+1 {
		return Edge{}, p.errf(inAt, "input %d of node %d out of range 0..%d", in, node, node+1)
	}
	p.accept(',')
	if err := p.want(')'); err != nil {
		return Edge{}, err
	}
	return Edge{op, in}, nil
}

// quoted reads a single- or double-quoted op name and returns it with its offset.
func (p *parser) quoted() (string, int, error) {
	q := p.peek()
	if q != '\'' && q != '"' || p.i >= len(p.s) {
		return "", p.i, p.errf(p.i, "want quoted op name got %s", p.got())
	}
	at := p.i
	p.i++
	start := p.i
	for p.i < len(p.s) && p.s[p.i] != q && p.s[p.i] != '\n' {
		p.i++
	}
	if p.i >= len(p.s) || p.s[p.i] != q {
		return "", at, p.errf(at, "unterminated op name")
	}
	p.i++
	return p.s[start : p.i-1], at, nil
}

// concat := "[" int {"," int} [","] "]" | "range" "(" int "," int [","] ")"
// It reports whether the list form was used.
func (p *parser) concat() ([]int, bool, error) {
	if p.peek() == '[' {
		p.i++
		c := []int{}
		for p.peek() != ']' {
			v, _, err := p.integer()
			if err != nil {
				return nil, false, err
			}
			c = append(c, v)
			if !p.accept(',') {
				break
			}
		}
		end := p.i
		if err := p.want(']'); err != nil {
			return nil, false, err
		}
		if len(c) == 0 {
			return nil, false, p.errf(end, "empty concat")
		}
		return c, true, nil
	}
	name, at := p.ident()
	if name != "range" {
		p.i = at
		return nil, false, p.errf(at, "want '[' or 'range' got %s", p.got())
	}
	if err := p.want('('); err != nil {
		return nil, false, err
	}
	a, _, err := p.integer()
	if err != nil {
		return nil, false, err
	}
	if err := p.want(','); err != nil {
		return nil, false, err
	}
	b, bAt, err := p.integer()
	if err != nil {
		return nil, false, err
	}
	p.accept(',')
	if err := p.want(')'); err != nil {
		return nil, false, err
	}
	if b <= a {
		return nil, false, p.errf(bAt, "empty concat range(%d, %d)", a, b)
	}
	if b-a > 64 {
		return nil, false, p.errf(bAt, "concat range(%d, %d) too long", a, b)
	}
	c := make([]int, 0, b-a)
	for v := a; v < b; v++ {
		c = append(c, v)
	}
	return c, false, nil
}
