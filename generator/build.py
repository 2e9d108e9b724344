"""The build pipeline: load → validate → localize → template → layout, all in memory; then write atomically."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from generator import __version__, fonts, styles, template
from generator.localize import check_glyphs, view
from generator.model import Project
from generator.problems import ContentError, Problem, Problems
from generator.project import load_or_raise
from generator.review import handout_state
from generator.write import write_outputs


class UsageProblem(Exception):
    """The command line asks for something that does not exist (exit 2)."""


class ReleaseRefused(Exception):
    """--release found content that is not approved; one reason per line."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("\n".join(reasons))
        self.reasons = reasons


@dataclass(frozen=True)
class Selection:
    """What to build: handout IDs and languages (empty means all), paper override, output folder."""

    handouts: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()
    paper: str | None = None
    out: Path | None = None
    release: bool = False


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
    fingerprint: str

    def entry(self) -> dict[str, object]:
        return {
            "handout": self.handout, "lang": self.lang, "file": self.file,
            "sha256": hashlib.sha256(self.pdf).hexdigest(), "pages": self.pages,
            "content_version": self.content_version, "review_status": self.review_status,
            "generator_version": __version__, "disclaimer": self.disclaimer, "fingerprint": self.fingerprint,
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


def render_one(project: Project, root: Path, handout_id: str, lang: str, paper: str, today: date) -> Output:
    """Render one handout in one language to PDF bytes."""
    from generator import layout  # ReportLab is imported only when something is rendered

    config = fonts.load_config(template.find(root, "fonts.yaml"))
    lang_fonts = config.for_lang(lang)
    page_styles = styles.load(template.find(root, "style.yaml") / "style.yaml")
    state, _, fingerprint = handout_state(project, project.handout(handout_id, lang), today)
    doc = view(project, handout_id, lang, lang_fonts, state, fingerprint)
    xml = template.render(root, doc)
    rendered = layout.render(xml, doc, lang_fonts, page_styles, paper, Path(project.root))
    return Output(handout_id, lang, f"{lang}/{handout_id}.pdf", rendered.pdf, rendered.pages, doc.version,
                  state.status, doc.disclaimer_short.plain, fingerprint)


def release_reasons(project: Project, pairs: list[tuple[str, str]], today: date) -> list[str]:
    """Why each selected handout may not be released: every file it draws on that is not approved."""
    reasons: dict[str, str] = {}
    for handout_id, lang in pairs:
        _, parts, _ = handout_state(project, project.handout(handout_id, lang), today)
        for part in parts:
            if not part.approved and part.file not in reasons:
                reasons[part.file] = f"{part.file}: {part.status}; needed by {handout_id} ({lang})"
    return list(reasons.values())


def build(root: Path, selection: Selection) -> tuple[list[Output], list[Problem]]:
    """Validate, render every selected PDF in memory, then write them and the manifest atomically."""
    project, problems = validate(root)
    pairs = select(project, selection)
    today = date.today()
    if selection.release and (reasons := release_reasons(project, pairs, today)):
        raise ReleaseRefused(reasons)
    paper = selection.paper or project.settings.paper
    outputs = [render_one(project, root, h, lang, paper, today) for h, lang in pairs]
    write_outputs(outputs, selection.out or root / "output")
    return outputs, problems.warnings
