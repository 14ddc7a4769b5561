// Package demo embeds the web page's demo data set: 2,000 training and 500 test CIFAR-10 images
// downsampled to 16×16 (see README.md for how they were derived), decoded through core/data.
// Importing it registers the set as "demo" for data.Load. It imports only core/data and the standard library.
// Data: A. Krizhevsky, "Learning Multiple Layers of Features from Tiny Images", 2009.
package demo
