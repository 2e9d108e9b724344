"""A real `handouts serve` process on a free localhost port, stopped at the end of each test that starts one."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import REPO, copy_project


@dataclass
class Server:
    """A running server: its base URL, its project folder and what it wrote to stderr so far."""

    url: str
    root: Path
    process: subprocess.Popen
    errors: list[str] = field(default_factory=list)

    def get(self, path: str, method: str = "GET", data: bytes | None = None,
            headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        """One request; returns status, headers and body (error statuses included, never raised)."""
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read()

    def log(self) -> str:
        time.sleep(0.2)  # the server flushes its log line right after the response
        return "\n".join(self.errors)


def start_server(root: Path, *args: str) -> Server:
    """`handouts serve --port 0` in a child process; returns once it printed its address."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--project", str(root), "--port", "0",
                                *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                               cwd=REPO)
    errors: list[str] = []
    threading.Thread(target=lambda: errors.extend(line.rstrip("\n") for line in process.stderr),
                     daemon=True).start()
    deadline = time.monotonic() + 60
    line = ""
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        found = re.search(r"at (http://127\.0\.0\.1:\d+)/", line)
        if found:
            return Server(found.group(1), root, process, errors)
    process.kill()
    raise AssertionError(f"the server did not start: {line!r} {errors}")


def stop(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Server]:
    """The shipped project, served (drafts shown) from a throwaway copy."""
    server = start_server(copy_project(tmp_path / "project"))
    yield server
    stop(server)


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The shipped project, served (drafts shown) from one throwaway copy for the tests of a module that neither
    edit it nor assert on what it has built (a server start costs about 1.3 CPU-s): each still talks to a real
    `handouts serve` process over HTTP."""
    server = start_server(copy_project(tmp_path_factory.mktemp("served") / "project"))
    yield server
    stop(server)
