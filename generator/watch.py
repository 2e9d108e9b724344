"""`handouts build --watch`: rebuild what a saved file affects, report problems, keep going until Ctrl-C."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from generator.batch.checkcache import RACY_SECONDS
from generator.build import ReleaseRefused, RenderFailed, Selection, UsageProblem, build
from generator.content.files import FileRefused, WriteError
from generator.content.names import BadName
from generator.content.problems import ContentError, listed, printable
from generator.content.walk import walked
from generator.incremental import input_files
from generator.render.fonts import FontConfigError
from generator.render.styles import StyleError
from generator.render.template import TemplateError
from generator.review.approve import ApproveError

Echo = Callable[..., None]


def _folders(root: Path) -> list[Path]:
    """The folders content/ and templates/ hold, themselves included, as a build walks them."""
    return [*walked(root / "content", within=root)[1], *walked(root / "templates")[1]]


def watched_files(root: Path) -> dict[str, tuple[int, int, int, int]]:
    """Every file a build reads (incremental.input_files, the list the fingerprints hash) with its modification
    and change times, size and inode (a file replaced by another of the same time is seen too), and every folder
    under content/ and templates/ (its times change when an entry comes or goes: a named pipe or a folder named
    `x.yaml`, which the build refuses, is no file the list holds; seventeenth pass)."""
    try:
        files = input_files(root)
    except OSError:  # a folder that cannot be listed (mode 000): the build itself reports it
        files = [root / "handouts.yaml"]
    stamps = {}
    for path in [*files, *_folders(root)]:
        try:
            found = path.stat()
        except OSError:
            continue  # deleted between listing and reading: the next round sees it gone
        stamps[str(path)] = (found.st_mtime_ns, found.st_ctime_ns, found.st_size, found.st_ino)
    return stamps


def unsettled(changed: float) -> bool:
    """Whether the watch saw a change within RACY_SECONDS (time.monotonic() of the round that saw it): a file system
    keeping times to the second (HFS+, ext3) or two (FAT) gives a second save within that tick, of the same size,
    the same stamp (twenty-sixth pass). Timed by the watch's own clock, not the files' times: one dated in the
    future (a FAT stick written in a time zone ahead, an archive's dates) kept every round unsettled, and the
    settling build never came (thirtieth pass)."""
    return time.monotonic() - changed < RACY_SECONDS


def rebuild(root: Path, selection: Selection, echo: Echo, today: date | None = None, settling: bool = False) -> bool:
    """One incremental build; problems are printed, never raised. True when it succeeded. `settling`: the build
    once the files settled, said only when it built something."""
    try:
        report = build(root, selection, today=today)
    except ContentError as exc:
        shown, more = listed(exc.problems)
        for line in [problem.format() for problem in shown] + more:
            echo(line, err=True)
        echo(f"{len(exc.problems)} error(s); nothing was written. Waiting for the next save.", err=True)
        return False
    except ReleaseRefused as exc:
        for reason in exc.reasons:
            echo(f"not approved: {printable(str(reason))}", err=True)
        return False
    except (FontConfigError, StyleError, TemplateError, WriteError, RenderFailed, ApproveError, UsageProblem,
            BadName, FileRefused) as exc:
        echo(f"error: {printable(str(exc))}", err=True)  # one line: a value's line break cannot fake "built 1"
        return False
    except OSError as exc:  # a folder that cannot be read (mode 000): said, and the watch goes on
        where, why = printable(str(exc.filename or "a file")), printable(str(exc.strerror or exc))
        echo(f"error: {where}: cannot be read ({why}); check its permissions", err=True)
        return False
    if settling and not report.built and not report.removed:
        return True
    for warning in report.warnings:
        echo(warning.format(), err=True)
    echo(report.summary())
    return True


def _captured(root: Path, selection: Selection, today: date, settling: bool) -> list[tuple[tuple, dict]]:
    """One rebuild, what it would print kept as (args, kwargs) of each echo."""
    lines: list[tuple[tuple, dict]] = []
    rebuild(root, selection, lambda *args, **kwargs: lines.append((args, kwargs)), today, settling)
    return lines


def watch(root: Path, selection: Selection, echo: Echo, stop: threading.Event | None = None,
          interval: float = 0.4, today: Callable[[], date] = date.today) -> None:
    """Poll the project's files; after each change, and when the day changes, rebuild exactly what changed.
    Ctrl-C (or `stop`) ends it."""
    stop = stop or threading.Event()
    echo(f"watching {printable(str(root.resolve()))} for changes; press Ctrl-C to stop")
    seen: tuple[date, dict[str, tuple[int, int, int, int]]] | None = None
    settle = False  # built while a file had just changed: build once more when it has settled
    changed = time.monotonic()  # when the watch last saw a file change
    said: list[tuple[tuple, dict]] = []  # what the last build printed: a settling build repeats none of it
    try:
        while not stop.is_set():
            # The day is an input too: at midnight an approval can expire, and its pages must say so at once
            current = (today(), watched_files(root))
            if current != seen:
                changed = time.monotonic()
            racy = unsettled(changed)
            if current != seen or (settle and not racy):
                again = current == seen
                seen, settle = current, racy
                lines = _captured(root, selection, current[0], again)
                if not again or (lines and lines != said):
                    for args, kwargs in lines:
                        echo(*args, **kwargs)
                said = lines or said
            stop.wait(interval)
    except KeyboardInterrupt:
        pass
    echo("stopped watching")
