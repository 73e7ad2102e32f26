#!/usr/bin/env python3
"""Draws the app icon (a red rounded square with a white 报) at the sizes Tauri
wants, into src-tauri/icons/. The PNGs are committed; run this only to change
them. Needs Pillow (`pip install pillow`) and fonts-noto-cjk."""

import pathlib
import sys

from PIL import Image, ImageDraw, ImageFont

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "src-tauri" / "icons"
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
RED = (200, 16, 46, 255)
SIZES = {"32x32.png": 32, "128x128.png": 128, "128x128@2x.png": 256, "icon.png": 512}


def draw(size: int) -> Image.Image:
    scale = 4  # draw large, then shrink, for smooth edges
    big = size * scale
    img = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((0, 0, big - 1, big - 1), radius=big // 5, fill=RED)
    font = ImageFont.truetype(FONT, int(big * 0.66), index=2)  # index 2: SC
    d.text((big / 2, big / 2), "报", font=font, fill="white", anchor="mm")
    return img.resize((size, size), Image.LANCZOS)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, size in SIZES.items():
        draw(size).save(OUT / name, optimize=True)
        print(OUT / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
