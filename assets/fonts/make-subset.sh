#!/bin/sh
# Regenerates the UI font: a subset of Debian's NanumGothic (fonts-nanum, SIL OFL 1.1)
# holding printable ASCII plus every character the page can draw (wasm/i18n/fontstrings:
# the i18n table, every string literal under wasm/, core labels such as "0→1"), renamed
# "PlaygroundGothic" because "NanumGothic" is a Reserved Font Name under the OFL.
# Needs: apt-get install fonts-nanum python3-fonttools (pyftsubset = /usr/bin/python3 -m fontTools.subset).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
src=${NANUM:-/usr/share/fonts/truetype/nanum/NanumGothic.ttf}
(cd "$root" && go run ./wasm/i18n/fontstrings) > "$here/strings.txt"
/usr/bin/python3 -m fontTools.subset "$src" --text-file="$here/strings.txt" --unicodes='U+0020-007E,U+00A0-00FF' \
	--layout-features='*' --no-hinting --notdef-outline --name-IDs='*' \
	--output-file="$here/PlaygroundGothic.ttf"
/usr/bin/python3 - "$here/PlaygroundGothic.ttf" <<'PY'
import sys
from fontTools.ttLib import TTFont
path = sys.argv[1]
f = TTFont(path)
for rec in f["name"].names:
    try:
        s = rec.toUnicode()
    except UnicodeDecodeError:
        continue
    s = s.replace("NanumGothic", "PlaygroundGothic").replace("Nanum Gothic", "Playground Gothic")
    s = s.replace("나눔고딕", "PlaygroundGothic")
    rec.string = s
f.save(path)
PY
ls -l "$here/PlaygroundGothic.ttf"
