"""Shared pieces of the hardening tests: the tiny project, YAML encodings, and what every outcome must satisfy."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import pytest
from click.testing import Result
from fontTools.ttLib import TTFont
from PIL import Image, ImageChops
from pypdf import PdfReader

TINY = Path(__file__).resolve().parent / "tiny_project"
FONTS = Path(__file__).resolve().parents[2] / "templates/fonts"
HANDOUT = "content/en/tiny.yaml"
UI = "content/en/ui.yaml"
SETTINGS = "handouts.yaml"
SUMMARY_LINE = re.compile(r"^\d+ error\(s\); nothing was written\.$")
POSITIONED = re.compile(r"^(?P<path>[^:\n]+):(?P<line>\d+):(?P<col>\d+): ")
LOWEST_TEXT = 28.0  # points from the bottom edge: the third footer line sits at 31; a wrapped footer goes lower


def tiny_copy(dest: Path) -> Path:
    """A fresh copy of the tiny project (one short English handout) in `dest`."""
    shutil.copytree(TINY, dest)
    return dest


def refused_at_intro(project: Path, words: str) -> None:
    """`check` refuses the project (exit 1, no traceback) at the tiny handout's first paragraph (line 17)."""
    from tests.conftest import run

    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1, f"{words!r} passed check"
    assert "tiny.yaml:17:" in result.stderr, result.stderr


def use_noto_copy(project: Path, family: str) -> None:
    """Set English in the project's copy of Noto Sans (regular and bold) at templates/fonts/FAMILY/."""
    (project / "templates/fonts.yaml").write_text(
        f"families:\n  {family}:\n    regular: fonts/{family}/NotoSans-Regular.ttf\n"
        f"    bold: fonts/{family}/NotoSans-Bold.ttf\n"
        f"languages:\n  en: {{family: {family}, direction: ltr, breaking: words}}\n", encoding="utf-8")


def outline_of(font: TTFont, code: int, scale: float = 1.0) -> list[tuple[str, tuple[tuple[int, int], ...]]]:
    """A character's outline (components drawn in) in a fontTools font, by its best map, scaled and rounded."""
    from fontTools.pens.recordingPen import DecomposingRecordingPen

    glyphs = font.getGlyphSet()
    pen = DecomposingRecordingPen(glyphs)
    glyphs[font.getBestCmap()[code]].draw(pen)
    return [(op, tuple((round(x * scale), round(y * scale)) for x, y in points)) for op, points in pen.value]


def prints_as_shipped(project: Path, lang: str = "en", family: str = "noto-sans", specks: int = 10) -> None:
    """The project, `lang` set in a project font a test changed (its numbers, signs or spaces), builds, and every page
    it prints is, to the pixel, the page it prints with that language in an unchanged copy of the shipped `family`:
    the change cannot alter how a number, a sign or a space prints (fontguard). `specks`: how many pixels may differ
    more: a letter's ink reaching a number's column is cut (numberclip), a pixel or two where a real face's letter
    reaches over its neighbour (the "f" of a fingerprint "25f5"); a digit at 100 dpi is some 60 pixels."""
    import yaml

    from tests.conftest import run

    pages = []
    for name in ("changed", "unchanged"):
        if name == "unchanged":
            shutil.copytree(FONTS / family, project / "templates/fonts/unchanged")
            settings = yaml.safe_load((project / "templates/fonts.yaml").read_text(encoding="utf-8"))
            shipped = yaml.safe_load((FONTS.parent / "fonts.yaml").read_text(encoding="utf-8"))["families"][family]
            settings["families"]["unchanged"] = {face: file.replace(f"fonts/{family}/", "fonts/unchanged/")
                                                 for face, file in shipped.items()}
            changed = settings["languages"][lang]["family"]
            for spec in settings["languages"].values():  # every language of the changed family
                spec["family"] = "unchanged" if spec["family"] == changed else spec["family"]
            (project / "templates/fonts.yaml").write_text(yaml.safe_dump(settings), encoding="utf-8")
        out = project / f"out-{name}"
        # That language alone, in this process (no workers parsing the faces again): the pages compared are its
        built = run("build", "--project", project, "--out", out, "--lang", lang, "-j", "1")
        no_traceback(built)
        assert built.exit_code == 0, f"{name}: {built.output}{built.stderr}"
        pages.append([page for pdf in sorted(out.rglob(f"{lang}/*.pdf")) for page in _pages(pdf)])
    assert pages[0] and len(pages[0]) == len(pages[1])
    for number, (drawn, shipped_page) in enumerate(zip(*pages, strict=True), 1):
        # The same outlines, positions and sizes; a borrowed glyph has no hinting program of its own, which moves
        # a grey level or two of anti-aliasing (a digit drawn as another differs by up to 255)
        differing = ImageChops.difference(drawn, shipped_page).point(lambda level: 255 if level > PIXEL_NOISE else 0)
        count = differing.histogram()[255]
        assert count <= specks, f"page {number} printed with the changed font differs in {count} pixels " \
            f"(by over {PIXEL_NOISE} of 255), in {differing.getbbox()}"


PIXEL_NOISE = 8  # of 255 grey levels


def line_differs(first: Path, second: Path, words: str) -> int:
    """How many pixels (100 dpi, over PIXEL_NOISE grey levels) differ between two PDFs in the band of the line holding
    `words` (13 pt above its baseline to 5 pt below), on the first page where it is."""
    for number, page in enumerate(PdfReader(first).pages):
        found: list[float] = []

        def visit(text: str, cm: list[float], tm: list[float], *_: object, found: list[float] = found) -> None:
            if words in text and abs(cm[1]) < 0.01:
                found.append(cm[5] + tm[5])

        page.extract_text(visitor_text=visit)
        if found:
            height = float(page.mediabox.height)
            top, bottom = round((height - found[0] - 13) * 100 / 72), round((height - found[0] + 5) * 100 / 72)
            bands = [_pages(pdf)[number] for pdf in (first, second)]
            bands = [image.crop((0, top, image.width, bottom)) for image in bands]
            return ImageChops.difference(*bands).point(lambda level: 255 if level > PIXEL_NOISE else 0).histogram()[255]
    raise AssertionError(f"{words!r} is on no page of {first}")


def _pages(pdf: Path) -> list[Image.Image]:
    """Every page at 100 dpi, grey, as pdftoppm draws it."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["pdftoppm", "-r", "100", "-gray", "-png", str(pdf), f"{folder}/p"], check=True)
        return [Image.open(page).convert("L") for page in sorted(Path(folder).glob("p*.png"))]


def spanish_started(dest: Path) -> Path:
    """A copy of the tiny project with a Spanish translation started (every unit untranslated)."""
    from tests.conftest import run

    root = tiny_copy(dest)
    declare(root, "es")
    started = run("translate", "new", "es", "--project", root)
    assert started.exit_code == 0, started.output + started.stderr
    return root


def own_template(project: Path, name: str, *edits: tuple[str, str]) -> None:
    """Copy the shipped template `name` into the project, with each (old, new) edit made (old must be there)."""
    (project / "templates").mkdir(exist_ok=True)
    text = (FONTS.parent / name).read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new)
    (project / "templates" / name).write_text(text, encoding="utf-8")


def refused_by_check_and_build(project: Path, what: str, *args: str) -> None:
    """`check` and the build (with `args`) refuse the project, naming `what`, never as the generator's own bug."""
    from tests.conftest import run

    for result in (run("check", "--project", project),
                   run("build", "--project", project, "--out", project / "out", *args)):
        no_traceback(result)
        assert result.exit_code == 1 and what in result.stderr, result.output + result.stderr
        assert "report this" not in result.stderr, result.stderr


def pdf_of(objects: list[bytes], info: int = 4) -> bytes:
    """A PDF of these objects (1: the catalog, `info`: the document information), with a correct cross-reference
    table."""
    out, offsets = b"%PDF-1.7\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, info, xref)


def declare(project: Path, *langs: str) -> None:
    """Add languages to the project's `languages:` in handouts.yaml, after English."""
    settings = project / "handouts.yaml"
    listed = "".join(f"  - {lang}\n" for lang in langs)
    settings.write_text(settings.read_text(encoding="utf-8").replace("  - en\n", "  - en\n" + listed, 1),
                        encoding="utf-8")


def set_intro(project: Path, text: str) -> None:
    """Put `text` (a double-quoted YAML scalar's content) into the tiny handout's first paragraph."""
    path = project / HANDOUT
    source = path.read_text(encoding="utf-8")
    assert 'text: "An introduction."' in source
    path.write_text(source.replace('text: "An introduction."', f'text: "{text}"', 1), encoding="utf-8")


def set_safety(project: Path, text: str) -> None:
    """Put `text` (a double-quoted YAML scalar's content) into the tiny handout's Safety paragraph."""
    path = project / HANDOUT
    source = path.read_text(encoding="utf-8")
    assert 'text: "Safety first."' in source
    path.write_text(source.replace('text: "Safety first."', f'text: "{text}"', 1), encoding="utf-8")


def yaml_quoted(text: str) -> str:
    """`text` as a YAML double-quoted scalar that reads back exactly (escapes for what YAML cannot hold raw)."""
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif code < 0x20 or 0x7F <= code <= 0x9F or ch in "\u2028\u2029\ufeff" or 0xD800 <= code <= 0xDFFF \
                or code in (0xFFFE, 0xFFFF):
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


EXCERPT = re.compile(r"^ *\d* \| ")  # the offending line and its caret, printed under each problem


def set_scalar(root: Path, name: str, old: str, new: str) -> int:
    """Replace the first `old` (a scalar as written) in a project file by `new`; returns its 1-based line."""
    path = root / name
    text = path.read_text(encoding="utf-8")
    index = text.index(old)
    path.write_text(text[:index] + new + text[index + len(old):], encoding="utf-8")
    return text[:index].count("\n") + 1


def no_traceback(result: Result) -> None:
    """The CLI never ends in a Python traceback, on stdout or stderr, nor on a bug said as one (cli/crash.py)."""
    for said in (result.output, result.stderr):
        assert "Traceback" not in said and "This is a bug in patient-handouts" not in said, said


def positioned_errors(stderr: str) -> list[re.Match[str]]:
    """Every line of a content-error report is `path:line:col: ...` (each followed by its source line and a
    caret, which are skipped here), then one summary line; returns them."""
    lines = [line for line in stderr.splitlines() if line.strip() and not EXCERPT.match(line)]
    assert lines and SUMMARY_LINE.match(lines[-1]), stderr
    matches = [POSITIONED.match(line) for line in lines[:-1] if "warning:" not in line]
    assert matches and all(matches), stderr
    return [m for m in matches if m]


def assert_consistent(out: Path) -> list[dict]:
    """Every manifest entry's sha256 matches its file, no temp file is left, every PDF is complete."""
    entries = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for entry in entries:
        data = (out / entry["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["file"]
    assert not [p for p in out.rglob("*.tmp")], "temp files left behind"
    for pdf in out.rglob("*.pdf"):
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF"), pdf
    return entries


def all_text(pdf: Path) -> str:
    """Everything pypdf extracts from every page, body and footer."""
    return "\n".join(page.extract_text() or "" for page in PdfReader(pdf).pages)


def squeeze(text: str) -> str:
    """Text without any whitespace: line breaks and collapsed spaces are layout, not content."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def lowest_text(pdf: Path) -> float:
    """The lowest baseline of any upright text on any page, in points from the bottom edge."""
    lowest = 10_000.0

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        nonlocal lowest
        if text.strip() and abs(cm[1]) < 0.01:  # the rotated watermark does not count
            lowest = min(lowest, cm[5] + tm[5])

    for page in PdfReader(pdf).pages:
        page.extract_text(visitor_text=visit)
    return lowest


def text_over_footer(pdf: Path, footer_size: float = 8.0, frame_bottom: float = 75.0) -> list[str]:
    """Body text drawn below the body frame, over the footer: anything down there not at the footer's size."""
    found: list[str] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5 or 1.0
        if text.strip() and abs(cm[1]) < 0.01 and cm[5] + tm[5] < frame_bottom \
                and abs(size * scale - footer_size) > 0.01:
            found.append(text)

    for page in PdfReader(pdf).pages:
        page.extract_text(visitor_text=visit)
    return found


def decompressed_streams(pdf: Path) -> bytes:
    """Every stream of the PDF, decompressed and concatenated (to search for bytes that must not be there)."""
    reader = PdfReader(pdf)
    parts = []
    for number in range(1, int(reader.trailer["/Size"])):
        try:
            obj = reader.get_object(number)
        except Exception:  # noqa: BLE001 - probing object numbers; a missing one is simply skipped
            continue
        get_data = getattr(obj, "get_data", None)
        if get_data is not None:
            try:
                parts.append(get_data())
            except Exception:  # noqa: BLE001 - an undecodable stream is searched as it is
                parts.append(getattr(obj, "_data", b""))
    return b"\n".join(parts)


def refuse_reads(monkeypatch: pytest.MonkeyPatch, locked: Path) -> None:
    """Make `locked` behave as a folder of mode 000 does for a user other than root (root reads anything, and
    the suite runs as root in CI): listing it, or reaching anything in it, fails with EACCES."""
    real_stat, real_lstat, real_scandir, real_listdir, real_open = Path.stat, os.lstat, os.scandir, os.listdir, os.open

    def denied(path: object) -> PermissionError:
        return PermissionError(errno.EACCES, "Permission denied", str(path))

    def stat(self: Path, *args: object, **kwargs: object) -> os.stat_result:
        if self.is_relative_to(locked) and self != locked:
            raise denied(self)
        return real_stat(self, *args, **kwargs)  # type: ignore[arg-type]

    def lstat(path: object, *args: object, **kwargs: object) -> os.stat_result:
        if Path(str(path)).is_relative_to(locked) and Path(str(path)) != locked:
            raise denied(path)
        return real_lstat(path, *args, **kwargs)  # type: ignore[arg-type]

    def listing(real):  # noqa: ANN001, ANN202 - os.scandir and os.listdir alike
        def listed(path: object = ".") -> object:
            if Path(str(path)) == locked:
                raise denied(path)
            return real(path)
        return listed

    def open_(path: object, *args: object, **kwargs: object) -> int:
        if Path(str(path)).is_relative_to(locked):
            raise denied(path)
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "stat", stat)
    monkeypatch.setattr(os, "lstat", lstat)
    monkeypatch.setattr(os, "scandir", listing(real_scandir))
    monkeypatch.setattr(os, "listdir", listing(real_listdir))
    monkeypatch.setattr(os, "open", open_)


@lru_cache(maxsize=4)
def wenquanyi_subset(chars: str) -> bytes:
    """WenQuanYi Micro Hei (face 0 of the shipped collection) cut down to ASCII, Latin-1 (`translate new` copies the
    English), the date's 年月日 and `chars`, saved by fontTools: a project's own Chinese face, not the shipped file
    byte for byte, small enough that every check and build reading it costs little."""
    import io

    from fontTools import subset

    font = TTFont(FONTS / "wqy-microhei/wqy-microhei.ttc", fontNumber=0)
    options = subset.Options()
    options.name_IDs, options.name_languages, options.layout_features, options.hinting = ["*"], ["*"], [], False
    options.notdef_outline = True
    cutter = subset.Subsetter(options)
    cutter.populate(unicodes={*range(0x20, 0x7F), *range(0xA0, 0x100), *map(ord, "·–—…“”‘’年月日中文简体英语" + chars)})
    cutter.subset(font)
    saved = io.BytesIO()
    font.save(saved)
    return saved.getvalue()


@contextmanager
def watching(project: Path, seconds: float = 30,
             **options: object) -> Iterator[tuple[list[str], Callable[..., bool]]]:
    """`build --watch` of `project` in a thread (one worker, polling every 0.05 s; `options` for `watch`): the
    lines it printed, and wait_for(text, times=1, within=seconds), whether `times` lines said `text` in time;
    stopped on leaving."""
    import threading
    import time

    from generator.build import Selection
    from generator.watch import watch

    lines: list[str] = []
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(project, Selection(jobs=1), lambda m, err=False: lines.append(m),
                                                  stop), kwargs={"interval": 0.05, **options})
    thread.start()

    def wait_for(text: str, times: int = 1, within: float = seconds) -> bool:
        deadline = time.monotonic() + within
        while sum(text in line for line in lines) < times:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True

    try:
        yield lines, wait_for
    finally:
        stop.set()
        thread.join(timeout=30)


def watermark_pixels(pdf: Path, tmp_path: Path, name: str) -> int:
    """Pixels of page 1 (rendered by pdftoppm at 50 dpi) in the DRAFT watermark's grey (#d6d6d6, give or take)."""
    import shutil
    import subprocess

    import pytest
    from PIL import Image

    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed (apt-get install poppler-utils)")
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(pdf), str(tmp_path / name)],
                   check=True, timeout=60)
    rgb = Image.open(tmp_path / f"{name}-1.png").convert("RGB").tobytes()
    return sum(1 for at in range(0, len(rgb), 3) if all(abs(channel - 214) <= 8 for channel in rgb[at:at + 3]))


def export_refused_over_work(root: Path, exchange: Path, old: str, new: str, unit: str) -> None:
    """A translator's work (`old` made `new` once) in an exported file: a new export over it is refused, naming
    `unit` and the import to run, and the file is left as the translator saved it."""
    from tests.conftest import run

    exported = exchange.read_text(encoding="utf-8")
    assert exported.count(old) == 1, exported[:3000]
    worked = exported.replace(old, new)
    exchange.write_text(worked, encoding="utf-8")
    result = run("translate", "export", exchange.stem, "-o", exchange, "--project", root)
    no_traceback(result)
    assert result.exit_code == 1, result.output
    assert unit in result.stderr and "translate import" in result.stderr, result.stderr
    assert exchange.read_text(encoding="utf-8") == worked
