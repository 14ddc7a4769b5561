package metric

import (
	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/data"
	"github.com/nasplayground/nas/core/nn"
	"github.com/nasplayground/nas/core/tensor"
)

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
