package train

import (
	"bufio"
	"encoding/gob"
	"fmt"
	"io"

	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/data"
	"github.com/nasplayground/nas/core/nn"
	"github.com/nasplayground/nas/core/tensor"
)

// The helpers below are shared by every step machine that trains a network
// and checkpoints it (this package's Trainer, core/search/darts).

// WriteState writes a checkpoint: a "MAGIC VERSION" header line, then v as gob.
func WriteState(w io.Writer, magic string, version int, v any) error {
	bw := bufio.NewWriter(w)
	if _, err := fmt.Fprintf(bw, "%s %d\n", magic, version); err != nil {
		return err
	}
	if err := gob.NewEncoder(bw).Encode(v); err != nil {
		return err
	}
	return bw.Flush()
}

// ReadState decodes a checkpoint written by WriteState into v; what names the
// kind of checkpoint in errors ("DARTS", "training").
func ReadState(r io.Reader, magic string, version int, what string, v any) error {
	br := bufio.NewReader(r)
	var m string
	var ver int
	if _, err := fmt.Fscanf(br, "%s %d\n", &m, &ver); err != nil || m != magic {
		return fmt.Errorf("not a NAS Playground %s checkpoint (bad header)", what)
	}
	if ver != version {
		return fmt.Errorf("%s checkpoint version %d, this build reads %d", what, ver, version)
	}
	if err := gob.NewDecoder(br).Decode(v); err != nil {
		return fmt.Errorf("%s checkpoint is truncated or corrupt: %w", what, err)
	}
	return nil
}

// CopyValues returns copies of the values of vs.
func CopyValues(vs []*autograd.Var) [][]float32 {
	out := make([][]float32, len(vs))
	for i, v := range vs {
		out[i] = append([]float32(nil), v.Value.Data...)
	}
	return out
}

// CopyTensors returns copies of the data of ts.
func CopyTensors(ts []*tensor.Tensor) [][]float32 {
	out := make([][]float32, len(ts))
	for i, t := range ts {
		out[i] = append([]float32(nil), t.Data...)
	}
	return out
}

// Values returns the value slices of vs (not copies).
func Values(vs []*autograd.Var) [][]float32 {
	out := make([][]float32, len(vs))
	for i, v := range vs {
		out[i] = v.Value.Data
	}
	return out
}

// TensorData returns the data slices of ts (not copies).
func TensorData(ts []*tensor.Tensor) [][]float32 {
	out := make([][]float32, len(ts))
	for i, t := range ts {
		out[i] = t.Data
	}
	return out
}

// Restore copies src into dst after checking that counts and sizes agree;
// what names the tensors in errors ("weight", "α", "BN buffer").
func Restore(dst, src [][]float32, what string) error {
	if len(dst) != len(src) {
		return fmt.Errorf("checkpoint has %d %s tensors, the network %d", len(src), what, len(dst))
	}
	for i := range dst {
		if len(dst[i]) != len(src[i]) {
			return fmt.Errorf("checkpoint %s tensor %d has %d values, want %d", what, i, len(src[i]), len(dst[i]))
		}
	}
	for i := range dst {
		copy(dst[i], src[i])
	}
	return nil
}

// Evaluate returns the mean cross-entropy and accuracy of forward on ds in
// evaluation mode (BN running statistics, no augmentation, nothing
// recorded), over at most limit images (0 = all), in batches of batch.
func Evaluate(forward func(*nn.Ctx, *autograd.Var) *autograd.Var, ds *data.Dataset, batch, limit int) (loss, acc float64) {
	l := data.NewLoader(ds, batch, false, data.Augment{}, 0)
	x, y := make([]float32, batch*ds.ImageSize()), make([]int32, batch)
	tp := autograd.NewTape()
	tp.SetNoGrad(true)
	seen := 0
	for l.Epoch() == 0 && (limit <= 0 || seen < limit) {
		n := l.Next(x, y)
		if n == 0 {
			break
		}
		if limit > 0 {
			n = min(n, limit-seen)
		}
		logits := forward(&nn.Ctx{Tape: tp}, autograd.Const(tensor.FromData(x[:n*ds.ImageSize()], n, ds.C, ds.H, ds.W)))
		loss += float64(nn.CrossEntropy(tp, logits, y[:n]).Value.Data[0]) * float64(n)
		acc += nn.Accuracy(logits.Value, y[:n]) * float64(n)
		seen += n
		tp.Reset()
	}
	if seen == 0 {
		return 0, 0
	}
	return loss / float64(seen), acc / float64(seen)
}
