"""Gettext PO files: written by hand with gettext's escaping, and read back with a small careful parser.

Only what the exchange with CAT tools needs: single (non-plural) entries with msgctxt, flags, translator
(`# `), extracted (`#.`) and reference (`#:`) comments, the previous source text of a fuzzy entry (`#|`),
multi-line strings. Obsolete (`#~`) entries and previous texts are skipped on reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\a": "\\a", "\b": "\\b",
            "\f": "\\f", "\v": "\\v"}
_UNESCAPES = {"\\": "\\", '"': '"', "n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)[ \t]*")
_OCTAL = re.compile(r"[0-7]{1,3}")
_HEX = re.compile(r"[0-9a-fA-F]{1,2}")
_BYTE_ESCAPES = frozenset("01234567x")
_PLAIN = re.compile(r'[^"\\]+')
_HELD_BYTE = re.compile("[\udc80-\udcff]")


@dataclass(frozen=True)
class Entry:
    """One PO entry; `line` is where it starts in the file (1-based)."""

    msgid: str
    msgstr: str
    msgctxt: str | None = None
    flags: tuple[str, ...] = ()
    translator_comments: tuple[str, ...] = ()
    extracted_comments: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    line: int = 0
    keyword_lines: tuple[tuple[str, int], ...] = ()  # where msgctxt, msgid and msgstr start
    previous_msgid: str = ""  # the source text the translation was made from, written as `#| msgid`

    def line_of(self, keyword: str) -> int:
        """The line a keyword starts on (the entry's first line when unknown)."""
        return dict(self.keyword_lines).get(keyword, self.line)


class PoSyntaxError(Exception):
    """The file is not valid PO; carries the position and a fix hint."""

    def __init__(self, line: int, col: int, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.line, self.col, self.message, self.hint = line, col, message, hint


def escape(text: str) -> str:
    """A string's body in PO syntax: backslashes, quotes and control characters escaped."""
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\{ord(ch):03o}")
        else:
            out.append(ch)
    return "".join(out)


def _string_lines(keyword: str, text: str) -> list[str]:
    """`keyword "text"`, split after each newline the way gettext tools write multi-line strings."""
    if "\n" not in text.rstrip("\n") or not text:
        return [f'{keyword} "{escape(text)}"']
    parts = text.split("\n")
    pieces = [part + "\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
    return [f'{keyword} ""'] + [f'"{escape(piece)}"' for piece in pieces]


def _comments(mark: str, comments: tuple[str, ...]) -> list[str]:
    """Comment lines, one for each line of each comment: a line break in a glossary note (`\\n`, `\\r`, U+2028)
    started a line of its own, a forged entry (eighteenth pass)."""
    return [f"{mark} {line}".rstrip() for comment in comments for line in (comment.splitlines() or [""])]


def write(header: dict[str, str], entries: list[Entry], header_comments: tuple[str, ...] = (),
          header_flags: tuple[str, ...] = ()) -> str:
    """The whole PO file: header comments, the header entry, then every entry, separated by blank lines."""
    lines = _comments("#", header_comments)
    if header_flags:  # a template's header is fuzzy until msginit or a CAT tool fills it in
        lines.append("#, " + ", ".join(header_flags))
    lines += ['msgid ""', 'msgstr ""'] + [f'"{escape(f"{k}: {v}")}\\n"' for k, v in header.items()]
    for entry in entries:
        lines.append("")
        lines += _comments("#", entry.translator_comments)
        lines += _comments("#.", entry.extracted_comments)
        lines += _comments("#:", entry.references)
        if entry.flags:
            lines.append("#, " + ", ".join(entry.flags))
        if entry.previous_msgid:
            if entry.msgctxt is not None:
                lines += ["#| " + line for line in _string_lines("msgctxt", entry.msgctxt)]
            lines += ["#| " + line for line in _string_lines("msgid", entry.previous_msgid)]
        if entry.msgctxt is not None:
            lines += _string_lines("msgctxt", entry.msgctxt)
        lines += _string_lines("msgid", entry.msgid)
        lines += _string_lines("msgstr", entry.msgstr)
    return "\n".join(lines) + "\n"


def _unquote(text: str, line: int, col: int) -> str:
    """The value of a line's quoted PO strings (`"..."` with C escapes; `"a" "b"` on one line is "ab", as msgfmt
    reads it); nothing else may follow a closing quote."""
    if not text.startswith('"'):
        raise PoSyntaxError(line, col, "expected a string in double quotes", 'write the text as "..."')
    out: list[str] = []
    raw = bytearray()  # the bytes of a run of octal or hex escapes: UTF-8, as msgfmt reads them (`msgcat --escape`)
    i = 1

    def flush() -> None:  # kept as surrogates when incomplete: a character's bytes may go on in the next line
        out.append(raw.decode("utf-8", "surrogateescape"))
        raw.clear()

    while i < len(text):
        if plain := _PLAIN.match(text, i):  # a run of ordinary characters at once
            if raw:
                flush()
            out.append(plain.group())
            i = plain.end()
            continue
        ch = text[i]
        if ch == "\\":
            nxt = text[i + 1:i + 2]
            if nxt in _BYTE_ESCAPES and (digits := _byte_escape(text, i)):
                value, length = digits
                if value > 0xFF:
                    raise PoSyntaxError(line, col + i, f"the escape '{text[i:i + length]}' is more than one byte",
                                        "an octal escape is at most \\377")
                raw.append(value)
                i += length
                continue
            if raw:
                flush()
            if nxt not in _UNESCAPES:
                raise PoSyntaxError(line, col + i, f"unknown escape '\\{nxt}'", "write a backslash as \\\\")
            out.append(_UNESCAPES[nxt])
            i += 2
            continue
        if ch == '"':
            after = text[i + 1:]
            rest = after.strip()
            at = i + 1 + len(after) - len(after.lstrip())
            if rest.startswith('"'):  # another string on the same line continues this one (and its bytes)
                i = at + 1
                continue
            if raw:
                flush()
            if rest:
                raise PoSyntaxError(line, col + at, f"unexpected text after the closing quote: {rest[:20]!r}",
                                    'escape a quote inside the text as \\"')
            return "".join(out)
    raise PoSyntaxError(line, col + len(text), "the string is never closed", 'end it with "')


def _whole(text: str, line: int) -> str:
    """A keyword's string with the escaped bytes of its pieces joined into characters; bytes that are no UTF-8
    are an error at the keyword's line."""
    if not _HELD_BYTE.search(text):
        return text
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8")
    except UnicodeError:
        raise PoSyntaxError(line, 1, "escaped bytes (\\ooo or \\xhh) that are not the UTF-8 of any text",
                            "write the character itself, or the octal escapes of its UTF-8 bytes") from None


def _byte_escape(text: str, at: int) -> tuple[int, int] | None:
    """The value and length of the octal (`\\303`) or hex (`\\xc3`) escape at `at`, if one is there."""
    if text[at + 1] == "x":
        digits = _HEX.match(text, at + 2)  # at a position: slicing the rest of a long line is quadratic
        return (int(digits.group(), 16), 2 + len(digits.group())) if digits else None
    digits = _OCTAL.match(text, at + 1)
    return (int(digits.group(), 8), 1 + len(digits.group())) if digits else None


class _Builder:
    """Collects the pieces of the entry being read."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.strings: dict[str, list[str]] = {}  # each keyword's pieces, joined once (a msgid continued over
        # millions of lines would be copied again at every line if it were one string)
        self.lines: dict[str, int] = {}
        self.last: str | None = None
        self.flags: list[str] = []
        self.translator: list[str] = []
        self.extracted: list[str] = []
        self.references: list[str] = []
        self.line = 0

    @property
    def has_strings(self) -> bool:
        return bool(self.strings)

    @property
    def complete(self) -> bool:
        """Whether a msgstr was read: `msgstr[N]` of a plural entry too, so the entry ends and is named itself."""
        return any(keyword.startswith("msgstr") for keyword in self.strings)


def parse(text: str) -> list[Entry]:
    """Every entry of a PO file, header included (msgid ""); raises PoSyntaxError at the first error."""
    entries: list[Entry] = []
    current = _Builder()

    def finish() -> None:
        if not current.has_strings:
            current.reset()  # comments with no entry after them, at the end of the file, are ignored
            return
        strings = {keyword: _whole("".join(pieces), current.lines[keyword]) for keyword, pieces in
                   current.strings.items()}
        if "msgid_plural" in strings or any(k.startswith("msgstr[") for k in strings):
            raise PoSyntaxError(current.line, 1, "plural entries (msgid_plural, msgstr[N]) are not used here",
                                "export the file again; handouts texts have no plural forms")
        if "msgid" not in strings or "msgstr" not in strings:
            missing = "msgid" if "msgid" not in strings else "msgstr"
            raise PoSyntaxError(current.line, 1, f"entry without {missing}", f"every entry needs {missing} \"...\"")
        entries.append(Entry(strings["msgid"], strings["msgstr"], strings.get("msgctxt"), tuple(current.flags),
                             tuple(current.translator), tuple(current.extracted), tuple(current.references),
                             current.line, tuple(current.lines.items())))
        current.reset()

    if (lone := re.search(r"\r(?!\n)", text)) is not None:
        # Read as one long comment line, a CR-only file was "the PO header names no Language" (thirty-seventh pass)
        line_start = text.rfind("\n", 0, lone.start()) + 1
        raise PoSyntaxError(text.count("\n", 0, lone.start()) + 1, lone.start() - line_start + 1,
                            "a line ends in a carriage return alone (CR, as old Mac files do), which PO tools do not "
                            "read as the end of a line", "save the file with LF (or CRLF) line endings")
    lines = text.lstrip("\ufeff").split("\n")
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r")
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        if not stripped:
            if current.complete:
                finish()  # as in gettext, blank lines matter only after a complete entry
            continue
        if stripped.startswith("#"):
            if stripped.startswith(("#~", "#|")):
                continue  # obsolete entries and previous source texts are not imported
            if current.complete:
                finish()  # a comment after a complete entry starts the next one
            if not current.line:
                current.line = number
            kind, body = stripped[:2], stripped[2:].strip()
            if kind == "#,":
                current.flags += [f.strip() for f in body.split(",") if f.strip()]
            elif kind == "#.":
                current.extracted.append(body)
            elif kind == "#:":
                current.references += body.split()
            else:
                current.translator.append(stripped[1:].strip())
            continue
        if stripped.startswith('"'):
            if current.last is None:
                raise PoSyntaxError(number, indent + 1, "a string continues no msgid, msgstr or msgctxt",
                                    "start the entry with msgid \"...\"")
            current.strings[current.last].append(_unquote(stripped, number, indent + 1))
            continue
        match = _KEYWORD.match(stripped)
        if match is None:
            word = stripped.split()[0][:30]
            raise PoSyntaxError(number, indent + 1, f"unknown keyword '{word}'",
                                "lines start with msgctxt, msgid, msgstr, '\"' or '#'")
        keyword = match.group(1)
        if keyword in ("msgctxt", "msgid") and current.complete:
            finish()
        if keyword in current.strings:
            raise PoSyntaxError(number, indent + 1, f"{keyword} appears twice in one entry",
                                "separate entries with a blank line")
        if not current.line:
            current.line = number
        current.strings[keyword] = [_unquote(stripped[match.end():], number, indent + match.end() + 1)]
        current.lines[keyword] = number
        current.last = keyword
    finish()
    return entries


def header_fields(entry: Entry) -> dict[str, str]:
    """The `Key: value` lines of a header entry's msgstr."""
    fields = {}
    for line in entry.msgstr.split("\n"):
        key, sep, value = line.partition(":")
        if sep:
            fields[key.strip()] = value.strip()
    return fields
