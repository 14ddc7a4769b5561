package run

import (
	"fmt"

	"github.com/nasplayground/nas/core/search/darts"
)

// Replica is one share of a data-parallel DARTS run (see darts.Replica): the
// page runs one per engine worker.
type Replica = darts.Replica

// NewReplica makes r, a DARTS run, replica shard of shards. Every replica
// must be built from the same Config and data.
func NewReplica(r *Run, shard, shards int) (*Replica, error) {
	d, ok := r.Searcher.(*DARTS)
	if !ok {
		return nil, fmt.Errorf("run: replicas need a DARTS run, not %s", r.Config.Method)
	}
	if shards < 1 || shard < 0 || shard >= shards {
		return nil, fmt.Errorf("run: replica %d of %d, want 0 <= shard < shards", shard, shards)
	}
	return &Replica{S: d.Search, Shard: shard, Shards: shards}, nil
}
