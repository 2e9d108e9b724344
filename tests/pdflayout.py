"""pdfminer's reading of a PDF (its pages' objects, no layout analysis), made once per file for the whole test run.

Several tests on every pytest-xdist worker read the same PDFs of the shared builds (tests/conftest.py), and pdfminer
takes about 0.13 CPU-s a handout; unpickling its result takes a fifth of that. So a reading is kept in this process
and, when the test session names one (HANDOUTS_TEST_LAYOUTS), in a folder every worker shares, keyed by the file's
bytes: a file changed or rebuilt is read again.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from functools import cache
from pathlib import Path
from typing import Any

SHARED = "HANDOUTS_TEST_LAYOUTS"  # the folder, set by tests/conftest.py for the session


def layouts(pdf: Path) -> list[Any]:
    """Every page of `pdf` as pdfminer's LTPage (laparams=None: objects in drawing order); do not change them."""
    data = pdf.read_bytes()
    return _read(hashlib.sha256(data).hexdigest(), str(pdf))


@cache
def _read(digest: str, path: str) -> list[Any]:
    folder = os.environ.get(SHARED)
    kept = Path(folder) / f"{digest}.pickle" if folder else None
    if kept is not None and kept.is_file():
        try:
            return pickle.loads(kept.read_bytes())  # noqa: S301 (written by this test session's own processes)
        except (OSError, EOFError, pickle.UnpicklingError):
            pass  # a worker's write cut short: read the PDF again
    from pdfminer.high_level import extract_pages

    pages = list(extract_pages(path, laparams=None))
    if kept is not None:
        kept.parent.mkdir(parents=True, exist_ok=True)
        partial = kept.with_name(f"{kept.name}.{os.getpid()}.tmp")
        partial.write_bytes(pickle.dumps(pages, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(partial, kept)  # whole or absent, for the other workers
    return pages
