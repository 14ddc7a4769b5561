package tensor

import (
	"fmt"
	"strings"
)

// ShapeError is the panic value of an op called with tensors of the wrong
// shape. Shape errors are programmer errors: core never recovers them.
type ShapeError struct {
	Op   string // e.g. "nn.Conv2D"
	Arg  string // e.g. "w"
	Got  []int
	Want string // e.g. "[F 16 KH KW] (C of x is 16)"
}

func (e *ShapeError) Error() string {
	return fmt.Sprintf("%s: %s has shape %v, want %s", e.Op, e.Arg, e.Got, e.Want)
}

// Any is a wildcard dimension for MustShape.
const Any = -1

// MustShape panics with a *ShapeError unless got matches want, where Any
// matches every size.
func MustShape(op, arg string, got []int, want ...int) {
	ok := len(got) == len(want)
	for i := 0; ok && i < len(want); i++ {
		ok = want[i] == Any || want[i] == got[i]
	}
	if !ok {
		panic(&ShapeError{Op: op, Arg: arg, Got: append([]int(nil), got...), Want: fmtWant(want)})
	}
}

// MustRank panics with a *ShapeError unless got has rank r.
func MustRank(op, arg string, got []int, r int, what string) {
	if len(got) != r {
		panic(&ShapeError{Op: op, Arg: arg, Got: append([]int(nil), got...), Want: what})
	}
}

// Mustf panics with a *ShapeError whose Want is a free-form description,
// for constraints MustShape cannot express.
func Mustf(cond bool, op, arg string, got []int, format string, a ...any) {
	if !cond {
		panic(&ShapeError{Op: op, Arg: arg, Got: append([]int(nil), got...), Want: fmt.Sprintf(format, a...)})
	}
}

func fmtWant(want []int) string {
	parts := make([]string, len(want))
	for i, d := range want {
		if d == Any {
			parts[i] = "*"
		} else {
			parts[i] = fmt.Sprint(d)
		}
	}
	return "[" + strings.Join(parts, " ") + "]"
}
