"""Run batches of work in forked worker processes, results in submission order, one pool for a whole build.

The work function and everything it reads are set before forking: workers inherit them, nothing is pickled
but the batches (small tuples) and the results. A build starts its workers before its last checks have run
(`start`), and stops them unheard (`Running.abort`) when a check fails: they only ever render into memory.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Sequence
from typing import Any

_work: Callable[[Any], Any] | None = None  # set before forking


def _run_batch(batch: Sequence[Any]) -> list[Any]:
    assert _work is not None
    return [_work(item) for item in batch]


class Running:
    """Batches handed to worker processes, or waiting to run in this one when there is no pool."""

    def __init__(self, batches: list[list[Any]], progress: Callable[[int], None], pool: Any = None) -> None:
        self.batches, self.progress, self.pool = batches, progress, pool
        self.futures = [pool.submit(_run_batch, batch) for batch in batches] if pool is not None else []

    def results(self) -> list[Any]:
        """Every item's result, batch after batch in the order given (here, when there is no pool)."""
        results: list[Any] = []
        if self.pool is None:
            for batch in self.batches:
                results.extend(_run_batch(batch))
                self.progress(len(batch))
            return results
        try:
            for future, batch in zip(self.futures, self.batches, strict=True):  # output never depends on scheduling
                results.extend(future.result())
                self.progress(len(batch))
        except BaseException:
            self.abort()
            raise
        self.pool.shutdown()
        return results

    def abort(self) -> None:
        """Stop the workers without waiting for what they are rendering (a check failed; nothing is written)."""
        if self.pool is None:
            return
        # Python 3.14 has terminate_workers(); before it, the executor's own table of its processes. No future
        # is cancelled first: the executor marks every one broken once its workers are gone (before 3.12 it
        # fails, in its own thread, on a future already cancelled).
        terminate = getattr(self.pool, "terminate_workers", None)
        if terminate is not None:
            terminate()
        else:
            for process in list(getattr(self.pool, "_processes", {}).values()):
                process.terminate()
        # A worker stopped while it sent a result leaves half a message in the result pipe, and the executor's
        # thread (and so shutdown) would wait for the rest forever. With this process's end of the pipe closed
        # too (each worker's end closes as it dies), that thread reads the pipe's end instead and gives up.
        writer = getattr(getattr(self.pool, "_result_queue", None), "_writer", None)
        if writer is not None:
            writer.close()
        self.pool.shutdown(wait=True)
        self.pool = None
        self.batches = []


def _nothing() -> None:
    """A first task: submitting it forks the workers."""


def _fork(workers: int) -> Any:
    import gc
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Keep the collector away from everything the workers inherit: a collection in a worker would write to
    # (and so copy) the pages it shares with this process; frozen, the modules and projects stay shared.
    gc.freeze()
    # Ctrl-C reaches the whole process group: a worker waiting for work printed its KeyboardInterrupt traceback
    # (thirtieth pass). Blocked across the fork, ignored in each worker before it is unblocked there; here it
    # stays pending and is acted on once unblocked, so none is lost.
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGINT])
    try:
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                                   initializer=_start_worker, initargs=(os.getpid(),))
        pool.submit(_nothing)  # the first submission forks every worker
        return pool
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        gc.unfreeze()  # the workers are forked: this process's own garbage may be collected again


def start(work: Callable[[Any], Any], batches: list[list[Any]], workers: int, progress: Callable[[int], None],
          before_fork: Callable[[], None] = lambda: None) -> Running:
    """Hand the batches to `workers` forked processes (each batch runs whole in one), or keep them for this
    process when one worker, one batch or no fork is all there is; `results()` collects them in order."""
    global _work
    _work = work
    if workers <= 1 or len(batches) <= 1 or not can_fork():
        return Running(batches, progress)
    before_fork()
    pool = _fork(min(workers, len(batches)))
    try:
        return Running(batches, progress, pool)
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise


def run(work: Callable[[Any], Any], batches: list[list[Any]], workers: int, progress: Callable[[int], None],
        before_fork: Callable[[], None] = lambda: None) -> list[Any]:
    """Every item's result, batch after batch in the order given; each batch runs whole in one process."""
    return start(work, batches, workers, progress, before_fork).results()


def _start_worker(parent: int) -> None:
    """In a worker: leave Ctrl-C to the building process (it stops the workers); exit once that process is gone
    (killed), instead of waiting for work forever."""
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGINT])

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def can_fork() -> bool:
    """Whether worker processes can be forked here (not on Windows)."""
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()
