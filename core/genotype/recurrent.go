package genotype

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Activation is an op of the DARTS recurrent cell, in the order of quark0/darts
// rnn/genotypes.py PRIMITIVES.
type Activation int

// The recurrent primitives.
const (
	ActNone Activation = iota
	Tanh
	ReLU
	Sigmoid
	Identity
	numActivations
)

var activationNames = [numActivations]string{"none", "tanh", "relu", "sigmoid", "identity"}

// RecurrentOps is PRIMITIVES of the recurrent search space, none first.
var RecurrentOps = []Activation{ActNone, Tanh, ReLU, Sigmoid, Identity}

// String returns the reference name, e.g. "sigmoid".
func (a Activation) String() string {
	if a < 0 || a >= numActivations {
		return fmt.Sprintf("Activation(%d)", int(a))
	}
	return activationNames[a]
}

// MarshalText implements encoding.TextMarshaler (JSON map keys, values).
func (a Activation) MarshalText() ([]byte, error) {
	if a < 0 || a >= numActivations {
		return nil, fmt.Errorf("genotype: invalid recurrent op %d", int(a))
	}
	return []byte(a.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (a *Activation) UnmarshalText(b []byte) error {
	v, err := ParseActivation(string(b))
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// RecurrentInfo summarises a recurrent cell for `nas genotype info`.
type RecurrentInfo struct {
	Nodes  int                `json:"nodes"`
	Ops    map[Activation]int `json:"ops"`
	Concat []int              `json:"concat"`
}

// Info returns the node count, op counts and concat of r.
func (r Recurrent) Info() RecurrentInfo {
	ri := RecurrentInfo{Nodes: len(r.Nodes), Ops: map[Activation]int{}, Concat: slices.Clone(r.Concat)}
	for _, e := range r.Nodes {
		ri.Ops[e.Op]++
	}
	return ri
}

// ParseActivation returns the activation called s.
func ParseActivation(s string) (Activation, error) {
	for a, n := range activationNames {
		if n == s {
			return Activation(a), nil
		}
	}
	return 0, fmt.Errorf("genotype: unknown recurrent op %q (want %s)", s, strings.Join(activationNames[:], ", "))
}

// RecurrentEdge is node i of a recurrent cell: Op applied, through the
// highway gate, to state Input (0 is s₀, the gated mix of x_t and h_{t−1};
// j ≥ 1 is node j−1), producing state i+1.
type RecurrentEdge struct {
	Op    Activation
	Input int
}

// Recurrent is the genotype of the DARTS recurrent cell as in quark0/darts
// rnn/genotypes.py: one edge per node (node i = Recurrent[i], state i+1) and
// the states averaged into h_t.
type Recurrent struct {
	Nodes  []RecurrentEdge
	Concat []int
	list   bool // String prints Concat as a list (as parsed)
}

// The recurrent cells of quark0/darts rnn/genotypes.py (DARTS_V1: first-order
// search; DARTS_V2 = DARTS: second order, Figure 6 of the paper).
var (
	DARTS_RNN_V1 = Recurrent{Nodes: []RecurrentEdge{{ReLU, 0}, {ReLU, 1}, {Tanh, 2}, {ReLU, 3}, {ReLU, 4}, {Identity, 1}, {ReLU, 5}, {ReLU, 1}},
		Concat: []int{1, 2, 3, 4, 5, 6, 7, 8}}
	DARTS_RNN_V2 = Recurrent{Nodes: []RecurrentEdge{{Sigmoid, 0}, {ReLU, 1}, {ReLU, 1}, {Identity, 1}, {Tanh, 2}, {Sigmoid, 5}, {Tanh, 3}, {ReLU, 5}},
		Concat: []int{1, 2, 3, 4, 5, 6, 7, 8}}
)

var namedRecurrent = []struct {
	name string
	g    *Recurrent
}{{"DARTS_RNN_V1", &DARTS_RNN_V1}, {"DARTS_RNN_V2", &DARTS_RNN_V2}}

// RecurrentNames returns the names NamedRecurrent accepts.
func RecurrentNames() []string {
	var ns []string
	for _, n := range namedRecurrent {
		ns = append(ns, n.name)
	}
	return ns
}

// NamedRecurrent returns a copy of the published recurrent cell called name
// (case-insensitive).
func NamedRecurrent(name string) (Recurrent, error) {
	for _, n := range namedRecurrent {
		if strings.EqualFold(n.name, name) {
			return n.g.Clone(), nil
		}
	}
	return Recurrent{}, fmt.Errorf("genotype: unknown recurrent cell %q (want one of %s)", name, strings.Join(RecurrentNames(), ", "))
}

// Clone returns a deep copy of r.
func (r Recurrent) Clone() Recurrent {
	r.Nodes = slices.Clone(r.Nodes)
	r.Concat = slices.Clone(r.Concat)
	return r
}

// Equal reports whether r and q have the same nodes and concat.
func (r Recurrent) Equal(q Recurrent) bool {
	return slices.Equal(r.Nodes, q.Nodes) && slices.Equal(r.Concat, q.Concat)
}

// String prints r as Python prints the namedtuple, e.g.
// Genotype(recurrent=[('sigmoid', 0), ('relu', 1), ...], concat=range(1, 9)).
func (r Recurrent) String() string {
	var b strings.Builder
	b.WriteString("Genotype(recurrent=[")
	for i, e := range r.Nodes {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "('%s', %d)", e.Op, e.Input)
	}
	b.WriteString("], concat=")
	writeConcat(&b, r.Concat, r.list)
	b.WriteString(")")
	return b.String()
}

// Validate checks that r has nodes, known ops other than none, node i reading
// a state in 0..i, and a non-empty concat of states in 0..len(Nodes).
func (r Recurrent) Validate() error {
	if len(r.Nodes) == 0 {
		return fmt.Errorf("genotype: recurrent cell has no nodes")
	}
	for i, e := range r.Nodes {
		switch {
		case e.Op <= ActNone || e.Op >= numActivations:
			return fmt.Errorf("genotype: recurrent node %d: op %v, want tanh, relu, sigmoid or identity", i, e.Op)
		case e.Input < 0 || e.Input > i:
			return fmt.Errorf("genotype: recurrent node %d: input %d, want 0..%d", i, e.Input, i)
		}
	}
	if len(r.Concat) == 0 {
		return fmt.Errorf("genotype: recurrent concat is empty")
	}
	for _, c := range r.Concat {
		if c < 0 || c > len(r.Nodes) {
			return fmt.Errorf("genotype: recurrent concat holds %d, want states 0..%d", c, len(r.Nodes))
		}
	}
	return nil
}

// ParseRecurrent reads the text String prints, with the same leniency as
// Parse (lists or range for the concat, either quote, whitespace, trailing
// commas, fields in any order, "NAME =" prefix) and validates it.
func ParseRecurrent(s string) (Recurrent, error) {
	if i := strings.Index(s, "="); i > 0 && !strings.Contains(s[:i], "(") {
		s = s[i+1:]
	}
	p := parser{s: s}
	r, err := p.recurrent()
	if err != nil {
		return Recurrent{}, err
	}
	return r, r.Validate()
}

// recurrent := ["Genotype"] "(" "recurrent" "=" "[" edge {"," edge} "]" "," "concat" "=" concat ")"
func (p *parser) recurrent() (Recurrent, error) {
	var r Recurrent
	if name, at := p.ident(); name != "" && name != "Genotype" {
		return r, p.errf(at, "want 'Genotype' or '(' got %q", name)
	}
	if err := p.want('('); err != nil {
		return r, err
	}
	seen := map[string]bool{}
	for p.peek() != ')' {
		name, at := p.ident()
		if seen[name] {
			return r, p.errf(at, "duplicate field %q", name)
		}
		if err := p.want('='); err != nil {
			return r, err
		}
		var err error
		switch name {
		case "recurrent":
			r.Nodes, err = p.recurrentEdges()
		case "concat":
			r.Concat, r.list, err = p.concat()
		default:
			return r, p.errf(at, "want recurrent or concat got %q", name)
		}
		if err != nil {
			return r, err
		}
		seen[name] = true
		if !p.accept(',') {
			break
		}
	}
	end := p.i
	if err := p.want(')'); err != nil {
		return r, err
	}
	for _, f := range []string{"recurrent", "concat"} {
		if !seen[f] {
			return r, p.errf(end, "missing field %s", f)
		}
	}
	if p.skip(); p.i < len(p.s) {
		return r, p.errf(p.i, "want end of input got %s", p.got())
	}
	return r, nil
}

// recurrentEdges := "[" "(" quoted-op "," int ")" {"," ...} [","] "]"
func (p *parser) recurrentEdges() ([]RecurrentEdge, error) {
	if err := p.want('['); err != nil {
		return nil, err
	}
	var es []RecurrentEdge
	for p.peek() != ']' {
		if err := p.want('('); err != nil {
			return nil, err
		}
		name, at, err := p.quoted()
		if err != nil {
			return nil, err
		}
		op, err := ParseActivation(name)
		if err != nil {
			return nil, p.errf(at, "unknown recurrent op %q", name)
		}
		if err := p.want(','); err != nil {
			return nil, err
		}
		in, inAt, err := p.integer()
		if err != nil {
			return nil, err
		}
		if in > len(es) {
			return nil, p.errf(inAt, "input %d of node %d out of range 0..%d", in, len(es), len(es))
		}
		p.accept(',')
		if err := p.want(')'); err != nil {
			return nil, err
		}
		es = append(es, RecurrentEdge{op, in})
		if !p.accept(',') {
			break
		}
	}
	if err := p.want(']'); err != nil {
		return nil, err
	}
	return es, nil
}

// MarshalJSON encodes r as {"recurrent": [["sigmoid", 0], ...], "concat": [1, ...]}.
func (r Recurrent) MarshalJSON() ([]byte, error) {
	type pair [2]any
	es := make([]pair, len(r.Nodes))
	for i, e := range r.Nodes {
		es[i] = pair{e.Op.String(), e.Input}
	}
	return json.Marshal(struct {
		Recurrent []pair `json:"recurrent"`
		Concat    []int  `json:"concat"`
	}{es, r.Concat})
}

// ResolveRecurrent turns a --genotype argument into a recurrent cell: a name
// (RecurrentNames) or the text String prints.
func ResolveRecurrent(arg string) (Recurrent, error) {
	arg = strings.TrimSpace(arg)
	if r, err := NamedRecurrent(arg); err == nil {
		return r, nil
	}
	if strings.Contains(arg, "recurrent") {
		return ParseRecurrent(arg)
	}
	return Recurrent{}, fmt.Errorf("genotype: %q is not a recurrent cell name (%s) or text", arg, strings.Join(RecurrentNames(), ", "))
}

// DeriveRecurrent returns the recurrent cell of softmax weights w (one row per
// edge, rows of node i at offset i(i+1)/2 over inputs 0..i, columns in
// RecurrentOps order): each node keeps the input whose strongest non-none
// weight is largest and that op, as quark0/darts rnn/model_search.py
// genotype() does; concat is range(1, steps+1).
func DeriveRecurrent(w [][]float64, steps int) (Recurrent, error) {
	if len(w) != steps*(steps+1)/2 {
		return Recurrent{}, fmt.Errorf("genotype: %d recurrent weight rows, want %d for %d steps", len(w), steps*(steps+1)/2, steps)
	}
	var r Recurrent
	for i, start := 0, 0; i < steps; i++ {
		best, bj, bk := -1.0, 0, 1
		for j := range i + 1 {
			row := w[start+j]
			if len(row) != len(RecurrentOps) {
				return Recurrent{}, fmt.Errorf("genotype: recurrent weight row %d has %d columns, want %d", start+j, len(row), len(RecurrentOps))
			}
			for k := 1; k < len(row); k++ { // none (column 0) is never picked
				if row[k] > best {
					best, bj, bk = row[k], j, k
				}
			}
		}
		r.Nodes = append(r.Nodes, RecurrentEdge{RecurrentOps[bk], bj})
		start += i + 1
	}
	for s := 1; s <= steps; s++ {
		r.Concat = append(r.Concat, s)
	}
	return r, nil
}
