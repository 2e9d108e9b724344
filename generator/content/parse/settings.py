"""UI strings, the fact registry and the clinic's settings (handouts.yaml)."""

from __future__ import annotations

import re
import unicodedata

from yaml.nodes import Node, ScalarNode

from generator.content import markup
from generator.content.crisis import CRISIS_UI_KEYS
from generator.content.hostname import HOST, NOT_WHERE_IT_SEEMS
from generator.content.model import (
    PAPER_SIZES,
    SECTION_ORDER,
    Clinic,
    Fact,
    Settings,
    Strings,
)
from generator.content.parse.crisis import crisis_services
from generator.content.parse.fields import BIDI_FORMATTING, JURISDICTION_RE, LANG_RE, FieldParser, has_visible
from generator.content.problems import Loc
from generator.content.yamlread import Doc

# Each UI string and the placeholders it must contain (clinic placeholders are allowed anywhere).
UI_KEYS: dict[str, tuple[str, ...]] = {
    **{f"section.{s}": () for s in SECTION_ORDER},
    "heading.disclaimer": (),
    "footer.page": ("page", "pages"),
    "footer.version": ("version",),
    "review.draft": (),
    "review.changed": (),
    "review.overdue": (),
    "review.stale": (),
    "review.approved": ("date", "role", "next"),
    "watermark": (),
    "provenance": ("fingerprint",),
    "disclaimer.short": (),
    "disclaimer.full": (),
    "contact.line": (),
    "heading.continued": (),
    "heading.contact": (),
    "contact.phone": (),
    "contact.address": (),
    "contact.website": (),
    "current": ("date",),
    "editions.languages": (),
    "editions.large_print": (),
    "editions.web": ("address",),
    "heading.sources": (),
}
# What every page must show readably: the review state, the DRAFT word and the disclaimer.
STAMP_KEYS = frozenset({"review.draft", "review.changed", "review.overdue", "review.stale", "review.approved",
                        "watermark", "disclaimer.short", "disclaimer.full", "provenance"})
LEGAL_FACT = "legal-status"  # not a valid placeholder name, so legal entries can never be printed as {fact.…}
# An https address whose host is a plain domain name (letters, digits, hyphens, dots; a port) and whose path holds
# no escape: what a reader reads as the site is the site.
_PLAIN_SITE = re.compile(rf"https://{HOST}(?:[/?#][^\s%@]*)?")  # the host: one rule with sources' (hostname.py)
_NO_HASH = frozenset({"website", "logo"})  # clinic fields read whole up to a comment
CLINIC_PLACEHOLDERS = ("clinic.name", "clinic.phone", "clinic.address", "clinic.website")
VERIFY_FIELDS = ("handout", "lang", "version", "fingerprint", "review")
WEB_FIELDS = ("handout", "lang")
# A CUPS queue name: printable, no space, slash, backslash, hash, quotes or comma, not starting with "-".
PRINTER_RE = re.compile(r"^[^\s/\\#'\",\x00-\x1f\x7f-][^\s/\\#'\",\x00-\x1f\x7f]{0,126}\Z")
MAX_VERIFY_URL = 300  # the QR code must stay small enough to scan from paper
MAX_VALUE_CHARS = 300  # a clinic setting or a fact is a name, a number, an address: never a paragraph
MAX_LANGUAGES = 200  # a project is written in a few dozen at most; 60,000 kept `check` busy past 2 minutes (35th pass)


class SettingsParser(FieldParser):
    """Reads ui.yaml, facts.yaml and handouts.yaml."""

    def strings(self, expected_lang: str) -> Strings | None:
        doc = self.doc
        if doc.root is None:
            return None
        top = doc.mapping(doc.root, "", ["lang", "review", "strings"], ["translation"])
        if top is None:
            return None
        lang = doc.text(top.get("lang"), "lang")
        if lang is not None and lang != expected_lang:
            doc.error(top["lang"], "lang", f"language '{lang}' does not match the folder '{expected_lang}'",
                      f"write 'lang: {expected_lang}'")
        review = self.review(top.get("review"), "review")
        table = doc.mapping(top.get("strings"), "strings", list(UI_KEYS), list(CRISIS_UI_KEYS))
        if table is None or review is None:
            return None
        units = []
        for name, node in table.items():
            own = UI_KEYS[name] if name in UI_KEYS else CRISIS_UI_KEYS[name]
            allowed = frozenset(own) | frozenset(CLINIC_PLACEHOLDERS)
            unit = self.unit(node, f"strings.{name}", name, allowed)
            if unit is None:
                continue
            used = markup.placeholders(unit.spans)
            if not has_visible("".join(span.text for span in unit.spans)) and \
                    (name in STAMP_KEYS or any(span.text for span in unit.spans)):
                doc.error(node, f"strings.{name}", "the text has no visible letter, digit or symbol (only spaces, "
                          "punctuation or invisible characters): it would print as nothing",
                          "write the words it stands for")
            for needed in own:  # "{page}{page}{page} of {pages}" printed page 1 as "111" (thirteenth pass)
                if used.count(needed) != 1:
                    doc.error(node, f"strings.{name}", f"placeholder {{{needed}}} is "
                              + ("missing" if needed not in used else f"used {used.count(needed)} times"),
                              f"the text must contain {{{needed}}} exactly once")
            units.append(unit)
        return Strings(expected_lang, review, tuple(units), doc.loc(doc.root), self.translation(top.get("translation")),
                       tuple(self.dated))

    def facts(self) -> tuple[Fact, ...]:
        doc = self.doc
        if doc.root is None:
            return ()
        top = doc.mapping(doc.root, "", ["facts"], ["review", "legal", "crisis"])
        if top is None:
            return ()
        if "crisis" in top:
            self.crisis = crisis_services(self, top["crisis"])
        if "review" in top:
            self.facts_review = self.review(top["review"], "review")
        facts: list[Fact] = []
        keys = doc.mapping(top.get("facts"), "facts", [], self._keys(top.get("facts"))) or {}
        for name, per_country in keys.items():
            if not re.match(r"^[a-z][a-z0-9_]*\Z", name):
                doc.error(per_country, f"facts.{name}", f"'{name}' is not a valid fact key",
                          "use lowercase letters, digits and '_'")
                continue
            countries = doc.mapping(per_country, f"facts.{name}", [], self._keys(per_country)) or {}
            for country, entry in countries.items():
                key = f"facts.{name}.{country}"
                fields = doc.mapping(entry, key, ["value", "source", "checked", "review_by"])
                if fields is None:
                    continue
                value = self.visible(fields.get("value"), f"{key}.value",
                                     doc.prose(fields.get("value"), f"{key}.value"))
                if value is not None and len(value) > MAX_VALUE_CHARS:  # it may be repeated in every paragraph
                    doc.error(fields["value"], f"{key}.value", f"{len(value):,} characters, more than "
                              f"{MAX_VALUE_CHARS}", "a fact is a number, a name or an address; shorten it")
                    value = None
                source = doc.text(fields.get("source"), f"{key}.source")
                checked = self.iso_date(fields.get("checked"), f"{key}.checked")
                review_by = self.iso_date(fields.get("review_by"), f"{key}.review_by")
                if value and source and checked and review_by:
                    facts.append(Fact(name, country, value, source, checked, review_by, doc.loc(entry),
                                      doc.loc(fields["review_by"])))
        # Legal status is dated like any fact: one entry per jurisdiction the handouts are written for.
        legal = doc.mapping(top["legal"], "legal", [], self._keys(top["legal"])) if "legal" in top else {}
        for code, entry in (legal or {}).items():
            key = f"legal.{code}"
            if not JURISDICTION_RE.match(code):
                doc.error(entry, key, f"'{code}' is not a jurisdiction code", "use codes like US, US-OR, AU")
                continue
            fields = doc.mapping(entry, key, ["source", "checked", "review_by"])
            if fields is None:
                continue
            source = doc.text(fields.get("source"), f"{key}.source")
            checked = self.iso_date(fields.get("checked"), f"{key}.checked")
            review_by = self.iso_date(fields.get("review_by"), f"{key}.review_by")
            if source and checked and review_by:
                facts.append(Fact(LEGAL_FACT, code, code, source, checked, review_by, doc.loc(entry),
                                  doc.loc(fields["review_by"])))
        return tuple(facts)

    def settings(self) -> Settings | None:
        doc = self.doc
        if doc.root is None:
            return None
        top = doc.mapping(doc.root, "", ["clinic", "jurisdiction", "languages"],
                          ["paper", "source_language", "verify_url", "printer", "web_url", "print_sources"])
        if top is None:
            return None
        clinic_fields = doc.mapping(top.get("clinic"), "clinic", ["name", "phone"], ["address", "website", "logo"])
        # A web address or a file name never holds ' #' after a space: there the rest of the line is a comment (the
        # one `init` writes after the lines it offers, thirtieth pass); in words a ' #' may be meant, so refused.
        clinic_values = {k: (doc.text if k in _NO_HASH else doc.prose)(v, f"clinic.{k}")
                         for k, v in (clinic_fields or {}).items()}
        jurisdiction = doc.text(top.get("jurisdiction"), "jurisdiction")
        if jurisdiction is not None and not JURISDICTION_RE.match(jurisdiction):
            doc.error(top["jurisdiction"], "jurisdiction", f"'{jurisdiction}' is not a jurisdiction code",
                      "use a country code, optionally with a region: US, US-OR, AU")
        paper = doc.text(top.get("paper"), "paper") if "paper" in top else "letter"
        if paper is not None and paper not in PAPER_SIZES:
            doc.error(top["paper"], "paper", f"unknown paper size '{paper}'", "use letter or a4")
        source = doc.text(top.get("source_language"), "source_language") if "source_language" in top else "en"
        if source is not None and not LANG_RE.match(source):  # it names a folder: never a path
            doc.error(top["source_language"], "source_language", f"'{source}' is not a language code",
                      "use codes like en, es, zh-Hans (at most 35 characters)")
            source = None
        languages = []
        lang_locs: dict[str, Loc] = {}
        listed: dict[str, str] = {}  # each language as case-folded, as first written
        if len(nodes := doc.sequence(top.get("languages"), "languages")) > MAX_LANGUAGES:  # said first, at the key
            doc.error(top["languages"], "languages", f"{len(nodes):,} languages are listed, more than the "
                      f"{MAX_LANGUAGES} read", "list only the languages the handouts are written in")
        for node in nodes[:MAX_LANGUAGES]:
            lang = doc.text(node, "languages")
            if lang is None:
                continue
            lang_locs[lang] = doc.loc(node)
            if not LANG_RE.match(lang):
                doc.error(node, "languages", f"'{lang}' is not a language code",
                          "use codes like en, es, zh-Hans (at most 35 characters)")
            elif listed.get(lang.casefold()) == lang:
                doc.error(node, "languages", f"language '{lang}' is listed twice", "list each language once")
            elif lang.casefold() in listed:  # BCP 47 ignores case, some disks too
                doc.error(node, "languages", f"language '{lang}' is listed twice, in other letters",
                          "list each language once (language codes ignore case: es-MX and es-mx are one)")
            else:
                languages.append(lang)
                listed[lang.casefold()] = lang
        if "languages" in top and not languages and not doc.problems:  # `languages: []` checked "ok" for nothing
            doc.error(top["languages"], "languages", "no language is listed: nothing would be built",
                      "list the source language first, then each translation (e.g. - en)")
        verify_url = doc.text(top.get("verify_url"), "verify_url") if "verify_url" in top else ""
        if verify_url and not verify_url.startswith("https://"):
            doc.error(top["verify_url"], "verify_url", "verify_url must be an https:// address template",
                      "e.g. https://clinic.example.org/verify?h={handout}&l={lang}&f={fingerprint}")
        elif verify_url:
            problem = _verify_url_problem(verify_url)
            if problem:
                doc.error(top["verify_url"], "verify_url", problem,
                          "use only {handout}, {lang}, {version}, {fingerprint} and {review}, e.g. "
                          "https://clinic.example.org/verify?h={handout}&l={lang}&f={fingerprint}")
                verify_url = None
        web_url = doc.text(top.get("web_url"), "web_url") if "web_url" in top else ""
        if web_url and (not web_url.startswith("https://")
                        or _verify_url_problem(web_url, WEB_FIELDS, "web_url")):
            doc.error(top["web_url"], "web_url", _verify_url_problem(web_url, WEB_FIELDS, "web_url")
                      or "web_url must be an https:// address template",
                      "use only {handout} and {lang}, e.g. https://clinic.example.org/handouts/{lang}/{handout}.html")
            web_url = None
        print_sources = _flag(doc, top["print_sources"], "print_sources") if "print_sources" in top else True
        printer = doc.text(top.get("printer"), "printer") if "printer" in top else ""
        if printer and not PRINTER_RE.match(printer):  # it is passed to CUPS's lp: never an option
            doc.error(top["printer"], "printer", f"'{printer[:80]}' is not a CUPS printer name",
                      "use the queue name that lpstat -p lists, e.g. FrontDesk (no spaces, / or #)")
            printer = None
        for key, value in clinic_values.items():
            if value is not None and len(value) > MAX_VALUE_CHARS:
                doc.error(clinic_fields[key] if clinic_fields else None, f"clinic.{key}",
                          f"{len(value):,} characters, more than {MAX_VALUE_CHARS}", "shorten it")
        for key in ("name", "phone"):
            value = clinic_values.get(key)
            if value is not None and not value.strip() and clinic_fields:  # else an unexplained failure
                doc.error(clinic_fields[key], f"clinic.{key}", f"the clinic's {key} is empty",
                          f"write the clinic's {key}; it is printed on every handout")
            elif value and clinic_fields:
                self.visible(clinic_fields[key], f"clinic.{key}", value, key != "phone")  # the phone's rule: below
        phone = clinic_values.get("phone") or ""
        if clinic_fields and (hidden := next((ch for ch in phone if unicodedata.category(ch) in ("Cf", "Mn", "Me")
                                              and ch not in BIDI_FORMATTING), "")):  # those are said apart
            # "+1 555\u200b010 0100" printed as the number, but copied, searched or read aloud as another
            doc.error(clinic_fields["phone"], "clinic.phone", f"the phone number holds an invisible character "
                      f"(U+{ord(hidden):04X}): a patient copying or searching it gets another number",
                      "write the number with digits, spaces and + - ( ) . only")
        for key in ("address", "website"):
            if clinic_values.get(key) and clinic_fields:
                self.visible(clinic_fields[key], f"clinic.{key}", clinic_values[key])
        website = clinic_values.get("website") or ""
        if website and not website.startswith("https://"):
            doc.error(clinic_fields["website"] if clinic_fields else None, "clinic.website",
                      f"website '{website}' is not an https address", "write it as https://...")
        elif website and not _PLAIN_SITE.fullmatch(website):
            # A reader takes the name after https:// for the site: "https://clinic.example.org@evil.example/"
            # goes to evil.example (eleventh pass); an escaped or unusual host can hide another one likewise.
            doc.error(clinic_fields["website"] if clinic_fields else None, "clinic.website",
                      f"website '{website}' {NOT_WHERE_IT_SEEMS}",
                      "write the clinic's site as https://host.name/path, with no '@' or '%' before the path")
        if (clinic_fields is None or not clinic_values.get("name") or not clinic_values.get("phone")
                or jurisdiction is None or paper is None or source is None or verify_url is None or printer is None
                or web_url is None or print_sources is None):
            return None
        locs = {f"clinic.{k}": doc.loc(v) for k, v in (clinic_fields or {}).items()}
        locs.update({k: doc.loc(v) for k, v in top.items()})
        locs.update({f"languages.{lang}": loc for lang, loc in lang_locs.items()})
        clinic = Clinic(clinic_values["name"] or "", clinic_values["phone"] or "",
                        clinic_values.get("address") or "", website, clinic_values.get("logo") or "")
        return Settings(clinic, jurisdiction, paper, source, tuple(languages), doc.loc(doc.root), locs,
                        verify_url or "", printer or "", web_url or "", print_sources)


def _flag(doc: Doc, node: Node, key: str) -> bool | None:
    """A yes/no setting, written true or false."""
    if isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:bool" and node.value in ("true", "false"):
        return node.value == "true"
    doc.error(node, key, f"'{getattr(node, 'value', '')}' is not true or false", "write true or false")
    return None


def _verify_url_problem(url: str, allowed: tuple[str, ...] = VERIFY_FIELDS, key: str = "verify_url") -> str:
    """What is wrong with an address template, or "" (it is filled with str.format, so fields are checked)."""
    from string import Formatter

    if len(url) > MAX_VERIFY_URL:
        return f"{key} is {len(url)} characters long, more than {MAX_VERIFY_URL} (the QR code must scan)"
    if any(ch.isspace() or not ch.isprintable() for ch in url):
        return f"{key} contains a space or an invisible character"
    try:
        fields = [(name, spec, conversion) for _, name, spec, conversion in Formatter().parse(url)
                  if name is not None]
    except ValueError as exc:
        return f"{key} has an unmatched brace ({exc})"
    for name, spec, conversion in fields:
        if name not in allowed or spec or conversion:
            shown = "{" + name + ("!" + conversion if conversion else "") + (":" + spec if spec else "") + "}"
            return f"unknown field {shown} in {key}"
    # Each field once: the 300-character bound is the filled address's too (twenty-ninth pass: "{handout}" 30
    # times, for a 64-letter handout ID, put 1,962 characters in the 22 mm QR code, which no reader could scan).
    names = [name for name, _, _ in fields]
    repeated = next((name for name in names if names.count(name) > 1), "") if key == "verify_url" else ""
    if repeated:
        return (f"{key} writes {{{repeated}}} more than once (the filled address goes in the QR code, which must "
                "scan); write each field once")
    # Printed under every handout and put in its QR code: it must go where it reads (twelfth pass: a user name,
    # "https://clinic.example.org@evil.example/...", was accepted here after the website's was refused).
    if url.startswith("https://") and not _PLAIN_SITE.fullmatch(url.format(**{name: "x" for name in allowed})):
        return f"{key} {NOT_WHERE_IT_SEEMS}; write it as https://host.name/path?..."
    return ""
