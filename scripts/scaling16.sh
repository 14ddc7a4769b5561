#!/bin/sh
# scaling16.sh — DARTS search-step scaling on a many-core machine (issue 15).
#
# Runs `nas bench darts` at 1, 2, 4, 8, 16 threads on the reduced config
# (C=8, 5 cells, 16x16, batch 32) and the default one (C=16, 8 cells, 32x32,
# batch 64, iterations only: the JSON's darts_iter has the weight-step split),
# with a bin/nas built elsewhere (CGO_ENABLED=0 GOEXPERIMENT=simd go build -o
# bin/nas ./native/cmd/nas: needs nothing installed). BASE=path/to/other/nas
# adds a few runs of an older build for a before/after. Results: one JSON line
# per run in $OUT/scaling.jsonl (label, 1-minute load before the run, the
# bench's JSON), the machine in $OUT/machine.txt, a log in $OUT/log.txt, CPU
# profiles of bin/nas's 16-thread runs (and the reduced config's
# 1-thread run) in $OUT/*.prof. The runs labelled split and fork set
# --fork-min to 1000 (a cell node's ops never side by side: each op split
# over the workers by images, as before round 7) and to 1 (side by side
# whenever a node has an op per worker), beside the default (3).
#
#   OUT=/tmp/s16 scripts/scaling16.sh          # or: scripts/scaling16.sh DIR
set -u
OUT=${OUT:-${1:-/tmp/scaling16}}
NAS=${NAS:-bin/nas}
BASE=${BASE:-}
THREADS=${THREADS:-"1 2 4 8 16"}
mkdir -p "$OUT"
{
	date -u
	echo "nproc: $(nproc)"
	lscpu
	echo "loadavg: $(cat /proc/loadavg)"
	free -m 2>/dev/null
} >"$OUT/machine.txt" 2>&1
grep -m1 -o 'avx512[a-z]*' /proc/cpuinfo >/dev/null && echo "cpu flags: avx512" >>"$OUT/machine.txt"

# run LABEL BINARY ARGS...: one bench, its JSON line appended with the load
run() {
	label=$1 bin=$2
	shift 2
	la=$(cut -d' ' -f1 /proc/loadavg)
	start=$(date +%s)
	line=$(timeout 240 "$bin" bench darts "$@" --json 2>>"$OUT/log.txt" | tail -n 1)
	[ -n "$line" ] || line=null
	echo "{\"label\":\"$label\",\"args\":\"$*\",\"load1\":$la,\"wall_s\":$(($(date +%s) - start)),\"result\":$line}" >>"$OUT/scaling.jsonl"
	echo "$(date -u +%T) $label [$*] load=$la: $(echo "$line" | grep -o '"images_per_s": *[0-9.]*' | tr '\n' ' ')" | tee -a "$OUT/log.txt"
}

R="--C 8 --layers 5 --size 16 --batch 32 --iters 5 --warmup 2"
D="--mode darts --iters 2 --warmup 1"
for t in $THREADS; do
	p=""
	case $t in 1 | 16) p="--cpuprofile $OUT/reduced$t.prof" ;; esac
	run reduced "$NAS" $R --threads "$t" $p
done
for t in 2 4 8 16; do
	run reduced-split "$NAS" $R --threads "$t" --fork-min 1000
done
for t in 8 16; do
	run reduced-fork "$NAS" $R --threads "$t" --fork-min 1
done
if [ -n "$BASE" ]; then
	run reduced-base "$BASE" $R --threads 1
	run reduced-base "$BASE" $R --threads 16
fi
for t in 16 8 4 2 1; do
	p=""
	[ "$t" = 16 ] && p="--cpuprofile $OUT/default16.prof"
	run default "$NAS" $D --threads "$t" $p
done
run default-split "$NAS" $D --threads 16 --fork-min 1000
run default-fork "$NAS" $D --threads 16 --fork-min 1
[ -n "$BASE" ] && run default-base "$BASE" $D --threads 16
echo "loadavg at the end: $(cat /proc/loadavg)" >>"$OUT/machine.txt"
