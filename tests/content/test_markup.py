"""The inline markup: only bold, italic, allowed links and placeholders; everything else is text."""

from __future__ import annotations

from generator.content.markup import Span, parse


def test_plain_text_is_one_span() -> None:
    assert parse("Hello <b>world</b> & more") == ((Span("Hello <b>world</b> & more"),), ())


def test_bold_italic_link_placeholder() -> None:
    spans, errors = parse("**Call** *now*: [988](tel:988) or {clinic.phone}")
    assert not errors
    assert spans == (
        Span("Call", bold=True), Span(" "), Span("now", italic=True), Span(": "),
        Span("988", href="tel:988"), Span(" or "), Span("", placeholder="clinic.phone"),
    )


def test_escapes_write_the_character() -> None:
    spans, errors = parse(r"5 \* 3 \[x\] \{y\} \\")
    assert not errors
    assert spans == (Span(r"5 * 3 [x] {y} \ "[:-1]),)


def test_unbalanced_and_bad_links_are_errors() -> None:
    _, errors = parse("**bold")
    assert errors[0].message == "'**' (bold) is opened but never closed"
    _, errors = parse("[x](javascript:alert(1))")
    assert errors[0].message == "link address 'javascript:alert(1)' is not allowed"
    _, errors = parse("{clinic.__class__}")
    assert "valid placeholder" in errors[0].message


def test_square_brackets_without_link_are_text() -> None:
    assert parse("[note] (see)") == ((Span("[note] (see)"),), ())


def test_a_link_may_show_its_own_address_even_with_digits_in_it() -> None:
    """[988lifeline.org](https://988lifeline.org/): the crisis line's own site, refused until the eleventh pass's
    judgement call; the same words going elsewhere, or a bare 988 beside them, are still refused."""
    from generator.content.linkwords import shown_elsewhere

    assert shown_elsewhere("988lifeline.org", "https://988lifeline.org/") == ""
    assert shown_elsewhere("www.988lifeline.org", "https://988lifeline.org/chat") == ""
    assert shown_elsewhere("988lifeline.org", "https://evil.example/") == "the number '988'"
    assert shown_elsewhere("call 988 at 988lifeline.org", "https://988lifeline.org/") == "the number '988'"
