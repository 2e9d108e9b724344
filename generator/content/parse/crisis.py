"""The `crisis:` section of content/facts.yaml: each country's crisis line and how to get help in a language."""

from __future__ import annotations

import re

from yaml.nodes import MappingNode, Node

from generator.content.model import CrisisService, LanguageAccess
from generator.content.parse.fields import FieldParser

COUNTRY_RE = re.compile(r"^[A-Z]{2}\Z")
LANG_KEY_RE = re.compile(r"^[a-z]{2,3}\Z")
MAX_VALUE_CHARS = 300  # like any fact: a name, a number or an address
FIELDS = ["service", "call", "source", "checked", "review_by"]
OPTIONAL = ["text", "chat", "cost", "languages", "interpreters"]


def crisis_services(parser: FieldParser, node: Node) -> tuple[CrisisService, ...]:
    """Every `crisis: <COUNTRY>:` entry; problems go to the parser's document."""
    doc = parser.doc
    countries = doc.mapping(node, "crisis", [], parser._keys(node)) or {}
    services = []
    for country, entry in countries.items():
        key = f"crisis.{country}"
        if not COUNTRY_RE.match(country):
            doc.error(entry, key, f"'{country}' is not a country code",
                      "crisis lines are per country: use the first part of the jurisdiction (US, AU)")
            continue
        fields = doc.mapping(entry, key, FIELDS, OPTIONAL)
        if fields is None:
            continue
        values = {name: _value(parser, fields.get(name), f"{key}.{name}")
                  for name in ("service", "call", "source", "text", "chat")}
        checked = parser.iso_date(fields.get("checked"), f"{key}.checked")
        review_by = parser.iso_date(fields.get("review_by"), f"{key}.review_by")
        free = False
        if "cost" in fields:
            cost = doc.text(fields["cost"], f"{key}.cost")
            if cost is not None and cost != "free":
                doc.error(fields["cost"], f"{key}.cost", f"unknown cost '{cost}'",
                          "write 'cost: free', or leave it out when calls may cost something")
            free = cost == "free"
        languages = _languages(parser, fields.get("languages"), f"{key}.languages")
        interpreters = _interpreters(parser, fields.get("interpreters"), f"{key}.interpreters")
        if None in (values["service"], values["call"], values["source"], checked, review_by):
            continue
        services.append(CrisisService(
            country=country, service=values["service"] or "", call=values["call"] or "",
            source=values["source"] or "", checked=checked or "", review_by=review_by or "", loc=doc.loc(entry),
            text=values["text"] or "", chat=values["chat"] or "", free=free, languages=languages,
            review_by_loc=doc.loc(fields.get("review_by")), **interpreters))
    return tuple(services)


def _value(parser: FieldParser, node: Node | None, key: str) -> str | None:
    if node is None:
        return None
    value = parser.visible(node, key, parser.doc.prose(node, key))
    if value is not None and len(value) > MAX_VALUE_CHARS:
        parser.doc.error(node, key, f"{len(value):,} characters, more than {MAX_VALUE_CHARS}",
                         "a crisis fact is a name, a number or an address; shorten it")
        return None
    return value


def _languages(parser: FieldParser, node: Node | None, key: str) -> tuple[LanguageAccess, ...]:
    """`languages: {en: {}, es: {press: "2", text_keyword: AYUDA}}`: the languages the line answers in itself."""
    if node is None:
        return ()
    doc = parser.doc
    entries = doc.mapping(node, key, [], parser._keys(node)) or {}
    result = []
    for lang, value in entries.items():
        if not LANG_KEY_RE.match(lang):
            doc.error(value, f"{key}.{lang}", f"'{lang}' is not a language code",
                      "use the language's code without script or region (en, es, zh)")
            continue
        if not isinstance(value, MappingNode):
            doc.error(value, f"{key}.{lang}", "expected a mapping",
                      "write {} when the line answers in this language directly, "
                      "or {press: \"2\", text_keyword: WORD}")
            continue
        fields = doc.mapping(value, f"{key}.{lang}", [], ["press", "text_keyword"]) or {}
        press = _value(parser, fields.get("press"), f"{key}.{lang}.press") or ""
        keyword = _value(parser, fields.get("text_keyword"), f"{key}.{lang}.text_keyword") or ""
        result.append(LanguageAccess(lang, press, keyword))
    return tuple(result)


def _interpreters(parser: FieldParser, node: Node | None, key: str) -> dict[str, str]:
    """Either `on_call: "240+"` (the line adds an interpreter) or a separate service with its number and source."""
    if node is None:
        return {}
    fields = parser.doc.mapping(node, key, [], ["on_call", "service", "call", "source"]) or {}
    found = {name: _value(parser, fields.get(name), f"{key}.{name}") or "" for name in fields}
    if found.get("service") and not (found.get("call") and found.get("source")):
        parser.doc.error(node, key, "an interpreting service needs its number and its source",
                         "add call: and source: (the page the number was checked on)")
        return {}
    return {"interpreters_on_call": found.get("on_call", ""), "interpreter_service": found.get("service", ""),
            "interpreter_call": found.get("call", ""), "interpreter_source": found.get("source", "")}
