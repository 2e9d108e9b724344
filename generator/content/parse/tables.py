"""Tables inside a section: a header row and rows of cells, every cell a translatable unit."""

from __future__ import annotations

from yaml.nodes import Node

from generator.content.model import (
    Block,
    Row,
)
from generator.content.parse.fields import FieldParser
from generator.content.problems import Loc

MAX_TABLE_COLUMNS = 6  # the shipped tables have 3; on a portrait page a seventh column is too narrow
MAX_HEADING_CHARS = 200  # a column heading repeats on every page (a row over half a page is printed once instead)


class TableParser(FieldParser):
    """Reads a table block."""

    def table(self, fields: dict[str, Node], key: str, prefix: str, block_id: str, loc: Loc) -> Block:
        columns = self.items(fields.get("columns"), f"{key}.columns", prefix)
        if len(columns) > MAX_TABLE_COLUMNS:  # narrower columns cannot hold a word on the page
            self.doc.error(fields.get("columns"), f"{key}.columns", f"the table has {len(columns)} columns, more "
                           f"than {MAX_TABLE_COLUMNS}", "split it into two tables, or turn it into a list")
        for column in columns:
            if len(column.text) > MAX_HEADING_CHARS:  # a heading row taller than a page cannot be laid out
                self.doc.problems.add(column.loc, column.id, f"a column heading of {len(column.text):,} characters, "
                                      f"more than {MAX_HEADING_CHARS}", "shorten it; put the detail in the cells")
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
