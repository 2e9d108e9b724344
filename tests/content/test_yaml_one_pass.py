"""Reading YAML in one pass of the parser decides exactly as reading its events first: every alias and anchor
is still refused, at the same place, and every other file gives the same node tree."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.content import yamlread
from generator.content.problems import Problems


def outcome(compose: object, source: str) -> object:
    """What a compose function makes of a text: the refusal (alias or anchor, where), the error, or the tree."""
    try:
        root = compose(source)  # type: ignore[operator]
    except yamlread._AliasFound as found:
        return ("refused", found.anchor, found.mark.line, found.mark.column)
    except yaml.YAMLError as exc:
        return ("error", type(exc).__name__, str(exc))
    return ("tree", yaml.serialize(root) if root is not None else None)


CASES = {
    "plain text": 'title: "A **bold** word & more"\nitems:\n  - one\n  - "*two*"\n',
    "an unused anchor": "title: &home Home visits\n",
    "an anchor after a core tag": "title: !!str &home Home visits\n",
    "an anchor on a mapping": "review: &r\n  status: draft\n",
    "an alias": "a: &x one\nb: *x\n",
    "a merge key": "base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n",
    "an undefined alias": "a: *nowhere\n",
    "a lone tag": "title: ! Warning\n",
    "a byte order mark and an anchor": "\ufefftitle: &a x\n",
    "billion laughs": "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\n",
    "a syntax error": 'title: "never closed\n',
}


@pytest.mark.parametrize("name", CASES)
def test_one_pass_decides_as_the_events_do(name: str) -> None:
    source = CASES[name]
    assert outcome(yamlread._compose, source) == outcome(yamlread._compose_by_events, source)


def test_an_anchor_is_still_reported_where_it_is() -> None:
    problems = Problems()
    yamlread.read_text("id: x\ntitle: !!str &home Home visits\n", "content/en/x.yaml", problems)
    assert [str(p.loc) for p in problems.errors] == ["content/en/x.yaml:2:8"]  # where the node starts, at its tag
    assert "'&home' is read as a YAML anchor" in problems.errors[0].message


PIECES = ["a", "b", ": ", "- ", "\n", "  ", "&x ", "*x", "!!str ", "! ", '"', "'", "[", "]", "{", "}", ", ",
          "#", "**", "&", "*", "\ufeff", "<<: "]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30))
def test_any_text_is_decided_as_by_the_events(pieces: list[str]) -> None:
    source = "".join(pieces)
    assert outcome(yamlread._compose, source) == outcome(yamlread._compose_by_events, source)
