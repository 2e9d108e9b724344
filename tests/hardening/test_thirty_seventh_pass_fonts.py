"""The thirty-seventh hostile pass, part B (issue 12): faces that print bold or italic as something else.
Written against main dac1b04; every test here failed on it when written.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

import shutil
import string
from pathlib import Path

import pytest

from generator.render.template import default_templates
from tests.conftest import run
from tests.hardening.hostile import no_traceback, tiny_copy

NOTO = default_templates() / "fonts" / "noto-sans"


def _family(project: Path, faces: dict[str, str], extra: str = "") -> None:
    """fonts.yaml giving English one family: `faces` maps a face key to a file under templates/fonts/x/."""
    lines = "".join(f"    {key}: fonts/x/{name}\n" for key, name in faces.items())
    (project / "templates" / "fonts.yaml").write_text(
        f"families:\n  x:\n{lines}{extra}languages:\n  en: {{family: x, direction: ltr, breaking: words}}\n",
        encoding="utf-8")


def _copies(project: Path, **names: str) -> Path:
    """Copies of shipped Noto Sans faces under templates/fonts/x/ (`Heavy="Bold"`: Heavy.ttf, of NotoSans-Bold)."""
    folder = project / "templates" / "fonts" / "x"
    folder.mkdir(parents=True, exist_ok=True)
    for name, face in names.items():
        shutil.copy(NOTO / f"NotoSans-{face}.ttf", folder / f"{name}.ttf")
    return folder


def _refused(project: Path, *words: str) -> str:
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1, result.output
    for word in words:
        assert word in result.output, result.output
    return result.output


@pytest.mark.parametrize("value", ['"no"', '"false"', "0", "yes please"])
def test_synthetic_bold_that_is_not_true_or_false_is_refused_at_its_line(tmp_path: Path, value: str) -> None:
    """fonts.yaml's `synthetic_bold: "no"` (quoted) was read as true (any non-empty text is): the bold face was
    stroked and, worse, no longer checked for weight. It is a YAML true or false, or an error at its line."""
    project = tiny_copy(tmp_path / "p")
    _copies(project, Regular="Regular", Bold="Bold")
    _family(project, {"regular": "Regular.ttf", "bold": "Bold.ttf"}, f"    synthetic_bold: {value}\n")
    output = _refused(project, "fonts.yaml:5:5:", "synthetic_bold", "true or false")
    assert "Traceback" not in output


def test_synthetic_bold_cannot_switch_off_the_weight_check(tmp_path: Path) -> None:
    """fonts.yaml naming Noto Sans Bold as the regular face and Noto Sans Regular as the bold one, with
    `synthetic_bold` set: `check` passed (the flag skipped the weight check) and every heading, title and bold word
    printed lighter than the text around it. `synthetic_bold` means only "stroke the regular outlines": with a bold
    file that is another face it is refused at its line, and without the flag the light bold face is refused."""
    project = tiny_copy(tmp_path / "p")
    _copies(project, Heavy="Bold", Light="Regular")
    _family(project, {"regular": "Heavy.ttf", "bold": "Light.ttf"}, "    synthetic_bold: true\n")
    _refused(project, "fonts.yaml:5:5:", "synthetic_bold", "Light.ttf", "Heavy.ttf")
    _family(project, {"regular": "Heavy.ttf", "bold": "Light.ttf"})
    _refused(project, "Light.ttf")


def test_synthetic_bold_of_the_regular_file_still_checks_and_builds(tmp_path: Path) -> None:
    """The documented use, the regular file named as bold with `synthetic_bold: true` (as the shipped Chinese
    family), is still accepted."""
    project = tiny_copy(tmp_path / "p")
    _copies(project, Regular="Regular")
    _family(project, {"regular": "Regular.ttf", "bold": "Regular.ttf"}, "    synthetic_bold: true\n")
    result = run("check", "--project", project)
    assert result.exit_code == 0, result.output


def _graft(destination, source, letters: str) -> None:  # type: ignore[no-untyped-def]
    """Give `destination` the outlines (and advances) of `source` for `letters` (simple glyphs only)."""
    into, out_of = destination.getBestCmap(), source.getBestCmap()
    for ch in letters:
        glyph = source["glyf"][out_of[ord(ch)]]
        if not glyph.isComposite():
            destination["glyf"][into[ord(ch)]] = glyph
            destination["hmtx"][into[ord(ch)]] = source["hmtx"][out_of[ord(ch)]]


def test_a_bold_face_bold_only_on_the_sampled_letters_is_refused(tmp_path: Path) -> None:
    """A "bold" face that is Noto Sans Bold with the regular outlines for every ASCII letter but the weight check's
    sample (H O n o e a s l t b d p q m w) passed `check`: bold words printed half bold ("Drive" with a light r,
    i, v). Every ASCII letter and every letter the texts use is compared with the regular face's; the lighter
    ones are named."""
    from fontTools.ttLib import TTFont

    project = tiny_copy(tmp_path / "p")
    folder = _copies(project, Regular="Regular")
    bold = TTFont(NOTO / "NotoSans-Bold.ttf")
    _graft(bold, TTFont(NOTO / "NotoSans-Regular.ttf"),
           [ch for ch in string.ascii_letters if ch not in "HOnoeasltbdpqmw"])
    bold.save(folder / "HalfBold.ttf")
    _family(project, {"regular": "Regular.ttf", "bold": "HalfBold.ttf"})
    _refused(project, "HalfBold.ttf", "A B C", "no heavier than")


def test_an_italic_face_leaning_only_on_the_sampled_letters_is_refused(tmp_path: Path) -> None:
    """An "italic" face that is Noto Sans Regular with the italic outlines only for the slant check's sample
    letters (l I H T N E) passed `check`: *off-label* printed upright but for its l. Each letter that leans no
    more than the upright one and has its shape is named."""
    from fontTools.ttLib import TTFont

    project = tiny_copy(tmp_path / "p")
    folder = _copies(project, Regular="Regular", Bold="Bold", BoldItalic="BoldItalic")
    italic = TTFont(NOTO / "NotoSans-Regular.ttf")
    _graft(italic, TTFont(NOTO / "NotoSans-Italic.ttf"), "lIHTNE")
    for record in italic["name"].names:  # a name of its own: two files named alike are refused for that
        if record.nameID in (1, 3, 4, 6, 16):
            record.string = record.toUnicode().replace("NotoSans", "HalfSans").replace("Noto Sans", "Half Sans")
    italic.save(folder / "HalfItalic.ttf")
    _family(project, {"regular": "Regular.ttf", "bold": "Bold.ttf", "italic": "HalfItalic.ttf",
                      "bold_italic": "BoldItalic.ttf"})
    _refused(project, "HalfItalic.ttf", "as upright as", "A B C")


def test_real_families_pass_the_letter_checks(tmp_path: Path) -> None:
    """Noto Sans (all four faces) and DejaVu Sans with its Oblique faces, as shipped or on this machine, pass."""
    project = tiny_copy(tmp_path / "p")
    _copies(project, Regular="Regular", Bold="Bold", Italic="Italic", BoldItalic="BoldItalic")
    _family(project, {"regular": "Regular.ttf", "bold": "Bold.ttf", "italic": "Italic.ttf",
                      "bold_italic": "BoldItalic.ttf"})
    result = run("check", "--project", project)
    assert result.exit_code == 0, result.output
    dejavu = Path("/usr/share/fonts/truetype/dejavu")
    if not (dejavu / "DejaVuSans-BoldOblique.ttf").is_file():
        return
    folder = project / "templates" / "fonts" / "x"
    for name in ("DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSans-BoldOblique"):
        shutil.copy(dejavu / f"{name}.ttf", folder)
    _family(project, {"regular": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf", "italic": "DejaVuSans-Oblique.ttf",
                      "bold_italic": "DejaVuSans-BoldOblique.ttf"})
    result = run("check", "--project", project)
    assert result.exit_code == 0, result.output


def test_a_bold_face_named_as_the_regular_one_is_refused(tmp_path: Path) -> None:
    """fonts.yaml naming Noto Sans Bold as the regular face (and as the stroked bold): `check` passed and the
    whole handout printed in bold, the effect style.yaml's `text.body: {bold: true}` is refused for."""
    project = tiny_copy(tmp_path / "p")
    _copies(project, Heavy="Bold")
    _family(project, {"regular": "Heavy.ttf", "bold": "Heavy.ttf"})
    _refused(project, "Heavy.ttf", "stems", "bold")


def test_an_italic_face_named_as_the_regular_one_is_refused(tmp_path: Path) -> None:
    """fonts.yaml naming Noto Sans Italic as the regular face (its italic the same sheared further): every word
    of the handout printed in italic."""
    project = tiny_copy(tmp_path / "p")
    _copies(project, Slanted="Italic", Bold="BoldItalic")
    _family(project, {"regular": "Slanted.ttf", "bold": "Bold.ttf"})
    _refused(project, "Slanted.ttf", "leaning")
