"""The shared pieces of every parser: IDs, dates, translatable texts, review records."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from yaml.nodes import MappingNode, Node, ScalarNode

from generator.content import markup
from generator.content.model import (
    REVIEW_STATUSES,
    CrisisService,
    Review,
    Unit,
)
from generator.content.problems import Loc
from generator.content.yamlread import Doc

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*\Z")  # \Z: "$" would accept a trailing line break
BIDI_FORMATTING = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")  # reorder what is shown
MAX_NAME = 64  # a handout ID or language code: part of file names (output/<lang>/<id>.<lang>-<lang>.large.pdf)
# At most 35 characters (RFC 5646 §4.4.1: enough for any tag in use): a 64-character code was refused by the
# footer's width check, which blamed footer.version's words (twenty-ninth pass)
LANG_RE = re.compile(r"^(?=.{2,35}\Z)[a-z]{2,3}(-[A-Za-z0-9]{2,8})*\Z")
JURISDICTION_RE = re.compile(r"^[A-Z]{2}(-[A-Z0-9]{1,3})?\Z")
VERSION_RE = re.compile(r"^[0-9]{1,6}\.[0-9]{1,6}\.[0-9]{1,6}\Z")  # ASCII: "\d" takes ١ (the desk's /verify does not)
MAX_UNIT_CHARS = 5_000  # ten times the longest shipped paragraph; keeps layout time and memory bounded
# A soft hyphen beside a digit: the PDF draws nothing there, but a browser may break the number at it and show a
# hyphen, "2-" at a line's end and "5 mg" below (twenty-second pass, the HTML companion).
_SOFT_HYPHEN_BY_DIGIT = re.compile(r"(?<=\d)\u00ad|\u00ad(?=\d)")


# Letters and symbols that draw nothing by design: Hangul and Mongolian fillers, the blank Braille cell, the
# grapheme joiner, variation selectors (a zh-Hans disclaimer of U+3164 printed blank, fifth pass).
BLANK_BY_DESIGN = frozenset({0x034F, 0x115F, 0x1160, 0x2800, 0x3164, 0xFFA0, *range(0x180B, 0x1810),
                             *range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)})


def has_visible(text: str) -> bool:
    """Whether the text shows anything: a letter, a digit or a symbol (not only spaces, punctuation, marks or
    characters that draw nothing by design)."""
    return any(unicodedata.category(ch)[0] in "LNS" and ord(ch) not in BLANK_BY_DESIGN for ch in text)


MAX_PERSON = 80  # characters of a reviewer's name and of their role: both are printed in a handout's one-line footer
# Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt): a renderer shows them as nothing (the PDF
# too: render/drawntext.py). A name holding one (isprintable() lets the marks and fillers through) prints as
# another name would.
IGNORABLE_CLASS = ("\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f"
                   "\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
                   "\U000e0000-\U000e0fff")
_IGNORABLE = re.compile(f"[{IGNORABLE_CLASS}]")
# Inside a number (or between placeholders that print numbers, "{page}\u200f/{pages}"), a default-ignorable
# character is drawn as nothing, yet the number is no longer one: a right-to-left mark makes the bidi algorithm order
# its parts apart (Arabic "20\u200f19" printed "1920"), a zero-width space is where a browser breaks the HTML
# companion's line ("1" above "0 mg"), and a crisis number holding one copies and searches as another, and lost its
# tap-to-call link (thirty-fourth pass). The soft hyphen and the direction controls are refused for reasons of their
# own.
_IN_NUMBER = re.compile(rf"(?<=[\d}}])[{IGNORABLE_CLASS}]+(?=[^\w{{]?[\d{{])"
                        rf"|(?<=[\d}}][^\w}}])[{IGNORABLE_CLASS}]+(?=[\d{{])")
# A value (a fact, a crisis line, a clinic setting) is one name, number or address: one beside a digit too ("988\u2060"
# lost its link as well).
_BY_DIGIT = re.compile(rf"(?<=\d)[{IGNORABLE_CLASS}]+|[{IGNORABLE_CLASS}]+(?=\d)")
_SAID_APART = BIDI_FORMATTING | {"\u00ad"}


def hidden_in_number(text: str, value: bool = False) -> int:
    """Where an invisible character sits inside a number of `text` (-1 when none does); in a `value`, beside one."""
    apart = BIDI_FORMATTING if value else _SAID_APART  # a value's soft hyphen has no rule of its own
    for found in (_BY_DIGIT if value else _IN_NUMBER).finditer(text):
        for offset, ch in enumerate(found.group(), found.start()):
            if ch not in apart:
                return offset
    return -1


def unprintable_person(value: str) -> str:
    """Why a reviewer's name or role cannot be printed on every page ("" when it can)."""
    if not value.strip() or not value.isprintable() or _IGNORABLE.search(value) or not prints_something(value):
        return "must be a non-empty single line of visible text"
    if not any(unicodedata.category(ch)[0] == "L" for ch in value):  # "—" or "..." names nobody
        return "must have letters: it is a person's name or role, not only punctuation, digits or symbols"
    if len(value.strip()) > MAX_PERSON:
        return f"is {len(value.strip()):,} characters long; at most {MAX_PERSON} fit the handout's footer"
    return ""


def prints_something(text: str) -> bool:
    """Whether the text leaves any ink: a letter, digit, symbol or punctuation mark that draws."""
    return any(unicodedata.category(ch)[0] in "LNSP" and ord(ch) not in BLANK_BY_DESIGN for ch in text)


_HIDDEN_PROBLEM = ("an invisible character (U+{code:04X}) inside a number: the number prints, copies, links or "
                   "breaks as another (a right-to-left mark prints Arabic \"20<mark>19\" as 1920; a browser breaks "
                   "the line at a zero-width space)")
_HIDDEN_FIX = "delete it; the generator keeps every number whole and in order itself"


class FieldParser:
    """Reads typed fields from one Doc; problems go to the Doc's collection."""

    def __init__(self, doc: Doc, placeholders: frozenset[str] = frozenset()) -> None:
        self.doc = doc
        self.placeholders = placeholders
        self.facts_review: Review | None = None  # set by facts() when the file has a review record
        self.crisis: tuple[CrisisService, ...] = ()  # set by facts() from the file's crisis: section
        self.dated: list[tuple[Loc, str, str]] = []  # review and check dates, which must not be after today
        self.placed: list[tuple[str, Loc]] = []  # where printed fields that are not text units are written

    def visible(self, node: Node | None, key: str, value: str | None, numbers: bool = True) -> str | None:
        """`value`, refused (None) when it has no visible letter, digit or symbol: a crisis number or a fact of
        zero-width characters printed "In a crisis, call ." (fifth pass)."""
        if value and node is not None and not has_visible(value):
            self.doc.error(node, key, "the value has no visible letter, digit or symbol (only spaces, punctuation "
                           "or invisible characters): it would print as nothing", "write the value itself")
            return None
        if numbers and value and node is not None and (at := hidden_in_number(value, True)) >= 0:
            self.doc.problems.add(self._char_loc(node, at), key, _HIDDEN_PROBLEM.format(code=ord(value[at])),
                                  _HIDDEN_FIX)  # kept: what refers to the value is not blamed as well
        return value

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
        # Only YYYY-MM-DD: Python 3.11's fromisoformat also takes 20261208 and 2026-W50-2, which then compared
        # as text with other dates (next review after the review).
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            self.doc.error(node, key, f"'{value}' is not a date", "write it as \"YYYY-MM-DD\" in quotes")
            return None
        try:
            date.fromisoformat(value)
        except ValueError:
            self.doc.error(node, key, f"'{value}' is not a real date (no such day in that month)",
                           "write the day meant as \"YYYY-MM-DD\" in quotes")
            return None
        if key.endswith((".date", ".checked")):
            self.dated.append((self.doc.loc(node), key, value))
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
        if not errors and not markup.placeholders(spans) and not prints_something(markup.plain(spans)):
            # A list item of one word joiner printed an empty bullet where a warning was (thirteenth pass)
            self.doc.error(node, key, "text has only invisible characters (zero-width, joiners, soft hyphens): it "
                           "would print as nothing", "write the text, or remove the entry")
            return None
        for found in _SOFT_HYPHEN_BY_DIGIT.finditer(text):
            self.doc.problems.add(self._char_loc(node, found.start()), key, "a soft hyphen (U+00AD) beside a digit: "
                                  "a browser may break the number there and show a hyphen", "delete it")
        if (at := hidden_in_number(text)) >= 0:
            self.doc.problems.add(self._char_loc(node, at), key, _HIDDEN_PROBLEM.format(code=ord(text[at])),
                                  _HIDDEN_FIX)
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
        fields = self.doc.mapping(node, key, ["status"], ["note", *approval, "jurisdiction", "source_digest"])
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
                self.placed.append((f"{key}.{name}", self.doc.loc(value_node)))
                if name in ("reviewer", "role") and values[name] and (why := unprintable_person(values[name])):
                    # The fingerprint binds the text, not the names: a hand-edited role of one no-break space
                    # printed an approved page "Reviewed … ·  · next review" (thirteenth pass)
                    self.doc.error(value_node, f"{key}.{name}", f"the {name} {why}",
                                   "record approvals with `handouts approve`, or write the name as it is printed")
        if values.get("date") and values.get("next_review"):
            self._review_span(fields["next_review"], f"{key}.next_review", values["date"], values["next_review"])
        if status == "approved":
            for needed in approval:
                # A date there but wrong is said at its own line, as what is wrong with it (thirty-seventh pass:
                # "needs 'next_review'" at the status line for next_review: "2027-02-29")
                if not values.get(needed) and not (needed in ("date", "next_review") and needed in fields):
                    self.doc.error(node, key, f"an approved review needs '{needed}'",
                                   "record approvals with `handouts approve`, or set status: draft")
        if values.get("jurisdiction") and not JURISDICTION_RE.match(values["jurisdiction"]):
            self.doc.error(fields["jurisdiction"], f"{key}.jurisdiction",
                           f"'{values['jurisdiction']}' is not a jurisdiction code",
                           "record approvals with `handouts approve`, or use a code like US, US-OR, AU")
        if values.get("source_digest") and not re.fullmatch(r"[0-9a-f]{12}", values["source_digest"]):
            self.doc.error(fields["source_digest"], f"{key}.source_digest", "not a digest the tool records",
                           "record approvals with `handouts approve`")
        return Review(status or "draft", *(values.get(k, "") for k in ["note", *approval, "jurisdiction",
                                                                       "source_digest"]))

    def _review_span(self, node: Node, key: str, reviewed: str, due: str) -> None:
        """The next review comes after the review, and within MAX_REVIEW_YEARS of it: an approval expires."""
        from generator.content.dates import MAX_REVIEW_YEARS, years_later

        latest = years_later(date.fromisoformat(reviewed), MAX_REVIEW_YEARS)
        if not reviewed < due <= latest.isoformat():
            self.doc.error(node, key, f"next review {due} is not between the review date {reviewed} and "
                           f"{MAX_REVIEW_YEARS} years after it", f"set a date up to {latest.isoformat()}, or "
                           "record the approval with `handouts approve`")

    def _keys(self, node: Node | None) -> list[str]:
        if isinstance(node, MappingNode):
            return [k.value for k, _ in node.value if isinstance(k, ScalarNode) and isinstance(k.value, str)]
        return []
