"""The content review of 6 December 2026: each major finding (E1-E10) stays fixed, in English and in every
translation. The wording may change; these tests pin the meaning (the fact each finding was about)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO, run, shared_build
from tests.helpers import pdf_text

LANGS = ("en", "es", "ar", "zh-Hans", "vi", "ru")
TRANSLATIONS = LANGS[1:]


def unit_text(lang: str, handout: str, unit_id: str) -> str:
    """The text of one unit, found by its ID in the shipped content file (read as plain YAML)."""
    data = yaml.safe_load((REPO / "content" / lang / f"{handout}.yaml").read_text(encoding="utf-8"))
    section_id, *rest = unit_id.split(".")
    section = next(s for s in data["sections"] if s["id"] == section_id)
    if section_id == "legal":
        code, *rest = rest
        blocks = section["jurisdictions"][code]
        if "same_as" in blocks:
            blocks = section["jurisdictions"][blocks["same_as"]]
    else:
        blocks = section["blocks"]
    block_id, *rest = rest
    block = next(b for b in blocks if block_id in b.values() and b.get("id") is None)
    if not rest:
        return block["text"]
    if "items" in block:
        return next(i["text"] for i in block["items"] if i["id"] == rest[0])
    row = next(r for r in block["rows"] if r["id"] == rest[0])
    return row["cells"][rest[1]]


def all_units(lang: str) -> str:
    """Every text of every handout of a language, as one string (for phrases that must be gone everywhere)."""
    return "\n".join((REPO / "content" / lang / f"{h}.yaml").read_text(encoding="utf-8")
                     for h in HANDOUTS)


HANDOUTS = ("esketamine-nasal-spray", "ketamine-assisted-therapy", "ketamine-or-psilocybin", "microdosing",
            "psilocybin-assisted-therapy")


@pytest.fixture(scope="module")
def jurisdictions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The shipped English handouts built for each jurisdiction; jurisdiction → project folder (each made once
    for the whole run: shared by the xdist workers, read only)."""
    def make(code: str) -> Callable[[Path], None]:
        def build(root: Path) -> None:
            settings = root / "handouts.yaml"
            settings.write_text(re.sub(r"(?m)^jurisdiction: .*$", f"jurisdiction: {code}",
                                       settings.read_text(encoding="utf-8")), encoding="utf-8")
            result = run("build", "--project", root, "--lang", "en", "--jobs", "1")
            assert result.exit_code == 0, result.output
        return build

    return {code: shared_build(tmp_path_factory, f"jurisdiction-{code}", make(code)) for code in ("US", "US-OR")}


def printed(roots: dict[str, Path], code: str, handout: str) -> str:
    return pdf_text(roots[code] / "output" / "en" / f"{handout}.pdf", "en")


def test_every_translation_is_current() -> None:
    """The re-translated units were recorded against the current English: nothing is stale or missing."""
    result = run("status", "--project", REPO, "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert {r["lang"] for r in rows} >= set(TRANSLATIONS)
    assert [(r["handout"], r["lang"]) for r in rows if r["stale"] or r["missing"]] == []


# E1: a 2022 phase 2b trial is not "the largest study"; later, larger trials exist.
OLD_LARGEST = {"en": "largest study", "es": "estudio más grande", "ar": "أكبر دراسة", "zh-Hans": "规模最大",
               "vi": "nghiên cứu lớn nhất", "ru": "крупнейш"}


@pytest.mark.parametrize("lang", LANGS)
def test_e1_the_2022_trial_is_not_called_the_largest(lang: str) -> None:
    assert OLD_LARGEST[lang] not in all_units(lang)
    assert "самом крупном" not in all_units(lang)
    evidence = unit_text(lang, "psilocybin-assisted-therapy", "expect.evidence")
    assert "2022" in evidence and "233" in evidence


def test_e1_later_larger_studies_are_mentioned(jurisdictions: dict[str, Path]) -> None:
    text = printed(jurisdictions, "US", "psilocybin-assisted-therapy")
    assert re.search(r"Later studies, some of them larger, also found a benefit over placebo, but it was modest",
                     text)


# E2: Spravato's suicidal-ideation indication is for depression; not shown to reduce suicidal thoughts.
SUDDEN = {"en": "sudden", "es": "repentin", "ar": "مفاجئة", "zh-Hans": "突然", "vi": "đột ngột", "ru": "внезапн"}
NOT_REDUCE = {"en": "reduce suicidal thoughts", "es": "reduzca los pensamientos suicidas",
              "ar": "يقلل الأفكار الانتحارية", "zh-Hans": "减少自杀念头", "vi": "làm giảm ý nghĩ tự tử",
              "ru": "уменьшает мысли о самоубийстве"}


@pytest.mark.parametrize("lang", LANGS)
def test_e2_spravato_indication_wording(lang: str) -> None:
    text = unit_text(lang, "esketamine-nasal-spray", "expect.approvals")
    assert SUDDEN[lang] not in text
    assert NOT_REDUCE[lang] in text


# E3: the microdosing studies tested psilocybin (one also LSD), never ketamine.
@pytest.mark.parametrize("lang", LANGS)
def test_e3_microdosing_studies_name_their_drugs(lang: str) -> None:
    lsd = "ЛСД" if lang == "ru" else "LSD"
    assert lsd in unit_text(lang, "microdosing", "expect.placebo")
    assert lsd in unit_text(lang, "microdosing", "expect.studies.szigeti")


def test_e3_english_says_not_ketamine(jurisdictions: dict[str, Path]) -> None:
    assert "These studies tested psilocybin or LSD, not ketamine" in printed(jurisdictions, "US", "microdosing")


# E4: no driving on a microdosing day, even when you feel nothing.
EVEN_IF_FINE = {"en": "even if you feel fine", "es": "aunque se sienta bien", "ar": "حتى لو شعرت أنك بخير",
                "zh-Hans": "即使您感觉没事", "vi": "kể cả khi bạn thấy bình thường",
                "ru": "даже если чувствуете себя хорошо"}


@pytest.mark.parametrize("lang", LANGS)
def test_e4_no_driving_even_if_you_feel_fine(lang: str) -> None:
    assert EVEN_IF_FINE[lang] in unit_text(lang, "microdosing", "safety.tell-team.no-driving")


# E5: Oregon allows psilocybin only at a licensed center, with a licensed facilitator; none to take home.
ONLY_AT_CENTER = {"en": r"(only at (a licensed|the) center|use only at a licensed center)",
                  "es": r"(Solo se puede usar psilocibina en|solo permite el uso en un centro)", "ar": r"إلا في",
                  "zh-Hans": r"(只能在|只允许在)", "vi": r"(chỉ được dùng psilocybin tại|chỉ cho phép dùng tại)",
                  "ru": r"только в"}
OREGON_UNITS = [("psilocybin-assisted-therapy", "legal.US.oregon"),
                ("psilocybin-assisted-therapy", "legal.US-OR.oregon"),
                ("microdosing", "legal.US-OR.oregon"), ("microdosing", "legal.US.states"),
                ("ketamine-or-psilocybin", "legal.US-OR.psilocybin")]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("handout", "unit"), OREGON_UNITS)
def test_e5_oregon_use_only_at_a_licensed_center(lang: str, handout: str, unit: str) -> None:
    assert re.search(ONLY_AT_CENTER[lang], unit_text(lang, handout, unit))


@pytest.mark.parametrize("handout", ["psilocybin-assisted-therapy", "microdosing", "ketamine-or-psilocybin"])
def test_e5_oregon_edition_prints_the_limit(jurisdictions: dict[str, Path], handout: str) -> None:
    text = printed(jurisdictions, "US-OR", handout)
    assert re.search(r"only at (a licensed|the) center, with a licensed facilitator\. You cannot take any home\.",
                     text)


# E6: the comparison handout names the FDA's 2023 warning on compounded ketamine used at home.
def test_e6_comparison_names_the_home_ketamine_warning(jurisdictions: dict[str, Path]) -> None:
    text = printed(jurisdictions, "US", "ketamine-or-psilocybin")
    assert "Some clinics send lozenges home" in text
    assert re.search(r"In 2023 the FDA warned that compounded ketamine .{0,40}used at home with no one watching "
                     r"adds risk", text)


@pytest.mark.parametrize("lang", LANGS)
def test_e6_every_language_has_the_2023_warning(lang: str) -> None:
    assert "2023" in unit_text(lang, "ketamine-or-psilocybin", "safety.ketamine")


# E7: three weeks was the trial's endpoint, not when mood lifted.
@pytest.mark.parametrize("lang", LANGS)
def test_e7_psilocybin_onset_is_not_given_as_three_weeks(lang: str) -> None:
    cell = unit_text(lang, "ketamine-or-psilocybin", "expect.compare.onset.psilocybin")
    assert "2022" in cell and "3" in cell
    assert OLD_LARGEST[lang] not in cell


def test_e7_english_cell_says_not_well_measured(jurisdictions: dict[str, Path]) -> None:
    assert "Not well measured. A 2022 study checked its main result at 3 weeks." in printed(
        jurisdictions, "US", "ketamine-or-psilocybin")


# E8: the ketamine handout names the risks the FDA listed for unwatched home use, slowed breathing among them.
SLOWED_BREATHING = {"en": "slowed breathing", "es": "respiración lenta", "ar": "بطء التنفس", "zh-Hans": "呼吸减慢",
                    "vi": "thở chậm", "ru": "замедленное дыхание"}


@pytest.mark.parametrize("lang", LANGS)
def test_e8_home_ketamine_risks_are_named(lang: str) -> None:
    text = unit_text(lang, "ketamine-assisted-therapy", "safety.home-risks")
    assert SLOWED_BREATHING[lang] in text and "2023" in text


def test_e8_english_prints_the_risks(jurisdictions: dict[str, Path]) -> None:
    text = printed(jurisdictions, "US", "ketamine-assisted-therapy")
    assert ("The risks it named are misuse, mental health effects, high blood pressure, slowed breathing and "
            "bladder problems.") in text


# E9: the Colorado source is the Natural Medicine Division's verified address.
def test_e9_colorado_source_address() -> None:
    texts = [p.read_text(encoding="utf-8") for p in (REPO / "content").rglob("*.yaml")]
    assert not any("nmd.colorado.gov" in t for t in texts)
    facts = yaml.safe_load((REPO / "content" / "facts.yaml").read_text(encoding="utf-8"))
    assert facts["legal"]["US-CO"]["source"] == "https://dnm.colorado.gov/"
