"""What an import of an exchange file wrote, remembered (sealed, in the user's cache folder) so that a later
import of the same file does not take it for a change made in the project: a translator who imports part of the
work and goes on in the same file (twenty-sixth pass). Without a usable cache folder nothing is remembered, and
such a revision is a conflict as before."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path

from generator.content.seal import is_logged, logged, remember_built

LOG = "imported.log"  # apart from built.log: a language's few hundred units per import never push out builds


def _digest(exchange: Path, key: str, text: str) -> str:
    what = json.dumps(["imported", str(exchange.resolve()), key, text], ensure_ascii=False)
    return hashlib.sha256(what.encode("utf-8", "surrogatepass")).hexdigest()


def earlier_imports(exchange: Path) -> Callable[[str, str], bool]:
    """Whether an earlier import of this exchange file wrote `text` as the unit `key` ("handout|unit"); the log
    is read once, at the first question (an import asks once per unit changed since the export)."""
    lines = cache(lambda: logged(LOG))
    return lambda key, text: is_logged(_digest(exchange, key, text), lines())


def remember(exchange: Path, written: Iterable[tuple[str, str]]) -> None:
    """Log each (unit key, text) an import of this exchange file has just written; best effort."""
    remember_built([_digest(exchange, key, text) for key, text in written], LOG)
