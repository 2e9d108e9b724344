"""What every response of the front desk carries, and what every request must be, before any view runs."""

from __future__ import annotations

import ipaddress
import secrets
import socket

from flask import Flask, Response, abort, request

MAX_BODY_BYTES = 4_096  # the only form posted (print) holds a few short fields
MAX_QUERY_BYTES = 2_048
MAX_PATH_BYTES = 512
ALLOWED_METHODS = {"GET", "HEAD", "POST"}

PAGE_POLICY = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
               "frame-src 'self'; frame-ancestors 'none'; base-uri 'none'")
# The HTML companion carries its own inline styles and embeds its logo and QR code as data: URIs; it runs no
# script and may only be framed by the desk's own page.
PREVIEW_POLICY = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; "
                  "frame-ancestors 'self'; base-uri 'none'; sandbox")


def is_loopback(host: str) -> bool:
    """Whether a --host value only reaches this machine: every address it names, as the server binds it, is a
    loopback one (`127.1`, `0x7f.1` and a host name /etc/hosts maps to 127.0.1.1 are; eighteenth pass)."""
    if host == "localhost":
        return True
    name = host.strip("[]")
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        pass
    try:
        found = socket.getaddrinfo(name, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError, ValueError):  # no such host: the server refuses to start
        return False
    addresses = {str(info[4][0]).split("%")[0] for info in found}
    try:
        return bool(addresses) and all(ipaddress.ip_address(address).is_loopback for address in addresses)
    except ValueError:
        return False


def install(app: Flask, host: str, port: int) -> None:
    """Bound request sizes and methods, refuse foreign Host headers (DNS rebinding) on a loopback-only server,
    and add the security and no-caching headers to every response."""
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.config["MAX_FORM_MEMORY_SIZE"] = MAX_BODY_BYTES
    app.config["CSRF_TOKEN"] = secrets.token_urlsafe(24)
    names = {"127.0.0.1", "localhost", "[::1]", host.lower()}
    check_host = is_loopback(host)

    @app.before_request
    def _screen() -> None:
        if request.method not in ALLOWED_METHODS:
            abort(405)
        if len(request.query_string) > MAX_QUERY_BYTES or len(request.path.encode("utf-8")) > MAX_PATH_BYTES:
            abort(414)
        if (request.content_length or 0) > MAX_BODY_BYTES:
            abort(413)
        if request.method == "POST" and not _same_origin():
            abort(403)
        if check_host and _host_and_port(request.host) not in {(name, int(port)) for name in names}:
            abort(421)

    @app.after_request
    def _headers(response: Response) -> Response:
        preview = request.endpoint == "preview"
        response.headers["Content-Security-Policy"] = PREVIEW_POLICY if preview else PAGE_POLICY
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "SAMEORIGIN" if preview else "DENY"
        # Not no-referrer: with it a browser posts forms with "Origin: null", and the print form's origin check
        # would refuse the desk's own page. same-origin sends nothing to any other site.
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        if request.endpoint != "static":
            # Content can change at any save: a cached PDF or page could be an outdated handout.
            response.headers["Cache-Control"] = "no-store"
        return response


def _host_and_port(value: str) -> tuple[str, int]:
    """A Host header's name and port; without a port, http's own (80): a browser leaves it out, and Werkzeug takes
    ":80" off (twenty-sixth pass: a desk on port 80 refused every request, its own address included)."""
    name, colon, number = value.lower().rpartition(":")
    if not colon or value.endswith("]"):  # no port ("localhost", "[::1]")
        return value.lower(), 80
    return (name, int(number)) if number.isascii() and number.isdigit() and len(number) <= 5 else (value, -1)


def _same_origin() -> bool:
    """A form post must come from the desk's own page: the browser's Sec-Fetch-Site or Origin says so, and the
    page's token is in the form."""
    from flask import current_app

    site = request.headers.get("Sec-Fetch-Site")
    if site is not None and site not in ("same-origin", "none"):
        return False
    origin = request.headers.get("Origin")
    if origin is not None and origin != f"{request.scheme}://{request.host}":
        return False
    # As bytes: compare_digest refuses a str holding anything but ASCII (`token=é` was a 500)
    return secrets.compare_digest(request.form.get("token", "").encode("utf-8", "backslashreplace"),
                                  current_app.config["CSRF_TOKEN"].encode("ascii"))
