#!/usr/bin/env bash
# Rebuilds the font files in charts/fonts/ from Debian's Noto and DejaVu packages, cut down to the
# characters charts draw. Only needed to change the fonts; `npm install` uses the committed files.
# Needs: apt-get (to download, not install, the font packages) and fontTools (Debian: python3-fonttools).
set -euo pipefail
cd "$(dirname "$0")/.."
out=charts/fonts
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download fonts-noto-core fonts-dejavu-core >/dev/null)
for deb in "$work"/*.deb; do dpkg-deb -x "$deb" "$work/root"; done
src() { find "$work/root" -name "$1" -print -quit; }

# Shaping tables (GSUB/GPOS, all features) are kept: Thai marks, Arabic joining and Vietnamese stacked
# accents need them. Hinting is dropped (charts are drawn at 2x, anti-aliased).
subset() { # <source file> <output file> <unicode ranges>
  "${PYTHON:-/usr/bin/python3}" -m fontTools.subset "$(src "$1")" --output-file="$out/$2" --unicodes="$3" \
    --layout-features='*' --name-IDs='*' --name-languages='*' --no-hinting --notdef-outline
}
LATIN="U+0020-007E,U+00A0-024F,U+0259,U+02B0-02FF,U+0300-036F,U+1E00-1EFF,U+2000-206F,U+20A0-20CF,U+2100-214F,U+2150-218F,U+2190-21FF,U+2212-2215,U+FEFF,U+FFFD"
THAI="U+0020-007E,U+00A0,U+0E00-0E7F,U+200B-200D,U+25CC"
ARABIC="U+0020-007E,U+00A0,U+0600-06FF,U+0750-077F,U+08A0-08FF,U+FB50-FDFF,U+FE70-FEFF,U+200B-200F,U+25CC"
SYMBOLS="U+2190-21FF,U+2212,U+25A0-25FF,U+2713-2718,U+2794-27BF"

mkdir -p "$out"
for style in Regular Bold; do
  subset "NotoSans-$style.ttf" "NotoSans-$style.ttf" "$LATIN"
  subset "NotoSansThai-$style.ttf" "NotoSansThai-$style.ttf" "$THAI"
  subset "NotoSansArabic-$style.ttf" "NotoSansArabic-$style.ttf" "$ARABIC"
done
subset DejaVuSans.ttf DejaVuSans-Symbols.ttf "$SYMBOLS"
subset DejaVuSans-Bold.ttf DejaVuSans-Symbols-Bold.ttf "$SYMBOLS"
ls -l "$out"
