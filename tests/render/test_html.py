"""The accessible HTML companion: structure checked with the standard library's HTML parser; rendering, reflow
at 200 % zoom and printing checked in headless Chromium (skipped only when no `chromium` is installed)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.review.state import short
from tests.conftest import REPO, run, shared_build
from tests.helpers import PAIRS, expected_units, load, normalise, replace_line

VOID = {"meta", "img", "br", "hr", "link", "input", "source", "area", "base", "col", "embed", "wbr", "path", "rect"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    def iter(self, tag: str | None = None):  # type: ignore[no-untyped-def]
        if tag is None or self.tag == tag:
            yield self
        for child in self.children:
            yield from child.iter(tag)

    def all_text(self) -> str:
        return "".join(self.text)


class Tree(HTMLParser):
    """A small DOM: every element with its attributes, children and (for text) the text in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]
        self.doctype = ""
        self.order: list[Node] = []

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        self.order.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        self.order.append(node)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        for node in self.stack:
            node.text.append(data)


def parse(path: Path) -> Tree:
    tree = Tree()
    tree.feed(path.read_text(encoding="utf-8"))
    tree.close()
    assert tree.stack == [tree.root], "unclosed elements"
    return tree


@pytest.fixture(scope="session")
def html_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped project built as PDF and HTML in one run, and as a bilingual Arabic-English HTML (once for
    the whole run: shared by the xdist workers, read only)."""
    def make(root: Path) -> None:
        result = run("build", "--project", root, "--format", "pdf,html")
        assert result.exit_code == 0, result.output
        result = run("build", "--project", root, "--lang", "ar", "--bilingual", "en", "--format", "html")
        assert result.exit_code == 0, result.output

    return shared_build(tmp_path_factory, "html", make)


def _css(tree: Tree) -> str:
    return "".join("".join(node.text) for node in tree.root.iter("style"))


def _screen_css(css: str) -> str:
    """The style sheet without its print-only parts (@media print { ... } and @page { ... })."""
    out, depth, skipping, i = [], 0, False, 0
    while i < len(css):
        if depth == 0 and (css.startswith("@media print", i) or css.startswith("@page", i)):
            skipping = True
        ch = css[i]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0 and skipping:
                skipping = False
                i += 1
                continue
        if not skipping:
            out.append(ch)
        i += 1
    return "".join(out)


@pytest.mark.parametrize(("handout", "lang"), PAIRS)
def test_html_structure(html_built: Path, handout: str, lang: str) -> None:
    path = html_built / "output" / lang / f"{handout}.html"
    tree = parse(path)
    assert tree.doctype.lower() == "doctype html"
    html = next(tree.root.iter("html"))
    assert html.attrs["lang"] == lang and html.attrs["dir"] == ("rtl" if lang == "ar" else "ltr")
    headings = [int(node.tag[1]) for node in tree.order if re.fullmatch(r"h[1-6]", node.tag)]
    assert headings.count(1) == 1 and headings[0] == 1
    assert all(b <= a + 1 for a, b in zip(headings, headings[1:], strict=False)), headings  # no level skipped

    project = load(REPO)
    blocks = [b for s in project.handout(handout, lang).sections
              for b in s.blocks_for(project.settings.jurisdiction) or ()]
    lists = [b for b in blocks if b.kind in ("list", "checklist")]
    uls = [ul for ul in tree.root.iter("ul") if ul.attrs.get("class") != "sources"]
    assert len(uls) == len(lists)
    for ul, block in zip(uls, lists, strict=True):
        assert len([c for c in ul.children if c.tag == "li"]) == len(block.items)
        assert ("checklist" in ul.attrs.get("class", "")) == (block.kind == "checklist")
    tables = [b for b in blocks if b.kind == "table"]
    assert len(list(tree.root.iter("table"))) == len(tables)
    for table, block in zip(tree.root.iter("table"), tables, strict=True):
        head = list(next(table.iter("thead")).iter("th"))
        assert [th.attrs.get("scope") for th in head] == ["col"] * len(block.columns)
        rows = list(next(table.iter("tbody")).iter("tr"))
        assert len(rows) == len(block.rows)
        for row in rows:
            assert row.children[0].tag == "th" and row.children[0].attrs.get("scope") == "row"

    text = normalise(next(tree.root.iter("body")).all_text(), lang)
    missing = {k: v for k, v in expected_units(project, handout, lang).items() if v not in text}
    assert not missing
    strings = project.strings_for(lang)
    for key in ("disclaimer.short", "review.draft", "heading.disclaimer"):
        assert normalise(strings.get(key).text, lang) in text, key
    entry = _manifest(html_built)[f"{lang}/{handout}.html"]
    assert short(entry["fingerprint"]) in text
    meta = {n.attrs.get("name"): n.attrs.get("content") for n in tree.root.iter("meta")}
    assert meta["patient-handouts-verify"].startswith(f"patient-handouts:verify:v1;handout={handout};lang={lang};")
    assert meta["viewport"] == "width=device-width, initial-scale=1"


@pytest.mark.parametrize("lang", ["en", "ar", "zh-Hans"])
def test_html_is_self_contained_and_zoomable(html_built: Path, lang: str) -> None:
    tree = parse(html_built / "output" / lang / "ketamine-or-psilocybin.html")
    for tag in ("script", "link", "iframe", "object", "embed", "base", "form", "audio", "video"):
        assert not list(tree.root.iter(tag)), tag
    for node in tree.order:
        # Inline styles: only the generator's, pinning the review-state notice (render/htmlnotice.py).
        assert "style" not in node.attrs or node.tag in ("html", "head", "body", "handouts-notice", "handouts-line")
        assert not any(a.startswith("on") for a in node.attrs)
        if "src" in node.attrs:
            assert node.attrs["src"].startswith("data:image/")
        if "href" in node.attrs:
            assert node.attrs["href"].startswith(("https:", "mailto:", "tel:")), node.attrs["href"]
    css = _css(tree)
    assert "@import" not in css and "url(" not in css
    assert "@media print" in css
    screen = _screen_css(css)
    assert "font-size" in screen and "max-width" in screen
    # Readable at 200 % zoom: no absolute lengths on screen, only rem, em, % and keywords.
    assert not re.search(r"\d(px|pt|pc|cm|mm|in|q)\b", screen, re.I), re.findall(r"[\d.]+(?:px|pt|cm|mm|in)", screen)
    assert next(tree.root.iter("svg")).attrs.get("aria-hidden") == "true"  # the QR code; its text is beside it


def _manifest(root: Path) -> dict[str, dict]:
    return {e["file"]: e for e in json.loads((root / "output" / "manifest.json").read_text(encoding="utf-8"))}


def test_html_is_in_the_manifest_next_to_the_pdf(html_built: Path) -> None:
    entries = _manifest(html_built)
    for handout, lang in PAIRS:
        html, pdf = entries[f"{lang}/{handout}.html"], entries[f"{lang}/{handout}.pdf"]
        assert html["format"] == "html" and pdf["format"] == "pdf" and html["pages"] is None
        assert html["sha256"] == hashlib.sha256((html_built / "output" / html["file"]).read_bytes()).hexdigest()
        for key in ("fingerprint", "content_version", "review_status", "disclaimer", "edition"):
            assert html[key] == pdf[key], key


def test_bilingual_html_marks_each_translation_with_its_language(html_built: Path) -> None:
    tree = parse(html_built / "output" / "ar" / "ketamine-or-psilocybin.ar-en.html")
    html = next(tree.root.iter("html"))
    assert (html.attrs["lang"], html.attrs["dir"]) == ("ar", "rtl")
    seconds = [n for n in tree.order if "second" in n.attrs.get("class", "").split()]
    assert seconds and all((n.attrs.get("lang"), n.attrs.get("dir")) == ("en", "ltr") for n in seconds)
    project = load(REPO)
    english = expected_units(project, "ketamine-or-psilocybin", "en")
    second_text = normalise(" ".join(n.all_text() for n in seconds), "en")
    assert not {k: v for k, v in english.items() if v not in second_text}
    assert len([n for n in tree.order if n.tag == "h1"]) == 1
    assert _manifest(html_built)["ar/ketamine-or-psilocybin.ar-en.html"]["second_lang"] == "en"


def test_html_escapes_content_and_keeps_only_safe_links(project: Path) -> None:
    line = replace_line(project, "content/en/microdosing.yaml", "summary:",
                        'summary: "<script>alert(1)</script> & <img src=x onerror=alert(2)> '
                        '[site](https://clinic.example.org/a?b=1&c=\\"2\\") [mail](mailto:help@example.org)"')
    assert line
    result = run("build", "--project", project, "--lang", "en", "microdosing", "--format", "html")
    assert result.exit_code == 0, result.output
    path = project / "output" / "en" / "microdosing.html"
    tree = parse(path)
    assert not list(tree.root.iter("script")) and not list(tree.root.iter("img"))
    summary = next(n for n in tree.root.iter("p") if n.attrs.get("class") == "summary")
    assert "<script>alert(1)</script> & <img src=x onerror=alert(2)>" in summary.all_text()
    links = [a.attrs["href"] for a in summary.iter("a")]
    assert links == ['https://clinic.example.org/a?b=1&c="2"', "mailto:help@example.org"]
    assert "<script>" not in path.read_text(encoding="utf-8")


def test_html_logo_is_embedded_with_alt_text(project: Path) -> None:
    from PIL import Image

    (project / "logo.png").parent.mkdir(exist_ok=True)
    Image.new("RGB", (40, 10), "#123a5c").save(project / "logo.png")
    replace_line(project, "handouts.yaml", "  # logo:", "  logo: logo.png")
    result = run("build", "--project", project, "--lang", "ar", "microdosing", "--format", "html,pdf")
    assert result.exit_code == 0, result.output
    tree = parse(project / "output" / "ar" / "microdosing.html")
    (img,) = list(tree.root.iter("img"))
    assert img.attrs["alt"] == load(project).settings.clinic.name
    import base64

    kind, data = img.attrs["src"].split(",", 1)
    assert kind == "data:image/png;base64"
    assert base64.b64decode(data) == (project / "logo.png").read_bytes()


def test_large_print_html(project: Path) -> None:
    result = run("build", "--project", project, "--lang", "en", "microdosing", "--format", "html", "--large-print")
    assert result.exit_code == 0, result.output
    css = _css(parse(project / "output" / "en" / "microdosing.large.html"))
    assert "html { font-size: 133.33%; }" in css  # 16 px × 1.3333 = 21.3 px = 16 pt body text
    assert _manifest(project)["en/microdosing.large.html"]["edition"] == "large"


def test_verify_reads_the_html_companion(html_built: Path) -> None:
    path = html_built / "output" / "es" / "microdosing.html"
    result = run("verify", path, "--project", html_built)
    assert result.exit_code == 0 and "microdosing.html: current" in result.output


# -- in a real browser ----------------------------------------------------------------------------------------
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")


def chromium(*args: str) -> subprocess.CompletedProcess[str]:
    """Headless Chromium with a throwaway profile and nothing that reaches the network."""
    assert CHROMIUM is not None
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
             f"--user-data-dir={profile}", *args], capture_output=True, text=True, timeout=120)


def _keep_screenshot(path: Path) -> None:
    """Copy a screenshot to $HANDOUTS_SCREENSHOTS, if set, for a person to look at."""
    folder = os.environ.get("HANDOUTS_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(folder) / path.name)


def _edges(png: Path) -> tuple[int, int]:
    """How many rows of text share the most common left edge, and the most common right edge."""
    from collections import Counter

    from PIL import Image

    image = Image.open(png).convert("L")
    width, height = image.size
    pixels = image.load()
    lefts, rights = Counter(), Counter()
    for y in range(0, height, 2):
        dark = [x for x in range(width) if pixels[x, y] < 110]
        if dark:
            lefts[dark[0] // 3] += 1
            rights[dark[-1] // 3] += 1
    return lefts.most_common(1)[0][1], rights.most_common(1)[0][1]


@needs_chromium
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_screenshot_looks_right(html_built: Path, lang: str, tmp_path: Path) -> None:
    png = tmp_path / f"ketamine-or-psilocybin.{lang}.png"
    page = html_built / "output" / lang / "ketamine-or-psilocybin.html"
    result = chromium(f"--screenshot={png}", "--window-size=1000,1400", page.as_uri())
    assert png.is_file(), result.stderr
    _keep_screenshot(png)
    from PIL import Image

    image = Image.open(png).convert("RGB")
    assert image.size == (1000, 1400)
    colours = image.getcolors(1_000_000) or []
    from generator.render.styles import load as load_styles

    colour = load_styles(REPO / "templates" / "style.yaml").colors["heading"].lstrip("#")
    heading = tuple(int(colour[i:i + 2], 16) for i in (0, 2, 4))
    assert any(abs(c[0] - heading[0]) + abs(c[1] - heading[1]) + abs(c[2] - heading[2]) < 30
               for _, c in colours), "no heading-coloured text"
    dark = sum(n for n, c in colours if sum(c) < 250)
    assert dark > 5000, "the page looks empty"
    left, right = _edges(png)
    if lang == "ar":
        assert right > left * 1.5, (left, right)  # right-to-left: lines end together at the right
    else:
        assert left > right * 1.5, (left, right)  # left-to-right: lines start together at the left


@needs_chromium
@pytest.mark.parametrize("name", ["en/ketamine-or-psilocybin.html", "ar/ketamine-or-psilocybin.html",
                                  "zh-Hans/microdosing.html", "ar/ketamine-or-psilocybin.ar-en.html"])
def test_reflows_at_200_percent_zoom(html_built: Path, name: str, tmp_path: Path) -> None:
    """A 1000 px window at 200 % zoom lays a page out 500 CSS px wide: nothing may need sideways scrolling
    (a wide table scrolls inside its own region, which WCAG allows)."""
    probe = tmp_path / "probe.html"
    page = (html_built / "output" / name).read_text(encoding="utf-8")
    script = ("<script>document.body.setAttribute('data-probe', document.documentElement.scrollWidth + 'x' + "
              "document.documentElement.clientWidth)</script></body>")
    probe.write_text(page.replace("</body>", script), encoding="utf-8")  # a test-only copy: the real file has no JS
    result = chromium("--window-size=500,900", "--dump-dom", probe.as_uri())
    match = re.search(r'data-probe="(\d+)x(\d+)"', result.stdout)
    assert match, result.stderr[-2000:]
    scroll, client = int(match.group(1)), int(match.group(2))
    assert client <= 500 and scroll <= client, (scroll, client)


@needs_chromium
def test_print_stylesheet_uses_the_clinic_paper(project: Path, tmp_path: Path) -> None:
    """Printed from a browser, the page is the clinic's paper size and link addresses are written out."""
    from pypdf import PdfReader

    replace_line(project, "handouts.yaml", "paper:", "paper: a4")
    replace_line(project, "content/en/microdosing.yaml", "summary:",
                 'summary: "See [our guide](https://clinic.example.org/guide)."')
    result = run("build", "--project", project, "--lang", "en", "microdosing", "--format", "html")
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "printed.pdf"
    chromium(f"--print-to-pdf={pdf}", "--no-pdf-header-footer",
             (project / "output" / "en" / "microdosing.html").as_uri())
    reader = PdfReader(pdf)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    text = normalise(" ".join(page.extract_text() for page in reader.pages), "en")
    assert "Microdosing psilocybin or ketamine" in text and "General information only" in text
    assert "our guide (https://clinic.example.org/guide)" in text


@pytest.mark.parametrize("lang", ["en", "es", "ar", "zh-Hans"])
def test_html_draft_language_table_caption_and_links(html_built: Path, lang: str) -> None:
    tree = parse(html_built / "output" / lang / "ketamine-or-psilocybin.html")
    notice = next(tree.root.iter("handouts-notice"))  # the generator's, first in <body>
    english = [n for n in notice.children[0].children if n.all_text() == "DRAFT"]
    # WCAG 3.1.2: the English word says it is English (on a page in another language it must).
    assert notice.all_text().startswith("DRAFT")
    assert [n.attrs.get("lang") for n in english] == ["en"]
    # Each table has a caption, and its scroll region is named by that caption, not by the section heading
    # the section landmark already carries (axe: landmark-unique).
    names = {n.attrs["id"]: n.all_text() for n in tree.root.iter() if "id" in n.attrs}
    regions = [n for n in tree.root.iter() if n.attrs.get("role") == "region" or n.tag == "section"]
    labels = [names[n.attrs["aria-labelledby"]] for n in regions if "aria-labelledby" in n.attrs]
    assert len(labels) == len(set(labels)), labels
    for wrap in (n for n in tree.root.iter("div") if n.attrs.get("class") == "table-wrap"):
        caption = next(wrap.iter("caption"))
        assert caption.all_text().strip() and wrap.attrs["aria-labelledby"] == caption.attrs["id"]
    # Phone numbers, the crisis line and web addresses are links that call or open.
    links = {n.attrs["href"] for n in tree.root.iter("a")}
    assert {"tel:+15550100100", "tel:988", "tel:911"} <= links
    text = parse(html_built / "output" / lang / "esketamine-nasal-spray.html")
    assert "https://988lifeline.org" in {n.attrs["href"] for n in text.root.iter("a")}


def _axe_core() -> Path | None:
    """axe-core's browser script: $AXE_CORE_JS, or node_modules/axe-core under the repository (`.ci/run` installs
    it with npm)."""
    for candidate in (os.environ.get("AXE_CORE_JS", ""), str(REPO / "node_modules" / "axe-core" / "axe.min.js")):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


@needs_chromium
@pytest.mark.skipif(_axe_core() is None, reason="axe-core is not installed (npm install axe-core; or set AXE_CORE_JS)")
@pytest.mark.parametrize(("name", "lang"), [("ketamine-or-psilocybin", "es"), ("ketamine-or-psilocybin", "ar"),
                                            ("esketamine-nasal-spray", "zh-Hans"), ("microdosing", "en")])
def test_axe_finds_no_violations(html_built: Path, name: str, lang: str, tmp_path: Path) -> None:
    axe = _axe_core()
    assert axe is not None
    page = (html_built / "output" / lang / f"{name}.html").read_text(encoding="utf-8")
    # The page, with axe-core and a script that writes what axe reports into the page for --dump-dom to show.
    probe = tmp_path / f"{name}.{lang}.axe.html"
    probe.write_text(page.replace("</body>", (
        f"<script>{axe.read_text(encoding='utf-8')}</script><script>axe.run(document, {{resultTypes: "
        "['violations']}).then(function (r) { var out = document.createElement('pre'); out.id = 'axe-result';"
        " out.textContent = JSON.stringify(r.violations.map(function (v) { return [v.id, v.impact, "
        "v.nodes.map(function (n) { return n.target.join(' '); })]; })); document.body.appendChild(out); });"
        "</script></body>")), encoding="utf-8")
    result = chromium("--virtual-time-budget=20000", "--dump-dom", probe.as_uri())
    found = re.search(r'<pre id="axe-result">(.*?)</pre>', result.stdout, re.S)
    assert found, result.stderr[-2000:]
    import html as markup

    assert json.loads(markup.unescape(found.group(1))) == []


@pytest.mark.parametrize("lang", ["en", "ar", "zh-Hans"])
def test_html_carries_what_the_pdf_prints_around_the_content(html_built: Path, lang: str) -> None:
    """The companion is not a lesser copy: the "Current as of" line, the clinic's contact block, the Sources
    list and the other languages (each marked with its own language) are there, as in the PDF beside it."""
    from pypdf import PdfReader

    folder = html_built / "output" / lang
    tree = parse(folder / "microdosing.html")
    pdf = normalise(" ".join(p.extract_text() for p in PdfReader(folder / "microdosing.pdf").pages), lang)
    sections = {n.attrs.get("id"): n for n in tree.root.iter("section")}
    contact = [normalise(p.all_text(), lang) for p in sections["contact"].iter("p")]
    assert any("Example" in line for line in contact) and any("555" in line for line in contact), contact
    # Source names are Latin in every language; the Arabic PDF's text comes out in visual order, so they are
    # compared with the English PDF's list (the same statements, so the same sources).
    english = normalise(" ".join(p.extract_text() for p in PdfReader(folder.parent / "en" / "microdosing.pdf").pages),
                        "en")
    sources = [normalise(li.all_text(), "en") for li in sections["sources"].iter("li")]
    assert len(sources) >= 5 and all(source in english for source in sources), (sources, english[-600:])
    footer = next(tree.root.iter("footer"))
    assert {n.attrs["lang"] for n in footer.iter("bdi") if "lang" in n.attrs} == \
        {"en", "es", "ar", "zh-Hans", "vi", "ru"} - {lang}
    header = [normalise(p.all_text(), lang) for p in next(tree.root.iter("header")).iter("p")]
    year = re.compile(r"20\d\d")
    current = [line for line in header if year.search(line)]
    assert len(current) == 1 and year.findall(current[0])[-1] in pdf, header
