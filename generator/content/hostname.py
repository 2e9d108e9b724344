"""What a reader reads as an address's site is its site: one rule for the host of every https address a handout
prints or a patient follows (the clinic's website, verify_url, web_url, each source's url)."""

from __future__ import annotations

import re
import unicodedata

# A plain domain name (ASCII letters, digits, hyphens, dots) and an optional port: no user name ('@'), no escape
# ('%'), no letter of another script that looks like a Latin one ("fdа.gov" with a Cyrillic а printed as fda.gov).
HOST = (r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+"
        r"(?::[0-9]{1,5})?")
_HOST = re.compile(HOST)
NOT_WHERE_IT_SEEMS = ("does not go where it seems to: its address holds a user name ('@'), an escape ('%') or "
                      "characters no host name has")


def plain_host(url: str) -> bool:
    """Whether the part of an https address between `https://` and its path (the host a reader sees) is a plain
    host name, as HOST says."""
    if not url.startswith("https://"):
        return False
    return bool(_HOST.fullmatch(re.split(r"[/?#]", url[len("https://"):], maxsplit=1)[0]))


# Scripts one name may mix, as browsers let a Japanese name write kanji with kana (and Korean hanja with hangul).
_ONE_SCRIPT = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "HANGUL": "CJK"}


def _script(ch: str) -> str:
    word = unicodedata.name(ch, "UNKNOWN").split()[0]
    return _ONE_SCRIPT.get(word, word)


def mixed_label(host: str) -> str:
    """How a label of `host` mixes the letters of two scripts ("'fdа': 'а' (U+0430, CYRILLIC SMALL LETTER A) among
    LATIN letters", its а reading as the Latin a), or "": a label in one script ("минздрав", "clínica") is a real
    name, as a browser shows it."""
    for label in host.split("."):
        scripts = [_script(ch) for ch in label if ch.isalpha()]
        if len(set(scripts)) > 1:
            most = max(set(scripts), key=scripts.count)
            odd = next(ch for ch in label if ch.isalpha() and _script(ch) != most)
            return f"'{label}': '{odd}' (U+{ord(odd):04X}, {unicodedata.name(odd, 'UNKNOWN')}) among {most} letters"
    return ""
