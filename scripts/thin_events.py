#!/usr/bin/env python3
"""Thin an events.jsonl of `nas search` (DARTS) to a size the page ships.

Keeps every event that is not a step (header, epochs, the end) and the α and w
events of every k-th step, the smallest k with the output at most --max-bytes;
steps keep their numbers, so the page's replay counts epochs and the
genotype's unchanged stretch in real steps. Writes a temporary file beside the
output and renames it.

    scripts/thin_events.py IN OUT [--max-bytes 2000000]
"""
import argparse
import json
import os
import sys


def thin(lines, k):
    out = []
    for line in lines:
        ev = json.loads(line)
        if ev.get("kind") != "step" or ev.get("step", 0) % k == 0 or ev.get("step") == 1:
            out.append(line)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("inp")
    ap.add_argument("out")
    ap.add_argument("--max-bytes", type=int, default=2_000_000)
    a = ap.parse_args()
    with open(a.inp, encoding="utf-8") as f:
        lines = [l for l in f.read().splitlines() if l.strip()]
    last = max((json.loads(l).get("step", 0) for l in lines), default=0)
    for k in range(1, max(2, last + 1)):
        kept = thin(lines, k)
        size = sum(len(l) + 1 for l in kept)
        if size <= a.max_bytes:
            break
    else:
        sys.exit(f"thin_events: {a.inp}: no step interval fits {a.max_bytes} bytes")
    tmp = a.out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("\n".join(kept) + "\n")
    os.replace(tmp, a.out)
    print(f"{a.inp}: {len(lines)} events -> {len(kept)} (every {k}-th step), {size} bytes")


if __name__ == "__main__":
    main()
