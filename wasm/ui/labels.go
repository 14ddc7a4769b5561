package ui

// PlaceLabels places one w×h label on each polyline of curves (sizes[i] =
// {w, h}), centred on a point of the curve: the middle if it is free, else
// the first of 40%, 60%, 30%, 70%, 20%, 80% of the way that overlaps neither
// an obstacle nor an earlier label, else the middle. The derived cell's op
// names stay readable where edges crowd.
func PlaceLabels(curves [][]Point, sizes []Point, obstacles []Rect) []Rect {
	out := make([]Rect, len(curves))
	taken := append([]Rect(nil), obstacles...)
	for i, pts := range curves {
		if len(pts) == 0 || i >= len(sizes) {
			continue
		}
		w, h := sizes[i].X, sizes[i].Y
		at := func(t float64) Rect {
			p := pts[min(len(pts)-1, int(t*float64(len(pts)-1)+0.5))]
			return Rect{p.X - w/2, p.Y - h/2, w, h}
		}
		best := at(0.5)
		for _, t := range []float64{0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8} {
			r := at(t)
			free := true
			for _, o := range taken {
				if r.Overlaps(o) {
					free = false
					break
				}
			}
			if free {
				best = r
				break
			}
		}
		out[i] = best
		taken = append(taken, best)
	}
	return out
}
