"""Crisis help as data: every jurisdiction builds in every language, its help section names that country's
services, and says how to get help in the reader's own language (review findings E10 and X1)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import copy_project, run, shared_build
from tests.helpers import edit, normalise, pdf_text, replace_line

LANGS = ("en", "es", "ar", "zh-Hans", "vi", "ru")
HANDOUTS = ("esketamine-nasal-spray", "ketamine-assisted-therapy", "ketamine-or-psilocybin", "microdosing",
            "psilocybin-assisted-therapy")


def built_for(root: Path, code: str) -> Path:
    replace_line(root, "handouts.yaml", "jurisdiction:", f"jurisdiction: {code}")
    result = run("build", "--project", root, "--jobs", "1", "--quiet")
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture(scope="module")
def australia(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped project built for Australia (once for the whole run: shared by the xdist workers, read only)."""
    return shared_build(tmp_path_factory, "au", lambda root: built_for(root, "AU"))


@pytest.fixture(scope="module")
def oregon(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped project built for Oregon (once for the whole run: shared by the xdist workers, read only)."""
    return shared_build(tmp_path_factory, "or", lambda root: built_for(root, "US-OR"))


def help_text(root: Path, lang: str, handout: str = "microdosing") -> str:
    """The printed body text of a handout, normalised as pdf_text does (Chinese without spaces)."""
    return pdf_text(root / "output" / lang / f"{handout}.pdf", lang)


def printed(expected: str, text: str, lang: str) -> bool:
    return normalise(expected, lang) in text


# What each language's help says about getting help in that language: (AU, US).
AU_INTERPRETER = {"es": "Para recibir ayuda en español, llame a TIS National al 131 450",
                  "zh-Hans": "如需中文帮助，请拨打TIS National电话131 450",
                  "vi": "Để được giúp bằng tiếng Việt, hãy gọi TIS National theo số 131 450",
                  "ru": "Чтобы получить помощь на языке «русский», позвоните в TIS National по номеру 131 450"}
US_LANGUAGE = {"es": "Para recibir ayuda en español, llame al 988 y marque 2. También puede enviar AYUDA por "
                     "mensaje de texto al 988.",
               "zh-Hans": "如需中文帮助，请拨打988，并要求提供口译员。短信和在线聊天仅提供英语和西班牙语服务。",
               "vi": "Để được giúp bằng tiếng Việt, hãy gọi 988 và yêu cầu có thông dịch viên. Nhắn tin và trò chuyện "
                     "trực tuyến chỉ có bằng tiếng Anh và tiếng Tây Ban Nha.",
               "ru": "Чтобы получить помощь на языке «русский», позвоните по номеру 988 и попросите переводчика. "
                     "SMS и чат — только на этих языках: английский и испанский."}


@pytest.mark.parametrize("lang", LANGS)
def test_australia_builds_every_handout_within_four_pages(australia: Path, lang: str) -> None:
    for handout in HANDOUTS:
        pdf = australia / "output" / lang / f"{handout}.pdf"
        assert 1 <= len(PdfReader(pdf).pages) <= 4
        text = help_text(australia, lang, handout)
        assert all(printed(value, text, lang) for value in ("Lifeline", "13 11 14", "000"))
        body = text.split(normalise("Sources", lang))[0] if lang == "en" else text
        # No US number to call in an Australian handout (the Sources list still names the 988 source of the
        # crisis paragraph's claim: a known gap, see docs/crisis-help.md).
        assert "call or text 988" not in body and "911" not in body


@pytest.mark.parametrize("lang", ["es", "zh-Hans", "vi", "ru"])
def test_australian_help_names_the_interpreting_service_in_the_readers_language(australia: Path,
                                                                                 lang: str) -> None:
    assert printed(AU_INTERPRETER[lang], help_text(australia, lang), lang)


def test_australian_arabic_help_names_the_interpreting_service(australia: Path) -> None:
    text = help_text(australia, "ar")
    assert "للحصول على المساعدة باللغة العربية" in text
    assert "TIS National" in text and "131 450" in text and "Lifeline" in text


def test_australian_english_help(australia: Path) -> None:
    text = help_text(australia, "en")
    assert "If thoughts of suicide get worse, get help any time, day or night: Lifeline: call 13 11 14. " \
           "If you are in danger now, call 000." in text
    assert "interpreter" not in text  # Lifeline answers in English itself


@pytest.mark.parametrize("lang", ["es", "zh-Hans", "vi", "ru"])
def test_us_help_says_how_to_get_help_in_the_readers_language(oregon: Path, lang: str) -> None:
    text = help_text(oregon, lang)
    assert printed(US_LANGUAGE[lang], text, lang)
    assert all(printed(value, text, lang) for value in ("988 Suicide and Crisis Lifeline", "988lifeline.org", "911"))


def test_us_arabic_help_asks_for_an_interpreter(oregon: Path) -> None:
    text = help_text(oregon, "ar")
    assert "للحصول على المساعدة باللغة العربية، اتصل بالرقم 988 واطلب مترجمًا فوريًا" in text
    assert "الإنجليزية والإسبانية" in text  # text and chat: English and Spanish only


def test_us_english_help(oregon: Path) -> None:
    text = help_text(oregon, "en")
    assert ("988 Suicide and Crisis Lifeline: call or text 988. It is free. You can also chat at 988lifeline.org. "
            "If you are in danger now, call 911.") in text


def test_bilingual_second_language_says_how_to_get_help_in_the_patients_language(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    result = run("build", "--project", root, "--lang", "es", "--bilingual", "en", "microdosing", "--quiet")
    assert result.exit_code == 0, result.output
    text = pdf_text(root / "output" / "es" / "microdosing.es-en.pdf", "es")
    assert "Para recibir ayuda en español, llame al 988 y marque 2." in text
    assert "For help in Spanish, call 988 and press 2." in text


def test_a_country_without_a_crisis_line_is_refused(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    facts = root / "content" / "facts.yaml"
    text = facts.read_text(encoding="utf-8")
    facts.write_text(re.sub(r"(?ms)^  AU:\n    # Lifeline.*?(?=^# Legal status)", "", text), encoding="utf-8")
    replace_line(root, "handouts.yaml", "jurisdiction:", "jurisdiction: AU")
    result = run("build", "--project", root)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert re.search(r"content/en/\S+\.yaml:\d+:\d+: help\.crisis: content/facts\.yaml has no crisis line for "
                     r"country 'AU' \(jurisdiction AU\); add crisis: AU:", result.stderr)
    assert not (root / "output").exists()


def test_a_language_the_line_cannot_serve_is_refused(tmp_path: Path) -> None:
    """Without interpreters, a line that answers only in English and Spanish cannot help an Arabic reader."""
    root = copy_project(tmp_path / "project")
    edit(root, "content/facts.yaml", '    interpreters:\n      on_call: "240+"', "")
    result = run("check", "--project", root)
    assert result.exit_code == 1
    assert re.search(r"content/facts\.yaml:\d+:\d+: crisis\.US: the crisis line for 'US' records no way to get "
                     r"help in 'ar'", result.stderr)


def test_a_missing_crisis_sentence_is_named_with_its_file(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    edit(root, "content/vi/ui.yaml", "  crisis.language.interpreter:", "  # crisis.language.interpreter:")
    result = run("check", "--project", root)
    assert result.exit_code == 1
    assert "strings.crisis.language.interpreter: UI string 'crisis.language.interpreter' is needed for the crisis " \
           "help of jurisdiction 'US'; add it to content/vi/ui.yaml" in result.stderr


def test_a_bad_crisis_entry_is_reported_with_its_position(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    line = edit(root, "content/facts.yaml", "    cost: free", "    cost: cheap")
    result = run("check", "--project", root)
    assert result.exit_code == 1
    assert f"content/facts.yaml:{line}:11: crisis.US.cost: unknown cost 'cheap'" in result.stderr


def test_a_text_keyword_without_a_text_number_is_refused(tmp_path: Path) -> None:
    """Spanish access by text keyword only, on a line that takes no texts, would print nothing for Spanish."""
    root = copy_project(tmp_path / "project")
    edit(root, "content/facts.yaml", '    text: "988"\n    chat: 988lifeline.org\n', "")
    edit(root, "content/facts.yaml", 'es: {press: "2", text_keyword: AYUDA}', "es: {text_keyword: AYUDA}")
    result = run("check", "--project", root)
    assert result.exit_code == 1
    assert "crisis.US: the way to get help in 'es' prints nothing: a text keyword needs the line's text: number" \
        in result.stderr


def sources_line(root: Path, lang: str, handout: str) -> str:
    """The printed Sources list (beside the QR code): the text after the Sources heading, up to the other
    languages' line (English and Spanish here)."""
    pages = PdfReader(root / "output" / lang / f"{handout}.pdf").pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    heading, after = {"en": ("Sources", "This handout is also"), "es": ("Fuentes", "Este folleto también")}[lang]
    assert heading in text, text[-400:]
    listed = text[text.rindex(heading):]
    return listed[:listed.index(after)] if after in listed else listed


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_sources_list_names_the_crisis_line_and_the_law_actually_printed(australia: Path, oregon: Path,
                                                                             lang: str) -> None:
    """Known gap closed: an Australian handout cites Lifeline (facts.yaml) for its crisis help, not the US 988
    line, and no US legal source for a section it leaves out; a US build cites 988 and no Australian law."""
    au, us = (sources_line(root, lang, "microdosing") for root in (australia, oregon))
    assert "Lifeline (lifeline.org.au)" in au and "988" not in au, au
    assert "988 Suicide and Crisis Lifeline" in us and "lifeline.org.au" not in us, us
    assert au.replace(" ", "").count("tga.gov.au") == 1 and "tga.gov.au" not in us.replace(" ", ""), (au, us)
