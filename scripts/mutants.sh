#!/usr/bin/env bash
# mutants.sh LIST: applies each hand-written mutant of LIST (a deliberate
# small error in the code: a flipped sign, a 1.05 scale, a dropped term) to a
# scratch copy of the module, runs the tests named for it and reports whether
# they failed (killed) or passed (survived). The real tree is not touched.
# Exits 1 if any mutant survives.
#
# LIST lines (tab-separated; # comments): name, file, exact text, replacement,
# package, -run regexp. The exact text must occur once in the file; \n and \t
# in the text and the replacement stand for a newline and a tab.
set -euo pipefail
list=$1
root=$(cd "$(dirname "$0")/.." && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
survived=0
printf '%-34s %-8s %s\n' mutant result 'first failing test'
while IFS=$'\t' read -r name file from to pkg run; do
	[[ -z "$name" || "$name" == \#* ]] && continue
	from=$(printf '%b' "$from")
	to=$(printf '%b' "$to")
	rm -rf "$scratch/m" && mkdir -p "$scratch/m"
	cp -r "$root/go.mod" "$root/go.sum" "$root/core" "$scratch/m/"
	n=$(FROM="$from" perl -0ne 'my $c = () = /\Q$ENV{FROM}\E/g; print $c' "$scratch/m/$file")
	if [ "$n" != 1 ]; then echo "mutants: $name: text found $n times in $file" >&2; exit 2; fi
	FROM="$from" TO="$to" perl -0pi -e 's/\Q$ENV{FROM}\E/$ENV{TO}/' "$scratch/m/$file"
	if out=$(cd "$scratch/m" && go test -count=1 "./$pkg" -run "$run" 2>&1); then
		printf '%-34s %-8s\n' "$name" SURVIVED
		survived=1
	else
		first=$(echo "$out" | grep -m1 -oE -- '--- FAIL: [^ ]+' | sed 's/--- FAIL: //')
		[ -z "$first" ] && first=$(echo "$out" | grep -m1 -E 'cannot|undefined|panic' || true)
		printf '%-34s %-8s %s\n' "$name" killed "$first"
	fi
done < "$list"
exit $survived
