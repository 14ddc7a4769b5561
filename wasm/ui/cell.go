package ui

import "math"

// CellEdges returns the (from, to) states of the flat edges of a search cell
// with steps intermediate nodes, in the order of quark0/darts
// model_search.py: node i (state 2+i) reads states 0..i+1, where states 0 and 1
// are c_{k-2} and c_{k-1}. Four steps give the 14 DARTS edges.
func CellEdges(steps int) [][2]int {
	var e [][2]int
	for i := range steps {
		for j := range i + 2 {
			e = append(e, [2]int{j, i + 2})
		}
	}
	return e
}

// CellSteps returns the number of intermediate nodes of a search cell with
// edges flat edges (len(CellEdges(steps)) == edges), or 0 if no cell has that
// many: 5, 9 and 14 edges are 2, 3 and 4 nodes.
func CellSteps(edges int) int {
	for steps, n := 1, 2; n <= edges; steps++ {
		if n == edges {
			return steps
		}
		n += steps + 2
	}
	return 0
}

// CellNodes returns the positions of the states of a DARTS cell in r: c_{k-2},
// c_{k-1} on the left, nodes 0..steps-1 zig-zagging to the right, then c_k.
func CellNodes(steps int, r Rect) []Point {
	ps := []Point{{r.X + 0.06*r.W, r.Y + 0.22*r.H}, {r.X + 0.06*r.W, r.Y + 0.78*r.H}}
	for i := range steps {
		y := 0.3
		if i%2 == 1 {
			y = 0.7
		}
		ps = append(ps, Point{r.X + (0.26+0.56*float64(i)/float64(max(1, steps-1)))*r.W, r.Y + y*r.H})
	}
	return append(ps, Point{r.X + 0.95*r.W, r.Y + 0.5*r.H})
}

// Strands returns n parallel quadratic Bézier curves from a to b as polylines
// of segs segments: the curve bends sideways by bend (a fraction of |ab|) and
// strand k is offset by (k-(n-1)/2)·gap along the normal. The strands of one
// DARTS edge show its candidate ops side by side.
func Strands(a, b Point, bend, gap float64, n, segs int) [][]Point {
	dx, dy := b.X-a.X, b.Y-a.Y
	l := math.Hypot(dx, dy)
	if l == 0 {
		return nil
	}
	nx, ny := -dy/l, dx/l // unit normal
	c := Point{(a.X+b.X)/2 + nx*bend*l, (a.Y+b.Y)/2 + ny*bend*l}
	out := make([][]Point, n)
	for k := range n {
		off := (float64(k) - float64(n-1)/2) * gap
		// Offset the end points a little (so strands leave the node fanned) and the control point fully.
		a2 := Point{a.X + nx*off*0.35, a.Y + ny*off*0.35}
		b2 := Point{b.X + nx*off*0.35, b.Y + ny*off*0.35}
		c2 := Point{c.X + nx*off, c.Y + ny*off}
		pts := make([]Point, segs+1)
		for s := range segs + 1 {
			t := float64(s) / float64(segs)
			u := 1 - t
			pts[s] = Point{u*u*a2.X + 2*u*t*c2.X + t*t*b2.X, u*u*a2.Y + 2*u*t*c2.Y + t*t*b2.Y}
		}
		out[k] = pts
	}
	return out
}

// EdgeBend returns the sideways bend of edge (from, to) so that edges skipping
// over nodes arc around them instead of crossing them.
func EdgeBend(from, to int) float64 {
	switch span := to - from; {
	case from < 2 && to == 2:
		return 0
	case span >= 3:
		if from%2 == 0 {
			return -0.14
		}
		return 0.14
	default:
		return 0.08
	}
}

// Viridis returns an RGB colour of the viridis map at t in [0,1] (perceptually
// uniform, readable by colour-blind viewers and in greyscale).
func Viridis(t float64) (r, g, b uint8) {
	stops := [][3]float64{{68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}}
	t = math.Max(0, math.Min(1, t)) * float64(len(stops)-1)
	i := min(int(t), len(stops)-2)
	f := t - float64(i)
	mix := func(k int) uint8 { return uint8(stops[i][k] + f*(stops[i+1][k]-stops[i][k]) + 0.5) }
	return mix(0), mix(1), mix(2)
}

// OpColors are distinct colours (Okabe-Ito palette plus grey) for up to 8
// candidate ops in their reference order; none is grey.
var OpColors = [][3]uint8{
	{150, 150, 150}, // none
	{86, 180, 233},  // max_pool_3x3 / skip in NB201 order
	{0, 158, 115},   //
	{240, 228, 66},  //
	{230, 159, 0},   //
	{213, 94, 0},    //
	{204, 121, 167}, //
	{0, 114, 178},   //
}
