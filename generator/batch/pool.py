"""Run batches of work in forked worker processes, results in submission order, one pool for a whole build.

The work function and everything it reads are set before forking: workers inherit them, nothing is pickled
but the batches (small tuples) and the results.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from typing import Any

_work: Callable[[Any], Any] | None = None  # set before forking


def _run_batch(batch: Sequence[Any]) -> list[Any]:
    assert _work is not None
    return [_work(item) for item in batch]


def run(work: Callable[[Any], Any], batches: list[list[Any]], workers: int, progress: Callable[[int], None],
        before_fork: Callable[[], None] = lambda: None) -> list[Any]:
    """Every item's result, batch after batch in the order given; each batch runs whole in one process."""
    global _work
    _work = work
    results: list[Any] = []
    if workers <= 1 or len(batches) <= 1 or not _can_fork():
        for batch in batches:
            results.extend(_run_batch(batch))
            progress(len(batch))
        return results
    import gc
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    before_fork()
    # Keep the collector away from everything the workers inherit: a collection in a worker would write to
    # (and so copy) the pages it shares with this process; frozen, the modules and projects stay shared.
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=min(workers, len(batches)),
                                 mp_context=multiprocessing.get_context("fork"),
                                 initializer=_exit_with_parent, initargs=(os.getpid(),)) as pool:
            futures = [pool.submit(_run_batch, batch) for batch in batches]
            try:
                for future, batch in zip(futures, batches, strict=True):  # output never depends on scheduling
                    results.extend(future.result())
                    progress(len(batch))
            except BaseException:
                for future in futures:
                    future.cancel()
                raise
    finally:
        gc.unfreeze()  # a watch session builds again and again; let this build's garbage be collected
    return results


def _exit_with_parent(parent: int) -> None:
    """In a worker: exit once the building process is gone (killed), instead of waiting for work forever."""
    import threading

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()
