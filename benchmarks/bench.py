#!/usr/bin/env python3
"""Performance benchmark: our pipeline against a hand-written ReportLab floor, builds, start-up, memory, batch.

Not part of the test suite (timings never decide a test). From a fresh clone:

    pip install ".[test]" && python benchmarks/bench.py

It measures the code of this checkout (it puts the checkout first on the import path, for itself and for every
command it starts), prints each figure next to its target (issues 7 and 15) with PASS or MISS, and exits 0 either
way: only a crash fails it (exit 1), so that CI can run its --quick mode on any machine.
See benchmarks/README.md for what each figure means and how it is taken.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

if TYPE_CHECKING:
    from generator.content.model import Project
    from generator.render.localize import Text
HANDOUT = "ketamine-assisted-therapy"  # the handout (a) and (b) render, in English
MIB = 1024 * 1024

# Targets of issues 7 and 15; never loosened here. (limit, unit, True when a larger figure is better)
TARGETS = {
    "warm": (1.25, "x floor", False),
    "cold": (1.2, "x floor process", False),
    "noop": (0.25, "x floor process", False),
    "noop_s": (0.2, "s", False),
    "help": (0.15, "s", False),
    "memory": (120.0, "MiB", False),
    "batch": (90.0, "handouts/s", True),
    "batch_floor": (1.4, "x the floor's warm rate", True),
}
CLINICS = 34  # clinics in the batch (g), each the default set of 30 PDFs


def child_env() -> dict[str, str]:
    """The environment for commands we start: this checkout first on the import path, and a check cache of
    the benchmark's own (in its temporary folder), never the user's."""
    paths = [str(REPO)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths), "HANDOUTS_CACHE_DIR": str(cache_folder())}
    # The untimed first run compiles the checkout's bytecode, as an installed copy has it (pip compiles it):
    # a PYTHONDONTWRITEBYTECODE set for other work would make every timed command compile the generator anew.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def cache_folder() -> Path:
    return temp_folder() / "check-cache"


def forget_checks() -> None:
    """Empty the check cache: the next build checks everything, as the first build of a fresh clone does."""
    shutil.rmtree(cache_folder(), ignore_errors=True)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def spread(values: list[float], scale: float = 1.0, digits: int = 1) -> str:
    """'median (min-max)' for a list of timings."""
    return (f"{median(values) * scale:.{digits}f} ({min(values) * scale:.{digits}f}"
            f"-{max(values) * scale:.{digits}f})")


# -- (a) the floor: hand-written ReportLab, same text, fonts and page furniture, no pipeline --------------------
Rows = tuple[tuple[str, ...], ...]  # a block's text: one row of one cell (paragraph), one row per item or table row
Section = tuple[str, bool, tuple[tuple[str, Rows], ...]]  # heading, shaded callout?, (kind, rows) per block


@dataclass(frozen=True)
class FloorText:
    """The handout's English text as ReportLab paragraph markup, prepared once, outside the timed part."""

    clinic: str
    title: str
    summary: str
    contact: str
    sections: tuple[Section, ...]
    disclaimer_heading: str
    disclaimer: str
    footer_title: str
    footer_version: str
    footer_page: str  # with {page} and {pages}
    footer_disclaimer: str


def _markup(text: Text) -> str:
    """A localized Text as paragraph markup: escaped text in <b>, <i> and <a href> only."""
    out = []
    for span in text.spans:
        piece = escape(span.text, quote=False)
        if span.bold:
            piece = f"<b>{piece}</b>"
        if span.italic:
            piece = f"<i>{piece}</i>"
        if span.href:
            piece = f'<a href="{escape(span.href)}">{piece}</a>'
        out.append(piece)
    return "".join(out)


def floor_text(project: Project, root: Path, handout_id: str, lang: str = "en") -> FloorText:
    """Take the text of one shipped handout through load and localize (the pipeline's own reading)."""
    from generator.render import fonts, template
    from generator.render.localize import view
    from generator.review.state import handout_state

    config = fonts.load_config(template.find(root, "fonts.yaml"))
    state, _, fingerprint = handout_state(project, project.handout(handout_id, lang), date.today())
    doc = view(project, handout_id, lang, config.for_lang(lang), state, fingerprint)
    sections = []
    for section in doc.sections:
        blocks: list[tuple[str, Rows]] = []
        for block in section["blocks"]:
            kind = block["kind"]
            if kind in ("paragraph", "subheading"):
                blocks.append((kind, ((_markup(block["text"]),),)))
            elif kind in ("list", "checklist"):
                blocks.append((kind, tuple((_markup(item),) for item in block["items"])))
            elif kind == "table":
                rows = [tuple(_markup(c) for c in block["columns"])]
                rows += [tuple(_markup(c) for c in row) for row in block["rows"]]
                blocks.append((kind, tuple(rows)))
        sections.append((_markup(section["heading"]), section["id"] == "help", tuple(blocks)))
    return FloorText(
        clinic=escape(doc.clinic_name, quote=False), title=_markup(doc.title), summary=_markup(doc.summary),
        contact=_markup(doc.contact), sections=tuple(sections),
        disclaimer_heading=_markup(doc.disclaimer_heading), disclaimer=_markup(doc.disclaimer_full),
        footer_title=doc.title.plain, footer_version=doc.version_label.plain, footer_page=doc.page_label.plain,
        footer_disclaimer=doc.disclaimer_short.plain,
    )


class Floor:
    """A minimal platypus rendering: Paragraphs, bullets, Tables, a shaded box, a footer on every page."""

    def __init__(self, text: FloorText) -> None:
        import yaml
        from reportlab.lib.colors import HexColor
        from reportlab.lib.enums import TA_LEFT
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        self.text = text
        fonts = REPO / "templates" / "fonts" / "noto-sans"
        names = {"regular": "NotoSans-Regular", "bold": "NotoSans-Bold", "italic": "NotoSans-Italic",
                 "bold_italic": "NotoSans-BoldItalic"}
        for key, file in names.items():
            if f"Floor-{key}" not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(f"Floor-{key}", str(fonts / f"{file}.ttf")))
        pdfmetrics.registerFontFamily("Floor", normal="Floor-regular", bold="Floor-bold", italic="Floor-italic",
                                      boldItalic="Floor-bold_italic")
        style = yaml.safe_load((REPO / "templates" / "style.yaml").read_text(encoding="utf-8"))
        mm = 72 / 25.4
        self.margins = {k: float(v) * mm for k, v in style["page"]["margin_mm"].items()}
        colors = style["colors"]
        self.colors = {k: HexColor(v) for k, v in colors.items()}

        def para(name: str, **kw: object) -> ParagraphStyle:
            spec = style["text"][name]
            color = HexColor(colors["heading"] if name in ("title", "heading", "clinic") else colors["text"])
            return ParagraphStyle(name, **{
                "fontName": "Floor-bold" if spec.get("bold") else "Floor-regular", "fontSize": spec["size"],
                "leading": spec["leading"], "spaceBefore": spec.get("space_before", 0),
                "spaceAfter": spec.get("space_after", 0), "alignment": TA_LEFT, "textColor": color, **kw})

        item = style["text"]["item"]["size"]
        self.styles = {name: para(name) for name in style["text"]}
        self.styles["item"] = para("item", leftIndent=item * 1.5, bulletIndent=item * 0.5,
                                   bulletFontName="Floor-regular")
        self.styles["muted"] = para("summary", textColor=self.colors["muted"])
        size = style["page"]["footer_size"]
        self.styles["footer"] = ParagraphStyle("footer", fontName="Floor-regular", fontSize=size,
                                               leading=size * 1.3, textColor=self.colors["muted"])

    def story(self, width: float) -> list[object]:
        from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle
        from reportlab.platypus.flowables import HRFlowable

        t, s, c = self.text, self.styles, self.colors
        out: list[object] = [Paragraph(t.clinic, s["clinic"]), Paragraph(t.title, s["title"]),
                             Paragraph(t.summary, s["summary"]), Paragraph(t.contact, s["muted"]),
                             HRFlowable(width="100%", thickness=0.8, color=c["rule"], spaceBefore=2, spaceAfter=2)]
        for heading, callout, blocks in t.sections:
            title = Paragraph(heading, s["heading"])
            title.keepWithNext = 1
            part: list[object] = [title]
            for kind, value in blocks:
                if kind == "paragraph":
                    part.append(Paragraph(value[0][0], s["body"]))
                elif kind == "subheading":
                    part.append(Paragraph(value[0][0], s["subheading"]))
                elif kind in ("list", "checklist"):
                    mark = "\u2022" if kind == "list" else "\u2013"  # Noto Sans has no ballot box
                    part += [Paragraph(item, s["item"], bulletText=mark) for (item,) in value]
                elif kind == "table":
                    rows = [[Paragraph(cell, s["cell"]) for cell in row] for row in value]
                    first = width * 0.26
                    count = len(rows[0])
                    widths = [first] + [(width - first) / max(count - 1, 1)] * (count - 1)
                    part += [Spacer(1, 3), Table(rows, colWidths=widths, repeatRows=1, style=TableStyle([
                        ("BACKGROUND", (0, 0), (-1, 0), c["table_header_background"]),
                        ("GRID", (0, 0), (-1, -1), 0.5, c["table_grid"]), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ])), Spacer(1, 5)]
            if callout:
                part = [Spacer(1, 6), Table([[part]], colWidths=[width], splitInRow=1, style=TableStyle([
                    ("BACKGROUND", (0, 0), (-1, -1), c["callout_background"]),
                    ("BOX", (0, 0), (-1, -1), 1.2, c["callout_border"]),
                ]))]
            out += part
        out.append(KeepTogether([Paragraph(t.disclaimer_heading, s["heading"]),
                                 Paragraph(t.disclaimer, s["disclaimer"])]))
        return out

    def render(self, pagesize: tuple[float, float]) -> tuple[bytes, int]:
        """One PDF in memory (invariant mode, like ours) and its page count."""
        from reportlab.pdfgen.canvas import Canvas
        from reportlab.platypus import Paragraph, SimpleDocTemplate

        m, t, s, colors = self.margins, self.text, self.styles, self.colors
        width = pagesize[0] - m["left"] - m["right"]

        class FooterCanvas(Canvas):  # the usual "page N of M" recipe: hold pages back until save
            def __init__(self, *args: object, **kwargs: object) -> None:
                super().__init__(*args, **kwargs)  # type: ignore[arg-type]
                self.held: list[dict] = []

            def showPage(self) -> None:  # noqa: N802 - ReportLab's name
                self.held.append(dict(self.__dict__))
                self._startPage()

            def save(self) -> None:
                for number, state in enumerate(self.held, start=1):
                    self.__dict__.update(state)
                    page = t.footer_page.replace("{page}", str(number)).replace("{pages}", str(len(self.held)))
                    self.setStrokeColor(colors["rule"])
                    self.setLineWidth(0.5)
                    self.line(m["left"], m["bottom"] - 4, pagesize[0] - m["right"], m["bottom"] - 4)
                    y = m["bottom"] - 6
                    for line in (f"{escape(t.footer_title)} \u00b7 {escape(t.footer_version)} \u00b7 {page}",
                                 escape(t.footer_disclaimer)):
                        footer = Paragraph(line, s["footer"])
                        _, height = footer.wrap(width, m["bottom"])
                        y -= height
                        footer.drawOn(self, m["left"], y)
                    Canvas.showPage(self)
                Canvas.save(self)

        buffer = io.BytesIO()
        doc = SimpleDocTemplate(buffer, pagesize=pagesize, leftMargin=m["left"], rightMargin=m["right"],
                                topMargin=m["top"], bottomMargin=m["bottom"], invariant=1, title=t.footer_title)
        doc.build(self.story(width), canvasmaker=FooterCanvas)
        return buffer.getvalue(), doc.page


def warm(runs: int, no_accel: bool) -> dict[str, object]:
    """(a) and (b), interleaved in this process: the floor and our render_one, warm; medians in seconds."""
    if no_accel:
        sys.modules["_rl_accel"] = None  # type: ignore[assignment] # ReportLab falls back to pure Python
    import reportlab.lib.rl_accel  # noqa: F401 - imports _rl_accel when it is installed and allowed
    from reportlab.lib.pagesizes import LETTER

    from generator.build import render_one, validate
    from generator.content import memo

    root = temp_project("warm")
    project, _ = validate(root)
    floor = Floor(floor_text(project, root, HANDOUT))
    today = date.today()

    def ours() -> tuple[bytes, int]:
        out = render_one(project, root, HANDOUT, "en", "letter", today)
        return out.data, out.pages or 0

    def hand_written() -> tuple[bytes, int]:
        return floor.render(LETTER)

    floor_times: list[float] = []
    our_times: list[float] = []
    floor_cpu: list[float] = []
    our_cpu: list[float] = []
    warmup = 3 if runs > 3 else 1  # --quick (3 runs): one round of warm-up is enough to prove the code runs
    for i in range(runs + warmup):  # rounds of warm-up, then alternate so both see the same machine load
        for render, times, cpu in ((hand_written, floor_times, floor_cpu), (ours, our_times, our_cpu)):
            # Rendering the same handout again would find its paragraphs' layouts, string widths and QR code
            # in the render memos: emptied first, every timed render lays everything out as a first one does.
            memo.forget()
            started, started_cpu = time.perf_counter(), time.process_time()
            render()
            if i >= warmup:
                times.append(time.perf_counter() - started)
                cpu.append(time.process_time() - started_cpu)
    floor_pdf, floor_pages = hand_written()
    our_pdf, our_pages = ours()
    # Every handout in every language, for context: the batch figures depend on the mix of scripts.
    by_lang: dict[str, list[float]] = {}
    for round_ in range(3 if runs >= 10 else 2 if runs > 3 else 1):  # the first round warms up (--quick: none)
        for lang in project.settings.languages:
            for handout_id in project.handout_ids():
                memo.forget()
                started = time.perf_counter()
                render_one(project, root, handout_id, lang, "letter", today)
                if round_ or runs <= 3:
                    by_lang.setdefault(lang, []).append(time.perf_counter() - started)
    shutil.rmtree(root.parent, ignore_errors=True)
    return {"floor": floor_times, "ours": our_times, "floor_cpu": floor_cpu, "ours_cpu": our_cpu,
            "floor_pages": floor_pages, "our_pages": our_pages, "floor_bytes": len(floor_pdf),
            "our_bytes": len(our_pdf), "by_lang": by_lang, "accel": sys.modules.get("_rl_accel") is not None}


def floor_process(text_file: Path, count: int) -> None:
    """In a fresh interpreter: import ReportLab, register the faces and render the floor `count` times; the
    wall time of this whole process, taken from outside, is the 'floor process' the build targets compare to."""
    from reportlab.lib.pagesizes import LETTER

    floor = Floor(FloorText(**json.loads(text_file.read_text(encoding="utf-8"))))
    for _ in range(count):
        floor.render(LETTER)


def floor_process_runs(runs: int, count: int) -> list[Ran]:
    """`runs` floor processes rendering `count` handouts each (one CPU, start-up included)."""
    from dataclasses import asdict

    from generator.build import validate

    root = temp_project("floor-process")
    project, _ = validate(root)
    text_file = temp_folder() / "floor-text.json"
    text_file.write_text(json.dumps(asdict(floor_text(project, root, HANDOUT))), encoding="utf-8")
    args = [sys.executable, str(Path(__file__).resolve()), "--_floor-process", str(text_file), "--_count",
            str(count)]
    if runs > 1:  # --quick: its one figure means little; the untimed warm-up process is left out
        command(args)  # untimed: bytecode, file cache
    return [command(args) for _ in range(runs)]


def run_warm(runs: int, no_accel: bool) -> dict[str, object]:
    """Run `warm` in a fresh interpreter (rl-accel can only be switched off before ReportLab is imported)."""
    args = [sys.executable, str(Path(__file__).resolve()), "--_warm", str(runs)] + (["--_no-accel"] if no_accel
                                                                                   else [])
    done = subprocess.run(args, capture_output=True, text=True, env=child_env(), check=False)
    if done.returncode != 0:
        raise SystemExit(f"warm measurement failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- projects and commands -----------------------------------------------------------------------------------
_temp: list[Path] = []  # the one temporary folder of this run, made on first use and deleted at the end


def temp_folder() -> Path:
    if not _temp:
        _temp.append(Path(tempfile.mkdtemp(prefix="handouts-bench-")))
    return _temp[0]


def remove_temp_folder() -> None:
    for folder in _temp:
        shutil.rmtree(folder, ignore_errors=True)


def temp_project(name: str, clinic: int | None = None) -> Path:
    """A copy of the shipped project (settings and content; the default templates), optionally another clinic."""
    root = temp_folder() / name / "project"
    root.mkdir(parents=True)
    shutil.copytree(REPO / "content", root / "content")
    settings = (REPO / "handouts.yaml").read_text(encoding="utf-8")
    if clinic is not None:
        settings = re.sub(r"(?m)^  name: .*$", f"  name: Clinic {clinic:03d} of the benchmark group", settings)
        settings = re.sub(r"(?m)^  phone: .*$", f'  phone: "+1 555 010 {1000 + clinic:04d}"', settings)
    (root / "handouts.yaml").write_text(settings, encoding="utf-8")
    return root


@dataclass(frozen=True)
class Ran:
    seconds: float
    cpu: float  # user + system CPU seconds of the process and the children it waited for
    maxrss_kib: int  # the largest resident set of the process or any child it waited for
    stdout: str


def command(args: list[str], cwd: Path | None = None) -> Ran:
    """Run a command to completion; wall time measured outside it, peak memory from the kernel (wait4)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(args, stdout=out, stderr=err, cwd=cwd, env=child_env())
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}):\n{stdout}{stderr}")
    return Ran(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, stdout)


def handouts(*args: str) -> list[str]:
    return [sys.executable, "-m", "generator", *args]


def tree_pss_peak(args: list[str]) -> float:
    """Peak of the summed proportional set size (PSS, MiB) of a command and its children, sampled every 20 ms.

    PSS divides pages shared after fork between the processes sharing them, so the sum is what the build
    really occupies. Sampling costs CPU, so this is a separate, untimed run.
    """
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=child_env())
    peak = 0.0
    while proc.poll() is None:
        total = 0
        for pid in [proc.pid, *descendants(proc.pid)]:
            try:
                rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            except OSError:
                continue
            match = re.search(r"^Pss:\s+(\d+) kB", rollup, re.M)
            total += int(match.group(1)) if match else 0
        peak = max(peak, total / 1024)
        time.sleep(0.02)
    return peak


def descendants(pid: int) -> list[int]:
    found: list[int] = []
    todo = [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                children = (task / "children").read_text().split()
            except OSError:
                continue
            found += [int(c) for c in children]
            todo += [int(c) for c in children]
    return found


# -- (h) WeasyPrint, optional ----------------------------------------------------------------------------------
def weasyprint_html(text: FloorText) -> str:
    fonts = REPO / "templates" / "fonts" / "noto-sans"
    faces = "".join(
        f"@font-face {{ font-family: Floor; src: url('{(fonts / f'NotoSans-{name}.ttf').as_uri()}'); "
        f"font-weight: {weight}; font-style: {style}; }}\n"
        for name, weight, style in (("Regular", 400, "normal"), ("Bold", 700, "normal"),
                                    ("Italic", 400, "italic"), ("BoldItalic", 700, "italic")))
    body = [f"<p class=clinic>{text.clinic}</p><h1>{text.title}</h1><p class=summary>{text.summary}</p>"
            f"<p class=muted>{text.contact}</p><hr>"]
    for heading, callout, blocks in text.sections:
        body.append("<div class=callout>" if callout else "<div>")
        body.append(f"<h2>{heading}</h2>")
        for kind, value in blocks:
            if kind == "paragraph":
                body.append(f"<p>{value[0][0]}</p>")
            elif kind == "subheading":
                body.append(f"<h3>{value[0][0]}</h3>")
            elif kind in ("list", "checklist"):
                body.append("<ul>" + "".join(f"<li>{item}</li>" for (item,) in value) + "</ul>")
            elif kind == "table":
                rows = list(value)
                body.append("<table><tr>" + "".join(f"<th>{c}</th>" for c in rows[0]) + "</tr>" + "".join(
                    "<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows[1:]) + "</table>")
        body.append("</div>")
    body.append(f"<div class=disclaimer><h2>{text.disclaimer_heading}</h2><p>{text.disclaimer}</p></div>")
    page = text.footer_page.replace("{page}", '" counter(page) "').replace("{pages}", '" counter(pages) "')
    footer = f'"{escape(text.footer_title)} \u00b7 {escape(text.footer_version)} \u00b7 {page}\\A ' \
             f'{escape(text.footer_disclaimer)}"'
    css = f"""{faces}
@page {{ size: letter; margin: 16mm 16mm 22mm 16mm;
  @bottom-left {{ content: {footer}; white-space: pre-wrap; font: 7pt Floor; color: #444; }} }}
body {{ font: 9.5pt/12.6pt Floor; color: #1a1a1a; }} h1 {{ font: bold 19pt/23pt Floor; color: #123a5c; margin: 0; }}
ul {{ margin: 0 0 3pt; padding-left: 14pt; }} li {{ margin-bottom: 1.5pt; }}
h2 {{ font-size: 12.5pt; color: #123a5c; margin: 7pt 0 2.5pt; }} h3 {{ font-size: 10pt; margin: 3pt 0 1pt; }}
p {{ margin: 0 0 3pt; }} .clinic {{ font-weight: bold; color: #123a5c; }} .summary {{ font-size: 10.5pt; }}
.muted {{ color: #444; }} .callout {{ background: #fdf1e6; border: 1.2pt solid #b35900; padding: 0 7pt; }}
table {{ border-collapse: collapse; font-size: 8.5pt; width: 100%; }} th, td {{ border: .5pt solid #8a9bb0;
  vertical-align: top; text-align: left; }} th {{ background: #dfe8f1; }} .disclaimer {{ font-size: 8pt; }}
"""
    return f"<!doctype html><html lang=en><head><style>{css}</style></head><body>{''.join(body)}</body></html>"


def weasy(runs: int) -> dict[str, object] | None:
    try:
        import weasyprint
    except ImportError:
        return None
    from generator.build import validate

    root = temp_project("weasy")
    project, _ = validate(root)
    html = weasyprint_html(floor_text(project, root, HANDOUT))
    times = []
    pdf = b""
    for i in range(runs + 1):
        started = time.perf_counter()
        document = weasyprint.HTML(string=html, base_url=str(REPO)).render()
        pdf = document.write_pdf()
        if i:
            times.append(time.perf_counter() - started)
    return {"times": times, "pages": len(document.pages), "bytes": len(pdf), "version": weasyprint.__version__}


# -- the report --------------------------------------------------------------------------------------------------
def verdict(key: str, value: float) -> str:
    limit, unit, larger_better = TARGETS[key]
    ok = value >= limit if larger_better else value <= limit
    sign = ">=" if larger_better else "<="
    return f"target {sign} {limit:g} {unit}: {'PASS' if ok else 'MISS'}"


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor()
    import reportlab

    return (f"{os.cpu_count()} CPUs ({model or 'unknown CPU'}), Python {platform.python_version()}, "
            f"ReportLab {reportlab.Version}, load average at start {os.getloadavg()[0]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clinics", type=int, default=CLINICS,
                        help=f"clinics in the batch (g), one command for all (default {CLINICS}); 0 skips it")
    parser.add_argument("--per-clinic", action="store_true",
                        help="also time the batch the old way: one build command per clinic")
    parser.add_argument("--runs", type=int, default=5, help="runs of each command (c), (d); --help gets 2x")
    parser.add_argument("--warm-runs", type=int, default=40, help="warm renders of (a) and (b) each")
    parser.add_argument("--json", type=Path, help="also write every raw figure to this file")
    parser.add_argument("--quick", action="store_true",
                        help="CI's smoke run: every figure once (3 warm renders after one warm-up, 1 run, a batch of "
                             "1 clinic); "
                             "proves the benchmark still works, its timings mean little")
    parser.add_argument("--_warm", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--_no-accel", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--_floor-process", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--_count", type=int, default=30, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick:
        args.warm_runs, args.runs, args.clinics = 3, 1, min(args.clinics, 1)
    if args._floor_process:
        floor_process(args._floor_process, args._count)
        return
    if args._warm:
        try:
            print(json.dumps(warm(args._warm, args._no_accel)))
        finally:
            remove_temp_folder()
        return
    try:
        report(args)
    finally:
        remove_temp_folder()


def report(args: argparse.Namespace) -> None:
    started = time.perf_counter()
    raw: dict[str, object] = {"machine": machine(), "date": date.today().isoformat()}
    print(f"machine: {raw['machine']}")
    print(f"(a) and (b) render {HANDOUT} in English on letter paper; figures are median (min-max)\n")

    # (a), (b): warm, in-process, without and (when installed) with rl-accel
    try:
        import _rl_accel  # noqa: F401
        accel = True
    except ImportError:
        accel = False
    variants = [("without rl-accel", True)] + ([("with rl-accel", False)] if accel else [])
    warm_results = {}
    for label, no_accel in variants:
        warm_results[label] = result = run_warm(args.warm_runs, no_accel)
        floor, ours = result["floor"], result["ours"]
        ratio = median(ours) / median(floor)
        cpu_ratio = median(result["ours_cpu"]) / median(result["floor_cpu"])
        print(f"{label}:")
        print(f"  (a) floor, hand-written ReportLab, warm: {spread(floor, 1000)} ms/handout "
              f"({result['floor_pages']} pages, {result['floor_bytes']:,} bytes)")
        print(f"  (b) ours, render_one, warm:              {spread(ours, 1000)} ms/handout "
              f"({result['our_pages']} pages, {result['our_bytes']:,} bytes)")
        print(f"      ours / floor: {ratio:.2f}x wall ({cpu_ratio:.2f}x in CPU time)  {verdict('warm', ratio)}")
        langs = ", ".join(f"{lang} {median(times) * 1000:.0f}" for lang, times in result["by_lang"].items())
        every = [t for times in result["by_lang"].values() for t in times]
        print(f"      ours, every handout in every language: {median(every) * 1000:.1f} ms median "
              f"(by language, ms: {langs})")
    if not accel:
        print("  (rl-accel is not installed: pip install '.[fast]' to measure with it too)")
    raw["warm"] = warm_results

    # The floor process: one interpreter, ReportLab, the faces, 30 renders of the floor on one CPU.
    floor_runs = floor_process_runs(args.runs, 30)
    floor_proc = [r.seconds for r in floor_runs]
    floor_s, floor_cpu = median(floor_proc), median([r.cpu for r in floor_runs])
    print(f"\nfloor process: a fresh interpreter importing ReportLab and rendering the floor 30 times on one CPU: "
          f"{spread(floor_proc, 1, 2)} s (CPU {floor_cpu:.2f} s)")

    # (c) cold full default build, parallel, with nothing cached (a fresh clone's first build); (f) its memory
    root = temp_project("build")
    build = handouts("build", "--force", "-q", "--project", str(root))
    if args.runs > 1:  # --quick: its one figure means little; the untimed warm-up build is left out
        command(build)  # untimed: compiles bytecode and fills the file cache
    cold = []
    for _ in range(args.runs):
        forget_checks()
        cold.append(command(build))
    count = summary(cold[-1].stdout)[0]
    cold_s = [r.seconds for r in cold]
    checked = [command(build) for _ in range(args.runs)]  # the check cache vouches: only loading, no checks
    checked_s = [r.seconds for r in checked]
    print(f"\nbuild commands ({'with' if accel else 'without'} rl-accel, --jobs {os.cpu_count()}), wall time:")
    print(f"(c) cold full default build, {count} PDFs, nothing cached: {spread(cold_s, 1, 2)} s "
          f"= {median(cold_s) / floor_s:.2f}x the floor process  {verdict('cold', median(cold_s) / floor_s)}"
          f"  (CPU {median([r.cpu for r in cold]):.2f} s = {median([r.cpu for r in cold]) / floor_cpu:.2f}x the "
          "floor process's)")
    print(f"    the same, inputs already checked today (--force; the check cache vouches): "
          f"{spread(checked_s, 1, 2)} s = {median(checked_s) / floor_s:.2f}x  (CPU "
          f"{median([r.cpu for r in checked]):.2f} s)")
    # (d) no-op rebuild, and check
    noop = [command(handouts("build", "-q", "--project", str(root))) for _ in range(args.runs)]
    noop_s = [r.seconds for r in noop]
    built, skipped = summary(noop[-1].stdout)
    print(f"(d) no-op rebuild (built {built}, skipped {skipped}): {spread(noop_s, 1, 3)} s  "
          f"{verdict('noop_s', median(noop_s))}; = {median(noop_s) / floor_s:.2f}x the floor process  "
          f"{verdict('noop', median(noop_s) / floor_s)}  (CPU {median([r.cpu for r in noop]):.2f} s = "
          f"{median([r.cpu for r in noop]) / floor_cpu:.2f}x the floor process's)")
    check_cached = [command(handouts("check", "--project", str(root))).seconds for _ in range(args.runs)]
    check_cold = []
    for _ in range(args.runs):
        forget_checks()
        check_cold.append(command(handouts("check", "--project", str(root))).seconds)
    print(f"    handouts check: {spread(check_cached, 1, 3)} s unchanged since the last check; "
          f"{spread(check_cold, 1, 2)} s checking everything")
    # (e) --help
    help_s = [command(handouts("--help")).seconds for _ in range(args.runs * 2)]
    python_s = [command([sys.executable, "-c", "pass"]).seconds for _ in range(args.runs * 2)]
    print(f"(e) handouts --help (python -m generator): {spread(help_s, 1000, 0)} ms  {verdict('help', median(help_s))}"
          f"  (a bare interpreter: {median(python_s) * 1000:.0f} ms)")
    script = Path(sys.executable).with_name("handouts")
    if script.is_file():  # the console script pip installed: the installed copy of the code, not this checkout
        script_s = [command([str(script), "--help"]).seconds for _ in range(args.runs * 2)]
        print(f"    the installed `handouts` script: {spread(script_s, 1000, 0)} ms  "
              f"{verdict('help', median(script_s))}")
        raw["script_help_s"] = script_s
    # (f) peak memory
    rss = max(r.maxrss_kib for r in cold + checked) / 1024
    pss = []
    for _ in range(3 if args.runs > 1 else 1):
        forget_checks()
        pss.append(tree_pss_peak(build))
    print(f"(f) peak memory of the cold builds, largest process (ru_maxrss): {rss:.0f} MiB  {verdict('memory', rss)}")
    print(f"    all its processes together (summed PSS, sampled, {len(pss)} run(s)): {median(pss):.0f} MiB")
    raw.update({"floor_process_s": floor_proc, "floor_process_cpu_s": [r.cpu for r in floor_runs],
                "cold_s": cold_s, "cold_cpu_s": [r.cpu for r in cold],
                "checked_s": checked_s, "pdfs": count, "noop_s": noop_s, "check_cached_s": check_cached,
                "check_cold_s": check_cold, "help_s": help_s, "python_s": python_s,
                "maxrss_mib": rss, "tree_pss_mib": pss, "accel_in_builds": accel})

    # (g) the batch: the default set for many clinics (copies of the project with their own clinic settings),
    # all in one build command; nothing cached, as for clinics built for the first time
    if args.clinics > 0:
        roots = [temp_project(f"clinic-{n:03d}", n) for n in range(args.clinics)]
        forget_checks()
        ran = command(handouts("build", "-q", *[part for r in roots for part in ("--project", str(r))]))
        total = sum(summary(line)[0] for line in ran.stdout.splitlines() if "(output:" in line)
        rate = total / ran.seconds
        floor_rate = 1 / median(warm_results[variants[0][0]]["floor"])
        plural = "s" if args.clinics != 1 else ""
        print(f"(g) batch: {total} handouts for {args.clinics} clinic{plural} in one build command: "
              f"{ran.seconds:.1f} s "
              f"(CPU {ran.cpu:.0f} s, largest process {ran.maxrss_kib / 1024:.0f} MiB): {rate:.1f} handouts/s  "
              f"{verdict('batch', rate)}; = {rate / floor_rate:.2f}x the floor's warm rate in one process "
              f"({floor_rate:.0f}/s, without rl-accel)  {verdict('batch_floor', rate / floor_rate)}")
        every = [t for times in warm_results[variants[-1][0]]["by_lang"].values() for t in times]
        bound = (os.cpu_count() or 1) / statistics.fmean(every)
        print(f"    rendering alone, warm, on all {os.cpu_count()} CPUs (no start-up, no checks) would give at most "
              f"{bound:.0f} handouts/s for this mix of languages")
        raw.update({"batch_handouts": total, "batch_clinics": args.clinics, "batch_s": ran.seconds,
                    "batch_rate": rate, "batch_cpu_s": ran.cpu, "batch_render_bound": bound})
        if args.per_clinic:
            each = [command(handouts("build", "-q", "--force", "--project", str(r))).seconds for r in roots]
            print(f"    the same, one build command per clinic (--force): {total / sum(each):.1f} handouts/s")
            raw["batch_each_s"] = each
    else:
        print("(g) batch: skipped (--clinics 0)")

    # (h) WeasyPrint, when installed
    result = weasy(max(3, args.runs))
    if result is None:
        print("(h) WeasyPrint: not installed; skipped (optional: pip install weasyprint)")
    else:
        floor_ms = median(warm_results[variants[-1][0]]["floor"]) * 1000
        ms = median(result["times"]) * 1000
        print(f"(h) WeasyPrint {result['version']}, the same text as HTML, warm: {spread(result['times'], 1000)} "
              f"ms/handout ({result['pages']} pages, {result['bytes']:,} bytes): {ms / floor_ms:.1f}x the floor")
        raw["weasyprint"] = result
    print(f"\nbenchmark wall time: {time.perf_counter() - started:.0f} s; load average now {os.getloadavg()[0]:.2f} "
          "(other work on the machine slows the build commands most: they use every CPU)")
    if args.json:
        args.json.write_text(json.dumps(raw, indent=2) + "\n", encoding="utf-8")


def summary(stdout: str) -> tuple[int, int]:
    """(built, skipped) from a build's summary line."""
    found = re.search(r"built (\d+), skipped (\d+)", stdout)
    if not found:
        raise SystemExit(f"no summary line in the build output:\n{stdout}")
    return int(found.group(1)), int(found.group(2))


if __name__ == "__main__":
    main()
