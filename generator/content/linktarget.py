"""A link's address as a phone, a mail program or a browser reads it: plain characters, a dialable number.

`[988](tel:９８８)` (full-width digits) and `[٩٨٨](tel:٩٨٨)` (Arabic-Indic digits, as an Arabic translator types
them) passed `check`, the link's words showing the digits its address holds; but no dialer reads such a number
(RFC 3966 writes a phone number with 0-9), and the browser sent `tel:%EF%BC%99…`. `[a@clinic.example]
(mailto:ａ@clinic.example)` (a full-width "ａ", which reads as "a") showed one mailbox and wrote to another
(twenty-third pass).
"""

from __future__ import annotations

import re
import unicodedata

from generator.content.hostname import mixed_label

# What RFC 3966 lets a global or local phone number hold (digits 0-9, a leading +, visual separators), and its
# parameters (";ext=123", ";phone-context=…"): all ASCII.
_DIALABLE = re.compile(r"tel:\+?[0-9().\- ]*[0-9][0-9().\- ]*(?:;[\x21-\x7e]*)?", re.IGNORECASE)


def target_problem(href: str) -> tuple[str, str]:
    """What keeps a link address from going where its characters seem to say, and how to fix it; ("", "") when
    nothing does."""
    if href.lower().startswith("tel:") and not _DIALABLE.fullmatch(href):
        odd = next((ch for ch in href[4:] if not (ch.isascii() and (ch.isdigit() or ch in "+().- ;=-"))), "")
        what = f"'{odd}' (U+{ord(odd):04X})" if odd else "no digit"
        return (f"the phone number of link address '{href}' holds {what}, which a phone cannot dial",
                "write the number after tel: with the digits 0-9 (a leading + and - . ( ) between digits), e.g. "
                "tel:+15550100100; the link's words may show it in any script")
    changed = next((ch for ch in href if unicodedata.normalize("NFKC", ch) != ch), "")
    if changed:
        plain = unicodedata.normalize("NFKC", changed)
        return (f"link address '{href}' holds '{changed}' (U+{ord(changed):04X}), a full-width or compatibility "
                f"form that reads as '{plain}' but goes elsewhere",
                f"write it as '{plain}'")
    # A host mixing scripts reads as another: "[fdа.gov](https://fdа.gov)", its "а" Cyrillic, printed as fda.gov and
    # went elsewhere (thirty-seventh pass). A name all in one script (a Russian ministry's минздрав.рф) is real.
    if label := mixed_label(_host(href)):
        return (f"link address '{href}' has a host name mixing the letters of two scripts ({label}), so it reads "
                "as another name than it is", "write the host name in one script, as its owner spells it")
    return "", ""


def _host(href: str) -> str:
    """The host name an https: link goes to, or a mailto: link's mailbox is at ("" for tel:)."""
    scheme, _, rest = href.partition(":")
    if scheme.lower() == "mailto":
        return rest.split("?", 1)[0].rpartition("@")[2]
    if scheme.lower() != "https":
        return ""
    authority = re.split(r"[/?#]", rest.removeprefix("//"), maxsplit=1)[0]
    return authority.rpartition("@")[2].rsplit(":", 1)[0]
