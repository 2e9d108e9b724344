"""`handouts lint`: readability per handout section and language, against plain-language targets.

English gets the Flesch–Kincaid grade, Spanish the Szigriszt-Pazos score (INFLESZ scale), every language
the average sentence length and a list of long sentences with their unit IDs and positions. Text is read
without markup; a placeholder ({clinic.phone}) counts as one word, as a patient reads a phone number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from generator.content import markup
from generator.content.claims import unsourced
from generator.content.model import Handout, Project, Unit
from generator.content.problems import Loc
from generator.translators import readability
from generator.translators.terminology import Term
from generator.translators.terminology import check as check_terms

_PLACEHOLDER = re.compile(r"\{[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*\}")
# Vietnamese is written one syllable per word: the shipped translations have 1.44 Vietnamese words per English
# word (6273 to 4349), so its word limits are scaled to mean the same length of sentence.
WORD_SCALE = {"vi": 1.4}
MAX_TERM_LINES = 1_000  # terminology findings listed one a line; the rest are counted


@dataclass(frozen=True)
class Targets:
    """The plain-language targets; each can be changed on the command line."""

    max_grade: float = 8.0  # Flesch–Kincaid, English (the content brief's target)
    min_es_score: float = 55.0  # Szigriszt-Pazos, Spanish: INFLESZ "normal" or easier
    max_words: float = 25  # a longer sentence is listed (words; Chinese: characters)
    max_chars: float = 60
    max_average_words: float = 20.0  # per section (words per sentence; Chinese: characters)
    max_average_chars: float = 40.0


@dataclass(frozen=True)
class Sentence:
    unit: str
    loc: Loc
    text: str
    length: int


@dataclass(frozen=True)
class SectionReport:
    """One section of one handout in one language."""

    handout: str
    lang: str
    section: str  # section ID; legal text per jurisdiction: legal.US, legal.AU ...
    sentences: int
    length: int  # words (characters for Chinese)
    unit: str  # "words" or "characters"
    score_name: str = ""  # "grade" (English) or "Szigriszt-Pazos" (Spanish); "" for other languages
    score: float = 0.0
    long: tuple[Sentence, ...] = ()
    missed: tuple[str, ...] = ()

    @property
    def average(self) -> float:
        return self.length / self.sentences if self.sentences else 0.0


def _groups(handout: Handout) -> list[tuple[str, list[Unit]]]:
    """The units a patient reads together: each section, and the legal text of each jurisdiction."""
    groups = []
    for section in handout.sections:
        if section.id == "legal":
            for code, blocks in section.jurisdictions:
                groups.append((f"legal.{code}", [u for b in blocks for u in b.units()]))
        else:
            groups.append((section.id, list(section.units())))
    return groups


def limits(lang: str, targets: Targets) -> tuple[float, float]:
    """The long-sentence and average-length limits for a language, in its own unit of length."""
    if readability.is_cjk(lang):
        return targets.max_chars, targets.max_average_chars
    scale = WORD_SCALE.get(lang.split("-")[0], 1.0)
    return targets.max_words * scale, targets.max_average_words * scale


def section_report(handout: Handout, section: str, units: list[Unit], targets: Targets) -> SectionReport:
    """Measure one group of units against the targets."""
    lang = handout.lang
    long_limit, average_limit = limits(lang, targets)
    all_words: list[str] = []
    found: list[Sentence] = []
    count = total = 0
    for unit in units:
        for sentence in readability.sentences(markup.plain(unit.spans), lang):
            counted = _PLACEHOLDER.sub("X", sentence)  # a value (a phone number, a name) reads as one word
            size = readability.length(counted, lang)
            if not size:
                continue
            count += 1
            total += size
            all_words += readability.words(counted)
            if size > long_limit:
                found.append(Sentence(unit.id, unit.loc, sentence, size))
    report = SectionReport(handout.id, lang, section, count, total,
                           "characters" if readability.is_cjk(lang) else "words", long=tuple(found))
    missed = []
    base = lang.split("-")[0]
    if base == "en":
        grade = readability.flesch_kincaid_grade(
            len(all_words), count, sum(readability.syllables_en(w) for w in all_words))
        report = replace(report, score_name="grade", score=grade)
        if grade > targets.max_grade:
            missed.append(f"grade {grade:.1f} above {targets.max_grade:g}")
    elif base == "es":
        score = readability.szigriszt_pazos(
            len(all_words), count, sum(readability.syllables_es(w) for w in all_words))
        report = replace(report, score_name="Szigriszt-Pazos", score=score)
        if score < targets.min_es_score:
            missed.append(f"Szigriszt-Pazos {score:.1f} below {targets.min_es_score:g} "
                          f"({readability.inflesz_band(score)})")
    if report.average > average_limit:
        missed.append(f"average {report.average:.1f} {report.unit} per sentence, above {average_limit:g}")
    if found:
        missed.append(f"{len(found)} sentence(s) longer than {long_limit:g} {report.unit}")
    return replace(report, missed=tuple(missed))


def lint(project: Project, langs: list[str] | None = None, targets: Targets | None = None) -> list[SectionReport]:
    """Every section of every handout in the chosen languages (all of handouts.yaml's by default)."""
    targets = targets or Targets()
    source = project.settings.source_language
    wanted = langs or list(dict.fromkeys([source, *project.settings.languages]))
    reports = []
    for lang in wanted:
        for handout_id in project.handout_ids():
            handout = project.handout(handout_id, lang)
            for section, units in _groups(handout):
                reports.append(section_report(handout, section, units, targets))
    return reports


SHORT_UNITS = {"characters": "chars"}  # "chara" (cut at five letters) read as a word


def report_lines(reports: list[SectionReport], targets: Targets) -> list[str]:
    """The report as text: a table, the targets missed, then every long sentence as `file:line:col: unit`."""
    header = ("handout", "lang", "section", "sentences", "avg/sentence", "score", "long", "targets")
    rows = [header] + [
        (r.handout, r.lang, r.section, str(r.sentences), f"{r.average:.1f} {SHORT_UNITS.get(r.unit, r.unit)}",
         f"{r.score_name} {r.score:.1f}" if r.score_name else "", str(len(r.long)), "MISSED" if r.missed else "ok")
        for r in reports]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    missed = [r for r in reports if r.missed]
    if missed:
        lines += ["", "targets missed:"] + [f"  {r.handout} ({r.lang}) {r.section}: {'; '.join(r.missed)}"
                                            for r in missed]
    long = [(r, s) for r in reports for s in r.long]
    if long:
        lines += ["", "long sentences:"]
        for r, sentence in long:
            limit, _ = limits(r.lang, targets)
            text = sentence.text if len(sentence.text) <= 90 else sentence.text[:87] + "..."
            lines.append(f"  {sentence.loc}: {sentence.unit}: {sentence.length} {r.unit} (over {limit:g}): {text}")
    lines += ["", f"{len(reports)} section(s), {len(missed)} missing a target, {len(long)} long sentence(s)"]
    return lines


def content_findings(project: Project, langs: list[str] | None, terms: list[Term]) -> list[str]:
    """Terms the terminology table says to avoid, (in the source language) statements naming no source, and (in a
    translation) units lacking a number their source text has."""
    findings, total = check_terms(project, terms, langs, keep=MAX_TERM_LINES)
    lines = [f"  {finding.line()}" for finding in findings]
    if total > len(findings):  # a screenful of thousands helps no one; the count says what is left
        lines.append(f"  … and {total - len(findings):,} more uses of avoided terms (fix those above and run "
                     "lint again, or lint one language with --lang)")
    out = ["", "terminology:", *lines] if lines else []
    source = project.settings.source_language
    if not langs or source in langs:
        missing = [f"  {unit.loc}: {handout.id}: {unit.id}: names no source in claims:"
                   for handout in project.handouts if handout.lang == source for unit in unsourced(handout)]
        if missing:
            out += ["", "statements without a source (add them to the handout's claims: map):", *missing]
    if lost := _numbers_lost(project, langs):
        out += ["", "numbers of the source text missing from its translation (a dose, a time, a phone number?):",
                *lost]
    return out


def _numbers_lost(project: Project, langs: list[str] | None) -> list[str]:
    """Each translated unit lacking a number its source unit has ("24 hours" translated "48 horas"; digits of any
    script are read as their values; a translation may add numbers, as dates written with month numbers do)."""
    from generator.content.model import units_of

    source = project.settings.source_language
    originals = {(h.id, u.id): _numbers(u.text) for h in project.handouts if h.lang == source for u in units_of(h)}
    lost = []
    for handout in (h for h in project.handouts if h.lang != source and (not langs or h.lang in langs)):
        for unit in units_of(handout):
            if gone := sorted(originals.get((handout.id, unit.id), set()) - _numbers(unit.text), key=len):
                lost.append(f"  {unit.loc}: {handout.id}: {unit.id}: {', '.join(gone)} not in the translation")
    return lost


def _numbers(text: str) -> set[str]:
    import unicodedata

    folded = "".join(str(d) if (d := unicodedata.digit(ch, None)) is not None else ch
                     for ch in unicodedata.normalize("NFKC", _PLACEHOLDER.sub("", text)))
    return set(re.findall(r"\d+", folded))
