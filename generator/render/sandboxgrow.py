"""What a widening filter or method would build, measured before it runs: a join's separator, an indent (given as
text or by name), a wrap string, a link's target and a JSON indent repeat once per item, line, break or link, and
JSON repeats a list each time it is listed. A template joined 12,000 items with a 99,999-character separator (each
under the bounds a value and a number have): 1.2 billion characters, 1.2 GB, were built before the bound refused
them; `tojson` of a list holding one list 30,000 times ran 47 s past the time bound to 3 GB (twenty-first pass).
"""

from __future__ import annotations

import inspect
import itertools
import json
from collections.abc import Callable
from typing import Any

import jinja2

from generator.content.limits import check_time

WIDENING = frozenset({"join", "indent", "wordwrap", "urlize", "tojson"})
# Filters that make their value text first: a list holding one list 30,000 times printed as text took 2.8 GB.
STRINGIFYING = frozenset({"string", "pprint", "upper", "lower", "title", "capitalize", "trim", "striptags", "center",
                          "truncate", "wordcount", "urlize", "indent", "wordwrap", "replace", "escape", "e",
                          "forceescape", "urlencode", "safe", "xmlattr",
                          # and filters that compare their items inside C, past the time bound (twenty-first pass)
                          "sort", "max", "min", "unique", "dictsort", "groupby", "select", "reject",
                          "selectattr", "rejectattr"})
_LINK_MARKUP = 64  # what urlize writes around a link besides its address, text, target and rel: <a href="">…


def text_size(value: Any, limit: int) -> int:
    """At least how many characters `value` makes as text (a list as its items with a comma between each), counted
    item by item and only until past `limit`: a list listed many times inside another is counted each time."""
    total, stack = 0, [value]
    while stack and total <= limit:
        item = stack.pop()
        if isinstance(item, str):
            total += len(item)
        elif isinstance(item, (list, tuple, set, frozenset, dict)):
            total += 2 * len(item) + 2
            stack.extend(itertools.chain.from_iterable(item.items()) if isinstance(item, dict) else item)
            check_time()
        else:
            total += 1
    return total


def joined_size(separator: str, items: Any, limit: int) -> tuple[int, Any]:
    """The length of `separator` joining `items`, and the items (an iterator made a tuple of at most `limit`
    items, so that it can be measured and still be joined)."""
    if not hasattr(items, "__len__"):
        items = tuple(itertools.islice(items, limit + 1))
    if not isinstance(items, (list, tuple, str)):
        return len(separator) * max(len(items) - 1, 0), items
    return sum(text_size(item, limit) for item in items) + len(separator) * max(len(items) - 1, 0), items


def _json_size(value: Any, indent: Any, limit: int) -> int:
    """The length of `value` in JSON (indented as asked), counted as it is written, stopping past `limit`."""
    total = 0
    encoder = json.JSONEncoder(indent=indent, sort_keys=True, default=str)
    try:
        for count, chunk in enumerate(encoder.iterencode(value)):
            total += len(chunk)
            if total > limit:
                break
            if count % 10_000 == 0:
                check_time()
    except (TypeError, ValueError, RecursionError):
        return 0  # the filter itself reports what JSON cannot hold
    return total


def measured(name: str, function: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any],
             limit: int) -> tuple[int, tuple[Any, ...], dict[str, Any]]:
    """An upper bound of the text the filter `name` builds from these arguments, and the arguments to call it with
    (an iterator to join made a tuple); 0 for a filter that builds no more than its arguments hold."""
    if name not in WIDENING | STRINGIFYING:
        return 0, args, kwargs
    try:
        bound = inspect.signature(function).bind(*args, **kwargs)
    except TypeError:
        return 0, args, kwargs  # the filter itself says what is wrong with its arguments
    given = bound.arguments
    first = next((key for key, value in given.items() if not isinstance(
        value, (jinja2.runtime.Context, jinja2.nodes.EvalContext, jinja2.Environment))), None)
    if first is None:
        return 0, args, kwargs
    value = given[first]
    if not isinstance(value, str) and name in STRINGIFYING and (size := text_size(value, limit)) > limit:
        return size, args, kwargs
    if name == "join":
        size, given[first] = joined_size(str(given.get("d", "")), value, limit)
        return size, bound.args, bound.kwargs
    if name not in WIDENING:
        return 0, args, kwargs
    text = value if isinstance(value, str) else str(value) if name != "tojson" else ""
    if name == "indent":
        width = given.get("width", 4)
        step = len(width) if isinstance(width, str) else abs(width) if isinstance(width, int) else 4
        return len(text) + (text.count("\n") + 1) * step, args, kwargs
    if name == "wordwrap":  # at most a break after each character
        return len(text) * (1 + len(given.get("wrapstring") or "\n")), args, kwargs
    if name == "urlize":  # each word a link: its address twice, the target and rel once
        extra = len(str(given.get("target") or "")) + len(str(given.get("rel") or "")) + _LINK_MARKUP
        return 2 * len(text) + (len(text.split()) + 1) * extra, args, kwargs
    return _json_size(value, given.get("indent"), limit), args, kwargs
