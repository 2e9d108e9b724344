"""The HTML companion's review state and disclaimer stay visible whatever a project's template and its styles
say: the generator adds its own notice after <body>; a real Chromium shows it under a hostile style sheet the
checker lets through, and the checker refuses what could still hide it (third hostile pass: `display:none` in a
project's template hid the DRAFT line)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REPO, copy_project, run
from tests.hardening.hostile import no_traceback
from tests.serve.browser import chromium

PAGE = Path("output/en/microdosing.html")
# Allowed by the checker, and each aimed at the notice: rules for it (lose to its inline !important), for the
# whole page (html and body are pinned), and layers that try to cover it (painted below its z-index).
HOSTILE_STYLE = """
handouts-notice, handouts-line, body > :first-child { display: none !important; visibility: hidden !important;
  color: #fff !important; background: #fff !important; font-size: 1px !important; opacity: 0 !important; }
html { opacity: 0; filter: blur(30px); transform: scale(0); }
body { display: flex; flex-direction: column-reverse; height: 0; overflow: hidden; margin-top: -5000px;
  visibility: hidden; color: #fff; font-size: 0; line-height: 0; clip-path: inset(50%); }
main::before { content: ""; position: fixed; top: 0; left: 0; width: 100vw; height: 100vh; background: #fff; }
header { position: relative; top: -30em; background: #fff; }
"""


def _project(tmp_path: Path, style: str) -> Path:
    """The shipped project in English alone (a project's own template is checked in every language and edition:
    320 renders for all six, 20 for English), its HTML template holding `style`."""
    root = copy_project(tmp_path / "project")
    settings = root / "handouts.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("".join(f"  - {lang}\n" for lang in ("es", "ar", "zh-Hans", "vi", "ru")), ""),
                        encoding="utf-8")
    assert "  - es\n" not in settings.read_text(encoding="utf-8")
    (root / "templates").mkdir()
    template = (REPO / "templates" / "handout.html.j2").read_text(encoding="utf-8")
    (root / "templates" / "handout.html.j2").write_text(
        template.replace("</head>", f"<style>{style}</style>\n</head>", 1), encoding="utf-8")
    return root


def _build(root: Path):  # noqa: ANN202 - click's Result
    return run("build", "--project", root, "--format", "html", "--lang", "en", "microdosing")


def test_a_hostile_style_sheet_cannot_hide_the_notice_in_a_real_browser(tmp_path: Path) -> None:
    """Most of this sheet is refused when a page is made (it could hide the handout's content too); the
    notice's pins are a second guard, so the sheet is put into the built page afterwards and a real browser
    shows it."""
    root = _project(tmp_path, "")
    result = _build(root)
    assert result.exit_code == 0, result.output
    page = root / PAGE
    page.write_text(page.read_text(encoding="utf-8").replace("</head>", f"<style>{HOSTILE_STYLE}</style>\n</head>",
                                                               1), encoding="utf-8")
    session = chromium(tmp_path / "downloads", 900, 700)
    try:
        session.get((root / PAGE).as_uri())
        lines = session.execute_script("""
            const notice = document.querySelector('handouts-notice');
            notice.scrollIntoView();
            const seen = [];
            for (const line of notice.querySelectorAll(':scope > handouts-line')) {
              const box = line.getBoundingClientRect(), style = getComputedStyle(line);
              let opacity = 1, flat = true;
              for (let e = line; e; e = e.parentElement) {
                const s = getComputedStyle(e);
                opacity *= parseFloat(s.opacity);
                flat = flat && s.transform === 'none' && s.filter === 'none' && s.clipPath === 'none';
              }
              const hit = document.elementFromPoint(box.left + 10, box.top + box.height / 2);
              seen.push({text: line.textContent, width: box.width, height: box.height, color: style.color,
                         size: parseFloat(style.fontSize), visibility: style.visibility, opacity, flat,
                         top: hit !== null && notice.contains(hit)});
            }
            return seen;""")
        png = tmp_path / "notice.png"
        session.save_screenshot(str(png))
    finally:
        session.quit()
    assert [line["text"] for line in lines][:1] == ["DRAFT"] and len(lines) == 3, lines
    assert any("General information only" in line["text"] for line in lines), lines
    for line in lines:
        assert line["width"] > 100 and line["height"] >= 12 and line["size"] >= 12, line
        assert line["color"] == "rgb(0, 0, 0)" and line["visibility"] == "visible", line
        assert line["opacity"] == 1 and line["flat"] and line["top"], line
    from PIL import Image

    dark = sum(n for n, colour in Image.open(png).convert("RGB").getcolors(1_000_000) or [] if sum(colour) < 200)
    assert dark > 2000, "the notice's text does not show on the screenshot"


@pytest.mark.parametrize(("style", "named"), [
    ("p { z-index: 9 }", "z-index"),
    ("body::first-line { color: #fff }", "first-line"),
    ("p::first-letter { font-size: 0 }", "first-letter"),
    ("@font-face { font-family: x; src: local(Symbol) }", "@font-face"),
    ("*::before { content: ''; position: absolute; inset: 0; background: #fff }", "*::before"),
    ("::after { content: 'x' }", "::after"),
    (".stamp::after { content: '' }", ".stamp::after"),
    ("body :is(div)::before { content: '' }", ":is(div)::before"),
    ("body { & > *::before { content: '' } }", "&"),
    ("handouts-notice::before { content: '' }", "handouts-notice::before"),
    ("body::before { content: ''; display: block; height: 100000px }", "body::before"),
])
def test_styles_that_could_hide_the_notice_are_refused(tmp_path: Path, style: str, named: str) -> None:
    root = _project(tmp_path, style)
    result = _build(root)
    no_traceback(result)
    assert result.exit_code == 1 and "handout.html.j2" in result.output and named in result.output, result.output
    assert not (root / PAGE).exists()


@pytest.mark.parametrize(("change", "named"), [
    (("\n<body>\n", '\n<body style="opacity:0">\n'), "no attributes but lang, dir, class and id"),
    (("\n<body>\n", "\n"), "before <body> is not allowed"),
    (("<title>", "<title><b>x</b>"), "inside <title>"),
])
def test_the_page_must_leave_body_to_the_generator(tmp_path: Path, change: tuple[str, str], named: str) -> None:
    root = _project(tmp_path, "")
    path = root / "templates" / "handout.html.j2"
    path.write_text(path.read_text(encoding="utf-8").replace(*change, 1), encoding="utf-8")
    result = _build(root)
    no_traceback(result)
    assert result.exit_code == 1 and named in result.output, result.output
    assert not (root / PAGE).exists()
