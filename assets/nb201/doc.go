// Package nb201data embeds the NAS-Bench-201 accuracy table (15,625 cells ×
// {cifar10, cifar100, imagenet16-120} test accuracies after 200 epochs) as a
// gzipped float32 array. It imports only the standard library; core/nb201
// decodes it. Source: X. Dong, Y. Yang, "NAS-Bench-201", ICLR 2020 (see README.md).
package nb201data
