package ui

import "fmt"

// HeatMap is the geometry of the DARTS scene's two α heat maps (normal and
// reduction cell side by side) inside their panel's inner rectangle: per
// cell a column of edge labels, a header of op names, one row per edge.
type HeatMap struct {
	X0         [2]float64 // left edge of each map's first column
	Y0         float64    // top of the first row
	ColW, RowH float64
	LabelW     float64 // width of the edge-label column left of each map
	HeaderY    float64 // top of the op-name header
	Edges, Ops int
}

// HeatMapIn lays out edges×ops heat maps for the normal and the reduction
// cell in in, u the layout unit: edge labels 2.8 units wide, a header of
// headerH units for the (rotated) op names.
func HeatMapIn(in Rect, u, headerH float64, edges, ops int) HeatMap {
	labelW, gap := 2.8*u, 0.6*u
	mapW := (in.W - 2*labelW - gap) / 2
	h := HeatMap{LabelW: labelW, HeaderY: in.Y, Y0: in.Y + headerH*u, Edges: edges, Ops: ops}
	h.ColW = mapW / float64(max(1, ops))
	h.RowH = (in.Y + in.H - h.Y0) / float64(max(1, edges))
	for c := range 2 {
		h.X0[c] = in.X + labelW + float64(c)*(mapW+labelW+gap)
	}
	return h
}

// Cell returns the rectangle of (cell c, edge e, op k).
func (h HeatMap) Cell(c, e, k int) Rect {
	return Rect{h.X0[c] + float64(k)*h.ColW, h.Y0 + float64(e)*h.RowH, h.ColW, h.RowH}
}

// Row returns the clickable rectangle of edge e of cell c: its label and its cells.
func (h HeatMap) Row(c, e int) Rect {
	return Rect{h.X0[c] - h.LabelW, h.Y0 + float64(e)*h.RowH, h.LabelW + float64(h.Ops)*h.ColW, h.RowH}
}

// Buttons returns one button per row, id "edge.C.E" (C 0 normal, 1 reduce).
func (h HeatMap) Buttons() []Button {
	var bs []Button
	for c := range 2 {
		for e := range h.Edges {
			bs = append(bs, Button{ID: fmt.Sprintf("edge.%d.%d", c, e), Rect: h.Row(c, e)})
		}
	}
	return bs
}

// ParseEdgeID returns the cell and edge of a heat-map row button id.
func ParseEdgeID(id string) (cell, edge int, ok bool) {
	if _, err := fmt.Sscanf(id, "edge.%d.%d", &cell, &edge); err != nil || cell < 0 || cell > 1 || edge < 0 {
		return 0, 0, false
	}
	return cell, edge, true
}

// EdgeLabel names edge e of CellEdges(steps): "k-1→0" (input → node).
func EdgeLabel(e, steps int) string {
	es := CellEdges(steps)
	if e < 0 || e >= len(es) {
		return "?"
	}
	return StateName(es[e][0]) + "→" + fmt.Sprint(es[e][1]-2)
}

// StateName names state s of a cell: k-2, k-1, then the nodes 0, 1, ….
func StateName(s int) string {
	switch s {
	case 0:
		return "k-2"
	case 1:
		return "k-1"
	}
	return fmt.Sprint(s - 2)
}
