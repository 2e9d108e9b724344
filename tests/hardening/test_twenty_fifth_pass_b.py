"""The twenty-fifth hostile pass, part B (issue 12): the HTML companion as a patient's phone shows it. Written
against main 7a16eea; every test here failed there.

Each test asserts the guarantee and says in its docstring what was done, what happened, and why it matters.
"""

from __future__ import annotations

from pathlib import Path

from tests.hardening.hostile import no_traceback, tiny_copy

NOTICE_EDGES = ("const r = document.querySelector('handouts-notice').getBoundingClientRect();"
                "return [r.left, r.right, document.documentElement.scrollWidth, innerWidth];")


def test_the_review_notice_fits_a_phone_screen(tmp_path: Path) -> None:
    """The generator's own notice (DRAFT, review state, short disclaimer) was at least `min(20em, 90vw)` wide plus
    its padding and border: on a 320 px phone (WCAG 1.4.10's reflow width) it ran 20 px past the screen's right
    edge, its border and line ends out of sight and the page scrolling sideways; in a right-to-left page it ran
    off the left edge, where no scrolling reaches. It fits the screen in every edition."""
    from tests.conftest import run
    from tests.serve.browser import chromium

    project = tiny_copy(tmp_path / "project")
    result = run("build", "--project", project, "--out", project / "out", "--format", "html")
    no_traceback(result)
    assert result.exit_code == 0, result.output + result.stderr
    page = next((project / "out/en").glob("tiny*.html"))
    session = chromium(tmp_path)
    try:
        session.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                {"width": 320, "height": 640, "deviceScaleFactor": 1, "mobile": True})
        session.get(page.as_uri())
        edges = [session.execute_script(NOTICE_EDGES)]
        session.execute_script("document.documentElement.dir = 'rtl';")  # as an Arabic page lays it out
        edges.append(session.execute_script(NOTICE_EDGES))
    finally:
        session.quit()
    for left, right, scroll, width in edges:
        assert width == 320 and scroll <= width and 0 <= left and right <= width, edges


def test_a_long_heading_word_and_a_kept_value_fit_a_phone_screen_in_large_print(tmp_path: Path) -> None:
    """The shipped Russian handouts in large print on a 320 px phone: "Микродозинг" in the 2 em title and the
    crisis line's languages, "английский и испанский" (a value of 22 characters, kept on one line by
    `white-space: nowrap` as a phone number is), ran 38 and 9 px past the screen's edge; the page scrolled sideways
    for every line. A word longer than its line wraps, and a kept value stays whole only while it fits a line."""
    from tests.conftest import run
    from tests.serve.browser import chromium

    project = tiny_copy(tmp_path / "project")
    settings = project / "handouts.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("Tiny Test Clinic", "GREENFIELD WELLNESS HOME"),
                        encoding="utf-8")
    handout = project / "content/en/tiny.yaml"
    handout.write_text(handout.read_text(encoding="utf-8").replace('"A tiny handout"', '"Psychotherapeutic care"'),
                       encoding="utf-8")
    result = run("build", "--project", project, "--out", project / "out", "--format", "html", "--large-print")
    no_traceback(result)
    assert result.exit_code == 0, result.output + result.stderr
    session = chromium(tmp_path)
    try:
        session.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                {"width": 320, "height": 640, "deviceScaleFactor": 1, "mobile": True})
        session.get((project / "out/en/tiny.large.html").as_uri())
        kept = session.execute_script("return document.querySelectorAll('.keep').length")
        scroll = session.execute_script("return document.documentElement.scrollWidth")
    finally:
        session.quit()
    assert kept and scroll <= 320, scroll
