"""What each PDF depends on, as one fingerprint, so an unchanged PDF is not rendered again."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from generator import __version__
from generator.batch import checkcache
from generator.content.files import FileRefused, inside, read_bytes
from generator.content.walk import files_under
from generator.render.codedigest import code_digest, code_digest_of  # noqa: F401 - re-exported
from generator.render.statics import (  # noqa: F401 - moved to the render layer (review.look); re-exported here
    MAX_INPUT_BYTES,
    TEMPLATE_FILES,
    file_digest,
    logo_path,
    static_inputs,
    template_inputs,
)

if TYPE_CHECKING:  # imported where used: a no-op build only calls is_current and the check cache
    from generator.content.model import Project
    from generator.content.problems import Problem
    from generator.review.state import State




def input_files(root: Path) -> list[Path]:
    """Every file a build of the project reads: the settings, content/, the logo the settings name and the
    template-side files of every format — `build --watch` polls exactly these, so that it cannot miss an input
    the fingerprints hash (eighth pass: a replaced logo was never rebuilt)."""
    from generator.render.fonts import FontConfigError
    from generator.render.template import TemplateError

    # Every file under content/, not only `*.yaml`: a handout saved as `x.yml` or in a misnamed folder is what the
    # load refuses or warns about, and the watch said nothing of it until another file was saved (fifteenth pass).
    files = [root / "handouts.yaml", *files_under(root / "content", within=root)]
    logo = _named_logo(root)
    if logo is not None:
        files.append(logo)
    for fmt in TEMPLATE_FILES:
        try:
            files += template_inputs(root, fmt).values()
        except (TemplateError, FontConfigError, OSError):  # the build says what is wrong; watch what can be
            files += files_under(root / "templates")
    return list(dict.fromkeys(files))


def _named_logo(root: Path) -> Path | None:
    """The logo handouts.yaml names (None when none, or when it cannot be read: the build then says why)."""
    try:
        found = (root / "handouts.yaml").stat()
    except OSError:
        return None
    return _logo_of_settings(root, found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino)


@lru_cache(maxsize=16)
def _logo_of_settings(root: Path, size: int, mtime_ns: int, ctime_ns: int, ino: int) -> Path | None:
    """Parsed once per version of the settings file (a watch polls several times a second)."""
    from generator.content.parse import Parser
    from generator.content.problems import Problems
    from generator.content.settingsfile import settings_doc

    settings = Parser(settings_doc(root, Problems())).settings()
    logo = logo_path(root, settings.clinic.logo) if settings is not None else None
    return logo if logo is not None and inside(root, logo) else None  # one outside: the check refuses it


Statics = dict[tuple[str, str], dict[str, str]]  # static_inputs by (language, format), within one build plan


def inputs_fingerprint(project: Project, root: Path, handout_id: str, lang: str, options: dict[str, object],
                       state: State, content_fingerprint: str, fmt: str = "pdf", statics: Statics | None = None
                       ) -> str:
    """Everything an output file depends on: content, review, UI strings, facts, settings, the logo image,
    templates, fonts, the generator's version and code (`code_digest`) and build options (paper, edition, format).

    `statics`: the static inputs already found for this project's languages and formats in this plan (a plan
    looks at the files once, as it reads the content once)."""
    from generator.review.state import fingerprint_facts, fingerprint_strings

    settings = project.settings
    logo = logo_path(Path(project.root), settings.clinic.logo)
    payload = {
        "generator": [__version__, code_digest()], "handout": handout_id, "lang": lang, "options": options,
        "content": content_fingerprint, "review": [state.status, asdict(state.review)],
        "ui": fingerprint_strings(project.strings_for(lang)), "facts": fingerprint_facts(project.facts, project.crisis),
        # Every setting a page can show (not where it is written, nor the printer): adding web_url must rebuild
        # (fifth pass). Which other languages the handout names is in `options` (a release names fewer).
        "settings": {k: v for k, v in asdict(settings).items() if k not in ("loc", "field_locs", "printer")},
        "logo": file_digest(logo) if logo else "",
        "static": _static(root, lang, fmt, statics),
    }
    data = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return "sha256:" + hashlib.sha256(data.encode("utf-8", "surrogateescape")).hexdigest()


def _static(root: Path, lang: str, fmt: str, statics: Statics | None) -> dict[str, str]:
    if statics is None:
        return static_inputs(root, lang, fmt)
    if (lang, fmt) not in statics:
        statics[lang, fmt] = static_inputs(root, lang, fmt)
    return statics[lang, fmt]


def is_current(out: Path, entry: dict[str, object] | None, inputs: str) -> bool:
    """An existing PDF can be kept when its recorded inputs are the same, the entry is sealed by this user's
    generator (a manifest anyone edited vouches for nothing) and the file is intact."""
    from generator.content.seal import is_sealed

    if not entry or entry.get("inputs") != inputs or not is_sealed(entry):
        return False
    path = out / str(entry.get("file"))
    # A link (the file, or a folder on its way) to an identical copy elsewhere is not ours: that copy can change
    # (eighth pass).
    if os.path.realpath(path) != os.path.join(os.path.realpath(out), str(entry.get("file"))):
        return False
    try:
        return hashlib.sha256(read_bytes(path, MAX_INPUT_BYTES)).hexdigest() == entry.get("sha256")
    except FileRefused:  # missing, or not a regular file: rebuilt (and writing says what is in the way)
        return False


# -- the check cache: a build or check whose inputs did not change answers without loading the project ----


def plan_key(selection: object) -> str:
    """What a build plan depends on besides the inputs: everything selected except the output folder and jobs."""
    fields = ("handouts", "langs", "paper", "release", "large_print", "bilingual", "formats")
    return json.dumps([getattr(selection, name) for name in fields])


def snapshot(root: Path) -> checkcache.Snapshot:
    """Every input file and folder as it is now, to be taken before the check reads any of them."""
    from generator.render import template

    return checkcache.take(root, template.template_dirs(root.resolve()))


def remember(root: Path, today: date, entry: checkcache.Entry | None, taken: checkcache.Snapshot | None,
             project: Project, warnings: list[Problem], key: str = "", plan: list[list[str]] | None = None) -> None:
    """Record a passed check (a fresh one when `entry` is None) and, when given, the build plan made from it."""
    if entry is None:
        assert taken is not None
        if project.settings.clinic.logo:  # named by the settings: known only once they were read
            checkcache.add_file(taken, Path(project.root) / project.settings.clinic.logo)
        counts = {"handouts": len(project.handouts), "languages": len(project.settings.languages)}
        settings = project.settings
        digests = {lang: checkcache.language_digest(taken, root, lang, settings.source_language)
                   for lang in dict.fromkeys([settings.source_language, *settings.languages])}
        entry = checkcache.Entry(taken, [_record(p) for p in warnings], counts, {}, digests)
    if plan is not None:
        entry.plans[key] = plan
    checkcache.store(root, today, entry)


class PassedLanguages:
    """For a check after a change: the languages whose glyph and footer checks passed today with inputs that
    are, for them, unchanged (an edit of one translation re-checks that language only)."""

    def __init__(self, root: Path, today: date, taken: checkcache.Snapshot) -> None:
        self.root, self.taken = root, taken
        self.before = checkcache.recorded(root, today)
        self.found: set[str] = set()

    def __call__(self, project: Project) -> set[str]:
        if self.before is not None:
            source = project.settings.source_language
            self.found = {lang for lang, digest in self.before.languages.items()
                          if checkcache.language_digest(self.taken, self.root, lang, source) == digest}
        return self.found


def warnings(entry: checkcache.Entry) -> list[Problem]:
    """The warnings of the check the cache recorded, as they were printed then."""
    from generator.content.problems import Loc, Problem

    return [Problem(Loc(str(w["path"]), int(w["line"]), int(w["col"])), str(w["key"]),  # type: ignore[call-overload]
                    str(w["message"]), str(w["hint"]), str(w["severity"])) for w in entry.warnings]


@dataclass(frozen=True)
class Checked:
    """What `handouts check` found: warnings, counts, and how much of it the check cache answered."""

    warnings: list[Problem]
    handouts: int
    languages: int
    cached: bool  # nothing changed: every answer from the cache
    unchanged: tuple[str, ...] = ()  # languages whose glyph and footer checks were not needed again


def check(root: Path, today: date | None = None) -> Checked:
    """`handouts check`: the warnings and counts of a valid project, from the check cache when nothing changed."""
    from generator.build import validate

    today = today or date.today()
    entry = checkcache.lookup(root, today)
    if entry is not None:
        return Checked(warnings(entry), entry.counts["handouts"], entry.counts["languages"], True)
    taken = snapshot(root)
    passed = PassedLanguages(root, today, taken)
    project, problems = validate(root, today, passed=passed)
    from generator.render import styles, template

    # Also what `build --large-print` would use: a standard build does not need it, but `check` says "ok" only
    # when every edition the project offers can be built (fourth hostile pass).
    styles.load(template.find(root, "style.yaml") / "style.yaml", True)
    remember(root, today, None, taken, project, problems.warnings)
    return Checked(problems.warnings, len(project.handouts), len(project.settings.languages), False,
                   tuple(sorted(passed.found)))


def _record(problem: Problem) -> dict[str, object]:
    loc = problem.loc
    return {"path": loc.path, "line": loc.line, "col": loc.col, "key": problem.key, "message": problem.message,
            "hint": problem.hint, "severity": problem.severity}
