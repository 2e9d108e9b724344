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
