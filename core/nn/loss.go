package nn

import (
	"fmt"
	"math"

	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/tensor"
)

// Softmax normalises each row of a 2-D x (subtracting the row max first so
// exp never overflows).
//
//	x: (R, K)  →  y[r][k] = exp(x[r][k] − max_r) / Σ_j exp(x[r][j] − max_r)
func Softmax(tp *autograd.Tape, x *autograd.Var) *autograd.Var {
	tensor.MustRank("nn.Softmax", "x", x.Shape(), 2, "[R K]")
	r, k := x.Dim(0), x.Dim(1)
	y := tp.Alloc(r, k)
	for i := 0; i < r; i++ {
		softmaxRow(x.Data()[i*k:(i+1)*k], y.Data[i*k:(i+1)*k])
	}
	return tp.Record("Softmax", y, func(dy *tensor.Tensor) {
		// forward: y = softmax(x)  →  dx += y ⊙ (dy − Σ_j dy_j·y_j)
		dx := x.GradBuf().Data
		for i := 0; i < r; i++ {
			yr, dyr := y.Data[i*k:(i+1)*k], dy.Data[i*k:(i+1)*k]
			var s float64
			for j := range yr {
				s += float64(dyr[j]) * float64(yr[j])
			}
			for j := range yr {
				dx[i*k+j] += yr[j] * (dyr[j] - float32(s))
			}
		}
	}, x)
}

func softmaxRow(x, y []float32) {
	mx := x[0]
	for _, v := range x {
		mx = max(mx, v)
	}
	var s float64
	for j, v := range x {
		e := math.Exp(float64(v - mx))
		y[j] = float32(e)
		s += e
	}
	inv := float32(1 / s)
	for j := range y {
		y[j] *= inv
	}
}

// CrossEntropy returns the mean over the batch of −log softmax(logits)[label],
// computed as logsumexp − logit[label] (numerically stable).
//
//	logits: (N, K)  labels: N ints in [0, K)  →  scalar (1)
func CrossEntropy(tp *autograd.Tape, logits *autograd.Var, labels []int32) *autograd.Var {
	tensor.MustRank("nn.CrossEntropy", "logits", logits.Shape(), 2, "[N K]")
	n, k := logits.Dim(0), logits.Dim(1)
	tensor.Mustf(len(labels) == n, "nn.CrossEntropy", "labels", []int{len(labels)}, "[%d] (N of logits)", n)
	p := tp.Alloc(n, k) // softmax, kept for backward
	var loss float64
	for i := 0; i < n; i++ {
		lb := int(labels[i])
		if lb < 0 || lb >= k {
			panic(fmt.Sprintf("nn.CrossEntropy: label %d of sample %d outside [0, %d)", lb, i, k))
		}
		row := logits.Data()[i*k : (i+1)*k]
		softmaxRow(row, p.Data[i*k:(i+1)*k])
		mx := row[0]
		for _, v := range row {
			mx = max(mx, v)
		}
		var s float64
		for _, v := range row {
			s += math.Exp(float64(v - mx))
		}
		loss += math.Log(s) + float64(mx) - float64(row[lb])
	}
	y := tp.Alloc(1)
	y.Data[0] = float32(loss / float64(n))
	return tp.Record("CrossEntropy", y, func(dy *tensor.Tensor) {
		// forward: L = mean_n(logsumexp(z_n) − z_n[label])  →  dz += dL·(softmax(z) − onehot)/N
		dz := logits.GradBuf().Data
		g := dy.Data[0] / float32(n)
		for i := 0; i < n; i++ {
			for j := 0; j < k; j++ {
				d := p.Data[i*k+j]
				if j == int(labels[i]) {
					d--
				}
				dz[i*k+j] += g * d
			}
		}
	}, logits)
}

// Accuracy returns the fraction of rows of logits (N, K) whose argmax equals
// the label (ties go to the lower class).
func Accuracy(logits *tensor.Tensor, labels []int32) float64 {
	n, k := logits.Dim(0), logits.Dim(1)
	correct := 0
	for i := 0; i < n; i++ {
		if Argmax(logits.Data[i*k:(i+1)*k]) == int(labels[i]) {
			correct++
		}
	}
	return float64(correct) / float64(n)
}

// Argmax returns the index of the largest value (the first on ties).
func Argmax(x []float32) int {
	best := 0
	for j, v := range x {
		if v > x[best] {
			best = j
		}
	}
	return best
}
