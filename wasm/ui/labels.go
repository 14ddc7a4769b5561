package ui

import (
	"cmp"
	"math"
	"slices"
)

// labelSpots are the fractions of the way along a curve where a label may
// sit, best first: the middle, then ever closer to the ends.
var labelSpots = []float64{0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78, 0.15, 0.85, 0.1, 0.9}

// labelShifts are a label's offsets from its spot on the curve, in label
// widths and heights, nearest first: on the line, then beside it (above,
// below, left, right), then further.
var labelShifts = func() []Point {
	var out []Point
	for _, dx := range []float64{0, -0.55, 0.55, -1.05, 1.05, -1.6, 1.6} {
		for _, dy := range []float64{0, -0.6, 0.6, -1.1, 1.1, -1.6, 1.6, -2.2, 2.2} {
			out = append(out, Point{dx, dy})
		}
	}
	slices.SortStableFunc(out, func(a, b Point) int {
		return cmp.Compare(math.Hypot(a.X*2, a.Y), math.Hypot(b.X*2, b.Y)) // a width is about two heights
	})
	return out
}()

// PlaceLabels places one w×h label on each polyline of curves (sizes[i] =
// {w, h}) inside bounds: centred on a point of its curve, or beside it, where
// it overlaps no obstacle (the cell's nodes) and comes no closer than gap to
// another label (two labels side by side read as two). Each
// label takes the first free spot of labelSpots, on its line, else beside it
// (labelShifts); when the labels placed in order leave an overlap, the
// rotations of that order and of its reverse are tried, and the placement
// with the least overlapping area wins. The derived cell's op names stay
// readable where edges crowd and where the names are long (Korean).
func PlaceLabels(curves [][]Point, sizes []Point, obstacles []Rect, bounds Rect, gap float64) []Rect {
	n := len(curves)
	var best []Rect
	bestCost := math.Inf(1)
	for try := range max(1, 2*n) {
		order := make([]int, 0, n)
		for k := range n { // rotations of the given order, then of its reverse
			if try < n {
				order = append(order, (try+k)%n)
			} else {
				order = append(order, (2*n-1-try+n-k)%n)
			}
		}
		out, cost := placeInOrder(curves, sizes, obstacles, bounds, gap, order, bestCost)
		if cost < bestCost {
			best, bestCost = out, cost
		}
		if cost == 0 {
			break
		}
	}
	return best
}

// placeInOrder places the labels greedily in order and returns them with the
// area they overlap (each other with gap pixels around each, the obstacles,
// outside bounds); it gives up once that area reaches limit (a better order
// is known).
func placeInOrder(curves [][]Point, sizes []Point, obstacles []Rect, bounds Rect, gap float64, order []int, limit float64) ([]Rect, float64) {
	out := make([]Rect, len(curves))
	var placed []Rect // the labels so far
	total := 0.0
	for _, i := range order {
		pts := curves[i]
		if len(pts) < 2 || i >= len(sizes) {
			continue
		}
		w, h := sizes[i].X, sizes[i].Y
		var pick Rect
		pickCost := math.Inf(1)
	search:
		for _, sh := range labelShifts { // on the line anywhere before beside it
			for _, t := range labelSpots {
				k := min(len(pts)-2, int(t*float64(len(pts)-1)))
				p, q := pts[k], pts[k+1]
				f := t*float64(len(pts)-1) - float64(k)
				cx, cy := p.X+f*(q.X-p.X)+sh.X*w, p.Y+f*(q.Y-p.Y)+sh.Y*h
				r := Rect{cx - w/2, cy - h/2, w, h}
				cost := overlapArea(r, obstacles) + overlapArea(r.Inset(-gap), placed) + w*h - area(intersect(r, bounds))
				if cost < pickCost {
					pick, pickCost = r, cost
				}
				if cost == 0 {
					break search
				}
			}
		}
		out[i] = pick
		placed = append(placed, pick)
		if total += pickCost; total >= limit {
			return nil, total
		}
	}
	return out, total
}

func overlapArea(r Rect, rs []Rect) float64 {
	a := 0.0
	for _, o := range rs {
		a += area(intersect(r, o))
	}
	return a
}

func intersect(a, b Rect) Rect {
	x0, y0 := math.Max(a.X, b.X), math.Max(a.Y, b.Y)
	x1, y1 := math.Min(a.X+a.W, b.X+b.W), math.Min(a.Y+a.H, b.Y+b.H)
	if x1 <= x0 || y1 <= y0 {
		return Rect{}
	}
	return Rect{x0, y0, x1 - x0, y1 - y0}
}

func area(r Rect) float64 { return r.W * r.H }
