"""Readability lint: syllables, sentences, formulas, and `handouts lint` on real content."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.translators import readability as r
from tests.conftest import run
from tests.helpers import edit

# Syllables as a dictionary gives them (Merriam-Webster / RAE), including words this content uses often.
ENGLISH = {
    "the": 1, "make": 1, "whole": 1, "table": 2, "people": 2, "takes": 1, "boxes": 2, "changes": 2, "liked": 1,
    "wanted": 2, "needed": 2, "used": 1, "media": 3, "trial": 2, "actual": 3, "video": 3, "being": 2,
    "science": 2, "ketamine": 3, "psilocybin": 4, "microdosing": 4, "depression": 3, "anxiety": 4,
    "creativity": 5, "placebo": 3, "experience": 4, "therapy": 3, "session": 2, "medicine": 3, "treatment": 2,
    "prescription": 3, "federal": 3, "hospital": 3, "emergency": 4, "psychosis": 3, "evidence": 3,
    "serious": 3, "idea": 3, "family": 3, "usually": 4, "something": 2, "breathing": 2, "sometimes": 2,
    "careful": 2, "likely": 2, "patient": 2, "patients": 2, "client": 2, "society": 4, "about": 2, "urine": 2,
    "study": 2, "adults": 2, "australia": 4, "headache": 2, "nausea": 3, "Spravato": 3, "911": 3,
}
SPANISH = {
    "murciélago": 4, "país": 2, "ciudad": 2, "guitarra": 3, "pingüino": 3, "que": 1, "oír": 2, "buey": 1,
    "Uruguay": 3, "poeta": 3, "aéreo": 4, "leer": 2, "ahora": 3, "psicodélicos": 5, "creatividad": 5,
    "ansiedad": 3, "también": 2, "ketamina": 4, "día": 2, "muy": 1, "hoy": 1, "leyes": 2, "y": 1,
    "microdosis": 4, "psilocibina": 5, "investigación": 5, "tratamiento": 4, "equipo": 3, "guía": 2,
    "veintiuno": 3, "hueso": 2, "acción": 2, "prohibir": 3, "náuseas": 3,
}


@pytest.mark.parametrize(("word", "count"), ENGLISH.items())
def test_english_syllables(word: str, count: int) -> None:
    assert r.syllables_en(word) == count


@pytest.mark.parametrize(("word", "count"), SPANISH.items())
def test_spanish_syllables(word: str, count: int) -> None:
    assert r.syllables_es(word) == count



def line_of(path: Path, text: str) -> int:
    """The 1-based line of the first line holding `text`."""
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)

def test_formulas() -> None:
    # 100 words, 5 sentences, 150 syllables: 0.39 × 20 + 11.8 × 1.5 − 15.59
    assert r.flesch_kincaid_grade(100, 5, 150) == pytest.approx(9.91)
    # 100 words, 5 sentences, 200 syllables: 206.835 − 62.3 × 2 − 20
    assert r.szigriszt_pazos(100, 5, 200) == pytest.approx(62.235)
    assert [r.inflesz_band(s) for s in (30, 50, 60, 70, 90)] == [
        "very difficult", "somewhat difficult", "normal", "fairly easy", "very easy"]


def test_sentences_and_words() -> None:
    assert r.sentences("Según la ley de EE. UU., es ilegal. ¿Qué pasa? Nada, p. ej. nada.", "es") == [
        "Según la ley de EE. UU., es ilegal.", "¿Qué pasa?", "Nada, p. ej. nada."]
    assert r.sentences("Call 988. It is free! Ask (e.g. your nurse) first.", "en") == [
        "Call 988.", "It is free!", "Ask (e.g. your nurse) first."]
    assert r.sentences("在2021年的一项研究中，他们藏起了药。他们说“好转了。”真的吗？是的", "zh-Hans") == [
        "在2021年的一项研究中，他们藏起了药。", "他们说“好转了。”", "真的吗？", "是的"]
    assert r.sentences("هل هذا آمن؟ نعم.", "ar") == ["هل هذا آمن؟", "نعم."]
    assert r.words("الجرعات الصغرى جدًّا (microdosing)") == ["الجرعات", "الصغرى", "جدا", "microdosing"]
    assert r.words("A psilocybin-assisted session, don't wait.") == ["A", "psilocybin-assisted", "session", "don't",
                                                                   "wait"]
    assert r.length("在2021年的一项研究中，他们藏起了药。", "zh-Hans") == 18
    assert r.length("Tôi không biết.", "vi") == 3


def lint(root: Path, *args: str) -> tuple[int, str]:
    result = run("lint", "--project", root, *args)
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout + result.stderr


LOOSE = ("--max-grade", "30", "--min-es-score", "0", "--max-words", "1000", "--max-chars", "1000")


def test_lint_reports_every_section_and_language(project: Path) -> None:
    code, out = lint(project)
    assert code == 0  # without --strict, a report only
    rows = [line.split() for line in out.split("\n\n")[0].splitlines()[1:]]
    assert len(rows) == 6 * 41
    assert {row[1] for row in rows} == {"en", "es", "ar", "zh-Hans", "vi", "ru"}
    english = [row for row in rows if row[1] == "en"]
    assert all("grade" in row for row in english)
    assert all("Szigriszt-Pazos" in row for row in rows if row[1] == "es")
    assert {row[2] for row in english if row[0] == "microdosing"} == {
        "expect", "safety", "legal.US", "legal.US-OR", "legal.US-CO", "legal.AU", "integration", "help", "questions"}
    assert all("chars" in row for row in rows if row[1] == "zh-Hans")
    assert "246 section(s)," in out


def test_strict_passes_with_loose_targets_and_fails_on_a_missed_one(project: Path) -> None:
    assert lint(project, "--strict", *LOOSE)[0] == 0
    long = ("Microdosing means taking a very small amount of a drug such as psilocybin or ketamine again and again "
            "over many weeks while you keep working and living your life and hoping that your mood gets better")
    edit(project, "content/en/microdosing.yaml",
         "Microdosing means taking a very small amount of a drug, such as psilocybin or ketamine, again and again.",
         long + ".")
    code, out = lint(project, "--strict", *LOOSE[:4], "--max-words", "30", "--lang", "en")
    assert code == 1
    assert "microdosing (en) expect: 1 sentence(s) longer than 30 words" in out
    line = line_of(project / "content/en/microdosing.yaml", long)
    assert f"content/en/microdosing.yaml:{line}:16: expect.intro: 36 words (over 30): Microdosing means" in out
    assert "lint --strict: 1 section(s) miss a target" in out
    assert lint(project, *LOOSE[:4], "--max-words", "30", "--lang", "en")[0] == 0  # not strict: report only


def test_english_grade_and_spanish_score_targets(project: Path) -> None:
    hard = ("Pharmacological considerations necessitate individualized therapeutic determination regarding "
            "concomitant antidepressant administration.")
    edit(project, "content/en/microdosing.yaml", '"Talk with your care team before you try microdosing."',
         f'"{hard}"')
    code, out = lint(project, "--strict", "--lang", "en", "--max-words", "1000")
    assert code == 1 and "microdosing (en) expect: grade" in out and "above 8" in out
    dura = ("Las consideraciones farmacológicas individualizadas determinan necesariamente la administración "
            "concomitante de antidepresivos.")
    edit(project, "content/es/microdosing.yaml", '"Hable con su equipo médico antes de probar las microdosis."',
         f'"{dura}"')
    edit(project, "content/es/microdosing.yaml", '"Pregunte qué tratamientos tienen más pruebas para sus síntomas."',
         f'"{dura}"')
    code, out = lint(project, "--strict", "--lang", "es", "--max-words", "1000", "--min-es-score", "60")
    assert code == 1 and "microdosing (es) expect: Szigriszt-Pazos" in out and "below 60" in out


def test_chinese_long_sentences_are_counted_in_characters(project: Path) -> None:
    long = "在一项研究中" * 12  # 72 characters, no end mark
    edit(project, "content/zh-Hans/microdosing.yaml", 'text: "微剂量', f'text: "{long}。微剂量')
    code, out = lint(project, "--lang", "zh-Hans")
    assert code == 0
    line = line_of(project / "content/zh-Hans/microdosing.yaml", long)
    assert f"content/zh-Hans/microdosing.yaml:{line}:16: expect.intro: 72 characters (over 60): 在一项研究中" in out


def test_lint_unknown_language_is_a_usage_error(project: Path) -> None:
    result = run("lint", "--lang", "xx", "--project", project)
    assert result.exit_code == 2 and "available: en, es, ar, zh-Hans, vi, ru" in result.stderr
