"""Turn position-marked YAML nodes into model objects, collecting every problem in one pass.

One parser per kind of file part: `fields` (shared pieces), `header` (a handout file's header), `sections` and
`tables` (a handout's body), `settings` (UI strings, facts, clinic settings).
"""

from __future__ import annotations

from generator.content.parse.header import HandoutParser
from generator.content.parse.settings import CLINIC_PLACEHOLDERS, LEGAL_FACT, SettingsParser

__all__ = ["CLINIC_PLACEHOLDERS", "LEGAL_FACT", "Parser"]


class Parser(HandoutParser, SettingsParser):
    """Builds model objects from one Doc; problems go to the Doc's collection."""
