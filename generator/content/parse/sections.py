"""The sections of a handout and their blocks (paragraphs, lists, tables, callouts), per-jurisdiction variants."""

from __future__ import annotations

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.content.model import (
    BLOCK_KINDS,
    SECTION_ORDER,
    Block,
    Section,
    Unit,
)
from generator.content.parse.fields import JURISDICTION_RE
from generator.content.parse.tables import TableParser


class SectionParser(TableParser):
    """Reads the sections and blocks of a handout."""

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
