"""Page and text styles as data (templates/style.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from generator.yamlread import SAFE_LOADER


@dataclass(frozen=True)
class TextStyle:
    """Size, leading and colour of a kind of text; spacing in points."""

    size: float
    leading: float
    color: str
    bold: bool = False
    space_before: float = 0.0
    space_after: float = 0.0

MM = 72 / 25.4
MIN_MARGIN_MM = 12.7  # print-safe: most office printers cannot print closer to the edge


class StyleError(Exception):
    """style.yaml is unreadable or incomplete."""


@dataclass(frozen=True)
class Styles:
    margins: dict[str, float]  # points
    colors: dict[str, str]
    text: dict[str, TextStyle]
    footer_size: float


def load(path: Path, scale: float = 1.0) -> Styles:
    """Read style.yaml; `scale` enlarges every text size (large print)."""
    try:
        stat = path.stat()
    except OSError:
        return _load(path, scale)  # reports the unreadable file
    return _load_cached(path, scale, stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=16)
def _load_cached(path: Path, scale: float, size: int, mtime_ns: int) -> Styles:
    # A build asks for the styles once per PDF; parse the file again only when it has changed (watch mode).
    return _load(path, scale)


def _load(path: Path, scale: float) -> Styles:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)  # noqa: S506 - a safe loader
        margins = {side: float(mm) * MM for side, mm in data["page"]["margin_mm"].items()}
        colors = {k: str(v) for k, v in data["colors"].items()}
        text = {
            name: TextStyle(float(spec["size"]) * scale, float(spec["leading"]) * scale,
                            colors["heading"] if name in ("title", "heading", "clinic") else colors["text"],
                            bool(spec.get("bold", False)), float(spec.get("space_before", 0)) * scale,
                            float(spec.get("space_after", 0)) * scale)
            for name, spec in data["text"].items()
        }
        footer = float(data["page"]["footer_size"])
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
        raise StyleError(f"{path}: cannot read styles ({exc!r}); fix the file") from None
    for side in ("top", "bottom", "left", "right"):
        if margins.get(side, 0) < MIN_MARGIN_MM * MM - 0.01:
            raise StyleError(f"{path}: page.margin_mm.{side} must be at least {MIN_MARGIN_MM} mm (print-safe)")
    return Styles(margins, colors, text, footer)
