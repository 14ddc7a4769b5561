package kernels

import (
	"sync"
	"sync/atomic"
)

// memo caches values built once per key (the planar layouts by geometry,
// the row offsets by shape) for lookups on every kernel call: a
// direct-mapped table of atomic pointers in front of a sync.Map. A hit costs
// a multiply, a load and a key comparison; sync.Map hashed the key through
// an interface on every call (2% of a reduced-config DARTS step). A slot
// another key took falls back to the map, so two keys sharing a slot never
// rebuild their values.
type memo[K comparable, V any] struct {
	slots [memoSlots]atomic.Pointer[memoEntry[K, V]]
	all   sync.Map // K → V
}

type memoEntry[K comparable, V any] struct {
	key K
	val V
}

const memoSlots = 64

// get returns the value of k, hashed to h, built by build the first time.
func (m *memo[K, V]) get(k K, h uint64, build func() V) V {
	slot := &m.slots[(h*0x9E3779B97F4A7C15)>>58]
	if e := slot.Load(); e != nil && e.key == k {
		return e.val
	}
	var v V
	if got, ok := m.all.Load(k); ok {
		v = got.(V)
	} else {
		got, _ := m.all.LoadOrStore(k, build())
		v = got.(V)
	}
	slot.Store(&memoEntry[K, V]{k, v})
	return v
}
