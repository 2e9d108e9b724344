"""The build pipeline: load → validate → localize → template → layout, all in memory; then write atomically."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from generator import __version__
from generator.content.problems import Loc, Problem, Problems

if TYPE_CHECKING:  # the modules below are imported where used: a no-op build needs none of them
    from generator.content.model import Project
    from generator.render import fonts
    from generator.render.localize import View
    from generator.review.state import State

FORMATS = ("pdf", "html")


class UsageProblem(Exception):
    """The command line asks for something that does not exist (exit 2)."""


class ReleaseRefused(Exception):
    """--release found content that is not approved; one reason per line."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("\n".join(reasons))
        self.reasons = reasons


@dataclass(frozen=True)
class Edition:
    """Which edition of each handout to make: standard, large print, and/or bilingual with a second language."""

    large_print: bool = False
    second: str = ""  # the second language of a bilingual edition; empty for one language
    release: bool = False  # a release: the other languages named are the approved ones (not in the file name)

    @property
    def name(self) -> str:
        """standard, large, bilingual or bilingual-large (recorded in the manifest)."""
        if self.second:
            return "bilingual-large" if self.large_print else "bilingual"
        return "large" if self.large_print else "standard"

    def file(self, handout_id: str, lang: str, fmt: str) -> str:
        """The output path, so that every edition can sit beside the others: es/x.pdf, es/x.large.pdf,
        es/x.es-en.pdf, es/x.es-en.large.pdf, es/x.html, ..."""
        stem = handout_id + (f".{lang}-{self.second}" if self.second else "") + (".large" if self.large_print else "")
        return f"{lang}/{stem}.{fmt}"


@dataclass(frozen=True)
class Selection:
    """What to build: handout IDs and languages (empty means all), paper override, output folder, the edition
    and the output formats."""

    handouts: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()
    paper: str | None = None
    out: Path | None = None
    release: bool = False
    jobs: int = 1
    force: bool = False
    large_print: bool = False
    bilingual: str = ""
    formats: tuple[str, ...] = ("pdf",)

    @property
    def edition(self) -> Edition:
        return Edition(self.large_print, self.bilingual, self.release)


@dataclass(frozen=True)
class Second:
    """What a bilingual output records about its second language."""

    lang: str
    content_version: str
    review_status: str
    fingerprint: str
    disclaimer: str


@dataclass(frozen=True)
class Output:
    """One rendered file (PDF or HTML), held in memory until every file of the build has rendered."""

    handout: str
    lang: str
    file: str
    data: bytes
    pages: int | None  # None for HTML
    content_version: str
    review_status: str  # of everything the file draws on: approved only when both languages are
    disclaimer: str
    fingerprint: str
    inputs: str = ""
    format: str = "pdf"
    edition: str = "standard"
    second: Second | None = None
    warnings: tuple[Problem, ...] = ()  # what the print-quality check found on the pages
    project: str = ""  # which project built it (project_key): several may share one --out folder

    def entry(self) -> dict[str, object]:
        entry: dict[str, object] = {
            "handout": self.handout, "lang": self.lang, "file": self.file, "format": self.format,
            "edition": self.edition, "sha256": hashlib.sha256(self.data).hexdigest(), "pages": self.pages,
            "content_version": self.content_version, "review_status": self.review_status,
            "generator_version": __version__, "disclaimer": self.disclaimer, "fingerprint": self.fingerprint,
            "inputs": self.inputs,
        }
        if self.project:
            entry["project"] = self.project
        if self.second is not None:
            entry.update({"second_lang": self.second.lang, "second_content_version": self.second.content_version,
                          "second_review_status": self.second.review_status,
                          "second_fingerprint": self.second.fingerprint, "second_disclaimer": self.second.disclaimer})
        return entry


class RenderFailed(Exception):
    """One handout could not be laid out; names it so the user knows where to look."""


@dataclass(frozen=True)
class Report:
    """What a build did: PDFs written, PDFs kept because nothing they depend on changed, wall time."""

    built: list[Output]
    skipped: list[str]
    seconds: float
    warnings: list[Problem]
    cached: bool = False  # answered from the check cache, without loading the project
    removed: list[str] = field(default_factory=list)  # files of handouts or languages the project no longer has

    def summary(self) -> str:
        removed = f", removed {len(self.removed)} withdrawn" if self.removed else ""
        return (f"built {len(self.built)}, skipped {len(self.skipped)}, failed 0{removed} "
                f"in {self.seconds:.2f} s")


def validate(root: Path, today: date | None = None, checked: bool = False,
             passed: Callable[[Project], Collection[str]] = lambda project: ()) -> tuple[Project, Problems]:
    """Load the project and check everything, glyph coverage and styles included; raise on any error.

    `checked`: the check cache vouches that these very inputs passed every check today; only loading remains.
    `passed`: the languages whose glyph and footer checks passed today with the same inputs (those checks
    report errors only, so nothing is lost by not running them again).
    """
    project, problems, rest = validate_in_stages(root, today, checked, passed)
    rest()
    return project, problems


def validate_in_stages(root: Path, today: date | None = None, checked: bool = False,
                       passed: Callable[[Project], Collection[str]] = lambda project: (),
                       load: Callable[[], tuple[Project, Problems]] | None = None
                       ) -> tuple[Project, Problems, Callable[[], None]]:
    """`validate`, its last checks (glyphs, footers, a project's own template) left to the returned function,
    which raises what `validate` would have raised: a build renders into memory while they run.
    `load`: what loads the project (`load_or_raise` when not given; a build may load it in a forked child)."""
    from generator.content.project import load_or_raise
    from generator.incremental import template_inputs
    from generator.render import template
    from generator.render.checks import validate_in_stages as content_stages

    if checked:
        project, problems = load() if load is not None else load_or_raise(root, today)
        return project, problems, lambda: None
    project, problems, glyphs_and_footers = content_stages(root, today, passed, load)

    def rest() -> None:
        glyphs_and_footers()
        template_inputs(root)  # a templates folder too large to walk whole: refused by check as by build
        # A template byte for byte the shipped one (naming no other file) makes what the shipped one makes,
        # whatever style or fonts beside it: a clinic that changed only a size or a font is not re-checked.
        own = [name for name in ("handout.xml.j2", "handout.html.j2") if not template.is_shipped(root, name)
               and not template.renders_as_shipped(root, name)]
        if own:
            _check_own_template(project, root, today or date.today(), own)

    return project, problems, rest


def _check_own_template(project: Project, root: Path, today: date,
                        own: Sequence[str] = ("handout.xml.j2",)) -> None:
    """The project's own templates (`own`: the PDF's, the HTML companion's or both) run here, within their
    bounds, for every handout in every language and each edition build and the desk make of it: standard, large
    print, release, and bilingual with the source language (the desk's pairing, both ways round, so every
    language is rendered as the second one too). `check` finds one that never ends, fails for one language or
    edition only (eighth pass: `{% if second %}` passed check, then failed `build --bilingual`; ninth pass: the
    HTML companion was only parsed, and `build --format html` met its error), or drops or adds text
    (render/faithful.py)."""
    from generator.render import renderbudget

    with renderbudget.shared():  # every render below bounded together, not only each one (thirtieth pass)
        _check_editions(project, root, today, own)


def _check_editions(project: Project, root: Path, today: date, own: Sequence[str]) -> None:
    """`_check_own_template`'s work: every handout, language and edition rendered and checked."""
    from generator.render import fonts, htmlpage, layout, styles, template

    style_file = template.find(root, "style.yaml") / "style.yaml"
    page_styles = {False: styles.load(style_file)}
    try:
        page_styles[True] = styles.load(style_file, True)
    except styles.StyleError:  # no large-print sizes: `check` says so (incremental.check), and none is built
        pass
    config = fonts.load_config(template.find(root, "fonts.yaml"))
    langs, source = set(project.settings.languages), project.settings.source_language
    html = "handout.html.j2" in own
    for handout in project.handouts:
        lang_fonts = _view(project, root, handout.id, handout.lang, today)[1]
        pairs = [other.lang for other in project.handouts if other.id == handout.id and other.lang != handout.lang
                 and other.lang in langs and source in (handout.lang, other.lang)]
        # Every edition is every combination (ninth pass: `{% if second and large_print %}` passed check, each
        # edition rendered alone): print size × release or not × alone or bilingual. A release whose views are
        # the same as the draft's is the same edition.
        made: list[tuple[View, tuple[View, fonts.LanguageFonts] | None]] = []
        editions: list[tuple[View, tuple[View, fonts.LanguageFonts] | None, bool, str]] = []
        for release in (False, True):
            shown = _view(project, root, handout.id, handout.lang, today, release=release)[0]
            for lang in [None, *pairs]:
                second = None if lang is None else _view(project, root, handout.id, lang, today,
                                                         reader=handout.lang, release=release)[:2]
                if (shown, second) in made:
                    continue
                made.append((shown, second))
                named = (", release" if release else "") + (f", bilingual with {lang}" if lang else "")
                editions += [(shown, second, large, named + (", large print" if large else ""))
                             for large in page_styles]
        for shown, second, large, named in editions:
            try:
                if "handout.xml.j2" in own:
                    xml = template.render(root, shown, second=second[0] if second else None, large_print=large)
                    others = {code: config.for_lang(code) for code, _ in shown.other_languages}
                    layout.check_laid_out(xml, shown, lang_fonts, page_styles[large], root, others, second)
            except (template.TemplateError, ValueError) as exc:
                raise template.TemplateError(f"{handout.id} ({handout.lang}{named}): {exc}") from None
            try:  # as `build --format html [--paper]` and the desk render it: the template is given the paper
                if html:
                    htmlpage.check_papers(root, shown, lang_fonts, page_styles[large],
                                          list(dict.fromkeys([project.settings.paper, *layout.PAGE_SIZES])), second)
            except (template.TemplateError, ValueError) as exc:
                raise template.TemplateError(f"{handout.id} ({handout.lang}{named}): {exc}") from None


def well_formed(selection: Selection) -> None:
    """Usage problems no project can answer (a name that is not a language code or handout ID, an unknown format,
    one language as both --lang and --bilingual): `build --watch` refuses them before watching (a save never makes
    them valid: twenty-sixth pass)."""
    from generator.content import names

    for lang in selection.langs:
        names.well_formed_language(lang, "--lang")
    for handout_id in selection.handouts:
        if not names.is_handout_id(handout_id):
            names.handout(handout_id, ())
    for fmt in selection.formats:
        if fmt not in FORMATS:
            raise UsageProblem(f"unknown format '{fmt}'; use {' or '.join(FORMATS)} (e.g. --format pdf,html)")
    second = selection.bilingual
    if second:
        names.well_formed_language(second, "--bilingual")
    if second and second in selection.langs:
        raise UsageProblem(f"--lang {second} --bilingual {second}: a bilingual handout needs two different "
                           "languages; choose another --lang or --bilingual")


def select(project: Project, selection: Selection) -> list[tuple[str, str]]:
    """The (handout, language) pairs to build; unknown names are usage problems."""
    from generator.content import names

    available_langs = list(project.settings.languages)
    available_ids = project.handout_ids()
    for lang in selection.langs:
        undeclared = lang not in available_langs and names.is_language_code(lang)  # checked before it is a path
        if undeclared and (Path(project.root) / "content" / lang).is_dir():
            raise UsageProblem(f"language '{lang}' has content (content/{lang}/) but is not listed in "
                               f"handouts.yaml; add it to `languages:` there (and its fonts to fonts.yaml if "
                               f"its script needs them); available: {', '.join(available_langs)}")
        names.language(lang, available_langs, "--lang")
    for handout_id in selection.handouts:
        names.handout(handout_id, available_ids)
    well_formed(selection)
    second = selection.bilingual
    if second:
        names.language(second, available_langs, "--bilingual")
    langs = [lang for lang in names.unique(selection.langs or available_langs) if lang != second]
    ids = names.unique(selection.handouts or available_ids)
    return [(h, lang) for h in ids for lang in langs]


def _view(project: Project, root: Path, handout_id: str, lang: str, today: date, reader: str = "",
          release: bool = False) -> tuple[View, fonts.LanguageFonts, State, str]:
    """One language's view of a handout, its fonts, its review state and its content fingerprint."""
    from generator.render import fonts, template
    from generator.render.localize import offered, view
    from generator.review.state import handout_state

    config = fonts.load_config(template.find(root, "fonts.yaml"))
    lang_fonts = config.for_lang(lang)
    state, _, fingerprint = handout_state(project, project.handout(handout_id, lang), today)
    others = offered(project, handout_id, lang, today, release)
    shown = view(project, handout_id, lang, lang_fonts, state, fingerprint, reader, others)
    return shown, lang_fonts, state, fingerprint


def project_key(root: Path) -> str:
    """A project's mark on the files it builds: which of a shared output folder's files are its own."""
    return hashlib.sha256(str(root.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:16]


def render_one(project: Project, root: Path, handout_id: str, lang: str, paper: str, today: date,
               edition: Edition = Edition(), fmt: str = "pdf") -> Output:
    """Render one handout in one language (and edition, and format) to bytes."""
    from generator.render import fonts, styles, template
    from generator.review.payload import bilingual_payload, second_query
    from generator.review.state import combined

    page_styles = styles.load(template.find(root, "style.yaml") / "style.yaml", edition.large_print)
    doc, lang_fonts, state, fingerprint = _view(project, root, handout_id, lang, today, release=edition.release)
    other: tuple[View, fonts.LanguageFonts] | None = None
    second: Second | None = None
    status = state.status
    if edition.second:
        other_view, other_fonts, other_state, other_fingerprint = _view(project, root, handout_id,
                                                                        edition.second, today, reader=lang,
                                                                        release=edition.release)
        other = (other_view, other_fonts)
        query = second_query(project, edition.second, other_view.version, other_fingerprint, other_state)
        doc = replace(doc, verify_payload=bilingual_payload(doc.verify_payload, other_view.verify_payload, query),
                      verify_data=bilingual_payload(doc.verify_data, other_view.verify_data))
        status = combined([state, other_state]).status
        second = Second(edition.second, other_view.version, other_state.status, other_fingerprint,
                        other_view.disclaimer_short.plain)
    warnings: tuple[Problem, ...] = ()
    if fmt == "html":
        from generator.render import htmlpage

        data = htmlpage.render(Path(project.root), doc, lang_fonts, page_styles, paper, other)
        pages = None
    else:
        from generator.render import layout  # ReportLab is imported only when a PDF is rendered

        config = fonts.load_config(template.find(root, "fonts.yaml"))
        others = {code: config.for_lang(code) for code, _ in doc.other_languages}
        xml = template.render(root, doc, second=other[0] if other else None, large_print=edition.large_print)
        rendered = layout.render(xml, doc, lang_fonts, page_styles, paper, Path(project.root), other, others)
        data, pages = rendered.pdf, rendered.pages
        where = {unit.id: unit.loc for unit in project.handout(handout_id, lang).units()}
        # A bilingual pair is one unit on the page: the other language's text may be the long one, so it is named too
        paired = ({unit.id: unit.loc for unit in project.handout(handout_id, edition.second).units()}
                  if edition.second else {})
        warnings = tuple(Problem(where.get(finding.unit_id, Loc(f"content/{lang}/{handout_id}.yaml")),
                                 finding.unit_id, f"{edition.name} edition ({paper}), page {finding.page}: "
                                 f"{finding.message}{_with_pair(paired.get(finding.unit_id))}", severity="warning")
                         for finding in rendered.findings)
    return Output(handout_id, lang, edition.file(handout_id, lang, fmt), data, pages, doc.version, status,
                  doc.disclaimer_short.plain, fingerprint, format=fmt, edition=edition.name, second=second,
                  warnings=warnings)


def _with_pair(loc: Loc | None) -> str:
    return f" (with its translation at {loc.path}:{loc.line}:{loc.col})" if loc else ""


def release_reasons(project: Project, pairs: list[tuple[str, str]], today: date, second: str = "") -> list[str]:
    """Why each selected handout may not be released: every file it draws on that is not approved
    (in a bilingual edition, the second language's files too)."""
    from generator.review.state import handout_state

    reasons: dict[str, str] = {}
    for handout_id, lang in pairs:
        for used in [lang] + ([second] if second else []):
            _, parts, _ = handout_state(project, project.handout(handout_id, used), today)
            for part in parts:
                if not part.approved and part.file not in reasons:
                    reasons[part.file] = f"{part.file}: {part.status}; needed by {handout_id} ({lang})"
    return list(reasons.values())


def build(root: Path, selection: Selection, progress: Callable[[int, int], Callable[[int], None]] | None = None,
          today: date | None = None) -> Report:
    """Validate, render what changed (in parallel), then write the files and the manifest atomically.

    When no input changed since a check today, the check cache answers instead of loading the project; when
    every selected output is then still current, nothing else is read (a no-op costs a few file hashes).
    """
    from generator.batch.many import build_many

    return build_many([root], selection, progress, today)[0]


def is_built(project: Project, root: Path, handout_id: str, lang: str, paper: str, edition: Edition, fmt: str,
             out: Path) -> bool:
    """Whether one output file is current, decided exactly as `build` decides to skip it (the front desk asks
    this before building, so that serving a current file costs no validation of the whole project)."""
    from generator.batch.plan import inputs_of
    from generator.incremental import is_current
    from generator.render.write import read_manifest

    existing = {str(e.get("file")): e for e in read_manifest(out)}
    inputs = inputs_of(project, root, handout_id, lang, date.today(), paper, edition, fmt)
    return is_current(out, existing.get(edition.file(handout_id, lang, fmt)), inputs)
