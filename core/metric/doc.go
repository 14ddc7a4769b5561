// Package metric measures a network on a data set: Evaluate gives the mean
// cross-entropy and accuracy in evaluation mode. Shared by core/train and
// core/search/darts. Imports: autograd, data, nn, tensor.
package metric
