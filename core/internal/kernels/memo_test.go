package kernels

import (
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
)

// memo builds each key's value once, and keys sharing a slot (here every
// key: one hash) each keep their own value, from several goroutines at once.
func TestMemo(t *testing.T) {
	var m memo[[2]int, int]
	var builds [8]atomic.Int32
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for round := range 50 {
				k := (g + round) % len(builds)
				v := m.get([2]int{k, -k}, 7, func() int { builds[k].Add(1); return 10 * k })
				require.Equal(t, 10*k, v, "key %d", k)
			}
		}()
	}
	wg.Wait()
	for k := range builds {
		require.LessOrEqual(t, builds[k].Load(), int32(4), "key %d built by more than each goroutine once", k)
	}
	for k := range builds {
		n := builds[k].Load()
		require.Equal(t, 10*k, m.get([2]int{k, -k}, 7, func() int { builds[k].Add(1); return -1 }))
		require.Equal(t, n, builds[k].Load(), "key %d rebuilt", k)
	}
}
