"""The thirtieth hostile pass, part B (issue 12): a project's own templates, style.yaml, fonts, logo and every
drawing path. Written against main 544ee59; every test here failed there.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.conftest import run
from tests.hardening.hostile import SETTINGS, no_traceback, tiny_copy


def _many_scans(scans: int, size: tuple[int, int] = (64, 64)) -> bytes:
    """A progressive JPEG whose smallest AC scan is repeated `scans` more times before its end: every decoder
    reads it (libjpeg warns of a bogus progression and goes on), each scan a pass over every block."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("L", size, 128).save(out, "JPEG", progressive=True, quality=90)
    data = out.getvalue()
    starts = [at for at in range(len(data) - 1) if data[at:at + 2] == b"\xff\xda"]
    ends = [*starts[1:], len(data) - 2]
    ac = [data[s:e] for s, e in zip(starts, ends, strict=True) if data[s + 5 + 2 * data[s + 4]] > 0]  # Ss > 0
    return data[:-2] + min(ac, key=len) * scans + data[-2:]


def _with_logo(project: Path, image: bytes) -> None:
    (project / "logo.jpg").write_bytes(image)
    settings = project / SETTINGS
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("  website: https://clinic.example.org\n",
                                     "  website: https://clinic.example.org\n  logo: logo.jpg\n"), encoding="utf-8")


def test_a_jpeg_logo_of_endless_scans_is_refused_before_it_is_decoded(tmp_path: Path) -> None:
    """A 4,000 x 4,000 grey progressive JPEG (16 megapixels, the documented bound) whose 31-byte AC scan is written
    60,000 times: 1.9 MB, well under the 50 MB file bound. `check` decoded it completely, as it does every logo,
    and said "ok" after 84 s (67 s of CPU); `build` decodes it again in each process: a hang past the 60 s bound
    from a 2 MB file (the 50 MB bound allows 1.6 million scans: over half an hour). Each scan costs a pass over
    every block of the image, whatever its size in bytes. A logo of more scans than any encoder writes (a
    progressive JPEG has about 10) is refused from its markers, before anything is decoded."""
    from generator.content.logofile import MAX_JPEG_SCANS

    project = tiny_copy(tmp_path / "p")
    _with_logo(project, _many_scans(MAX_JPEG_SCANS + 1))
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1
    assert "handouts.yaml:" in result.output and "clinic.logo" in result.output
    assert "scans" in result.output and "baseline JPEG or a PNG" in result.output


def test_the_render_path_refuses_a_logo_of_endless_scans_too(tmp_path: Path) -> None:
    """The same logo handed to the renderer (a logo replaced between `check` and a worker's render, or a front
    desk's on-demand build) is refused there too, before decoding, with the same reason."""
    from generator.content.logofile import MAX_JPEG_SCANS
    from generator.render.logo import logo_png

    (tmp_path / "logo.jpg").write_bytes(_many_scans(MAX_JPEG_SCANS + 1))
    with pytest.raises(ValueError, match="scans"):
        logo_png(tmp_path, "logo.jpg")


def test_an_ordinary_progressive_jpeg_logo_still_passes(tmp_path: Path) -> None:
    """A progressive JPEG as an encoder writes it (Pillow's: 6 scans for grey, 10 for colour) is still a logo."""
    from PIL import Image

    project = tiny_copy(tmp_path / "p")
    out = io.BytesIO()
    Image.new("RGB", (300, 120), (20, 60, 140)).save(out, "JPEG", progressive=True)
    _with_logo(project, out.getvalue())
    assert run("check", "--project", project).exit_code == 0


def _many_chunks(chunks: int) -> bytes:
    """An 8 x 8 grey PNG with `chunks` empty private chunks (`teSt`, which decoders skip) before its image data."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 0, 0, 0, 0))
    return (b"\x89PNG\r\n\x1a\n" + header + chunk(b"teSt", b"") * chunks
            + chunk(b"IDAT", zlib.compress(b"\0" * 72)) + chunk(b"IEND", b""))


def test_a_png_logo_of_millions_of_chunks_is_refused_before_it_is_decoded(tmp_path: Path) -> None:
    """An 8 x 8 PNG with 4.15 million empty private chunks before its image data (49.8 MB, under the 50 MB bound):
    Pillow reads chunks one by one in Python, 10 s a decode; `check` said ok, and a build of the shipped project
    (PDF and HTML) took 72 s instead of about 10, past the 60 s bound (each process decodes the logo once). A PNG
    of more chunks than any encoder writes is refused from a bounded walk over its chunk headers; in the renderer
    too."""
    from generator.content.logofile import MAX_PNG_CHUNKS
    from generator.render.logo import logo_png

    project = tiny_copy(tmp_path / "p")
    _with_logo(project, _many_chunks(MAX_PNG_CHUNKS + 1))
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1
    assert "clinic.logo" in result.output and "chunks" in result.output
    with pytest.raises(ValueError, match="chunks"):
        logo_png(project, "logo.jpg")
    (project / "logo.jpg").write_bytes(_many_chunks(100))
    assert run("check", "--project", project).exit_code == 0


def test_a_jpeg_logo_of_millions_of_header_segments_is_refused_before_it_is_read(tmp_path: Path) -> None:
    """An 8 x 8 JPEG with 12.4 million empty APP5 segments before its image data (49.6 MB, under the 50 MB bound):
    Pillow reads and keeps each segment in Python; `check` said ok after 25 s at 1.7 GB (over the 1 GB bound), and
    each build process would take as much again. A JPEG of more header segments than a camera writes is refused
    from a bounded walk over its markers; in the renderer too."""
    from PIL import Image

    from generator.content.logofile import MAX_JPEG_SEGMENTS
    from generator.render.logo import logo_png

    out = io.BytesIO()
    Image.new("L", (8, 8), 128).save(out, "JPEG")
    plain = out.getvalue()
    project = tiny_copy(tmp_path / "p")
    _with_logo(project, plain[:2] + b"\xff\xe5\x00\x02" * (MAX_JPEG_SEGMENTS + 1) + plain[2:])
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1
    assert "clinic.logo" in result.output and "segments" in result.output
    with pytest.raises(ValueError, match="segments"):
        logo_png(project, "logo.jpg")
    (project / "logo.jpg").write_bytes(plain[:2] + b"\xff\xe5\x00\x02" * 40 + plain[2:])  # a camera's few dozen
    assert run("check", "--project", project).exit_code == 0


def test_a_cameras_multi_picture_jpeg_is_a_jpeg_logo(tmp_path: Path) -> None:
    """A JPEG with a Multi-Picture (MPO) segment and a second picture appended, as many phones and cameras write:
    `check` said "logo file 'logo.jpg' is not a PNG or JPEG image; export the logo as a PNG or JPEG", of a JPEG
    file (`file` says JPEG), a fix that says to do what was done. Its first picture is the logo, as every viewer
    shows it; the build draws it."""
    from PIL import Image

    picture = Image.new("RGB", (300, 100), (10, 80, 160))
    out = io.BytesIO()
    picture.save(out, "MPO", save_all=True, append_images=[picture])
    project = tiny_copy(tmp_path / "p")
    _with_logo(project, out.getvalue())
    assert run("check", "--project", project).exit_code == 0
    result = run("build", "--project", project, "--out", tmp_path / "out")
    no_traceback(result)
    assert result.exit_code == 0


def _own_template(project: Path, loop: str = "") -> None:
    """The shipped PDF template as the project's own, `loop` written before its output."""
    from tests.conftest import REPO

    (project / "templates").mkdir()  # style, fonts and the HTML template: the shipped ones
    text = (REPO / "templates" / "handout.xml.j2").read_text(encoding="utf-8")
    (project / "templates" / "handout.xml.j2").write_text(text.replace("<handout ", loop + "<handout ", 1),
                                                         encoding="utf-8")


def test_checks_renders_of_an_own_template_are_bounded_together(tmp_path: Path, monkeypatch) -> None:
    """A project's own PDF template that loops 2 million times before its output (about 2 s a render, under the
    10 s each render may take), in a copy of the shipped project: `check` renders it for every handout, language
    and edition (640 renders), and was still running when killed at 150 s (hours in all; at 9 s a render, over
    three). All of check's renders are now bounded together: 10 s plus 50 ms a render (the shipped template takes
    about 15 ms). Here the budget is made small so the test is quick: the error names the renders, not a content
    file."""
    from generator.render import renderbudget

    monkeypatch.setattr(renderbudget, "BASE_SECONDS", 0.3)
    monkeypatch.setattr(renderbudget, "SECONDS_PER_RENDER", 0.01)
    project = tiny_copy(tmp_path / "p")
    _own_template(project, "{%- for i in range(100000) %}{% for j in range(2) %}{% endfor %}{% endfor -%}\n")
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1
    assert "of the renders check makes" in result.output and "fix the template" in result.output


def test_a_quick_own_template_is_within_the_shared_bound(tmp_path: Path) -> None:
    """The shipped template as a project's own (a comment added): every edition check renders passes."""
    project = tiny_copy(tmp_path / "p")
    _own_template(project, "{# the clinic's own copy #}\n")
    assert run("check", "--project", project).exit_code == 0


def test_a_template_that_compiles_to_megabytes_of_python_is_refused_before_python_compiles_it(tmp_path: Path) -> None:
    """A project's own PDF template of 27,000 empty macros before the shipped one's text (1 MB, the bound of a
    template file): Jinja2 turns it into 8 MB of Python, which Python compiles inside C, where no time bound runs
    (a timer's signal waits for it). `check` said ok after 97 s at 730 MB, and every build compiles it again. The
    Python a template compiles to is bounded (500,000 characters; the shipped templates compile to under 30,000),
    and Jinja2's own parsing runs under the 10 s bound: refused here in well under a second, naming the template."""
    project = tiny_copy(tmp_path / "p")
    _own_template(project, "".join(f"{{% macro m{n}() %}}{{% endmacro %}}" for n in range(2_000)))
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1
    assert "handout.xml.j2" in result.output and "characters of Python" in result.output
