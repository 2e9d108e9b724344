"""A handout file's header: ID, language, version, title, summary, review, sources, translation record."""

from __future__ import annotations

import re
import unicodedata

from yaml.nodes import Node

from generator.content.hostname import NOT_WHERE_IT_SEEMS, plain_host
from generator.content.model import (
    Handout,
    Source,
)
from generator.content.parse.claims import parse_claims
from generator.content.parse.fields import BIDI_FORMATTING, ID_RE, MAX_NAME, VERSION_RE, hidden_in_number
from generator.content.parse.sections import SectionParser


class HandoutParser(SectionParser):
    """Reads a whole handout file."""

    def handout(self, expected_id: str, expected_lang: str) -> Handout | None:
        doc = self.doc
        if doc.root is None:
            return None  # unreadable: the syntax problem is already reported
        top = doc.mapping(doc.root, "", ["handout", "lang", "version", "title", "summary", "review", "sources",
                                        "sections"], ["translation", "claims"])
        if top is None:
            return None
        handout_id = self.ident(top.get("handout"), "handout")
        if handout_id is not None and len(handout_id) > MAX_NAME:  # every command refuses it as an argument
            doc.error(top["handout"], "handout", f"the handout ID is {len(handout_id)} characters long",
                      f"use at most {MAX_NAME} (it is part of every output file's name); rename the file too")
        elif handout_id is not None and handout_id != expected_id:
            doc.error(top["handout"], "handout", f"handout ID '{handout_id}' does not match the file name",
                      f"write 'handout: {expected_id}' or rename the file" if ID_RE.match(expected_id) else
                      f"rename the file to content/{expected_lang}/{handout_id}.yaml (a handout ID is lowercase "
                      "letters, digits and '-')")
        lang = doc.text(top.get("lang"), "lang")
        if lang is not None and lang != expected_lang:
            doc.error(top["lang"], "lang", f"language '{lang}' does not match the folder '{expected_lang}'",
                      f"write 'lang: {expected_lang}' or move the file")
        version = doc.text(top.get("version"), "version")
        if version is not None and not VERSION_RE.match(version):
            shown = version if len(version) <= 40 else f"{version[:40]}…"
            doc.error(top["version"], "version", f"'{shown}' is not a version like 1.2.0",
                      "use MAJOR.MINOR.PATCH, each of at most 6 digits (every page's footer prints it), quoted if YAML "
                      "reads it as a number")
        title = self.unit(top["title"], "title", "title") if "title" in top else None
        summary = self.unit(top["summary"], "summary", "summary") if "summary" in top else None
        review = self.review(top.get("review"), "review")
        sources = self.sources(top.get("sources"))
        sections = self.sections(top.get("sections"))
        if None in (title, summary, review, version, sections) or sections is None:
            return None
        assert title and summary and review and version
        units = [title, summary, *(u for s in sections for u in s.units())]
        claims = parse_claims(self, top.get("claims"), sources, units)
        return Handout(expected_id, expected_lang, version, title, summary, review, sources, sections,
                       doc.loc(doc.root), self.translation(top.get("translation")), claims, tuple(self.dated),
                       tuple(self.placed))

    def translation(self, node: Node | None) -> tuple[tuple[str, str], ...] | None:
        """The translation record: unit ID → hash of the source text it was translated from."""
        if node is None:
            return None
        fields = self.doc.mapping(node, "translation", ["units"])
        table = self.doc.mapping(fields.get("units"), "translation.units", [],
                                 self._keys(fields.get("units"))) if fields else None
        record = []
        for unit_id, value in (table or {}).items():
            text = self.doc.text(value, f"translation.units.{unit_id}")
            if text is not None and text != "untranslated" and not re.match(r"^[0-9a-f]{12}\Z", text):
                self.doc.error(value, f"translation.units.{unit_id}", f"'{text}' is not a source hash",
                               "leave this record to `handouts translate sync` and `translate done`")
            elif text is not None:
                record.append((unit_id, text))
        return tuple(record)

    def sources(self, node: Node | None) -> tuple[Source, ...]:
        result, seen = [], set()
        for index, item in enumerate(self.doc.sequence(node, "sources")):
            key = f"sources[{index}]"
            fields = self.doc.mapping(item, key, ["id", "title", "url", "checked"])
            if fields is None:
                continue
            source_id = self.ident(fields.get("id"), f"{key}.id")
            title = self.doc.text(fields.get("title"), f"{key}.title")
            if source_id and "title" in fields:
                self.placed.append((f"sources.{source_id}", self.doc.loc(fields["title"])))
            url = self.doc.text(fields.get("url"), f"{key}.url")
            for field, value in (("title", title), ("url", url)):  # refused where they are, like any text
                if value is not None and (bad := _invisible(value)):
                    self.doc.error(fields[field], f"{key}.{field}", f"control character U+{ord(bad):04X} in the "
                                   f"source's {field}", "delete it; a source's title and address are plain text")
                    title, url = (None, url) if field == "title" else (title, None)
            checked = self.iso_date(fields.get("checked"), f"{key}.checked")
            if url is not None and not url.startswith("https://"):
                self.doc.error(fields["url"], f"{key}.url", f"source address '{url}' is not https",
                               "give the https:// address of the source")
            elif url is not None and not _host(url):  # "https://[::1/" ended check in a traceback (13th pass)
                self.doc.error(fields["url"], f"{key}.url", f"source address '{url}' has no readable host name",
                               "give the source's whole address, as a browser shows it")
                url = None
            elif url is not None and not plain_host(url):  # the clinic website's rule (thirty-seventh pass:
                # "https://www.fdа.gov/…", a Cyrillic а, printed "FDA (fdа.gov)", the same as fda.gov on paper)
                self.doc.error(fields["url"], f"{key}.url", f"source address '{url}' {NOT_WHERE_IT_SEEMS}",
                               "give the source's address as a browser shows it, with a plain host name "
                               "(https://host.name/path)")
                url = None
            if source_id in seen:
                self.doc.error(fields["id"], f"{key}.id", f"duplicate source ID '{source_id}'", "make IDs unique")
            seen.add(source_id)
            if source_id and title and url and checked:
                result.append(Source(source_id, title, url, checked))
        if node is not None and not result and not self.doc.problems:
            self.doc.error(node, "sources", "a handout needs at least one source", "list the sources it relies on")
        return tuple(result)


def _invisible(text: str) -> str:
    """The first control or text-direction character of `text`, or direction mark inside a number (they could
    reorder or hide what is printed)."""
    if (at := hidden_in_number(text)) >= 0:  # another number, or its digits reordered (34th pass)
        return text[at]
    return next((ch for ch in text if unicodedata.category(ch) == "Cc" or ch in BIDI_FORMATTING), "")


def _host(url: str) -> str:
    """The host of an address, or "" when Python's URL parser cannot read one (a stray bracket: not an IPv6 host)."""
    from urllib.parse import urlsplit

    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""
