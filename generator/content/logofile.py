"""The clinic's logo as `check` accepts it: a PNG or JPEG file inside the project, of a sane size, that decodes."""

from __future__ import annotations

import io
from pathlib import Path

from generator.content.files import FileRefused, read_bytes
from generator.content.model import Settings
from generator.content.problems import Problems

IMAGE_MAGIC = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}
MAX_LOGO_SIDE = 8_000  # pixels; a 14 mm high logo needs a few hundred
MAX_LOGO_PIXELS = 16_000_000  # decoded at 4 bytes a pixel at most: 64 MB
MAX_LOGO_BYTES = 50_000_000  # the file (render.logo reads it with the same bound)
# A progressive JPEG's scans: encoders write about 10 (a CMYK one with refinements a few dozen). Each costs a pass
# over every block however few its bytes: 60,000 copies of a 31-byte scan (1.9 MB) took 84 s to decode (thirtieth
# pass). Counted from the markers, which entropy-coded data cannot hold (a 0xFF there is written 0xFF 0x00).
MAX_JPEG_SCANS = 100
# A PNG's chunks, which Pillow reads one by one in Python: 4 million empty ones (50 MB) took 10 s to decode, and a build
# of the shipped project (PDF and HTML) 72 s instead of about 10. An encoder's 8 KB IDAT chunks make 6,000 at 50 MB.
MAX_PNG_CHUNKS = 50_000
# A JPEG's segments before its first scan, which Pillow also reads one by one in Python, keeping each: 12.4 million
# empty APP5 segments (50 MB) took `check` 25 s and 1.7 GB. A camera's file has a few dozen (an ICC profile or XMP
# packet split into 64 KB segments: a few hundred).
MAX_JPEG_SEGMENTS = 4_096


def check_logo(root: Path, settings: Settings, problems: Problems) -> None:
    """The logo must be a PNG or JPEG file inside the project, of a sane size, that decodes completely."""
    logo = settings.clinic.logo
    if not logo:
        return
    loc = settings.field_locs.get("clinic.logo", settings.loc)
    candidate = Path(logo)
    if candidate.is_absolute() or ".." in candidate.parts:
        problems.add(loc, "clinic.logo", f"logo path '{logo}' leaves the project",
                     "put the logo inside the project and give a relative path")
        return
    try:
        path = (root / candidate).resolve()
        inside, is_file, is_dir = path.is_relative_to(root), path.is_file(), path.is_dir()
    except (OSError, ValueError, RuntimeError):  # a NUL byte, a name too long, a link loop
        problems.add(loc, "clinic.logo", f"logo path '{logo}' cannot be used as a file name",
                     "give the relative path of an image inside the project, e.g. templates/logo.png")
        return
    if not inside:
        problems.add(loc, "clinic.logo", f"logo path '{logo}' leads outside the project (a link?)",
                     "copy the image into the project")
        return
    if not is_file:
        problems.add(loc, "clinic.logo", f"logo file '{logo}' " + ("is a folder" if is_dir else
                     "does not exist"), "check the path, relative to the project folder")
        return
    problem = _image_problem(path)
    if problem:
        problems.add(loc, "clinic.logo", f"logo file '{logo}' {problem}",
                     f"export the logo as a PNG or JPEG of at most {MAX_LOGO_SIDE} pixels a side")


def decode_problem(data: bytes) -> str:
    """Why an image's bytes would take unbounded time to decode, or "": a JPEG of more scans than any encoder
    writes (an EXIF thumbnail's markers are counted too: a few more, never fewer)."""
    if data.startswith(b"\xff\xd8\xff") and (scans := data.count(b"\xff\xda")) > MAX_JPEG_SCANS:
        return (f"is a JPEG of {scans} scans, more than the {MAX_JPEG_SCANS} any encoder writes (each is decoded "
                "over the whole image); save it again as a baseline JPEG or a PNG")
    if data.startswith(b"\xff\xd8\xff") and _jpeg_segments(data) > MAX_JPEG_SEGMENTS:
        return (f"is a JPEG of more than {MAX_JPEG_SEGMENTS} segments before its image data (a camera writes a few "
                "dozen, each read and kept one by one); save it again from an image editor")
    if data.startswith(b"\x89PNG") and _png_chunks(data) > MAX_PNG_CHUNKS:
        return (f"is a PNG of more than {MAX_PNG_CHUNKS} chunks (an encoder writes a few thousand at most, each read "
                "one by one); save it again from an image editor")
    return ""


def _jpeg_segments(data: bytes) -> int:
    """How many marker segments the JPEG has before its first scan, up to one past the bound (a bounded walk; fill
    and stray bytes between segments skipped as decoders skip them)."""
    at, count = 2, 0
    while count <= MAX_JPEG_SEGMENTS and (at := data.find(b"\xff", at)) >= 0 and at + 1 < len(data):
        marker = data[at + 1]
        if marker == 0xFF or marker == 0:  # fill byte, or a stray 0xFF 0x00
            at += 1
            continue
        if marker == 0xDA:  # start of scan: the rest is image data, decoded in C
            break
        count += 1
        standalone = marker == 0x01 or 0xD0 <= marker <= 0xD9
        at += 2 if standalone else 2 + int.from_bytes(data[at + 2:at + 4], "big")
    return count


def _png_chunks(data: bytes) -> int:
    """How many chunks the PNG has, counted from their lengths up to one past the bound (a bounded walk)."""
    at, count = 8, 0
    while at + 8 <= len(data) and count <= MAX_PNG_CHUNKS:
        at += 12 + int.from_bytes(data[at:at + 4], "big")
        count += 1
    return count


def _image_problem(path: Path) -> str:
    """Why an image cannot be the logo, or "". Read once, bounded and never waiting on a pipe (the entry may have
    been replaced since it was looked at); its size is read from the header before anything is decoded."""
    try:
        head = read_bytes(path, MAX_LOGO_BYTES)
    except FileRefused as exc:
        return exc.reason
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    if not any(head.startswith(magic) for magic in IMAGE_MAGIC):
        return "is not a PNG or JPEG image"
    if problem := decode_problem(head):
        return problem
    from PIL import Image

    try:
        with Image.open(io.BytesIO(head)) as image:  # reads the header only
            width, height = image.size
            if image.format not in ("PNG", "JPEG", "MPO"):  # MPO: a camera's JPEG with a second picture appended
                return "is not a PNG or JPEG image"
            if max(width, height) > MAX_LOGO_SIDE or width * height > MAX_LOGO_PIXELS:
                return f"is {width} x {height} pixels, too large to decode safely"
            image.load()  # decode now, so a damaged file is refused here and not half-way through a build
    except Image.DecompressionBombError:
        return "is far too large in pixels to decode safely"
    except Exception as exc:  # noqa: BLE001 - Pillow reports damage with many exception types
        return f"is damaged or not a complete image ({type(exc).__name__})"
    return ""
