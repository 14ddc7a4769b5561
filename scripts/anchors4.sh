#!/bin/sh
# anchors4.sh — issue 15's side-by-side runs on this machine: bin/nas bench
# darts and shared/bench/darts_search_step.py alternated in one go, each line
# of $OUT/anchors.jsonl with the 1-minute load before the run.
#
#   OUT=/tmp/a4 B=../shared/bench CONFIGS="reduced" THREADS="1 2" scripts/anchors4.sh
#
# CONFIGS: reduced (C=8, 5 cells, 16x16, batch 32) and/or default (C=16, 8
# cells, 32x32, batch 64); ITERS timed iterations of each phase (default 3).
# AVX2=1 adds, per config and thread count, ours on the avx2 kernel set
# (--kernels avx2) beside PyTorch held to AVX2 (oneDNN's ONEDNN_MAX_CPU_ISA
# and ATen's ATEN_CPU_CAPABILITY): an AVX2 machine as an AVX-512 one can
# stand in for it.
set -u
OUT=${OUT:-/tmp/anchors4}
B=${B:-../shared/bench}
NAS=${NAS:-bin/nas}
CONFIGS=${CONFIGS:-reduced}
THREADS=${THREADS:-"1 2"}
ITERS=${ITERS:-3}
AVX2=${AVX2:-0}
mkdir -p "$OUT"
{
	date -u
	lscpu | grep -E 'Model name|^CPU\(s\)|Flags' | cut -c1-400
	echo "cpu: $(grep -o -m1 avx512f /proc/cpuinfo || echo no-avx512)"
} >"$OUT/machine.txt"

# run LABEL CMD...: one measurement, the last JSON line kept with the load
run() {
	label=$1
	shift
	la=$(cut -d' ' -f1 /proc/loadavg)
	start=$(date +%s)
	line=$("$@" 2>>"$OUT/log.txt" | grep '^{' | tail -n 1)
	[ -n "$line" ] || line=null
	echo "{\"label\":\"$label\",\"load1\":$la,\"load1_after\":$(cut -d' ' -f1 /proc/loadavg),\"wall_s\":$(($(date +%s) - start)),\"result\":$line}" >>"$OUT/anchors.jsonl"
	echo "$(date -u +%T) $label load=$la: $(echo "$line" | grep -o '"images_per_s": *[0-9.]*' | tr '\n' ' ')" | tee -a "$OUT/log.txt"
}

for cfg in $CONFIGS; do
	case $cfg in
	reduced) R="--C 8 --layers 5 --size 16 --batch 32" ;;
	default) R="" ;;
	esac
	for t in $THREADS; do
		run "ours $cfg t=$t" "$NAS" bench darts $R --threads "$t" --iters "$ITERS" --warmup 1 --json
		run "pytorch $cfg t=$t" /usr/bin/python3 "$B/darts_search_step.py" $R --threads "$t" --iters "$ITERS" --warmup 1 --arch-grads alphas-only --json
		run "ours $cfg t=$t" "$NAS" bench darts $R --threads "$t" --iters "$ITERS" --warmup 1 --json
		[ "$cfg" = reduced ] && run "ours portable $cfg t=$t" "$NAS" bench darts $R --threads "$t" --iters "$ITERS" --warmup 1 --json --portable
		if [ "$AVX2" = 1 ]; then
			run "ours avx2 $cfg t=$t" "$NAS" bench darts $R --threads "$t" --iters "$ITERS" --warmup 1 --json --kernels avx2
			run "pytorch avx2 $cfg t=$t" env ONEDNN_MAX_CPU_ISA=AVX2 ATEN_CPU_CAPABILITY=avx2 /usr/bin/python3 "$B/darts_search_step.py" $R --threads "$t" --iters "$ITERS" --warmup 1 --arch-grads alphas-only --json
		fi
	done
done
