"""What a browser would move out of a table is refused by the HTML companion's check (render/htmltables.py)."""

from __future__ import annotations

import pytest

from generator.render.htmlcheck import UnsafeHtml, check_html

PAGE = '<!DOCTYPE html><html lang="en" dir="ltr"><head></head><body>{}</body></html>'


@pytest.mark.parametrize("table", [
    "<table><tr><th>alcohol</th><p>Never combine</p><td>x</td></tr></table>",
    "<table><tbody><p>moved</p><tr><td>a</td></tr></tbody></table>",
    "<table><tr>loose words<td>a</td></tr></table>",
    "<table><div><tr><td>a</td></tr></div></table>",
])
def test_markup_a_browser_moves_out_of_its_table_is_refused(table: str) -> None:
    with pytest.raises(UnsafeHtml, match="out of the table"):
        check_html(PAGE.format(table))


@pytest.mark.parametrize("table", [
    "<table><caption>c</caption><thead><tr><th scope=\"col\">a</th></tr></thead>"
    "<tbody><tr><th scope=\"row\">b</th><td><p>c</p></td></tr></tbody></table>",
    "<table><tr><td>a<td>b<tr><td>c</table>",  # cells and rows ended by the next one, as HTML allows
])
def test_well_formed_tables_pass(table: str) -> None:
    check_html(PAGE.format(table))
