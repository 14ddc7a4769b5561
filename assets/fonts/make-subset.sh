#!/bin/sh
# Regenerates the UI font: a subset of Debian's NanumGothic (fonts-nanum, SIL OFL 1.1)
# holding printable Latin-1, all 2,350 Hangul syllables of KS X 1001 (so a new Korean
# string never draws boxes), Greek, arrows, mathematical operators, super- and subscripts
# (the lecture's formulas: ∇ α ξ η ≈ Σ ′ ← − · ² w′ x₀…x₉), plus every character the page
# can draw (wasm/i18n/fontstrings), renamed "PlaygroundGothic" because "NanumGothic" is
# a Reserved Font Name under the OFL.
# NanumGothic lacks U+2212 (minus), ⋅, ō, most sub/superscripts, and its own ₁₂₃₄ ¹²³ are
# ~4 px tall at 16 px type; this script adds (or replaces) them as composite glyphs built
# from NanumGothic's own outlines (scaled digits and letters, the hyphen, the middle dot),
# so the font stays a pure NanumGothic derivative under the OFL.
# Needs: apt-get install fonts-nanum python3-fonttools (pyftsubset = /usr/bin/python3 -m fontTools.subset).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
src=${NANUM:-/usr/share/fonts/truetype/nanum/NanumGothic.ttf}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$root" && go run ./wasm/i18n/fontstrings) > "$here/strings.txt"
/usr/bin/python3 - "$src" "$tmp/augmented.ttf" "$tmp/hangul.txt" <<'PY'
import sys
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables._g_l_y_f import Glyph, GlyphComponent

src, out, hangul = sys.argv[1:4]
f = TTFont(src)
glyf, hmtx = f["glyf"], f["hmtx"]
cmap = f.getBestCmap()
order = f.getGlyphOrder()

def composite(name, uni, parts, adv):
    """parts: (base char, dx, dy, sx, sy). Adds or replaces the glyph for uni."""
    g = Glyph()
    g.numberOfContours = -1
    g.components = []
    for ch, dx, dy, sx, sy in parts:
        c = GlyphComponent()
        c.glyphName = cmap[ord(ch)]
        c.x, c.y = int(round(dx)), int(round(dy))
        c.flags = 0x2 | 0x4  # ARGS_ARE_XY_VALUES | ROUND_XY_TO_GRID
        if sx != 1 or sy != 1:
            c.transform = [[sx, 0], [0, sy]]
        g.components.append(c)
    old = cmap.get(uni)
    if old is None or old in (cmap.get(ord(p[0])) for p in parts):
        old = None
        name = name if name not in glyf.glyphs else name + ".pg"
        order.append(name)
    else:
        name = old
    glyf[name] = g
    g.recalcBounds(glyf)
    hmtx[name] = (int(round(adv)), g.xMin)
    for t in f["cmap"].tables:
        if t.isUnicode():
            if uni > 0xFFFF and t.format == 4:
                continue
            t.cmap[uni] = name
    cmap[uni] = name

def adv(ch):
    return hmtx[cmap[ord(ch)]][0]

S = 0.6  # super/subscript scale: readable at 16 px
subs = {0x2080 + i: str(i) for i in range(10)}
subs.update({0x2090: "a", 0x2091: "e", 0x2092: "o", 0x2093: "x", 0x2095: "h", 0x2096: "k", 0x2097: "l",
             0x2098: "m", 0x2099: "n", 0x209A: "p", 0x209B: "s", 0x209C: "t", 0x1D62: "i", 0x2C7C: "j"})
sups = {0x2070: "0", 0x00B9: "1", 0x00B2: "2", 0x00B3: "3", 0x2071: "i", 0x207F: "n", 0x1D40: "T"}
sups.update({0x2074 + i - 4: str(i) for i in range(4, 10)})
for uni, ch in subs.items():
    composite("uni%04X" % uni, uni, [(ch, 30, -140, S, S)], S * adv(ch) + 60)
for uni, ch in sups.items():
    composite("uni%04X" % uni, uni, [(ch, 30, 330, S, S)], S * adv(ch) + 60)
# U+2212 minus: the hyphen stretched to the width of a digit, on the hyphen's height.
composite("uni2212", 0x2212, [("-", 20, 0, 1.9, 1)], adv("0"))
composite("uni22C5", 0x22C5, [("·", 0, 0, 1, 1)], adv("·"))
# ō Ō: the letter with the hyphen raised above it as a macron.
composite("omacron", 0x014D, [("o", 0, 0, 1, 1), ("-", adv("o") / 2 - 187 * 1.2, 330, 1.2, 0.8)], adv("o"))
composite("Omacron", 0x014C, [("O", 0, 0, 1, 1), ("-", adv("O") / 2 - 187 * 1.4, 520, 1.4, 0.8)], adv("O"))
f.setGlyphOrder(order)
f["maxp"].numGlyphs = len(order)
f.save(out)

# KS X 1001's 2,350 Hangul syllables: EUC-KR rows 0xB0-0xC8, columns 0xA1-0xFE.
with open(hangul, "w", encoding="utf-8") as h:
    for b1 in range(0xB0, 0xC9):
        for b2 in range(0xA1, 0xFF):
            h.write(bytes([b1, b2]).decode("euc-kr"))
PY
cat "$here/strings.txt" "$tmp/hangul.txt" > "$tmp/text.txt"
# Latin-1, ō, Greek, general punctuation (′ ″ … – —), super/subscripts, arrows,
# mathematical operators (∇ ∑ ≈ − ⋅ ≤ ≥ ∞), geometric shapes (▶ ■ ●).
/usr/bin/python3 -m fontTools.subset "$tmp/augmented.ttf" --text-file="$tmp/text.txt" \
	--unicodes='U+0020-007E,U+00A0-00FF,U+014C-014D,U+0391-03C9,U+1D40,U+1D62,U+2010-2044,U+2070-209F,U+2190-21FF,U+2200-22FF,U+25A0-25FF,U+2C7C' \
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
