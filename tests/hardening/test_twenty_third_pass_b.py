"""The twenty-third hostile pass, part B (issue 12): a project's own templates, style.yaml, fonts, the logo and
every drawing path of the PDF and the HTML companion. Written against main 0a45231; every test here failed there.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

import base64
import io
import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader

from generator.content.markup import Span
from generator.render.fonts import load_config
from generator.render.styles import load
from generator.render.textflow import TextFlow
from tests.conftest import REPO
from tests.hardening.hostile import SETTINGS, no_traceback, refused_at_intro, set_intro, tiny_copy

FULL_WIDTH_DIGITS = "０１２３４５６７８９"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return tiny_copy(tmp_path / "project")


def _with_logo(project: Path, name: str, image: Image.Image, **save: object) -> None:
    """Save `image` as the project's logo and name it in handouts.yaml."""
    image.save(project / name, **save)
    path = project / SETTINGS
    path.write_text(path.read_text(encoding="utf-8").replace(
        "  website: https://clinic.example.org\n", f"  website: https://clinic.example.org\n  logo: {name}\n"),
        encoding="utf-8")


def _logos(project: Path) -> tuple[Image.Image, Image.Image]:
    """The logo as `build --format pdf,html` draws it: the PDF's embedded image and the HTML companion's."""
    from tests.conftest import run

    result = run("build", "--project", project, "--out", project / "out", "--format", "pdf,html")
    no_traceback(result)
    assert result.exit_code == 0, result.output + result.stderr
    pdf = PdfReader(project / "out/en/tiny.pdf").pages[0].images[0].image
    page = (project / "out/en/tiny.html").read_text(encoding="utf-8")
    found = re.search(r'src="data:image/png;base64,([^"]+)"', page)
    assert found, "no logo in the HTML companion"
    return pdf, Image.open(io.BytesIO(base64.b64decode(found.group(1))))


# -- the logo --------------------------------------------------------------------------------------------------------
def test_a_sixteen_bit_greyscale_logo_keeps_its_shades(project: Path) -> None:
    """A greyscale PNG saved at 16 bits a channel (as image editors and scanners export; Pillow opens it as mode
    I;16): `check` and `build` said ok, and the logo (looked at) printed as a faint white box — the re-encoding
    converted it to RGB by clipping each value at 255 of 65,535, so every shade but pure black turned white: a dark
    grey (a quarter of full scale, 16,448) printed white. The logo keeps its shades in the PDF and the HTML
    companion."""
    shades = Image.new("L", (400, 120), 255)
    ImageDraw.Draw(shades).rectangle((20, 20, 380, 100), fill=64)
    wide = Image.frombytes("I;16", shades.size, b"".join((value * 257).to_bytes(2, "little")
                                                         for value in shades.tobytes()))
    _with_logo(project, "logo.png", wide)
    for drawn in _logos(project):
        grey = drawn.convert("L")
        middle = grey.getpixel((grey.width // 2, grey.height // 2))
        assert isinstance(middle, int) and 50 <= middle <= 80, f"the dark grey box printed {middle} of 255"


def test_a_logo_stored_sideways_with_an_exif_orientation_is_drawn_upright(project: Path) -> None:
    """A JPEG logo as a phone or a camera saves it: its pixels stored sideways (120 x 400), with the EXIF
    orientation tag (6: turn 90 degrees clockwise) that every image viewer and browser obeys. `build` re-encoded
    it without the tag and drew it sideways: a thin upright bar at the top right of every page, the clinic's
    logo unreadable (looked at), and the same in the HTML companion. It is drawn as the tag says: 400 x 120."""
    upright = Image.new("RGB", (400, 120), "white")
    ImageDraw.Draw(upright).rectangle((0, 0, 399, 40), fill=(20, 60, 140))
    exif = Image.Exif()
    exif[0x0112] = 6
    _with_logo(project, "logo.jpg", upright.transpose(Image.Transpose.ROTATE_90), exif=exif.tobytes(), quality=95)
    for drawn in _logos(project):
        assert drawn.width > drawn.height, f"the logo was drawn sideways ({drawn.width} x {drawn.height})"
        top, bottom = drawn.convert("L").getpixel((drawn.width // 2, 5)), drawn.convert("L").getpixel(
            (drawn.width // 2, drawn.height - 5))
        assert isinstance(top, int) and isinstance(bottom, int) and top < 120 < bottom, "the logo is upside down"


@pytest.mark.parametrize("mode", ["RGB", "L", "I;16"])
def test_a_logo_with_a_transparent_colour_prints_no_black_background(project: Path, mode: str) -> None:
    """A PNG logo whose background is made transparent by a transparent colour (the tRNS key that "transparent
    background" exports of RGB and greyscale images write; black here, as most editors store it) rather than an
    alpha channel: the HTML companion (the key kept) showed the logo on white, but the PDF (looked at) printed a
    black slab at the top right of every page — ReportLab draws such an image without its key. The transparent
    colour is an alpha channel in the PDF too (a 16-bit grey's matched at 16 bits): the background is the paper's
    white."""
    logo = Image.new(mode, (400, 120), 0)
    ImageDraw.Draw(logo).ellipse((10, 10, 110, 110), fill={"RGB": (20, 60, 140), "L": 90}.get(mode, 30000))
    _with_logo(project, "logo.png", logo, transparency=(0, 0, 0) if mode == "RGB" else 0)
    pdf, _ = _logos(project)
    assert pdf.mode in ("RGBA", "LA") or "transparency" in pdf.info, pdf.mode
    subprocess.run(["pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "1", "-x", "170", "-y", "20", "-W", "70", "-H",
                    "25", str(project / "out/en/tiny.pdf"), str(project / "out/page")], check=True)
    drawn = Image.open(next(project.glob("out/page*.png"))).convert("L")
    dark = sum(drawn.histogram()[:40])
    assert dark < drawn.width * drawn.height // 10, f"{dark} of {drawn.width * drawn.height} pixels near black"


# -- numbers in full-width digits --------------------------------------------------------------------------------
def test_a_number_in_full_width_digits_is_never_broken_over_lines() -> None:
    """Chinese text with its numbers in full-width digits, as a Chinese input method types them in full-width mode
    ("请服用１２５０毫克或５０％或１２．５毫克"): `check` and `build` said ok, and in 11 of 40 paragraphs
    padded to every line position of a 300 pt column the line broke inside a number — "请服用１" above
    "２５０毫克" (a dose of 1 on the first line), "１２．" above "５毫克" (10 of 40 on a real page) — since
    each full-width digit is a CJK character, after which Chinese lines may break. The same numbers in ASCII digits
    were kept whole. A full-width number (with its sign, decimal point, grouping and percent sign) is one unit a
    line never breaks inside."""
    fonts, style = load_config(REPO / "templates").for_lang("zh-Hans"), load(REPO / "templates/style.yaml").text["body"]
    split = []
    for pad in range(40):
        flow = TextFlow((Span("研究" * 20 + "究" * pad + "请服用１２５０毫克或５０％或１２．５毫克。"),), style, fonts)
        flow.wrap(300, 1000)
        lines = ["".join(piece.text for word in line for piece in word.pieces) for line in flow._lines]
        split += [(one, two) for one, two in zip(lines, lines[1:], strict=False)
                  if one[-1] in FULL_WIDTH_DIGITS + "．" and two[0] in FULL_WIDTH_DIGITS + "．％"]
    assert not split, split[:3]


# -- link addresses ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("link", ["[988](tel:\uff19\uff18\uff18)", "[us](tel:1-800-662-HELP)",
                                  "[write to us](mailto:\uff41@clinic.example)"],
                         ids=["full-width-digits", "letters", "full-width-letter"])
def test_a_link_address_a_phone_cannot_dial_or_that_reads_as_another_is_refused(project: Path, link: str) -> None:
    """`[988](tel:９８８)` (full-width digits, as a Chinese input method types them): `check` and `build` said ok
    (the words show the digits the address holds), but no dialer reads such a number (RFC 3966: 0-9, and no letters:
    `tel:1-800-662-HELP`) — the HTML companion's browser sent `tel:%EF%BC%99%EF%BC%98%EF%BC%98` and the PDF held the
    address as UTF-16 — so tapping the crisis line's link did nothing. `[write to us](mailto:ａ@clinic.example)`: a
    full-width "ａ", which reads as "a", writes to another mailbox. `check` refuses each at the link, saying how to
    write it."""
    set_intro(project, f"Reach us: {link}.")
    refused_at_intro(project, link)


def test_a_phone_link_in_arabic_indic_digits_is_refused(tmp_path: Path) -> None:
    """The same in an Arabic translation: `[٩٨٨](tel:٩٨٨)`, the address in the Arabic-Indic digits an Arabic keyboard
    types (DejaVu Sans draws them, so no font check stops them): `check` said ok. It is refused at the link."""
    from tests.conftest import copy_project, run

    project = copy_project(tmp_path / "shipped")
    path = project / "content/ar/microdosing.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[106].startswith('        text: "')
    lines[106] = lines[106].replace('text: "', 'text: "\u0627\u062a\u0635\u0644 [\u0669\u0668\u0668]'
                                    '(tel:\u0669\u0668\u0668). ', 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1 and "microdosing.yaml:107:" in result.stderr and "cannot dial" in result.stderr, \
        result.output + result.stderr


def test_every_link_address_in_the_pdf_is_seven_bit_ascii(project: Path) -> None:
    """A link to a web address in Cyrillic (`https://минздрав.рф/пациентам`, as a Russian translation cites the
    ministry) and to an accented mailbox (`mailto:josé@clínica.example`): the PDF held the first as a UTF-16 string
    with a byte-order mark and the second in PDFDocEncoding — the standard (ISO 32000-1, 12.6.4.7) has a URI in
    7-bit ASCII, and a reader taking the bytes so opened "þÿ\\x00h\\x00t…", an address of no scheme. Each is
    written as a browser sends it: the host in IDNA, every other character percent-encoded as UTF-8."""
    set_intro(project, "Read [the ministry page](https://\u043c\u0438\u043d\u0437\u0434\u0440\u0430\u0432.\u0440\u0444"
                       "/\u043f\u0430\u0446\u0438\u0435\u043d\u0442\u0430\u043c) or "
                       "[write to us](mailto:jos\u00e9@cl\u00ednica.example).")
    from tests.conftest import run

    result = run("build", "--project", project, "--out", project / "out")
    assert result.exit_code == 0, result.output + result.stderr
    found = [bytes(link.get_object()["/A"].raw_get("/URI").original_bytes)
             for page in PdfReader(project / "out/en/tiny.pdf").pages for link in page.get("/Annots", [])
             if "/A" in link.get_object()]
    assert b"https://xn--80aeelexi0a.xn--p1ai/%D0%BF%D0%B0%D1%86%D0%B8%D0%B5%D0%BD%D1%82%D0%B0%D0%BC" in found, found
    assert b"mailto:jos%C3%A9@xn--clnica-4va.example" in found, found
    assert all(uri.isascii() for uri in found), found
