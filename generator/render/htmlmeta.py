"""The HTML companion's `<meta>` tags are the shipped template's, and its `<title>` names the handout.

A `<meta>` tag's content is shown or obeyed though no one reads it on the page (nineteenth pass, part B): a
description or keywords of the template's words ("Take 50 mg every hour") is what a search engine or a shared
link's preview shows; a viewport of `maximum-scale=0.1, user-scalable=no` draws the page at a tenth on a phone and
forbids zooming it; the verification payload, which `handouts verify` reads back, said "approved" on a draft, or was
left out. Each tag must be one the shipped template writes for the same handout, and the payload must be there.
The page's `<title>`, which a browser's tab and bookmarks show and a screen reader says first, was the disclaimer's
heading ("Important") or missing: it must hold the handout's title.
"""

from __future__ import annotations

from collections.abc import Sequence

from generator.render.htmlcheck import UnsafeHtml
from generator.render.htmlparse import Event, Handler, replay

VERIFY_NAME = "patient-handouts-verify"


class _Metas(Handler):
    """Every `<meta>` tag of a page, as its sorted (name, value) attributes."""

    def __init__(self) -> None:
        self.found: list[tuple[tuple[str, str], ...]] = []
        self.titles: list[str] = []
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta":
            self.found.append(tuple(sorted((name, " ".join((value or "").split())) for name, value in attrs)))

        self.in_title = tag == "title"
        if self.in_title:
            self.titles.append("")

    def handle_endtag(self, tag: str) -> None:
        self.in_title = False

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.titles[-1] += data

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self.in_title = False


def _parsed(page: Sequence[Event]) -> _Metas:
    parser = _Metas()
    replay(page, parser)
    return parser


def metas(page: Sequence[Event]) -> list[tuple[tuple[str, str], ...]]:
    """The page's `<meta>` tags, each as its sorted (name, value) attributes, whitespace collapsed."""
    return _parsed(page).found


def check_title(page: Sequence[Event], title: str) -> None:
    """Raise UnsafeHtml unless the page has one `<title>`, holding the handout's `title`."""
    titles = [" ".join(text.split()) for text in _parsed(page).titles]
    if len(titles) != 1 or " ".join(title.split()) not in titles[0]:
        raise UnsafeHtml(f"the page's <title> ({'; '.join(t[:40] for t in titles) or 'none'}) does not hold the "
                         f"handout's title '{title[:60]}': a browser's tab and a screen reader name the page by it; "
                         "write <title>{{ doc.title.plain }}</title>")


def check_metas(page: Sequence[Event], shipped: Sequence[Event]) -> None:
    """Raise UnsafeHtml unless every `<meta>` of `page` is one of the `shipped` page's and the payload is there."""
    allowed = set(metas(shipped))
    found = metas(page)
    for meta in found:
        if meta not in allowed:
            shown = " ".join(f'{name}="{value[:40]}"' for name, value in meta)[:120]
            raise UnsafeHtml(f"<meta {shown}> is not one of the shipped template's: a <meta>'s content is shown "
                             "(a search result, a link's preview) or obeyed (a viewport's zoom, the payload "
                             "`handouts verify` reads) though no one reviews it; copy the shipped template's "
                             "<meta> tags as they are")
    if not any(dict(meta).get("name") == VERIFY_NAME for meta in found) and \
            any(dict(meta).get("name") == VERIFY_NAME for meta in allowed):
        raise UnsafeHtml(f'the page has no <meta name="{VERIFY_NAME}" content="{{{{ doc.verify_payload }}}}">: '
                         "`handouts verify` reads the companion's review state and fingerprint from it")
