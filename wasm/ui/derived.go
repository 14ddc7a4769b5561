package ui

// PanelInner returns the free area of panel r below its title (when titled)
// and a caption capH pixels tall, u the layout unit: what the page's panel
// drawing leaves for the panel's content.
func PanelInner(r Rect, u float64, titled bool, capH float64) Rect {
	y := r.Y + 0.3*u
	if titled {
		y += SizeBody * u * 1.35
	}
	y += capH
	return Rect{r.X + 0.4*u, y + 0.2*u, r.W - 0.8*u, r.Y + r.H - y - 0.5*u}
}

// LineHeight is the distance between the lines of a paragraph at size units.
func LineHeight(size, u float64) float64 { return size * u * 1.25 }

// CellSplit is the share of a DARTS cell panel's width that the continuous
// cell takes; the derived discrete cell has the rest.
const CellSplit = 0.5

// DARTSCellAreas returns, for a DARTS cell panel r whose content starts at
// in (PanelInner), the area of the continuous cell (left), of the derived
// cell's column (right, its title row included) and of the derived cell's
// drawing below that title.
func DARTSCellAreas(r, in Rect, u float64) (relaxed, column, derived Rect) {
	top, h := in.Y-0.2*u, r.Y+r.H-in.Y
	relaxed = Rect{r.X, top, r.W * CellSplit, h}
	column = Rect{r.X + r.W*CellSplit, top, r.W * (1 - CellSplit), h}
	derived = Rect{column.X + 0.1*u, column.Y + 0.1*u, column.W - 0.3*u, column.H - 0.2*u}
	return relaxed, column, derived
}

// DerivedTitle is the box of the derived cell's title ("derived now", textW
// pixels wide) in the top-left corner of its area: drawn 0.3 units in, kept
// clear of the labels.
func DerivedTitle(area Rect, u, textW float64) Rect {
	return Rect{area.X, area.Y, textW + 0.4*u, u}
}

// DerivedCell is the drawing of a discrete cell: the states' centres and
// radius, one curve per edge and its label's box.
type DerivedCell struct {
	Nodes  []Point
	Rad    float64
	Curves [][]Point
	Labels []Rect
}

// LayoutDerivedCell lays out the discrete cell of edges (each node's chosen
// inputs, GenoEdge) of a 4-step cell in r, u the layout unit: the states as
// CellNodes, each edge a curve, each label (labelSizes[i] = {w, h}) placed
// by PlaceLabels clear of the states, of the keepOut boxes (the title) and
// of the other labels, inside r.
func LayoutDerivedCell(r Rect, u float64, edges []GenoEdge, labelSizes []Point, keepOut []Rect) DerivedCell {
	steps := 4           // the paper's cell until the genotype has arrived
	if len(edges) >= 2 { // a derived cell keeps two inputs per node (?nodes=3: 6 edges, 3 nodes)
		steps = len(edges) / 2
	}
	d := DerivedCell{Rad: 0.7 * u}
	d.Nodes = CellNodes(steps, Rect{X: r.X + 0.7*u, Y: r.Y + 0.6*u, W: r.W - 1.4*u, H: r.H - 0.8*u}) // c_{k-2} below the title
	obstacles := append([]Rect(nil), keepOut...)
	for _, p := range d.Nodes {
		obstacles = append(obstacles, Rect{p.X - d.Rad, p.Y - d.Rad, 2 * d.Rad, 2 * d.Rad})
	}
	var sizes []Point
	for i, e := range edges {
		from, to := e.Input, e.Node+2
		if from >= len(d.Nodes) || to >= len(d.Nodes) {
			d.Curves = append(d.Curves, nil)
		} else {
			d.Curves = append(d.Curves, Strands(d.Nodes[from], d.Nodes[to], EdgeBend(from, to), 0, 1, 24)[0])
		}
		sizes = append(sizes, labelSizes[min(i, len(labelSizes)-1)])
	}
	d.Labels = PlaceLabels(d.Curves, sizes, obstacles, r, LabelGap*u)
	return d
}

// A chip is a label on a filled box (an op name on a cell's edge): the text
// at SizeMin with ChipPad units of padding in all, ChipH units tall.
const (
	ChipPad = 0.3
	ChipH   = 1.05
	// LabelGap is the free space between two labels of a cell drawing, in units.
	LabelGap = 0.4
)
