"""The clinic logo, decoded once per process and scaled down to what a 14 mm high logo needs at print
resolution: a 16-megapixel photo is not decoded and embedded again for every PDF."""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from generator.content.files import read_bytes
from generator.content.logofile import MAX_LOGO_BYTES, decode_problem

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage

PRINT_HEIGHT_PX = 600  # 14 mm at 1,000 dpi: sharper than any office printer


def logo_png(root: Path, relative: str) -> bytes:
    """The project's logo as PNG bytes, at most PRINT_HEIGHT_PX high; read only from inside the project."""
    path = Path(root) / relative
    stat = path.stat()
    # the change time and inode too: a logo replaced by one of the same size, its time kept, was drawn old
    return _scaled(path.resolve(), Path(root).resolve(), (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns,
                                                          stat.st_ino))


@lru_cache(maxsize=8)
def _scaled(path: Path, root: Path, version: tuple[int, ...]) -> bytes:
    from PIL import Image

    data = read_bytes(path, MAX_LOGO_BYTES, root)
    if problem := decode_problem(data):  # replaced since `check` looked at it: never decoded for hours
        raise ValueError(f"the logo {problem}")
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        picture = eight_bit(upright(image))
        if picture.height > PRINT_HEIGHT_PX:
            width = max(1, round(picture.width * PRINT_HEIGHT_PX / picture.height))
            picture = picture.resize((width, PRINT_HEIGHT_PX), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        picture.save(out, format="PNG", optimize=False)
    return out.getvalue()


def eight_bit(image: PILImage) -> PILImage:
    """The image in RGB, RGBA or L with 8 bits a channel, its transparency as alpha. A 16-bit greyscale PNG
    (mode I;16) was converted by clipping each value at 255 of 65,535: every shade but black printed white."""
    if image.mode.startswith("I"):  # a PNG's 16-bit grey (JPEG has no such mode)
        wide = image.convert("I")
        grey = wide.point(lambda value: value * (1 / 257)).convert("L")
        key = image.info.get("transparency")
        if isinstance(key, int):  # its transparent grey, matched at 16 bits: opaque above it or below it
            from PIL import ImageChops

            above = wide.point(lambda value: (value - key) * 255).convert("L")  # negatives clip to 0
            below = wide.point(lambda value: (key - value) * 255).convert("L")
            grey.putalpha(ImageChops.lighter(above, below))
            return grey.convert("RGBA")
        return grey
    if image.mode in ("P", "LA", "PA") or "transparency" in image.info:
        # a PNG's transparent colour (tRNS, as "transparent background" exports of RGB and grey images write) as
        # an alpha channel: ReportLab ignores the key and drew the background black; a browser honoured it
        return image.convert("RGBA")
    return image if image.mode in ("RGB", "RGBA", "L") else image.convert("RGB")


def upright(image: PILImage) -> PILImage:
    """The image turned as its EXIF orientation says (a phone's photo is stored sideways with a tag saying so):
    re-encoded without the tag, it was drawn sideways, in the PDF and the HTML companion alike."""
    from PIL import ImageOps

    try:
        return ImageOps.exif_transpose(image) or image
    except Exception:  # noqa: BLE001 - a damaged EXIF block: drawn as stored, as before
        return image
