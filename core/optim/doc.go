// Package optim holds the optimisers and schedules of the DARTS recipe, each a
// float32 transcription of its PyTorch 1.13 counterpart: SGD (momentum,
// Nesterov, L2 weight decay), Adam (L2 weight decay, bias correction),
// CosineLR (CosineAnnealingLR) and ClipGradNorm (clip_grad_norm_). Optimiser
// state is exported plain data for checkpoints. It imports core/autograd and
// core/tensor only. Reference: quark0/darts cnn/train_search.py, architect.py.
package optim
