"""The build pipeline: load → validate → localize → template → layout, all in memory; then write atomically."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from generator import __version__, fonts, styles, template
from generator.localize import check_glyphs, view
from generator.model import Project
from generator.problems import ContentError, Problem, Problems
from generator.project import load_or_raise
from generator.write import write_outputs


class UsageProblem(Exception):
    """The command line asks for something that does not exist (exit 2)."""


@dataclass(frozen=True)
class Selection:
    """What to build: handout IDs and languages (empty means all), paper override, output folder."""

    handouts: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()
    paper: str | None = None
    out: Path | None = None


@dataclass(frozen=True)
class Output:
    """One rendered PDF, held in memory until every PDF of the build has rendered."""

    handout: str
    lang: str
    file: str
    pdf: bytes
    pages: int
    content_version: str
    review_status: str
    disclaimer: str

    def entry(self) -> dict[str, object]:
        return {
            "handout": self.handout, "lang": self.lang, "file": self.file,
            "sha256": hashlib.sha256(self.pdf).hexdigest(), "pages": self.pages,
            "content_version": self.content_version, "review_status": self.review_status,
            "generator_version": __version__, "disclaimer": self.disclaimer,
        }


def validate(root: Path) -> tuple[Project, Problems]:
    """Load the project and check everything, glyph coverage included; raise ContentError on any error."""
    project, problems = load_or_raise(root)
    config = fonts.load_config(template.find(root, "fonts.yaml"))
    wanted = [project.settings.source_language, *project.settings.languages]
    glyphs = check_glyphs(project, config, list(dict.fromkeys(wanted)))
    problems.extend(glyphs)
    if glyphs.errors:
        raise ContentError(problems.errors)
    return project, problems


def select(project: Project, selection: Selection) -> list[tuple[str, str]]:
    """The (handout, language) pairs to build; unknown names are usage problems."""
    available_langs = list(project.settings.languages)
    available_ids = project.handout_ids()
    for lang in selection.langs:
        if lang not in available_langs:
            raise UsageProblem(f"no content for language '{lang}'; available: {', '.join(available_langs)}")
    for handout_id in selection.handouts:
        if handout_id not in available_ids:
            raise UsageProblem(f"no handout '{handout_id}'; available: {', '.join(available_ids)}")
    langs = list(selection.langs) or available_langs
    ids = list(selection.handouts) or available_ids
    return [(h, lang) for h in ids for lang in langs]


def render_one(project: Project, root: Path, handout_id: str, lang: str, paper: str) -> Output:
    """Render one handout in one language to PDF bytes."""
    from generator import layout  # ReportLab is imported only when something is rendered

    config = fonts.load_config(template.find(root, "fonts.yaml"))
    lang_fonts = config.for_lang(lang)
    page_styles = styles.load(template.find(root, "style.yaml") / "style.yaml")
    doc = view(project, handout_id, lang, lang_fonts)
    xml = template.render(root, doc)
    rendered = layout.render(xml, doc, lang_fonts, page_styles, paper, Path(project.root))
    return Output(handout_id, lang, f"{lang}/{handout_id}.pdf", rendered.pdf, rendered.pages, doc.version,
                  doc.review_status, doc.disclaimer_short.plain)


def build(root: Path, selection: Selection) -> tuple[list[Output], list[Problem]]:
    """Validate, render every selected PDF in memory, then write them and the manifest atomically."""
    project, problems = validate(root)
    pairs = select(project, selection)
    paper = selection.paper or project.settings.paper
    outputs = [render_one(project, root, h, lang, paper) for h, lang in pairs]
    write_outputs(outputs, selection.out or root / "output")
    return outputs, problems.warnings
