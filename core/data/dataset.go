package data

import (
	"fmt"
	"math"
)

// DefaultPortion is the DARTS train_portion: half of the training set trains the weights w,
// the other half is the validation set for the architecture α.
const DefaultPortion = 0.5

// Dataset is a set of labelled images held as bytes.
// Pixels has N*C*H*W bytes, image i at Pixels[i*C*H*W:], each channel a row-major H×W plane (NCHW planar,
// the CIFAR-10 record layout). Labels[i] indexes Classes.
type Dataset struct {
	Name       string
	N, C, H, W int
	Pixels     []uint8
	Labels     []uint8
	Classes    []string
}

// ImageSize returns C*H*W, the bytes of one image.
func (d *Dataset) ImageSize() int { return d.C * d.H * d.W }

// Image returns the C*H*W bytes of image i (a sub-slice of Pixels, not a copy).
func (d *Dataset) Image(i int) []uint8 {
	s := d.ImageSize()
	return d.Pixels[i*s : (i+1)*s : (i+1)*s]
}

// Subset returns a new Dataset holding copies of the images idx, in that order.
func (d *Dataset) Subset(idx []int) *Dataset {
	s := d.ImageSize()
	out := &Dataset{Name: d.Name, N: len(idx), C: d.C, H: d.H, W: d.W,
		Pixels: make([]uint8, len(idx)*s), Labels: make([]uint8, len(idx)), Classes: d.Classes}
	for j, i := range idx {
		copy(out.Pixels[j*s:(j+1)*s], d.Image(i))
		out.Labels[j] = d.Labels[i]
	}
	return out
}

// Split returns the first floor(portion·N) images as train and the rest as val, in file order.
// It mirrors quark0/darts cnn/train_search.py: split = int(np.floor(args.train_portion * num_train)),
// train = indices[:split], valid = indices[split:num_train]. Use DefaultPortion for DARTS' 0.5.
// It panics if portion is outside [0, 1].
func (d *Dataset) Split(portion float64) (train, val *Dataset) {
	if !(portion >= 0 && portion <= 1) {
		panic(fmt.Sprintf("data.Split: portion %v is outside [0, 1]", portion))
	}
	split := int(math.Floor(portion * float64(d.N)))
	return d.Subset(seq(0, split)), d.Subset(seq(split, d.N))
}

// Counts returns the number of images of each class (len(Classes) entries, or up to the largest label + 1).
func (d *Dataset) Counts() []int {
	n := len(d.Classes)
	for _, l := range d.Labels {
		n = max(n, int(l)+1)
	}
	counts := make([]int, n)
	for _, l := range d.Labels {
		counts[l]++
	}
	return counts
}

// Downsample returns a copy of d with each factor×factor block of pixels replaced by its mean, rounded half up
// (area averaging): out[c][y][x] = (Σ_{i,j<factor} in[c][y·f+i][x·f+j] + f²/2) / f².
// Trailing rows and columns that do not fill a block are dropped. It panics if factor < 1.
func Downsample(d *Dataset, factor int) *Dataset {
	if factor < 1 {
		panic(fmt.Sprintf("data.Downsample: factor %d < 1", factor))
	}
	f := factor
	oh, ow := d.H/f, d.W/f
	out := &Dataset{Name: d.Name, N: d.N, C: d.C, H: oh, W: ow,
		Pixels: make([]uint8, d.N*d.C*oh*ow), Labels: append([]uint8(nil), d.Labels...), Classes: d.Classes}
	area, half := f*f, f*f/2
	for p := 0; p < d.N*d.C; p++ { // one plane at a time
		src := d.Pixels[p*d.H*d.W : (p+1)*d.H*d.W]
		dst := out.Pixels[p*oh*ow : (p+1)*oh*ow]
		for y := range oh {
			for x := range ow {
				sum := 0
				for i := range f {
					row := src[(y*f+i)*d.W+x*f:][:f]
					for _, v := range row {
						sum += int(v)
					}
				}
				dst[y*ow+x] = uint8((sum + half) / area)
			}
		}
	}
	return out
}

// Stats returns the per-channel mean and standard deviation of the pixels scaled to [0, 1] that
// training normalises with, for a named data set: cifar10 (and demo, its downsampled subset) uses the
// values of quark0/darts cnn/utils.py CIFAR_MEAN/CIFAR_STD; mnist and fashion-mnist use the usual
// training-set values (0.1307, 0.3081) and (0.2860, 0.3530), computed as MeanStd does. Unknown names return nil, nil
// (compute them with MeanStd).
func Stats(name string) (mean, std []float32) {
	switch name {
	case "cifar10", "demo":
		return []float32{0.49139968, 0.48215827, 0.44653124}, []float32{0.24703233, 0.24348505, 0.26158768}
	case "mnist":
		return []float32{0.13066051707548254}, []float32{0.30810780244715075}
	case "fashion-mnist":
		return []float32{0.28604063146254594}, []float32{0.35302426207299326}
	}
	return nil, nil
}

// MeanStd computes the per-channel mean and population standard deviation of d's pixels scaled to [0, 1]
// (what torchvision-style normalisation constants are computed as), accumulating in float64.
func MeanStd(d *Dataset) (mean, std []float32) {
	hw := d.H * d.W
	sum := make([]float64, d.C)
	sq := make([]float64, d.C)
	for i := range d.N {
		img := d.Image(i)
		for c := range d.C {
			var s, q uint64
			for _, v := range img[c*hw : (c+1)*hw] {
				s += uint64(v)
				q += uint64(v) * uint64(v)
			}
			sum[c] += float64(s)
			sq[c] += float64(q)
		}
	}
	mean, std = make([]float32, d.C), make([]float32, d.C)
	n := float64(d.N * hw)
	for c := range d.C {
		m := sum[c] / n / 255
		v := sq[c]/n/(255*255) - m*m
		mean[c], std[c] = float32(m), float32(math.Sqrt(max(v, 0)))
	}
	return mean, std
}

func seq(lo, hi int) []int {
	s := make([]int, 0, hi-lo)
	for i := lo; i < hi; i++ {
		s = append(s, i)
	}
	return s
}
