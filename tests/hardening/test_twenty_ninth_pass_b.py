"""The twenty-ninth hostile pass, part B (issue 12): a project's own templates, style.yaml, fonts and every drawing
path, in all six languages. Written against main 010ae3d; every test here failed there.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run
from tests.hardening.hostile import SETTINGS, no_traceback, tiny_copy


def test_a_verify_url_repeating_a_field_is_refused(tmp_path: Path) -> None:
    """verify_url is bounded to 300 characters "so the QR code must scan", but its fields are filled in: an address
    of 292 characters writing `{handout}` 30 times, for a handout whose ID has 64 letters, put 1,962 characters in
    the 22 mm QR code (a version 37 code, modules of 0.13 mm). `check` and `build` said ok, and the printed code
    (looked at, pages rendered at 100, 150 and 200 dpi) could not be read by zbarimg, which reads the shipped
    handout's at 100 dpi: a patient scanning it learns nothing. Each field is written once, so the filled address
    stays near the bound; the error names the field and its place in handouts.yaml."""
    project = tiny_copy(tmp_path / "p")
    settings = project / SETTINGS
    address = "https://clinic.example.org/" + "{handout}" * 3
    settings.write_text(settings.read_text(encoding="utf-8") + f'verify_url: "{address}"\n', encoding="utf-8")
    result = run("check", "--project", project)
    no_traceback(result)
    assert result.exit_code == 1
    assert "handouts.yaml:" in result.output
    assert "{handout} more than once" in result.output
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        address, "https://clinic.example.org/{lang}/{handout}?v={version}&f={fingerprint}&r={review}"),
        encoding="utf-8")
    assert run("check", "--project", project).exit_code == 0


def _box(units: int, at_top: bool) -> tuple[object, float]:
    """A help box: its heading, `units` short texts, then a short text whose translation is taller than a page
    (as a bilingual large-print edition lays them out), in a 400 pt frame; and the unsplit box's height."""
    from generator.content.markup import Span
    from generator.render.fonts import load_config
    from generator.render.pagination import Callout
    from generator.render.styles import load
    from generator.render.textflow import TextFlow
    from tests.conftest import REPO

    fonts = load_config(REPO / "templates").for_lang("en")
    styles = load(REPO / "templates/style.yaml", large_print=True).text
    text = [TextFlow((Span(f"Short text {n}."),), styles["body"], fonts) for n in range(units + 1)]
    long = TextFlow((Span(" ".join(["Pregunte al equipo de atención."] * 150)),), styles["body"], fonts)
    box = Callout([TextFlow((Span("When to get help"),), styles["heading"], fonts)],
                  [*([t] for t in text[:units]), [text[units], long]], [], ("#ffffff", "#000000"))
    box._frame = type("Frame", (), {"_aH": 400.0, "_atTop": int(at_top)})()  # as a frame sets them
    return box, box.wrap(300, 400)[1]


def test_a_translation_taller_than_a_page_splits_where_it_falls_in_the_help_box() -> None:
    """`en --bilingual es --large-print`, a Spanish item of the help section much longer than its English (3,000
    characters: a translator's long explanation). The build said ok, and the PDF (looked at) printed "Call 911 right
    away if you have:" alone in the box on page 9, three quarters of it blank, its Spanish from page 10; and
    "Confusion that does not pass" alone on page 13, the page blank under it, its Spanish from page 14 (19 pages): a
    unit taller than a page went to the next page's top, and there its text stayed while its translation went over
    the page again. The translation now begins under its text and splits where the page ends (17 pages)."""
    for units, at_top in ((0, True), (2, False)):
        box, whole = _box(units, at_top)
        assert whole > 800
        parts = box.split(300, 400)
        assert len(parts) == 2
        used = parts[0].wrap(300, 400)[1]
        assert 340 < used <= 400, (units, used)  # the page filled, not the text alone
        assert used + parts[1].wrap(300, 10_000)[1] >= whole - 60  # nothing lost (a repeated heading aside)
