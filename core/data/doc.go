// Package data reads image classification data sets into one plain type, Dataset (uint8 pixels, NCHW planar),
// and feeds them to training as normalised float32 minibatches through Loader (random crop, flip, cutout).
// Formats: the CIFAR-10 binary records of Krizhevsky (2009) and the IDX files of MNIST / Fashion-MNIST
// (gzipped or not). Augmentation and the train/val split mirror quark0/darts cnn/utils.py and train_search.py.
// It imports only the standard library, so it builds for js/wasm.
package data
