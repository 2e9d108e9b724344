"""The print-quality check the build runs on every PDF it lays out, from the flowables as they were placed.

The page-break rules are enforced by the flowables themselves (generator/pagination.py, TextFlow.split); this
check proves, page by page, that they held, and names every place where one could not (a unit taller than a
page). A footer line that wrapped is an error: the footer is designed to fit, so a wrap means a broken promise.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.platypus import Flowable, Spacer

from generator.render.pagination import Callout, is_heading
from generator.render.textflow import MIN_LINES, TextFlow


@dataclass(frozen=True)
class Finding:
    """A page-break rule that did not hold, on a page, for a unit (a warning)."""

    page: int
    unit_id: str
    message: str


class FooterWrapped(Exception):
    """A footer line took more than one line on a page."""


@dataclass
class PageLog:
    """What the layout placed on each page, and how many lines each footer line took."""

    placed: list[tuple[int, Flowable]] = field(default_factory=list)
    footer: dict[int, list[int]] = field(default_factory=dict)

    def record(self, page: int, flowable: Flowable) -> None:
        if not isinstance(flowable, Spacer) and getattr(flowable, "height", 1):
            self.placed.append((page, flowable))


def _name(flowable: Flowable) -> str:
    return getattr(flowable, "unit_id", "") or type(flowable).__name__


def check(log: PageLog, pages: int, footer_lines: int) -> list[Finding]:
    """Every rule, every page: raise FooterWrapped for a wrapped footer, return a finding for each other miss."""
    for page in range(1, pages + 1):
        counts = log.footer.get(page)
        if counts is None or len(counts) != footer_lines or any(n != 1 for n in counts):
            raise FooterWrapped(f"page {page}: the footer took {sum(counts or [])} lines instead of "
                                f"{footer_lines}; shorten the footer strings (check reports which)")
    findings: list[Finding] = []
    last_on_page: dict[int, Flowable] = {}
    for page, flowable in log.placed:
        last_on_page[page] = flowable
        findings += _unit_findings(page, flowable)
    for page, flowable in sorted(last_on_page.items()):
        if page < pages and is_heading(flowable):
            findings.append(Finding(page, _name(flowable), "a heading is the last thing on the page"))
    return findings


def _unit_findings(page: int, flowable: Flowable) -> list[Finding]:
    what = getattr(flowable, "oversize_what", "this text is taller than a page and was split inside the help box")
    found = [Finding(page, unit, what) for unit in getattr(flowable, "oversize", [])]
    if isinstance(flowable, Callout):
        if flowable.part and flowable.whole_fits_page:
            found.append(Finding(page, "help", "the help box was split although it fits on one page"))
        for child in flowable._children():
            found += _unit_findings(page, child)
        return found
    if not isinstance(flowable, TextFlow) or not flowable.part:
        return found
    lines = len(flowable._lines)
    if lines < MIN_LINES:
        kind = "orphan" if flowable.part == "first" else "widow"
        found.append(Finding(page, _name(flowable), f"{lines} line of a split paragraph alone on the page ({kind})"))
    if flowable.whole_fits_page and flowable.keep_whole:
        found.append(Finding(page, _name(flowable), "a list item was split over pages although it fits on one"))
    elif flowable.whole_fits_page and flowable.part == "first" and not flowable.ends_sentence(lines - 1):
        found.append(Finding(page, _name(flowable), "a sentence continues on the next page although its "
                             "paragraph could have moved whole"))
    return found
