"""Loading a project in a forked child while this process gets ready to render, on the other CPU.

A cold build's parent had about 0.6 s of work before its workers could start, all on one CPU: reading and
parsing the project (about 0.25 s), then importing ReportLab, compiling the template and (in each worker)
checking the font files. Here the project is loaded by a child forked for that alone, while this process
imports, compiles and checks the fonts; the child hands the loaded project back pickled (about 30 ms both
ways for the shipped project) through a pipe of its own. The pickle comes from this very program in a
process it forked, never from a file.

Nothing about the result depends on where the project was loaded: when the child fails in any way (the
project has errors, the child is killed, its answer is cut short), the project is loaded again here, and
its errors are reported by that load, exactly as without the child.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.content.model import Project
    from generator.content.problems import Problems

Loaded = tuple["Project", "Problems"]


@dataclass(frozen=True)
class HeadStart:
    """What a build does while its project loads beside: `here` in this process; `beside` in the child once the
    project is loaded, its (picklable) result handed to `take` here. Nothing in them may decide an outcome:
    whatever fails in them is left to the build, which meets it again where it always did."""

    here: Callable[[], None]
    beside: Callable[[], object] = lambda: None
    take: Callable[[object], None] = lambda found: None


def can_load_beside() -> bool:
    """Whether a loading child can be forked here: a platform with fork, and only from the main thread of a
    process with no other thread (a fork copies one thread; a lock another one held would stay held)."""
    import threading

    from generator.batch.pool import can_fork

    return can_fork() and threading.current_thread() is threading.main_thread() and threading.active_count() == 1


def load_beside(root: Path, today: date | None, head_start: HeadStart) -> Loaded:
    """`load_or_raise(root, today)`, done by a forked child while `head_start.here` runs here."""
    import pickle

    from generator.content.project import load_or_raise

    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child; measured by the parent's results
        gc.disable()  # a process that ends in a moment: collecting its garbage, or walking the parent's, is waste
        os.close(reading)
        code = 1
        try:
            loaded = load_or_raise(root, today)
            try:
                found = head_start.beside()
            except Exception:  # noqa: BLE001 - only a head start
                found = None
            answer = pickle.dumps((loaded, found), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(writing, "wb") as pipe:
                pipe.write(answer)
            code = 0
        finally:
            os._exit(code)  # no exit handlers, no buffers flushed twice: the parent owns the output
    os.close(writing)
    collecting = gc.isenabled()
    gc.disable()  # imports and compiled templates: objects that live as long as the process (a tenth faster)
    try:
        try:
            head_start.here()
        except Exception:  # noqa: BLE001 - only a head start: the build reports any problem where it meets it
            pass
    finally:
        if collecting:
            gc.enable()
        with os.fdopen(reading, "rb") as pipe:
            answer = pipe.read()
        _, status = os.waitpid(child, 0)
    if os.waitstatus_to_exitcode(status) == 0 and answer:
        try:
            loaded, found = pickle.loads(answer)  # noqa: S301 - written by the child forked above, in its own pipe
        except Exception:  # noqa: BLE001 - cut short or otherwise unreadable: loaded again below
            pass
        else:
            if found is not None:
                head_start.take(found)
            return loaded
    return load_or_raise(root, today)  # the child failed: here, with its errors as the build always reports them
