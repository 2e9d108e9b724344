"""Recording an approval in a content file: only its top-level `review:` block changes, found by YAML's own
positions (YAML breaks lines at U+2028, U+2029 and NEL too, so a file is never cut at '\\n' alone), and the
result is read back to prove that nothing else changed."""

from __future__ import annotations

import json
import re

import yaml

from generator.content.endings import line_ending
from generator.content.yamlcomments import comments
from generator.content.yamlread import yaml_lines

_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # every line break YAML knows


def quoted(value: str) -> str:
    """A YAML double-quoted scalar of `value`, invisible characters escaped: none can be read by YAML as a line
    break (U+2028, NEL) or vanish."""
    return "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}"
                   for ch in json.dumps(value, ensure_ascii=False))


def review_block(status: str, note: str, reviewer: str, role: str, approved: str, next_review: str,
                 fingerprint: str, jurisdiction: str = "", source_digest: str = "", indent: str = "  "
                 ) -> list[str]:
    """The YAML lines of a review record, every value quoted so nothing is misread."""
    lines = ["review:", f"{indent}status: {status}"]
    if note:
        lines.append(f"{indent}note: {quoted(note)}")
    lines += [f"{indent}reviewer: {quoted(reviewer)}", f"{indent}role: {quoted(role)}",
              f"{indent}date: {quoted(approved)}", f"{indent}next_review: {quoted(next_review)}",
              f"{indent}fingerprint: {quoted(fingerprint)}"]
    if jurisdiction:
        lines.append(f"{indent}jurisdiction: {quoted(jurisdiction)}")
    if source_digest:
        lines.append(f"{indent}source_digest: {quoted(source_digest)}")
    return lines


def _lines(text: str) -> list[str]:
    """`text` cut after each YAML line break, the breaks kept."""
    pieces, start = [], 0
    for match in _BREAK.finditer(text):
        pieces.append(text[start:match.end()])
        start = match.end()
    if start < len(text):
        pieces.append(text[start:])
    return pieces


def _comments(block: str) -> list[str]:
    """Every comment in the review block, each as a line of its own: a whole-line one as it is, one after a value
    (`status: draft  # waiting for Dr. Lee`) from its `#` — the new block is written without them, and a
    reviewer's or translator's note is never dropped."""
    lines = yaml_lines(block)[0]
    return [lines[c.line].rstrip() if c.whole_line else c.text for c in comments(block)]


def _data(text: str) -> dict:
    return yaml.load(text, Loader=yaml.SafeLoader)  # noqa: S506 - a safe loader


def rewrite_review(text: str, new_block: list[str]) -> str:
    """`text` with only its top-level `review:` block replaced, located by YAML's own positions."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        raise ValueError("the file is not a block mapping of keys")
    found = [(k, v) for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == "review"]
    if len(found) != 1:
        raise ValueError("no single top-level 'review:' block to record the approval in")
    key, value = found[0]
    if key.start_mark.column != 0:
        raise ValueError("the 'review:' key does not start its line")
    start, end = key.start_mark.index, value.end_mark.index
    if end > start and not _BREAK.fullmatch(text[end - 1]):  # ends mid-line: a flow mapping, or the file's end
        found = _BREAK.search(text, end)
        rest = text[end:found.start() if found else len(text)]
        if rest.strip() and not rest.lstrip().startswith("#"):
            raise ValueError("the 'review:' block shares its last line with other content")
        end = found.end() if found else len(text)  # a comment after a flow mapping is in the region: kept below
    region = _lines(text[start:end])
    # Blank lines and comments after the block belong to what follows it.
    while len(region) > 1 and (not region[-1].strip() or region[-1].lstrip().startswith("#")):
        end -= len(region.pop())
    newline = line_ending(text)
    kept = _comments("".join(region))
    block = newline.join(kept + new_block) + newline
    result = text[:start] + block + text[end:]
    _same_apart_from_review(text, result)
    return result


def _same_apart_from_review(before: str, after: str) -> None:
    """A safety net: every key but `review` reads back exactly as it was, and `review` only once."""
    old, new = _data(before), _data(after)
    if not isinstance(new, dict) or {k: v for k, v in old.items() if k != "review"} != \
            {k: v for k, v in new.items() if k != "review"}:
        raise ValueError("recording the approval would change other content; nothing was changed")
    composed = yaml.compose(after, Loader=yaml.SafeLoader)
    if sum(1 for k, _ in composed.value if k.value == "review") != 1:
        raise ValueError("recording the approval would leave two 'review:' keys; nothing was changed")
