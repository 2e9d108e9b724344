"""Page and text styles as data (templates/style.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.yamlread import load_data


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
        data = load_data(path)
    except (OSError, ValueError) as exc:
        raise StyleError(f"{path}: cannot read styles: {exc}") from None
    try:
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
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise StyleError(f"{path}: cannot read styles ({exc!r}); fix the file") from None
    for name, style in text.items():
        if not (0 < style.size <= 200 and 0 < style.leading <= 400) or footer <= 0:
            raise StyleError(f"{path}: text.{name}: size and leading must be positive points; fix the file")
    for side in ("top", "bottom", "left", "right"):
        if margins.get(side, 0) < MIN_MARGIN_MM * MM - 0.01:
            raise StyleError(f"{path}: page.margin_mm.{side} must be at least {MIN_MARGIN_MM} mm (print-safe)")
    return Styles(margins, colors, text, footer)
