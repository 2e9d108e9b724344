"""Run batches of work in forked worker processes, results in submission order, one pool for a whole build.

The work function and everything it reads are set before forking: workers inherit them, nothing is pickled
but the batches (small tuples) and the results. A build starts its workers before its last checks have run
(`start`), and stops them unheard (`Running.abort`) when a check fails: they only ever render into memory.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from typing import Any

_work: Callable[[Any], Any] | None = None  # set before forking
_adopt: Callable[[Any], None] | None = None  # set before forking: takes what the batches share
_adopted = ""  # in a worker forked ahead: the digest of the shared data it has taken


def _run_batch(batch: Sequence[Any], shared: tuple[str, bytes] | None = None) -> list[Any]:
    global _adopted
    assert _work is not None
    if shared is not None and shared[0] != _adopted:
        import pickle

        # Our own pickle, made by the process that forked this one and sent through the pool's pipe: trusted
        # as the process's own memory is (nothing is read from any file).
        assert _adopt is not None
        _adopt(pickle.loads(shared[1]))  # noqa: S301
        _adopted = shared[0]
    return [_work(item) for item in batch]


class Running:
    """Batches handed to worker processes, or waiting to run in this one when there is no pool."""

    def __init__(self, batches: list[list[Any]], progress: Callable[[int], None], pool: Any = None,
                 shared: tuple[str, bytes] | None = None) -> None:
        self.batches, self.progress, self.pool = batches, progress, pool
        self.futures = [pool.submit(_run_batch, batch, shared) for batch in batches] if pool is not None else []

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
        self.pool.shutdown(wait=True)
        self.pool = None
        self.batches = []


class Ahead:
    """Worker processes forked before their work is known: they load what rendering needs (ReportLab, the
    fonts) while this process loads and checks the project, which it then sends them with their batches."""

    def __init__(self, work: Callable[[Any], Any], workers: int, in_worker: Callable[[], None],
                 adopt: Callable[[Any], None]) -> None:
        global _work, _adopt
        _work, _adopt = work, adopt
        self.workers = workers
        self.pool: Any = _fork(workers, in_worker)
        try:
            self.pool.submit(_nothing)  # the first submission forks every worker, now
        except BaseException:
            self.close()
            raise

    def start(self, batches: list[list[Any]], progress: Callable[[int], None], shared: Any) -> Running:
        """Hand the batches, and the data they share (pickled once here, taken once by each worker), over."""
        import hashlib
        import pickle

        data = pickle.dumps(shared, protocol=pickle.HIGHEST_PROTOCOL)
        running = Running(batches, progress, self.pool, (hashlib.sha256(data).hexdigest(), data))
        self.pool = None  # the Running shuts it down
        return running

    def close(self) -> None:
        """Stop the workers (a check failed, or there is nothing for them to do)."""
        if self.pool is not None:
            Running([], lambda n: None, self.pool).abort()
            self.pool = None


def _nothing() -> None:
    """A first task: submitting it forks the workers."""


def _fork(workers: int, in_worker: Callable[[], None]) -> Any:
    import gc
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Keep the collector away from everything the workers inherit: a collection in a worker would write to
    # (and so copy) the pages it shares with this process; frozen, the modules and projects stay shared.
    gc.freeze()
    try:
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                                   initializer=_start_worker, initargs=(os.getpid(), in_worker))
        pool.submit(_nothing)  # the first submission forks every worker
        return pool
    finally:
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
    pool = _fork(min(workers, len(batches)), lambda: None)
    try:
        return Running(batches, progress, pool)
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise


def run(work: Callable[[Any], Any], batches: list[list[Any]], workers: int, progress: Callable[[int], None],
        before_fork: Callable[[], None] = lambda: None) -> list[Any]:
    """Every item's result, batch after batch in the order given; each batch runs whole in one process."""
    return start(work, batches, workers, progress, before_fork).results()


def _start_worker(parent: int, in_worker: Callable[[], None]) -> None:
    """In a worker: exit once the building process is gone (killed), instead of waiting for work forever."""
    import threading

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()
    try:
        in_worker()
    except Exception:  # noqa: BLE001, S110 - only a head start: a failing initializer would break the pool
        pass


def can_fork() -> bool:
    """Whether worker processes can be forked here (not on Windows)."""
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()
