"""Draw the app icons (web app manifest, home screen) with Pillow: no font, no outside file.

    python scripts/build_icons.py

writes src/meute/web/static/web/icons/icon-192.png and icon-512.png: a lower-case "m" in white
on the site's accent colour (#8a3b12), drawn with strokes inside the central 60 % of the square
so that a "maskable" crop (a circle of 80 %) never cuts it.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ACCENT = (138, 59, 18)
WHITE = (255, 255, 255)
OUT = Path(__file__).resolve().parent.parent / "src" / "meute" / "web" / "static" / "web" / "icons"


def draw_icon(size: int) -> Image.Image:
    """The "m" drawn at 4× and reduced, so its curves are smooth."""
    big = size * 4
    image = Image.new("RGB", (big, big), ACCENT)
    pen = ImageDraw.Draw(image)
    stroke = round(big * 0.075)
    left, right = big * 0.22, big * 0.78
    top, bottom = big * 0.34, big * 0.70
    arch = (right - left) / 2  # each arch spans half the letter
    pen.line([(left, top - stroke / 2), (left, bottom)], fill=WHITE, width=stroke)
    for i in range(2):
        x0 = left + i * arch
        box = (x0, top - arch / 2, x0 + arch, top + arch / 2)
        pen.arc(box, start=180, end=360, fill=WHITE, width=stroke)
        pen.line([(x0 + arch, top), (x0 + arch, bottom)], fill=WHITE, width=stroke)
    return image.resize((size, size), Image.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        draw_icon(size).save(OUT / f"icon-{size}.png", optimize=True)
        print(OUT / f"icon-{size}.png")


if __name__ == "__main__":
    main()
