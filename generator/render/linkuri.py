"""A link's address as the PDF must hold it: 7-bit ASCII (ISO 32000-1, 12.6.4.7).

ReportLab wrote an address holding any other character as a UTF-16 string with a byte-order mark, so a reader
taking the bytes as the standard says saw "þÿ\\x00h\\x00t…", an address of no scheme at all (twenty-third pass: a
link to a Cyrillic or accented web address, or to an internationalised mailbox). Here the host is written as
IDNA (what a browser asks DNS for) and every other character percent-encoded as UTF-8 (what a browser sends).
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit, urlunsplit


def _escaped(text: str) -> str:
    """Every non-ASCII character of `text` percent-encoded (UTF-8); ASCII kept as it is."""
    return "".join(ch if ch.isascii() else quote(ch, safe="") for ch in text)


def _host(host: str) -> str:
    """A host name in IDNA (xn--…), or percent-encoded where IDNA cannot write it."""
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return _escaped(host)


def ascii_uri(href: str) -> str:
    """`href` in 7-bit ASCII: unchanged when it is already."""
    if href.isascii():
        return href
    if href.lower().startswith("mailto:") and "@" in href:
        local, _, rest = href[7:].partition("@")
        domain, mark, query = rest.partition("?")
        return f"{href[:7]}{_escaped(local)}@{_host(domain)}{mark}{_escaped(query)}"
    parts = urlsplit(href)
    if parts.scheme and parts.hostname and "@" not in parts.netloc:  # a user name: kept as written, escaped
        netloc = _host(parts.hostname) + (f":{parts.port}" if parts.port else "")
        return urlunsplit((parts.scheme, netloc, _escaped(parts.path), _escaped(parts.query),
                           _escaped(parts.fragment)))
    return _escaped(href)
