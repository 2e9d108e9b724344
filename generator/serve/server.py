"""`handouts serve`: the front desk on waitress, a production WSGI server, bound to this machine by default."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from generator.serve.security import MAX_BODY_BYTES, is_loopback

THREADS = 4
MAX_CONNECTIONS = 32
MAX_HEADER_BYTES = 8_192
REQUEST_SECONDS = 10  # to send a whole request (line, headers, body): a slow client cannot hold a connection


def serve(root: Path, host: str, port: int, release: bool, out: Path | None, printer: str,
          echo: Callable[[str], None], warn: Callable[[str], None]) -> None:
    """Check the project, then serve it until interrupted; prints the address (and warnings) first."""
    from waitress import create_server

    from generator.batch.many import output_folders
    from generator.build import UsageProblem, validate
    from generator.content.outputplace import default_output
    from generator.content.problems import ContentError, printable
    from generator.content.project import placeholder_problems
    from generator.serve.app import create_app
    from generator.serve.messages import missing_languages
    from generator.serve.printing import PrintError, valid_printer_name

    root = root.resolve()
    if out is None:
        default_output(root)  # PROJECT/output may not be a link leading out of the project (checked per build too)
    else:
        output_folders([root], out)  # never inside content/, templates/ or docs/: a usage error, as for build
    project, problems = validate(root)  # a broken project is refused like `handouts build` refuses it
    if release and (unfilled := placeholder_problems(project.settings)):
        raise ContentError([replace(p, hint=f"{p.hint}; --release refuses placeholders") for p in unfilled])
    for problem in problems.warnings:
        warn(problem.format())
    printer = printer or project.settings.printer
    if printer and not valid_printer_name(printer):
        raise PrintError(f"'{printer[:80]}' is not a valid CUPS printer name")
    if not is_loopback(host):
        warn(f"warning: serving on {host}, not only on this computer: anyone who can reach this address can "
             "see and print every handout; use --host 127.0.0.1 unless the clinic's network needs this")
    for lang in missing_languages(list(project.settings.languages)):
        warn(f"warning: the /verify page has no sentences in '{lang}'; it answers in "
             f"'{project.settings.source_language}' for that language (add them in generator/serve/messages.py)")
    holder: dict[str, Callable] = {}
    try:
        server = create_server(lambda environ, start: holder["app"](environ, start), host=host, port=port,
                               threads=THREADS, connection_limit=MAX_CONNECTIONS, channel_timeout=30,
                               max_request_header_size=MAX_HEADER_BYTES, max_request_body_size=MAX_BODY_BYTES,
                               clear_untrusted_proxy_headers=True, ident="handouts", cleanup_interval=2)
    except ValueError:  # waitress: no such address ("localhost:80", "", a mistyped number): was a traceback
        raise UsageProblem(f"--host '{printable(host[:80])}' is not an address this computer can listen on; give "
                           "127.0.0.1 (this computer only), ::1, or one of its network addresses, and the port "
                           "with --port") from None
    _bound_requests(server)
    bound = int(server.effective_port)  # --port 0 picks a free port (waitress gives it as text)
    holder["app"] = create_app(root, out, release, host, bound, printer, warn)
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host  # --host [::1] as well as ::1
    mode = "release: approved handouts only" if release else "drafts shown, marked DRAFT"
    echo(f"serving {printable(root.name)} at http://{shown}:{bound}/ ({mode}); press Ctrl+C to stop")
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


def _bound_requests(server: object) -> None:
    """Close a connection that has not sent its whole request within REQUEST_SECONDS of starting it.

    waitress only closes idle connections, and every byte counts as activity: 40 clients sending one header
    line every 5 s (a "slowloris") held all 32 connections for an hour and the desk answered no one (fourth
    hostile pass). Here each request is timed from its first byte, whatever trickles in after it. And each
    connection serves one request, then closes: 34 clients keeping theirs alive with a tiny request every 8 s
    held every connection too (fifth pass); closed, each must queue again behind the patient's."""
    import time

    from waitress.channel import HTTPChannel
    from waitress.task import WSGITask

    class OneRequestTask(WSGITask):
        def build_response_header(self) -> bytes:
            self.set_close_on_finish()  # says "Connection: close" and closes once the answer is sent
            return bytes(super().build_response_header())

    class TimedChannel(HTTPChannel):
        started = 0.0  # when the request being received began
        task_class = OneRequestTask

        def received(self, data: bytes) -> bool:
            if self.request is None and data:
                self.started = time.time()
            return bool(super().received(data))

    server.channel_class = TimedChannel  # type: ignore[attr-defined]
    idle = server.maintenance  # type: ignore[attr-defined]

    def maintenance(now: float) -> None:
        idle(now)
        for channel in list(server.active_channels.values()):  # type: ignore[attr-defined]
            if channel.request is not None and not channel.requests and \
                    now - getattr(channel, "started", now) > REQUEST_SECONDS:
                channel.will_close = True

    server.maintenance = maintenance  # type: ignore[attr-defined]
