"""Run `handouts` commands each in its own process, as a user would, without paying for Python's start-up and the
generator's imports at every command: a server process imports them once, then forks one child per command.

The child is a real, separate process: it changes to the command's folder, gets the memory limit, writes to its
own standard output and error (files the caller reads), and exits with the command's exit code; it starts from
modules that are only imported (nothing run), so no command sees what an earlier one did. A command that outlives
its timeout is killed with everything it started, and `subprocess.TimeoutExpired` is raised, as `subprocess.run`
would. About 0.3 s of each command's run is the imports: the adversarial corpus runs some 300 commands.

    python -m tests.cliserver       (the server: one JSON request per line on stdin, one answer per line)
"""

from __future__ import annotations

import atexit
import json
import os
import resource
import select
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


class CliServer:
    """The client side: one server process, started on first use, one command at a time."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[str] | None = None
        self._folder = Path(tempfile.mkdtemp(prefix="cliserver-"))

    def run(self, args: list[str], cwd: Path, memory: int | None, timeout: float,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        """`handouts ARGS` in a fresh child process in `cwd`, under an address-space limit of `memory` bytes (None:
        no limit), with `env` or else this process's environment as it is now."""
        process = self._started()
        out, err = self._folder / "stdout", self._folder / "stderr"
        request = {"args": args, "cwd": str(cwd), "memory": memory, "timeout": timeout,
                   "stdout": str(out), "stderr": str(err), "env": dict(os.environ if env is None else env)}
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(json.dumps(request) + "\n")
        process.stdin.flush()
        answer = json.loads(process.stdout.readline() or '{"error": "the server ended"}')
        if "error" in answer:
            raise RuntimeError(f"cliserver: {answer['error']}")
        stdout, stderr = (path.read_bytes().decode("utf-8", errors="replace") for path in (out, err))
        if answer["timed_out"]:
            raise subprocess.TimeoutExpired(["handouts", *args], timeout, stdout, stderr)
        return subprocess.CompletedProcess(["handouts", *args], answer["returncode"], stdout, stderr)

    def close(self) -> None:
        """End the server (it ends by itself, too, when its standard input closes)."""
        if self._process is not None:
            assert self._process.stdin is not None
            self._process.stdin.close()
            self._process.wait(timeout=30)
            self._process = None

    def _started(self) -> subprocess.Popen[str]:
        if self._process is None or self._process.poll() is not None:
            env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
            self._process = subprocess.Popen([sys.executable, "-m", "tests.cliserver"], stdin=subprocess.PIPE,
                                             stdout=subprocess.PIPE, text=True, encoding="utf-8", env=env,
                                             cwd=REPO)
        return self._process


_SHARED: list[CliServer] = []


def shared() -> CliServer:
    """This process's one server (the `cli_server` fixture's, and the helpers' that have no fixture at hand)."""
    if not _SHARED:
        _SHARED.append(CliServer())
        atexit.register(_SHARED[0].close)  # waited for: its commands' time is counted as this process's children's
    return _SHARED[0]


def handouts(*args: str | Path, memory: int | None = None, timeout: float = 120,
             env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m generator ARGS` in a process of its own, as `subprocess.run(..., capture_output=True,
    text=True)` would give it (exit code, standard output and error), in `cwd` (else the current folder)."""
    return shared().run([str(a) for a in args], cwd or Path.cwd(), memory, timeout, env)


def _preload() -> None:
    """Import what a command imports; nothing is run (every memo and registry stays empty)."""
    import babel.dates  # noqa: F401
    import fontTools.ttLib  # noqa: F401
    import jinja2.sandbox  # noqa: F401
    import PIL.ImageFont  # noqa: F401
    import reportlab.pdfgen.canvas  # noqa: F401
    import reportlab.platypus  # noqa: F401

    import generator.build  # noqa: F401
    import generator.cli  # noqa: F401
    import generator.incremental  # noqa: F401
    import generator.render.checks  # noqa: F401
    import generator.render.layout  # noqa: F401
    import generator.render.localize  # noqa: F401
    import generator.render.template  # noqa: F401


def _child(request: dict) -> None:
    """In the forked child: become the command, as `python -m generator ARGS` would be; never returns."""
    code: object = 1
    try:
        os.setpgid(0, 0)  # its own group: a timeout kills the command and every worker it started
        for fd, name, flags in ((0, os.devnull, os.O_RDONLY), (1, request["stdout"], os.O_WRONLY | os.O_CREAT
                                | os.O_TRUNC), (2, request["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)):
            opened = os.open(name, flags, 0o600)
            os.dup2(opened, fd)
            os.close(opened)
        os.environ.clear()
        os.environ.update(request["env"])
        os.chdir(request["cwd"])
        if request["memory"] is not None:
            resource.setrlimit(resource.RLIMIT_AS, (request["memory"], request["memory"]))
        sys.argv = ["handouts", *request["args"]]
        from generator.cli import main

        main(args=request["args"], prog_name="handouts")
        code = 0
    except SystemExit as exc:
        code = exc.code
    except BaseException:  # what Python would print and exit with; the tests then see the traceback
        traceback.print_exc()
        code = 1
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        sys.stderr.flush()
        code = 1
    os._exit(code)


def _wait(pid: int, timeout: float) -> tuple[int, bool]:
    """The child's exit code (as subprocess reports it: -N for a signal) and whether it was killed for time."""
    deadline = time.monotonic() + timeout
    handle = os.pidfd_open(pid)
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([handle], [], [], left)[0]:
                os.killpg(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return -signal.SIGKILL, True
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return os.waitstatus_to_exitcode(status), False
    finally:
        os.close(handle)


def serve() -> None:
    """Answer requests on stdin until it closes."""
    _preload()
    channel = sys.stdout
    for line in sys.stdin:
        request = json.loads(line)
        channel.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            _child(request)
        code, timed_out = _wait(pid, float(request["timeout"]))
        try:  # workers a command left behind in its group (none should) end with it
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        channel.write(json.dumps({"returncode": code, "timed_out": timed_out}) + "\n")
        channel.flush()


if __name__ == "__main__":
    serve()
