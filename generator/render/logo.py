"""The clinic logo, decoded once per process and scaled down to what a 14 mm high logo needs at print
resolution: a 16-megapixel photo is not decoded and embedded again for every PDF."""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from generator.content.files import read_bytes
from generator.content.logofile import MAX_LOGO_BYTES

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
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        picture = image.convert("RGBA") if image.mode in ("P", "LA", "PA") else image
        if picture.mode not in ("RGB", "RGBA", "L"):
            picture = picture.convert("RGB")
        if picture.height > PRINT_HEIGHT_PX:
            width = max(1, round(picture.width * PRINT_HEIGHT_PX / picture.height))
            picture = picture.resize((width, PRINT_HEIGHT_PX), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        picture.save(out, format="PNG", optimize=False)
    return out.getvalue()
