"""A handout file's `claims:` map: the sources each statement rests on, checked against the file itself."""

from __future__ import annotations

from yaml.nodes import Node

from generator.content.model import Source, Unit
from generator.content.parse.fields import FieldParser

Claims = tuple[tuple[str, tuple[str, ...]], ...]


def parse_claims(parser: FieldParser, node: Node | None, sources: tuple[Source, ...], units: list[Unit]) -> Claims:
    """The `claims:` map, each unit and source ID checked against this very file."""
    if node is None:
        return ()
    doc = parser.doc
    table = doc.mapping(node, "claims", [], parser._keys(node)) or {}
    unit_ids = {u.id for u in units}
    source_ids = sorted(s.id for s in sources)
    result = []
    for unit_id, value in table.items():
        key = f"claims.{unit_id}"
        if unit_id not in unit_ids:
            doc.error(value, key, f"unit '{unit_id}' does not exist in this handout",
                      "use the ID of a paragraph, list item or table cell (e.g. legal.US.federal)")
            continue
        ids = []
        for index, item in enumerate(doc.sequence(value, key)):
            source_id = doc.text(item, f"{key}[{index}]")
            if source_id is None:
                continue
            if source_id not in source_ids:
                doc.error(item, key, f"unknown source ID '{source_id}'",
                          f"use one of this handout's sources ({', '.join(source_ids) or 'none'}), "
                          "or add it under sources: with its title, address and date checked")
                continue
            ids.append(source_id)
        result.append((unit_id, tuple(ids)))
    return tuple(result)
