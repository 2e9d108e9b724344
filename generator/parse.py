"""Turn position-marked YAML nodes into model objects, collecting every problem in one pass."""

from __future__ import annotations

import re
from datetime import date

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator import markup
from generator.model import (
    BLOCK_KINDS,
    PAPER_SIZES,
    REVIEW_STATUSES,
    SECTION_ORDER,
    Block,
    Clinic,
    Fact,
    Handout,
    Review,
    Row,
    Section,
    Settings,
    Source,
    Strings,
    Unit,
)
from generator.problems import Loc
from generator.yamlread import Doc

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
LANG_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
JURISDICTION_RE = re.compile(r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")
VERSION_RE = re.compile(r"^\d+\.\d+\.\d+$")

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
}
LEGAL_FACT = "legal-status"  # not a valid placeholder name, so legal entries can never be printed as {fact.…}
CLINIC_PLACEHOLDERS = ("clinic.name", "clinic.phone", "clinic.address", "clinic.website")
VERIFY_FIELDS = ("handout", "lang", "version", "fingerprint")
MAX_UNIT_CHARS = 5_000  # ten times the longest shipped paragraph; keeps layout time and memory bounded
MAX_VERIFY_URL = 300  # the QR code must stay small enough to scan from paper
MAX_VALUE_CHARS = 300  # a clinic setting or a fact is a name, a number, an address: never a paragraph
MAX_TABLE_COLUMNS = 6  # the shipped tables have 3; on a portrait page a seventh column is too narrow


class Parser:
    """Builds model objects from one Doc; problems go to the Doc's collection."""

    def __init__(self, doc: Doc, placeholders: frozenset[str] = frozenset()) -> None:
        self.doc = doc
        self.placeholders = placeholders
        self.facts_review: Review | None = None  # set by facts() when the file has a review record

    # -- shared pieces ---------------------------------------------------------------------------
    def ident(self, node: Node | None, key: str, pattern: re.Pattern[str] = ID_RE) -> str | None:
        value = self.doc.text(node, key)
        if value is not None and not pattern.match(value):
            self.doc.error(node, key, f"'{value}' is not a valid ID",
                           "use lowercase letters, digits and '-' (e.g. ride-home)")
            return None
        return value

    def iso_date(self, node: Node | None, key: str) -> str | None:
        value = self.doc.text(node, key)
        if value is None:
            return None
        try:
            date.fromisoformat(value)
        except ValueError:
            self.doc.error(node, key, f"'{value}' is not a date", "write it as \"YYYY-MM-DD\" in quotes")
            return None
        return value

    def unit(self, node: Node | None, key: str, unit_id: str, allowed: frozenset[str] | None = None) -> Unit | None:
        """A translatable text: markup parsed, placeholders checked against `allowed`."""
        text = self.doc.prose(node, key)
        if text is None:
            return None
        if not text.strip():
            self.doc.error(node, key, "text is empty", "write the text, or remove the entry")
            return None
        if len(text) > MAX_UNIT_CHARS:
            self.doc.error(node, key, f"text is {len(text):,} characters long, more than {MAX_UNIT_CHARS:,}",
                           "split it into several paragraphs or items; a handout is read on paper")
            return None
        spans, errors = markup.parse(text)
        if not errors and not markup.plain(spans).strip():  # e.g. "****": markup around nothing prints nothing
            self.doc.error(node, key, "text has no words once its markup is removed", "write the text")
            return None
        loc = self._char_loc(node, 0)
        for err in errors:
            self.doc.problems.add(self._char_loc(node, err.offset), key, err.message, err.hint)
        allowed = self.placeholders if allowed is None else allowed
        for name in markup.placeholders(spans):
            if name not in allowed:
                self.doc.error(node, key, f"unknown placeholder {{{name}}}",
                               f"use one of: {', '.join('{' + p + '}' for p in sorted(allowed))}")
        single = isinstance(node, ScalarNode) and node.start_mark.line == node.end_mark.line
        return Unit(unit_id, text, spans, loc, single)

    def _char_loc(self, node: Node | None, offset: int) -> Loc:
        loc = self.doc.loc(node)
        if isinstance(node, ScalarNode) and node.start_mark.line == node.end_mark.line:
            quote = 1 if node.style in ('"', "'") else 0
            return Loc(loc.path, loc.line, loc.col + quote + offset)
        return loc

    def review(self, node: Node | None, key: str) -> Review | None:
        approval = ["reviewer", "role", "date", "next_review", "fingerprint"]
        fields = self.doc.mapping(node, key, ["status"], ["note", *approval])
        if fields is None:
            return None
        status = self.doc.text(fields.get("status"), f"{key}.status")
        if status is not None and status not in REVIEW_STATUSES:
            self.doc.error(fields["status"], f"{key}.status", f"unknown review status '{status}'",
                           f"use one of: {', '.join(REVIEW_STATUSES)}")
        values = {}
        for name, value_node in fields.items():
            if name in ("date", "next_review"):
                values[name] = self.iso_date(value_node, f"{key}.{name}") or ""
            elif name != "status":
                values[name] = self.doc.text(value_node, f"{key}.{name}") or ""
        if status == "approved":
            for needed in approval:
                if not values.get(needed):
                    self.doc.error(node, key, f"an approved review needs '{needed}'",
                                   "record approvals with `handouts approve`, or set status: draft")
        return Review(status or "draft", *(values.get(k, "") for k in ["note", *approval]))

    # -- handout files ---------------------------------------------------------------------------
    def handout(self, expected_id: str, expected_lang: str) -> Handout | None:
        doc = self.doc
        if doc.root is None:
            return None  # unreadable: the syntax problem is already reported
        top = doc.mapping(doc.root, "", ["handout", "lang", "version", "title", "summary", "review", "sources",
                                        "sections"], ["translation"])
        if top is None:
            return None
        handout_id = self.ident(top.get("handout"), "handout")
        if handout_id is not None and handout_id != expected_id:
            doc.error(top["handout"], "handout", f"handout ID '{handout_id}' does not match the file name",
                      f"write 'handout: {expected_id}' or rename the file")
        lang = doc.text(top.get("lang"), "lang")
        if lang is not None and lang != expected_lang:
            doc.error(top["lang"], "lang", f"language '{lang}' does not match the folder '{expected_lang}'",
                      f"write 'lang: {expected_lang}' or move the file")
        version = doc.text(top.get("version"), "version")
        if version is not None and not VERSION_RE.match(version):
            doc.error(top["version"], "version", f"'{version}' is not a version like 1.2.0",
                      "use MAJOR.MINOR.PATCH, quoted if YAML reads it as a number")
        title = self.unit(top["title"], "title", "title") if "title" in top else None
        summary = self.unit(top["summary"], "summary", "summary") if "summary" in top else None
        review = self.review(top.get("review"), "review")
        sources = self.sources(top.get("sources"))
        sections = self.sections(top.get("sections"))
        if None in (title, summary, review, version, sections) or sections is None:
            return None
        assert title and summary and review and version
        return Handout(expected_id, expected_lang, version, title, summary, review, sources, sections,
                       doc.loc(doc.root), self.translation(top.get("translation")))

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
            if text is not None and text != "untranslated" and not re.match(r"^[0-9a-f]{12}$", text):
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
            url = self.doc.text(fields.get("url"), f"{key}.url")
            checked = self.iso_date(fields.get("checked"), f"{key}.checked")
            if url is not None and not url.startswith("https://"):
                self.doc.error(fields["url"], f"{key}.url", f"source address '{url}' is not https",
                               "give the https:// address of the source")
            if source_id in seen:
                self.doc.error(fields["id"], f"{key}.id", f"duplicate source ID '{source_id}'", "make IDs unique")
            seen.add(source_id)
            if source_id and title and url and checked:
                result.append(Source(source_id, title, url, checked))
        if node is not None and not result and not self.doc.problems:
            self.doc.error(node, "sources", "a handout needs at least one source", "list the sources it relies on")
        return tuple(result)

    def sections(self, node: Node | None) -> tuple[Section, ...] | None:
        sections: list[Section] = []
        for item in self.doc.sequence(node, "sections"):
            fields = self.doc.mapping(item, "sections", ["id"], ["blocks", "jurisdictions"])
            if fields is None:
                continue
            section_id = self.doc.text(fields.get("id"), "sections.id")
            if section_id is None:
                continue
            key = f"sections.{section_id}"
            if section_id not in SECTION_ORDER:
                self.doc.error(fields["id"], key, f"unknown section '{section_id}'",
                               f"sections are: {', '.join(SECTION_ORDER)}")
                continue
            if any(s.id == section_id for s in sections):
                self.doc.error(fields["id"], key, f"section '{section_id}' appears twice", "merge the two")
                continue
            sections.append(self.section(section_id, fields, item, key))
        found = [s.id for s in sections]
        missing = [s for s in SECTION_ORDER if s not in found]
        for name in missing:
            self.doc.error(node, "sections", f"missing required section '{name}'",
                           f"add '- id: {name}' with its blocks")
        if not missing and found != list(SECTION_ORDER):
            self.doc.error(node, "sections", f"sections are out of order: {', '.join(found)}",
                           f"order them: {', '.join(SECTION_ORDER)}")
        return tuple(sections) if node is not None else None

    def section(self, section_id: str, fields: dict[str, Node], node: Node, key: str) -> Section:
        loc = self.doc.loc(node)
        if section_id == "legal":
            if "jurisdictions" not in fields:
                self.doc.error(node, key, "the legal section needs 'jurisdictions:'",
                               "write the text under a jurisdiction code such as US")
                return Section(section_id, loc)
            table = self.doc.mapping(fields["jurisdictions"], f"{key}.jurisdictions",
                                     [], self._keys(fields["jurisdictions"]))
            entries, aliases = [], []
            for code, blocks_node in (table or {}).items():
                if not JURISDICTION_RE.match(code):
                    self.doc.error(blocks_node, f"{key}.{code}", f"'{code}' is not a jurisdiction code",
                                   "use a country code, optionally with a region: US, US-OR, AU")
                elif isinstance(blocks_node, MappingNode):
                    # `US-OR: {same_as: US}` says, explicitly and reviewably, that another text applies.
                    same = self.doc.mapping(blocks_node, f"{key}.{code}", ["same_as"])
                    target = self.doc.text(same.get("same_as"), f"{key}.{code}.same_as") if same else None
                    if target is not None:
                        aliases.append((code, target, self.doc.loc(blocks_node)))
                else:
                    entries.append((code, self.blocks(blocks_node, f"{key}.{code}", f"legal.{code}")))
            for code, target, alias_loc in aliases:
                if target not in dict(entries):
                    self.doc.problems.add(alias_loc, f"{key}.{code}.same_as",
                                          f"'{target}' has no legal-status text of its own to share",
                                          "point same_as at a jurisdiction written out in this section")
            return Section(section_id, loc, jurisdictions=tuple(entries),
                           aliases=tuple((code, target) for code, target, _ in aliases))
        if "blocks" not in fields:
            self.doc.error(node, key, "missing required key 'blocks'", "add the section's blocks")
            return Section(section_id, loc)
        return Section(section_id, loc, blocks=self.blocks(fields["blocks"], f"{key}.blocks", section_id))

    def _keys(self, node: Node | None) -> list[str]:
        if isinstance(node, MappingNode):
            return [k.value for k, _ in node.value if isinstance(k, ScalarNode) and isinstance(k.value, str)]
        return []

    def blocks(self, node: Node | None, key: str, prefix: str) -> tuple[Block, ...]:
        blocks: list[Block] = []
        seen: set[str] = set()
        items = self.doc.sequence(node, key)
        if isinstance(node, SequenceNode) and not items:  # a heading over nothing: text went missing
            self.doc.error(node, key, "this has no blocks", "write its paragraphs, or restore them from the source")
        for item in items:
            kinds = [k for k in self._keys(item) if k in BLOCK_KINDS]
            if len(kinds) != 1:
                self.doc.error(item, key, "each block starts with exactly one of: " + ", ".join(BLOCK_KINDS),
                               "e.g. '- paragraph: intro' followed by 'text: ...'")
                continue
            kind = kinds[0]
            extra = {"paragraph": ["text"], "subheading": ["text"], "list": ["items"], "checklist": ["items"],
                     "table": ["columns", "rows"]}[kind]
            fields = self.doc.mapping(item, key, [kind, *extra])
            if fields is None:
                continue
            block_id = self.ident(fields.get(kind), f"{key}.{kind}")
            if block_id is None:
                continue
            bkey, uid = f"{key}.{block_id}", f"{prefix}.{block_id}"
            if block_id in seen:  # a set: a file with thousands of blocks must not take quadratic time
                self.doc.error(fields[kind], bkey, f"duplicate block ID '{block_id}'", "make block IDs unique")
                continue
            seen.add(block_id)
            loc = self.doc.loc(item)
            if kind in ("paragraph", "subheading"):
                unit = self.unit(fields.get("text"), f"{bkey}.text", uid)
                if unit:
                    blocks.append(Block(kind, block_id, loc, text=unit))
            elif kind in ("list", "checklist"):
                items = self.items(fields.get("items"), f"{bkey}.items", uid)
                blocks.append(Block(kind, block_id, loc, items=items))
            else:
                blocks.append(self.table(fields, bkey, uid, block_id, loc))
        return tuple(blocks)

    def items(self, node: Node | None, key: str, prefix: str) -> tuple[Unit, ...]:
        units: list[Unit] = []
        seen: set[str] = set()
        nodes = self.doc.sequence(node, key)
        if node is not None and not nodes and not isinstance(node, ScalarNode):
            self.doc.error(node, key, "the list has no items", "add items or remove the block")
        for item in nodes:
            fields = self.doc.mapping(item, key, ["id", "text"])
            if fields is None:
                continue
            item_id = self.ident(fields.get("id"), f"{key}.id")
            if item_id is None:
                continue
            if item_id in seen:
                self.doc.error(fields["id"], f"{key}.{item_id}", f"duplicate item ID '{item_id}'",
                               "make item IDs unique within the list")
                continue
            seen.add(item_id)
            unit = self.unit(fields.get("text"), f"{key}.{item_id}.text", f"{prefix}.{item_id}")
            if unit:
                units.append(unit)
        return tuple(units)

    def table(self, fields: dict[str, Node], key: str, prefix: str, block_id: str, loc: Loc) -> Block:
        columns = self.items(fields.get("columns"), f"{key}.columns", prefix)
        if len(columns) > MAX_TABLE_COLUMNS:  # narrower columns cannot hold a word on the page
            self.doc.error(fields.get("columns"), f"{key}.columns", f"the table has {len(columns)} columns, more "
                           f"than {MAX_TABLE_COLUMNS}", "split it into two tables, or turn it into a list")
        column_ids = [c.id.rsplit(".", 1)[1] for c in columns]
        rows: list[Row] = []
        seen: set[str] = set()
        for item in self.doc.sequence(fields.get("rows"), f"{key}.rows"):
            row_fields = self.doc.mapping(item, f"{key}.rows", ["id", "cells"])
            if row_fields is None:
                continue
            row_id = self.ident(row_fields.get("id"), f"{key}.rows.id")
            if row_id is None:
                continue
            rkey = f"{key}.rows.{row_id}"
            if row_id in seen:
                self.doc.error(row_fields["id"], rkey, f"duplicate row ID '{row_id}'", "make row IDs unique")
                continue
            seen.add(row_id)
            cells_node = row_fields.get("cells")
            cell_nodes = self.doc.mapping(cells_node, f"{rkey}.cells", column_ids)
            if cell_nodes is None:
                continue
            cells = [self.unit(cell_nodes.get(c), f"{rkey}.cells.{c}", f"{prefix}.{row_id}.{c}")
                     for c in column_ids if c in cell_nodes]
            if all(cells) and len(cells) == len(column_ids):
                rows.append(Row(row_id, tuple(c for c in cells if c)))
        return Block("table", block_id, loc, columns=columns, rows=tuple(rows))

    # -- UI strings, facts, settings -------------------------------------------------------------
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
        table = doc.mapping(top.get("strings"), "strings", list(UI_KEYS))
        if table is None or review is None:
            return None
        units = []
        for name, node in table.items():
            own = UI_KEYS[name]
            allowed = frozenset(own) | frozenset(CLINIC_PLACEHOLDERS)
            unit = self.unit(node, f"strings.{name}", name, allowed)
            if unit is None:
                continue
            used = markup.placeholders(unit.spans)
            for needed in own:
                if needed not in used:
                    doc.error(node, f"strings.{name}", f"placeholder {{{needed}}} is missing",
                              f"the text must contain {{{needed}}} exactly once")
            units.append(unit)
        return Strings(expected_lang, review, tuple(units), doc.loc(doc.root), self.translation(top.get("translation")))

    def facts(self) -> tuple[Fact, ...]:
        doc = self.doc
        if doc.root is None:
            return ()
        top = doc.mapping(doc.root, "", ["facts"], ["review", "legal"])
        if top is None:
            return ()
        if "review" in top:
            self.facts_review = self.review(top["review"], "review")
        facts: list[Fact] = []
        keys = doc.mapping(top.get("facts"), "facts", [], self._keys(top.get("facts"))) or {}
        for name, per_country in keys.items():
            if not re.match(r"^[a-z][a-z0-9_]*$", name):
                doc.error(per_country, f"facts.{name}", f"'{name}' is not a valid fact key",
                          "use lowercase letters, digits and '_'")
                continue
            countries = doc.mapping(per_country, f"facts.{name}", [], self._keys(per_country)) or {}
            for country, entry in countries.items():
                key = f"facts.{name}.{country}"
                fields = doc.mapping(entry, key, ["value", "source", "checked", "review_by"])
                if fields is None:
                    continue
                value = doc.prose(fields.get("value"), f"{key}.value")
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
                          ["paper", "source_language", "verify_url"])
        if top is None:
            return None
        clinic_fields = doc.mapping(top.get("clinic"), "clinic", ["name", "phone"], ["address", "website", "logo"])
        clinic_values = {k: doc.prose(v, f"clinic.{k}") for k, v in (clinic_fields or {}).items()}
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
                      "use codes like en, es, zh-Hans")
            source = None
        languages = []
        lang_locs: dict[str, Loc] = {}
        for node in doc.sequence(top.get("languages"), "languages"):
            lang = doc.text(node, "languages")
            if lang is None:
                continue
            lang_locs[lang] = doc.loc(node)
            if not LANG_RE.match(lang):
                doc.error(node, "languages", f"'{lang}' is not a language code", "use codes like en, es, zh-Hans")
            elif lang in languages:
                doc.error(node, "languages", f"language '{lang}' is listed twice", "list each language once")
            else:
                languages.append(lang)
        verify_url = doc.text(top.get("verify_url"), "verify_url") if "verify_url" in top else ""
        if verify_url and not verify_url.startswith("https://"):
            doc.error(top["verify_url"], "verify_url", "verify_url must be an https:// address template",
                      "e.g. https://clinic.example.org/verify?h={handout}&l={lang}&f={fingerprint}")
        elif verify_url:
            problem = _verify_url_problem(verify_url)
            if problem:
                doc.error(top["verify_url"], "verify_url", problem,
                          "use only {handout}, {lang}, {version} and {fingerprint}, e.g. "
                          "https://clinic.example.org/verify?h={handout}&l={lang}&f={fingerprint}")
                verify_url = None
        for key, value in clinic_values.items():
            if value is not None and len(value) > MAX_VALUE_CHARS:
                doc.error(clinic_fields[key] if clinic_fields else None, f"clinic.{key}",
                          f"{len(value):,} characters, more than {MAX_VALUE_CHARS}", "shorten it")
        for key in ("name", "phone"):
            value = clinic_values.get(key)
            if value is not None and not value.strip() and clinic_fields:  # else an unexplained failure
                doc.error(clinic_fields[key], f"clinic.{key}", f"the clinic's {key} is empty",
                          f"write the clinic's {key}; it is printed on every handout")
        website = clinic_values.get("website") or ""
        if website and not website.startswith("https://"):
            doc.error(clinic_fields["website"] if clinic_fields else None, "clinic.website",
                      f"website '{website}' is not an https address", "write it as https://...")
        if (clinic_fields is None or not clinic_values.get("name") or not clinic_values.get("phone")
                or jurisdiction is None or paper is None or source is None or verify_url is None):
            return None
        locs = {f"clinic.{k}": doc.loc(v) for k, v in (clinic_fields or {}).items()}
        locs.update({k: doc.loc(v) for k, v in top.items()})
        locs.update({f"languages.{lang}": loc for lang, loc in lang_locs.items()})
        clinic = Clinic(clinic_values["name"] or "", clinic_values["phone"] or "",
                        clinic_values.get("address") or "", website, clinic_values.get("logo") or "")
        return Settings(clinic, jurisdiction, paper, source, tuple(languages), doc.loc(doc.root), locs,
                        verify_url or "")


def _verify_url_problem(url: str) -> str:
    """What is wrong with a verify_url template, or "" (it is filled with str.format, so fields are checked)."""
    from string import Formatter

    if len(url) > MAX_VERIFY_URL:
        return f"verify_url is {len(url)} characters long, more than {MAX_VERIFY_URL} (the QR code must scan)"
    if any(ch.isspace() or not ch.isprintable() for ch in url):
        return "verify_url contains a space or an invisible character"
    try:
        fields = [(name, spec, conversion) for _, name, spec, conversion in Formatter().parse(url)
                  if name is not None]
    except ValueError as exc:
        return f"verify_url has an unmatched brace ({exc})"
    for name, spec, conversion in fields:
        if name not in VERIFY_FIELDS or spec or conversion:
            shown = "{" + name + ("!" + conversion if conversion else "") + (":" + spec if spec else "") + "}"
            return f"unknown field {shown} in verify_url"
    return ""
