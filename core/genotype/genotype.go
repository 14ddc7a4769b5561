package genotype

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Edge is one chosen operation of a cell: Op applied to state Input, where
// inputs 0 and 1 are the cell inputs c_{k-2}, c_{k-1} and 2+j is node j.
type Edge struct {
	Op    Primitive
	Input int
}

// Genotype is a discrete architecture as in quark0/darts cnn/genotypes.py:
// each cell lists two edges per intermediate node (node i = Normal[2i:2i+2]),
// and the concat lists which states are concatenated into the cell output.
type Genotype struct {
	Normal       []Edge
	NormalConcat []int
	Reduce       []Edge
	ReduceConcat []int

	// listNormal/listReduce make String print a contiguous concat as a Python
	// list ([2, 3, 4, 5]) rather than range(2, 6): the published genotypes are
	// written with lists, derived ones with range. Equal ignores them.
	listNormal, listReduce bool
}

// Steps returns the number of intermediate nodes of the normal cell,
// len(Normal)/2 (4 for DARTS, 5 for NASNet and AmoebaNet).
func (g Genotype) Steps() int { return len(g.Normal) / 2 }

// Clone returns a deep copy of g.
func (g Genotype) Clone() Genotype {
	h := g
	h.Normal = append([]Edge(nil), g.Normal...)
	h.Reduce = append([]Edge(nil), g.Reduce...)
	h.NormalConcat = append([]int(nil), g.NormalConcat...)
	h.ReduceConcat = append([]int(nil), g.ReduceConcat...)
	return h
}

// Equal reports whether g and h have the same edges and concats (whatever form
// String would print the concats in).
func (g Genotype) Equal(h Genotype) bool {
	return slices.Equal(g.Normal, h.Normal) && slices.Equal(g.Reduce, h.Reduce) &&
		slices.Equal(g.NormalConcat, h.NormalConcat) && slices.Equal(g.ReduceConcat, h.ReduceConcat)
}

// Cell returns the edges and concat of the cell named "normal" or "reduce".
func (g Genotype) Cell(cell string) ([]Edge, []int, error) {
	switch cell {
	case "normal":
		return g.Normal, g.NormalConcat, nil
	case "reduce":
		return g.Reduce, g.ReduceConcat, nil
	}
	return nil, nil, fmt.Errorf("genotype: unknown cell %q (want normal or reduce)", cell)
}

// String prints g as Python prints the namedtuple, e.g.
// Genotype(normal=[('sep_conv_3x3', 0), ...], normal_concat=range(2, 6), reduce=[...], reduce_concat=range(2, 6)).
func (g Genotype) String() string {
	var b strings.Builder
	b.WriteString("Genotype(normal=")
	writeEdges(&b, g.Normal)
	b.WriteString(", normal_concat=")
	writeConcat(&b, g.NormalConcat, g.listNormal)
	b.WriteString(", reduce=")
	writeEdges(&b, g.Reduce)
	b.WriteString(", reduce_concat=")
	writeConcat(&b, g.ReduceConcat, g.listReduce)
	b.WriteString(")")
	return b.String()
}

func writeEdges(b *strings.Builder, es []Edge) {
	b.WriteByte('[')
	for i, e := range es {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(b, "('%s', %d)", e.Op, e.Input)
	}
	b.WriteByte(']')
}

// contiguous reports whether c is a, a+1, ..., a+n-1 with n >= 1.
func contiguous(c []int) bool {
	for i := range c {
		if c[i] != c[0]+i {
			return false
		}
	}
	return len(c) > 0
}

func writeConcat(b *strings.Builder, c []int, list bool) {
	if !list && contiguous(c) {
		fmt.Fprintf(b, "range(%d, %d)", c[0], c[len(c)-1]+1)
		return
	}
	b.WriteByte('[')
	for i, v := range c {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Itoa(v))
	}
	b.WriteByte(']')
}

// Validate checks both cells: a non-empty even number of edges, known ops,
// node i reading only states 0..i+1, and a non-empty concat of existing states
// 0..steps+1.
func (g Genotype) Validate() error {
	if err := validateCell("normal", g.Normal, g.NormalConcat); err != nil {
		return err
	}
	return validateCell("reduce", g.Reduce, g.ReduceConcat)
}

func validateCell(name string, es []Edge, concat []int) error {
	if len(es) == 0 {
		return fmt.Errorf("genotype: %s cell is empty, want 2 edges per node", name)
	}
	if len(es)%2 != 0 {
		return fmt.Errorf("genotype: %s cell has %d edges, want an even number (2 per node)", name, len(es))
	}
	for k, e := range es {
		if !e.Op.Valid() {
			return fmt.Errorf("genotype: %s edge %d: invalid op %d", name, k, int(e.Op))
		}
		if node := k / 2; e.Input < 0 || e.Input > node+1 {
			return fmt.Errorf("genotype: %s edge %d (node %d): input %d out of range 0..%d", name, k, node, e.Input, node+1)
		}
	}
	if len(concat) == 0 {
		return fmt.Errorf("genotype: %s_concat is empty", name)
	}
	states := 2 + len(es)/2
	for i, c := range concat {
		if c < 0 || c >= states {
			return fmt.Errorf("genotype: %s_concat[%d] = %d out of range 0..%d", name, i, c, states-1)
		}
	}
	return nil
}

// MarshalJSON encodes an edge as ["op", input].
func (e Edge) MarshalJSON() ([]byte, error) {
	op, err := e.Op.MarshalText()
	if err != nil {
		return nil, err
	}
	return json.Marshal([]any{string(op), e.Input})
}

// UnmarshalJSON decodes ["op", input].
func (e *Edge) UnmarshalJSON(b []byte) error {
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil || len(raw) != 2 {
		return fmt.Errorf("genotype: edge: want [\"op\", input] got %s", clip(b))
	}
	var name string
	var in int
	if err := json.Unmarshal(raw[0], &name); err != nil {
		return fmt.Errorf("genotype: edge: want op name string got %s", clip(raw[0]))
	}
	if err := json.Unmarshal(raw[1], &in); err != nil {
		return fmt.Errorf("genotype: edge: want integer input got %s", clip(raw[1]))
	}
	op, err := ParsePrimitive(name)
	if err != nil {
		return err
	}
	*e = Edge{op, in}
	return nil
}

func clip(b []byte) string {
	s := string(bytes.Join(bytes.Fields(b), []byte(" ")))
	if len(s) > 40 {
		s = s[:40] + "..."
	}
	return s
}

type genotypeJSON struct {
	Normal       []Edge `json:"normal"`
	NormalConcat []int  `json:"normal_concat"`
	Reduce       []Edge `json:"reduce"`
	ReduceConcat []int  `json:"reduce_concat"`
}

// MarshalJSON encodes g as
// {"normal":[["sep_conv_3x3",0],...],"normal_concat":[2,3,4,5],"reduce":...,"reduce_concat":...}.
func (g Genotype) MarshalJSON() ([]byte, error) {
	return json.Marshal(genotypeJSON{g.Normal, g.NormalConcat, g.Reduce, g.ReduceConcat})
}

// UnmarshalJSON decodes the form MarshalJSON writes and validates it. The
// concats print as range(...) when contiguous.
func (g *Genotype) UnmarshalJSON(b []byte) error {
	var j genotypeJSON
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		if strings.HasPrefix(err.Error(), "genotype: ") {
			return err
		}
		return fmt.Errorf("genotype: json: %w", err)
	}
	h := Genotype{Normal: j.Normal, NormalConcat: j.NormalConcat, Reduce: j.Reduce, ReduceConcat: j.ReduceConcat}
	if err := h.Validate(); err != nil {
		return err
	}
	*g = h
	return nil
}
