"""Crisis help as data: which UI sentences tell a reader how to reach the crisis line, in their own language.

The help section's paragraph with the ID `crisis` is followed by two generated paragraphs: how to reach the
country's crisis line (call, text, chat, cost), and how a reader of the handout's language gets help in that
language (a menu option, a text keyword, an interpreter on the call, or an interpreting service). The facts come
from content/facts.yaml (`crisis:`), the words from each language's ui.yaml (`crisis.*`), so no number or
service name is typed into prose and every jurisdiction's help is printed in every language.
"""

from __future__ import annotations

from datetime import date

from generator.content.model import CrisisService, Handout, Settings, Strings
from generator.content.problems import Problems

WARNING_DAYS = 30  # as for every fact: warn a month before the review-by date
CRISIS_BLOCK = "crisis"  # the help-section paragraph the generated paragraphs follow
CONTACT_ID = "help.crisis-contact"
LANGUAGE_ID = "help.crisis-language"

# Each crisis UI string and the placeholders it must contain.
CRISIS_UI_KEYS: dict[str, tuple[str, ...]] = {
    "crisis.call": ("service", "call"),
    "crisis.call-text": ("service", "call"),
    "crisis.text": ("text",),
    "crisis.chat": ("chat",),
    "crisis.free": (),
    "crisis.language.option": ("language", "call", "press"),
    "crisis.language.text-keyword": ("keyword", "text"),
    "crisis.language.interpreter": ("language", "call"),
    "crisis.language.text-only": ("languages",),
    "crisis.language.interpreter-service": ("language", "interpreter_service", "interpreter_call", "service",
                                            "call"),
}

Sentence = tuple[str, dict[str, str]]  # a UI key and the values of its own placeholders


def contact(service: CrisisService) -> list[Sentence]:
    """How to reach the line: call (and text, when it is the same number), another text number, cost, chat."""
    names = {"service": service.service, "call": service.call}
    sentences: list[Sentence] = [("crisis.call-text" if service.text == service.call else "crisis.call", names)]
    if service.text and service.text != service.call:
        sentences.append(("crisis.text", {"text": service.text}))
    if service.free:
        sentences.append(("crisis.free", {}))
    if service.chat:
        sentences.append(("crisis.chat", {"chat": service.chat}))
    return sentences


def language_access(service: CrisisService, reader: str, ui_lang: str) -> list[Sentence]:
    """How a reader of `reader` gets help in that language, written in `ui_lang`; [] when the line answers in it."""
    mode = service.access(reader)
    language = language_name(reader, ui_lang)
    if mode == "option":
        entry = service.language(reader)
        assert entry is not None  # access() found it
        sentences: list[Sentence] = []
        if entry.press:
            sentences.append(("crisis.language.option", {"language": language, "call": service.call,
                                                          "press": entry.press}))
        if entry.text_keyword and service.text:
            sentences.append(("crisis.language.text-keyword", {"keyword": entry.text_keyword,
                                                                "text": service.text}))
        return sentences
    if mode == "interpreter":
        sentences = [("crisis.language.interpreter", {"language": language, "call": service.call})]
        if service.text or service.chat:
            own = [language_name(e.lang, ui_lang) for e in service.languages]
            sentences.append(("crisis.language.text-only", {"languages": _list(own, ui_lang)}))
        return sentences
    if mode == "interpreter-service":
        return [("crisis.language.interpreter-service", {
            "language": language, "interpreter_service": service.interpreter_service,
            "interpreter_call": service.interpreter_call, "service": service.service, "call": service.call})]
    return []


def needed_keys(service: CrisisService, reader: str) -> list[str]:
    """The UI strings a handout for a reader of `reader` needs (the same keys in every UI language)."""
    return [key for key, _ in contact(service) + language_access(service, reader, "en")]


def language_name(lang: str, ui_lang: str) -> str:
    """The name of `lang` (without script or region: Chinese, not Simplified Chinese) in `ui_lang`, lower-case
    where the language writes it so (español, العربية, 中文); the code itself when Babel does not know it."""
    from generator.content.names import cldr_locale

    base = lang.split("-")[0]
    locale = cldr_locale(ui_lang)  # None also for a script Babel has no data for (`ur-Latn`: not Urdu's letters)
    if locale is None:
        return base
    name = locale.languages.get(base) or base
    # Babel gives Vietnamese names capitalised as in a list (Tiếng Việt); inside a sentence they are not.
    return name[:1].lower() + name[1:] if ui_lang.startswith("vi") else name


def _list(names: list[str], ui_lang: str) -> str:
    from babel import UnknownLocaleError
    from babel.lists import format_list

    try:
        return format_list(names, locale=ui_lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return ", ".join(names)


def printed_values(service: CrisisService, ui_lang: str, readers: list[str]) -> list[str]:
    """Every value the crisis help may print in `ui_lang`: names, numbers, addresses, language names."""
    names = [language_name(lang, ui_lang) for lang in readers]
    names += [language_name(e.lang, ui_lang) for e in service.languages]
    fields = [service.service, service.call, service.text, service.chat, service.interpreter_service,
              service.interpreter_call]
    fields += [v for e in service.languages for v in (e.press, e.text_keyword)]
    return [v for v in fields + names if v]


def check_crisis(handouts: list[Handout], strings: list[Strings], crisis: tuple[CrisisService, ...],
                 settings: Settings, today: date, problems: Problems) -> None:
    """A handout whose help section has a `crisis` paragraph needs the country's crisis line, a way to get help
    in each language, every UI sentence that help is written with, and a crisis entry not past review."""
    users = [(h, b) for h in handouts for s in h.sections if s.id == "help" for b in s.blocks
             if b.id == CRISIS_BLOCK]
    if not users:
        return
    country = settings.jurisdiction.split("-")[0]
    service = next((c for c in crisis if c.country == country), None)
    if service is None:
        block = users[0][1]
        problems.add(block.loc, f"help.{CRISIS_BLOCK}", f"content/facts.yaml has no crisis line for country "
                     f"'{country}' (jurisdiction {settings.jurisdiction})",
                     f"add crisis: {country}: with service, call, source, checked and review_by "
                     "(see docs/crisis-help.md)")
        return
    key = f"crisis.{country}"
    due = date.fromisoformat(service.review_by)
    if due < today:
        problems.add(service.review_by_loc or service.loc, key, f"crisis line is past its review-by date "
                     f"{service.review_by}", "re-check it against its source, then update 'checked' and 'review_by'")
    elif (due - today).days <= WARNING_DAYS:
        problems.add(service.review_by_loc or service.loc, key, f"crisis line is due for review by "
                     f"{service.review_by}", "re-check it against its source soon", severity="warning")
    langs = sorted({h.lang for h, _ in users})
    needed: dict[str, None] = {}
    for lang in langs:
        if not service.access(lang):
            problems.add(service.loc, key, f"the crisis line for '{country}' records no way to get help in "
                         f"'{lang}'", "list the language under languages:, or record interpreters: (on_call: "
                         "for interpreters on the call, or an interpreting service with call: and source:)")
        elif service.access(lang) != "direct" and not language_access(service, lang, "en"):
            problems.add(service.loc, key, f"the way to get help in '{lang}' prints nothing: a text keyword needs "
                         "the line's text: number", "add text: to the crisis line, or press: to the language")
        needed.update(dict.fromkeys(needed_keys(service, lang)))
    for table in strings:
        have = {u.id for u in table.units}
        for name in needed:
            if name not in have:
                problems.add(table.loc, f"strings.{name}", f"UI string '{name}' is needed for the crisis help "
                             f"of jurisdiction '{settings.jurisdiction}'",
                             f"add it to content/{table.lang}/ui.yaml (see docs/crisis-help.md)")
