// Package nn holds the differentiable ops every NAS search space is built from
// (conv2d with groups/dilation and its depthwise fast path, pooling, batch
// norm, ReLU, linear, softmax, cross-entropy, concat, sums, the DARTS mixed-op
// weighted sum, zero, crop, dropout, drop-path), each with its backward beside
// its forward, and the composite blocks of DARTS/NASNet (ReLUConvBN, SepConv,
// DilConv, FactorizedReduce). Imports: tensor, autograd, internal/kernels.
package nn
