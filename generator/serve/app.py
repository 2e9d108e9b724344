"""The front desk's web application: find a handout, choose language, edition and paper, preview, download,
print, and the /verify page a printed QR code opens. Read-only for content: it only builds output files."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from flask import Flask, Response, abort, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from generator.build import Edition, ReleaseRefused, RenderFailed, UsageProblem
from generator.content.files import FileRefused, WriteError
from generator.content.model import PAPER_SIZES
from generator.content.names import BadName
from generator.content.problems import ContentError, printable
from generator.render.fonts import FontConfigError
from generator.render.styles import StyleError
from generator.render.template import TemplateError
from generator.serve import security
from generator.serve.catalog import EDITIONS, Catalog, CatalogCache
from generator.serve.ondemand import Builder, NotServable, Served
from generator.serve.verifypage import settings_only, unchecked_context, verify_context

BUILD_ERRORS = (ContentError, ReleaseRefused, RenderFailed, UsageProblem, WriteError, FontConfigError, StyleError,
                TemplateError, NotServable)
EDITION_LABELS = {"standard": "Standard", "large": "Large print", "bilingual": "Bilingual"}


@dataclass(frozen=True)
class Choice:
    """A request's handout, language, edition and paper, each checked against what the project offers."""

    handout: str
    lang: str
    edition_name: str
    edition: Edition
    paper: str
    # The catalog the request was checked against: the page says what it checked (a file saved between two reads of
    # the catalog, one with a handout and one without, was a KeyError: thirty-fifth pass)
    cat: Catalog = field(compare=False, repr=False)

    def query(self) -> dict[str, str]:
        return {"edition": self.edition_name, "paper": self.paper}


def create_app(root: Path, out: Path | None, release: bool, host: str, port: int, printer: str,
               log: Callable[[str], None]) -> Flask:
    """The Flask application for one handout project."""
    here = Path(__file__).parent
    app = Flask(__name__, template_folder=str(here / "templates"), static_folder=str(here / "static"))
    security.install(app, host, port)
    catalogs = CatalogCache(root)
    builder = Builder(root, out, release, log)

    last: dict[str, object] = {}  # the clinic and source language of the last good load, for /verify meanwhile

    def catalog() -> Catalog:
        try:
            cat = catalogs.get()
        except ContentError as exc:
            abort(_problem_page(exc))
        last.update(clinic=cat.project.settings.clinic, source=cat.source)
        return cat

    def choice(handout: str, args: dict[str, str], need_handout: bool = True) -> Choice:
        """The request's choices, each checked against the project; anything else is a 400 or 404 page."""
        cat = catalog()
        lang = args.get("lang") or cat.source
        if lang not in {language.code for language in cat.languages}:
            abort(404, f"no language '{lang[:40]}' in this project")
        edition_name = args.get("edition") or "standard"
        if edition_name not in EDITIONS:
            abort(400, "edition must be standard, large or bilingual")
        paper = args.get("paper") or cat.project.settings.paper
        if paper not in PAPER_SIZES:
            abort(400, "paper must be letter or a4")
        if (need_handout or handout) and handout not in cat.handout_ids():
            abort(404, "no such handout in this project")
        second = cat.source if edition_name == "bilingual" else ""
        if second and second == lang:
            abort(400, f"a bilingual edition pairs a language with {cat.source}: choose another language")
        if handout and not cat.offered(handout, lang, second, release):
            abort(404, "this handout is not approved in that language, so it is not offered (release mode)"
                  if release else "this handout is not available in that language")
        return Choice(handout, lang, edition_name, Edition(edition_name == "large", second), paper, cat)

    def built(chosen: Choice, fmt: str) -> Served:
        try:
            # The load the request was checked against: one read again meanwhile may lack the handout (thirty-fifth
            # pass: a StopIteration); the build reads the project itself, and refuses a handout gone since.
            return builder.get(chosen.cat.project, chosen.handout, chosen.lang, chosen.edition, chosen.paper, fmt)
        except ContentError as exc:
            abort(_problem_page(exc))
        except BadName:  # removed since the request was checked (a bug line: thirty-fifth pass)
            abort(404, "this handout or language is no longer in the project (removed meanwhile); reload the page")
        except BUILD_ERRORS as exc:
            abort(500, f"could not build this handout: {str(exc)[:500]}")

    @app.get("/")
    def index() -> str:
        # Echoed on the page: control and direction characters (an escape, U+202E) are dropped, never shown.
        query = "".join(ch for ch in request.args.get("q", "")[:200] if ch.isprintable())
        chosen = choice(request.args.get("handout", ""), request.args, need_handout=False)
        cat = chosen.cat
        results = cat.search(query, chosen.lang, release) if query.strip() else \
            [h for h in cat.handout_ids() if cat.offered(h, chosen.lang, "", release)]
        detail, served = None, None
        if chosen.handout:
            detail = cat.entries[chosen.handout, chosen.lang]
            served = built(chosen, "pdf")
        return render_template(
            "index.html", cat=cat, query=query, chosen=chosen, results=results, detail=detail,
            entry=served.entry if served else None, release=release, printer=printer, editions=EDITION_LABELS,
            papers=PAPER_SIZES, token=app.config["CSRF_TOKEN"], as_of=_long_date,
            direction_of={language.code: language.direction for language in cat.languages})

    @app.get("/pdf/<lang>/<handout>.pdf")
    def pdf(lang: str, handout: str) -> Response:
        chosen = choice(handout, {**request.args, "lang": lang})
        served = built(chosen, "pdf")
        name = served.entry["file"].replace("/", "-") if isinstance(served.entry.get("file"), str) else "handout.pdf"
        disposition = "attachment" if request.args.get("download") == "1" else "inline"
        return Response(served.data, mimetype="application/pdf",
                        headers={"Content-Disposition": f'{disposition}; filename="{name}"'})

    @app.get("/preview/<lang>/<handout>")
    def preview(lang: str, handout: str) -> Response:
        chosen = choice(handout, {**request.args, "lang": lang})
        return Response(built(chosen, "html").data, mimetype="text/html")

    @app.post("/print")
    def print_handout() -> str:
        from generator.serve.printing import MAX_COPIES, PrintError, PrintUnconfirmed, print_pdf

        if not printer:
            abort(404, "no printer is configured for this desk (printer: in handouts.yaml)")
        chosen = choice(request.form.get("handout", ""), dict(request.form))
        copies = request.form.get("copies", "1")
        if not (copies.isascii() and copies.isdigit()) or not 1 <= int(copies) <= MAX_COPIES:
            abort(400, f"copies must be a number from 1 to {MAX_COPIES}")
        served = built(chosen, "pdf")
        back = url_for("index", handout=chosen.handout, lang=chosen.lang, **chosen.query())
        # The title of what is sent, read now: the project may change (or break) while CUPS takes the job, and a
        # job sent must be said to be sent (thirty-first pass: a 503 "the project has errors" page after it).
        now = catalog().entries.get((chosen.handout, chosen.lang))
        if now is None:  # removed while it was built (a KeyError, a bug line: thirty-fifth pass): withdrawn, not sent
            abort(404, "this handout was removed from the project while it was being built; nothing was printed")
        title = now.title
        try:
            job = print_pdf(served.data, printer, int(copies), f"{chosen.handout} ({chosen.lang})")
        except PrintError as exc:
            unsure = isinstance(exc, PrintUnconfirmed)  # "Not printed" would have staff print it again
            return render_template("message.html", title="Perhaps not printed" if unsure else "Not printed",
                                   message=str(exc), back=back), 503
        log(f"printed {served.entry.get('file')}: {job.describe()}")
        return render_template("message.html", title="Sent to the printer", back=back,
                               message=f"{title}: {job.describe()}.")

    @app.get("/verify")
    def verify() -> str:
        # A patient scanning a QR code while the project has an error (a fact past its review-by date at midnight)
        # is told, in the handout's language, that it could not be checked; the staff's list goes to the log.
        try:
            cat = catalogs.get()
        except ContentError as exc:
            first = printable(exc.problems[0].format().splitlines()[0]) if exc.problems else ""
            log(f"error: GET /verify: the project has {len(exc.problems)} error(s), so no handout can be checked "
                f"(`handouts check` lists them): {first}")
            if not last:  # no good load yet in this server: the settings alone, when they can be read
                last.update(settings_only(root))
            return render_template("verify.html", **unchecked_context(request.args, last.get("clinic"),
                                                                      str(last.get("source", "en"))))
        last.update(clinic=cat.project.settings.clinic, source=cat.source)
        return render_template("verify.html", **verify_context(cat, request.args, date.today()))

    @app.errorhandler(HTTPException)
    def error(exc: HTTPException) -> Response | tuple[str, int]:
        if exc.response is not None:
            return exc.response
        return render_template("message.html", title=f"{exc.code} {exc.name}",
                               message=exc.description or exc.name), exc.code or 500

    @app.errorhandler(OSError)
    @app.errorhandler(FileRefused)
    def unreadable(exc: OSError | FileRefused) -> tuple[str, int]:
        # A file or folder the server's user cannot read: the desk says which, and what to do (not "a bug").
        if isinstance(exc, FileRefused):
            shown, why = printable(exc.path or "a file"), exc.reason
        else:
            shown, why = printable(str(exc.filename or "a file")), f"cannot be read ({exc.strerror or exc})"
        shown = shown.removeprefix(f"{root}/")
        log(f"error: {request.method} {request.path}: {shown}: {why}")
        return render_template("message.html", title="A project file cannot be read",
                               message=f"{shown} {why}. Check its permissions (the user running handouts serve "
                                       "must be able to read it), then reload this page."), 503

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> tuple[str, int]:
        # A bug, not a request's fault: one line in the server's log, a plain page for the desk, no traceback.
        log(f"error: {request.method} {request.path}: {type(exc).__name__}: {str(exc)[:300]} (report this)")
        return render_template("message.html", title="Something went wrong",
                               message="The server could not answer this request; it was logged. Try again, or "
                                       "tell whoever runs handouts serve."), 500

    return app


def _problem_page(exc: ContentError) -> Response:
    """The project cannot be read: every problem, as `handouts check` would list it."""
    lines = [problem.format() for problem in exc.problems][:50]
    html = render_template("message.html", title="The handout project has errors",
                           message="Fix these (handouts check lists them too), then reload this page.", lines=lines)
    return Response(html, status=503, mimetype="text/html")


def _long_date(iso: str) -> str:
    from babel.dates import format_date

    return format_date(date.fromisoformat(iso), format="long", locale="en") if iso else ""
