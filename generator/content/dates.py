"""Dates a content file may not hold: a review or a check recorded after today (a hand-edited file printing
"Reviewed January 1, 2030" or "Current as of May 5, 2031"), or an approval that runs for ever."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone

from generator.content.model import CrisisService, Fact, Handout, Strings
from generator.content.problems import Loc, Problems

MAX_REVIEW_YEARS = 2  # an approval lasts at most this long: medical content is re-read at least this often


def years_later(day: date, years: int) -> date:
    """The same day `years` on (28 February for a 29 February); the last day there is, past the year 9999 (a
    hand-written review date of 9998 ended every command in a traceback: thirty-third pass)."""
    if day.year + years > date.max.year:
        return date.max
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def latest_today(today: date) -> date:
    """`today` moved on by as many days as the calendar furthest ahead on Earth (UTC+14) is ahead of this
    machine's: a review recorded on a laptop in Sydney is no date "after today" on a server in California."""
    ahead = (datetime.now(timezone.utc) + timedelta(hours=14)).date() - date.today()
    return today + max(ahead, timedelta(0))


def check_dates(handouts: list[Handout], strings: list[Strings], facts: tuple[Fact, ...],
                crisis: tuple[CrisisService, ...], today: date, problems: Problems,
                also: Sequence[tuple[Loc, str, str]] = ()) -> None:
    """Report every review or check date recorded after today (anywhere on Earth), where it is written; `also`:
    more (where, key, date) to look at (content/facts.yaml's own review date)."""
    dated: list[tuple[Loc, str, str]] = [d for record in [*handouts, *strings] for d in record.dated]
    dated += also
    dated += [(fact.loc, f"facts.{fact.key}.{fact.country}.checked", fact.checked) for fact in facts]
    dated += [(service.loc, f"crisis.{service.country}.checked", service.checked) for service in crisis]
    latest = latest_today(today)
    for loc, key, value in dated:
        if value and date.fromisoformat(value) > latest:
            problems.add(loc, key, f"the date {value} is after today ({today.isoformat()}; {latest.isoformat()} "
                         "where the calendar is furthest ahead): it would be printed as if the review or check had "
                         "happened", "write the date it really happened on")
