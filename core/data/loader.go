package data

import (
	"fmt"
	"math/rand/v2"
)

// Augment selects the training augmentation of quark0/darts cnn/utils.py _data_transforms_cifar10:
// RandomCrop(32, padding=Crop), RandomHorizontalFlip(), ToTensor(), Normalize(mean, std), then
// Cutout(Cutout) if enabled. The zero value is no augmentation (evaluation).
type Augment struct {
	Crop   int  // zero padding on each side before a random crop back to H×W; DARTS uses 4, 0 = off
	Flip   bool // horizontal flip with probability 0.5
	Cutout int  // side of the square zeroed after normalisation; DARTS uses 16, 0 = off
}

// DARTSAugment is the augmentation of DARTS search and evaluation (cutout is an evaluation option).
var DARTSAugment = Augment{Crop: 4, Flip: true}

// Loader yields minibatches of a Dataset as normalised float32 NCHW tensors, in a seeded random order
// that is reshuffled each epoch. The last batch of an epoch is short when N is not a multiple of the
// batch size (DARTS' DataLoader has drop_last=False). State and Restore checkpoint the exact position.
type Loader struct {
	ds      *Dataset
	batch   int
	shuffle bool
	aug     Augment
	lut     [][256]float32 // lut[c][p] = (p/255 - mean[c]) / std[c]
	pcg     *rand.PCG
	rng     *rand.Rand
	perm    []int
	epoch   int
	pos     int
	img     []uint8 // one cropped and flipped image
}

// NewLoader returns a Loader over ds with the given batch size. The normalisation constants are
// Stats(ds.Name), or MeanStd(ds) for an unknown name. With shuffle false images come in file order.
// All randomness (order, crop, flip, cutout) comes from one PCG seeded with seed.
func NewLoader(ds *Dataset, batch int, shuffle bool, aug Augment, seed uint64) *Loader {
	if batch < 1 {
		panic(fmt.Sprintf("data.NewLoader: batch %d < 1", batch))
	}
	mean, std := Stats(ds.Name)
	if len(mean) != ds.C {
		mean, std = MeanStd(ds)
	}
	l := &Loader{ds: ds, batch: batch, shuffle: shuffle, aug: aug,
		lut: make([][256]float32, ds.C), perm: seq(0, ds.N), img: make([]uint8, ds.ImageSize())}
	for c := range ds.C {
		s := std[c]
		if s == 0 {
			s = 1
		}
		for p := range 256 {
			l.lut[c][p] = (float32(p)/255 - mean[c]) / s
		}
	}
	l.pcg = rand.NewPCG(seed, 0x9e3779b97f4a7c15)
	l.rng = rand.New(l.pcg)
	if shuffle {
		l.rng.Shuffle(len(l.perm), func(i, j int) { l.perm[i], l.perm[j] = l.perm[j], l.perm[i] })
	}
	return l
}

// Epoch returns the number of completed epochs (the epoch the next batch belongs to).
func (l *Loader) Epoch() int { return l.epoch }

// Pos returns the position of the next image within the current epoch's order.
func (l *Loader) Pos() int { return l.pos }

// BatchesPerEpoch returns ceil(N / batch).
func (l *Loader) BatchesPerEpoch() int { return (l.ds.N + l.batch - 1) / l.batch }

// Dataset returns the data set the Loader reads.
func (l *Loader) Dataset() *Dataset { return l.ds }

// Next fills x (batch·C·H·W floats, NCHW) and y (batch labels) with the next n images and returns n:
// the batch size, or fewer for the last batch of an epoch, or 0 for an empty data set.
// Per image, in this order of random draws: crop offsets dy then dx in [0, 2·Crop], flip with p = 0.5,
// cutout centre y then x uniform in the image. It does not allocate.
func (l *Loader) Next(x []float32, y []int32) (n int) {
	d := l.ds
	if d.N == 0 {
		return 0
	}
	n = min(l.batch, d.N-l.pos)
	size := d.ImageSize()
	if len(x) < n*size || len(y) < n {
		panic(fmt.Sprintf("data.Loader.Next: x has %d floats and y %d labels, want %d and %d", len(x), len(y), n*size, n))
	}
	hw := d.H * d.W
	for j := range n {
		i := l.perm[l.pos+j]
		y[j] = int32(d.Labels[i])
		dx, dy, flip := 0, 0, false
		if l.aug.Crop > 0 {
			dy = l.rng.IntN(2*l.aug.Crop + 1)
			dx = l.rng.IntN(2*l.aug.Crop + 1)
		}
		if l.aug.Flip {
			flip = l.rng.Float64() < 0.5
		}
		cropFlip(l.img, d.Image(i), d.C, d.H, d.W, l.aug.Crop, dx, dy, flip)
		out := x[j*size : (j+1)*size]
		for c := range d.C {
			lut := &l.lut[c]
			dst := out[c*hw : (c+1)*hw]
			for k, p := range l.img[c*hw : (c+1)*hw] {
				dst[k] = lut[p]
			}
		}
		if l.aug.Cutout > 0 {
			cy, cx := l.rng.IntN(d.H), l.rng.IntN(d.W)
			cutout(out, d.C, d.H, d.W, l.aug.Cutout, cy, cx)
		}
	}
	l.pos += n
	if l.pos >= d.N {
		l.epoch++
		l.pos = 0
		if l.shuffle {
			l.rng.Shuffle(len(l.perm), func(i, j int) { l.perm[i], l.perm[j] = l.perm[j], l.perm[i] })
		}
	}
	return n
}

// cropFlip writes into dst (C·H·W) the H×W window at offset (dy, dx) of src (C·H·W) zero-padded by pad on
// every side, mirrored left-right if flip. Reference loop (torchvision pads with pixel 0, crops, then flips):
//
//	dst[c][y][x] = padded[c][y+dy][xs+dx], xs = W-1-x if flip else x,
//	padded[c][v][u] = src[c][v-pad][u-pad] inside the image, else 0.
func cropFlip(dst, src []uint8, c, h, w, pad, dx, dy int, flip bool) {
	for ch := range c {
		s := src[ch*h*w : (ch+1)*h*w]
		d := dst[ch*h*w : (ch+1)*h*w]
		for y := range h {
			row := d[y*w : (y+1)*w]
			sy := y + dy - pad
			if sy < 0 || sy >= h {
				clear(row)
				continue
			}
			srow := s[sy*w : (sy+1)*w]
			// Columns x with 0 <= x+dx-pad < w read the source (before the flip); the rest are padding.
			lo, hi := clampInt(pad-dx, 0, w), clampInt(w+pad-dx, 0, w)
			clear(row)
			if !flip {
				copy(row[lo:hi], srow[lo+dx-pad:hi+dx-pad])
				continue
			}
			for x := lo; x < hi; x++ { // flipped: dst[w-1-x] takes what dst[x] would have taken
				row[w-1-x] = srow[x+dx-pad]
			}
		}
	}
}

// cutout zeroes, in every channel of img (C·H·W), the rows [cy-L/2, cy+L/2) and columns [cx-L/2, cx+L/2)
// clipped to the image: DeVries & Taylor 2017, as in quark0/darts cnn/utils.py Cutout (np.clip, mask *).
func cutout(img []float32, c, h, w, length, cy, cx int) {
	y1, y2 := clampInt(cy-length/2, 0, h), clampInt(cy+length/2, 0, h)
	x1, x2 := clampInt(cx-length/2, 0, w), clampInt(cx+length/2, 0, w)
	for ch := range c {
		for y := y1; y < y2; y++ {
			clear(img[ch*h*w+y*w+x1 : ch*h*w+y*w+x2])
		}
	}
}

func clampInt(v, lo, hi int) int { return min(max(v, lo), hi) }

// LoaderState is a Loader's position, serialisable as JSON, for checkpoints: a Loader restored from it
// yields exactly the batches the saved one would have yielded next.
type LoaderState struct {
	N     int    `json:"n"`     // images in the data set, checked on Restore
	Epoch int    `json:"epoch"` // completed epochs
	Pos   int    `json:"pos"`   // position of the next image in Perm
	Perm  []int  `json:"perm"`  // this epoch's order
	RNG   []byte `json:"rng"`   // PCG state (rand.PCG.MarshalBinary)
}

// State returns a copy of the Loader's position and random state.
func (l *Loader) State() LoaderState {
	rng, err := l.pcg.MarshalBinary()
	if err != nil { // PCG.MarshalBinary never fails
		panic(err)
	}
	return LoaderState{N: l.ds.N, Epoch: l.epoch, Pos: l.pos, Perm: append([]int(nil), l.perm...), RNG: rng}
}

// Restore sets the Loader to a saved state; the state must come from a Loader over a data set of the same size.
func (l *Loader) Restore(s LoaderState) error {
	if s.N != l.ds.N || len(s.Perm) != l.ds.N {
		return fmt.Errorf("data: loader state for %d images (perm %d), want %d", s.N, len(s.Perm), l.ds.N)
	}
	if s.Pos < 0 || s.Pos >= max(s.N, 1) || s.Epoch < 0 {
		return fmt.Errorf("data: loader state has epoch %d, pos %d, want epoch >= 0 and pos in [0, %d)", s.Epoch, s.Pos, s.N)
	}
	seen := make([]bool, s.N)
	for k, i := range s.Perm {
		if i < 0 || i >= s.N || seen[i] {
			return fmt.Errorf("data: loader state perm[%d] = %d is not part of a permutation of 0..%d", k, i, s.N-1)
		}
		seen[i] = true
	}
	pcg := new(rand.PCG)
	if err := pcg.UnmarshalBinary(s.RNG); err != nil {
		return fmt.Errorf("data: loader state rng: %w", err)
	}
	*l.pcg = *pcg
	l.epoch, l.pos = s.Epoch, s.Pos
	copy(l.perm, s.Perm)
	return nil
}
