"""`handouts verify`: is a printed or stored PDF (or HTML companion) still what current, approved content would
produce, and is it the very file the generator made?

Builds are byte-reproducible, so a file is proven authentic when its sha256 is one the generator produced for
the recorded inputs (a manifest entry, or a fresh render of them): anything added to it (overlaid text,
JavaScript, another page) makes it "content current but this file was altered". The file is read once, as a
regular file of bounded size."""

from __future__ import annotations

import hashlib
import io
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from generator import __version__
from generator.content.files import FileRefused, read_bytes
from generator.content.model import Handout, Project
from generator.content.problems import printable
from generator.review.payload import PREFIX, approval_digest, read_review_token, shared_digest
from generator.review.state import handout_state, short

CURRENT, ALTERED, OUTDATED, UNKNOWN = "current", "altered", "outdated", "unknown"
_FULL_FINGERPRINT = re.compile(r"sha256:[0-9a-f]{64}")
# A handout PDF is well under 1 MB (the largest, Chinese, about 150 KB). pypdf holds a PDF string or array
# being parsed at about 20 bytes per byte of the file: a 44 MB PDF with one huge /Keywords took 1 GB before
# the payload could even be bounded, so the file itself is bounded to keep that under 250 MB.
MAX_VERIFY_BYTES = 10_000_000
# The verification data is a few hundred characters (two languages' ids, versions, fingerprints and review
# states, each id and code at most 64 characters) and at most 14 fields: anything longer is not ours, and is not
# split at all (eleven million "a=b;" fields took over 1 GB).
MAX_PAYLOAD_CHARS = 4096
MAX_PAYLOAD_FIELDS = 32
TOO_LARGE = "verification data too large"
SHARED_CHANGED = "page texts, facts, crisis lines or clinic details changed since it was printed"
TOO_SLOW = "the file takes too long to read; not one the generator made"
READ_SECONDS = 10.0
# What `authentic` says of a file that differs from a fresh build and whose verification data names other
# template-side files or logo (its `look=`, render.look) than the project has now.
DRAWN_OTHERWISE, LOOKS = "drawn otherwise", "templates, style, fonts or logo"
# …, or by other generator code than this installation's (its `code=`, render.codedigest): an upgrade, or a copy from
# before the field; the version string is the same from commit to commit.
OTHER_BUILD, BUILT_EARLIER = "another build", "built here by another build"
SHOWN = {CURRENT: "current (identical)", ALTERED: "content current but this file was altered"}
# Whether these bytes are a file the generator made for the payload's inputs (given by the command).
Authentic = Callable[[bytes, dict[str, str], Path], str]  # see authentic.checker


@dataclass(frozen=True)
class Verdict:
    file: str
    status: str
    detail: str = ""

    def format(self) -> str:
        """One line, whatever the file's name or its verification data hold (a line break in a forged field
        printed a verdict line of its own, seventh pass)."""
        line = f"{self.file}: {SHOWN.get(self.status, self.status)}" + (f" ({self.detail})" if self.detail else "")
        return printable(line)


class PayloadTooLarge(ValueError):
    """The file carries the verification prefix followed by more than any payload the generator writes."""


class TooSlow(PayloadTooLarge):
    """Reading the file's verification data or last page took longer than any file the generator makes."""


def read_payload(pdf: Path, data: bytes | None = None) -> dict[str, str] | None:
    """The verification fields from the PDF's metadata (or the HTML's meta tag), or None when there are none;
    PayloadTooLarge when they are longer, or more, than the generator ever writes."""
    if data is None:
        try:
            data = read_bytes(pdf, MAX_VERIFY_BYTES)
        except FileRefused:
            return None
    if pdf.suffix.lower() in (".html", ".htm"):
        found = _read_html(data)
        if found is None:
            return None
        keywords, last_page, maker = found
        author = ""  # the HTML page names no clinic in its metadata: judged on its bytes alone
    else:
        import logging

        from pypdf import PdfReader

        from generator.content.limits import TimeLimit, deadline

        pypdf_log = logging.getLogger("pypdf")
        level = pypdf_log.level
        pypdf_log.setLevel(logging.CRITICAL)  # a damaged file is reported as unknown, not with pypdf's warnings
        started = time.monotonic()
        try:
            # Bounded in time: an 11 KB page drawing one large form 2,000 times kept pypdf's text extraction busy
            # for over 600 s (fifteenth pass); a handout's last page takes some 50 ms.
            with deadline(READ_SECONDS, "reading the PDF"):
                reader = PdfReader(io.BytesIO(data))
                keywords = str((reader.metadata or {}).get("/Keywords", ""))
                maker = str((reader.metadata or {}).get("/Creator", ""))
                author = str((reader.metadata or {}).get("/Author", ""))
                page = reader.pages[-1]
                if PREFIX not in keywords or _draws_forms(page):  # not ours: its pages are never read
                    return None
                last_page = page.extract_text() or ""
            if time.monotonic() > started + READ_SECONDS:  # pypdf catches what the time bound raises, and goes on
                raise TimeLimit("reading the PDF")
        except TimeLimit:
            raise TooSlow(TOO_SLOW) from None
        except Exception:  # noqa: BLE001 - any file may be handed in; whatever it does wrong, it is not ours
            return None
        finally:
            pypdf_log.setLevel(level)
    fields = payload_fields(keywords)
    if fields is None:
        return None
    fields["_last_page"] = last_page
    fields["_maker"] = maker[:80]  # "patient-handouts 0.1.0": which generator says it made the file (unproven)
    fields["_author"] = author[:400]  # the clinic's name it was built for (unproven)
    return fields


def _draws_forms(page: object) -> bool:
    """Whether a page's resources hold a form XObject, which the generator never draws: pypdf's text extraction
    parses a form again at every use (and catches what the time bound raises at each), so an 11 KB page drawing a
    large form 2,000 times took it over 600 s (fifteenth pass)."""
    resources = page.get("/Resources") or {}  # type: ignore[attr-defined]
    objects = resources.get_object().get("/XObject") if hasattr(resources, "get_object") else None
    if not objects:
        return False
    return any(ref.get_object().get("/Subtype") == "/Form" for ref in objects.get_object().values())


def payload_fields(keywords: str) -> dict[str, str] | None:
    """The fields of the verification data in `keywords` (None without it), bounded before it is split."""
    start = keywords.find(PREFIX)
    if start < 0:
        return None
    payload = keywords[start + len(PREFIX):]
    if len(payload) > MAX_PAYLOAD_CHARS or payload.count(";") >= MAX_PAYLOAD_FIELDS:
        raise PayloadTooLarge(TOO_LARGE)
    return dict(item.split("=", 1) for item in payload.split(";") if "=" in item)


def _read_html(data: bytes) -> tuple[str, str, str] | None:
    """The verification meta tag, the page's text (where the fingerprints are printed) and its generator tag."""
    from html.parser import HTMLParser

    class Reader(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.payload, self.text, self.maker = "", [], ""

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            values = dict(attrs)
            if tag == "meta" and values.get("name") == "patient-handouts-verify":
                self.payload = values.get("content") or ""
            elif tag == "meta" and values.get("name") == "generator":
                self.maker = values.get("content") or ""

        def handle_data(self, data: str) -> None:
            self.text.append(data)

    from generator.content.htmlscan import stray_bracket

    try:
        page = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    page = _without_comments(page)  # a comment appended to a page made it "unknown", not "altered" (a judgement
    # call of the nineteenth pass): the file's sha256 still tells the page the generator made from any other
    if stray_bracket(page) != -1:  # not a page the generator made (and one html.parser may choke on)
        return None
    try:
        reader = Reader()
        reader.feed(page)
        reader.close()
    except (AssertionError, ValueError):
        return None
    return reader.payload, " ".join(reader.text), reader.maker


def _without_comments(page: str) -> str:
    """The page with its complete HTML comments taken out, in one pass (an unclosed one is left as it is)."""
    kept, at = [], 0
    while (start := page.find("<!--", at)) != -1 and (end := page.find("-->", start + 4)) != -1:
        kept.append(page[at:start])
        at = end + 3
    return "".join(kept) + page[at:]


def _other_generator(maker: str) -> str:
    """'patient-handouts X' when the file names a version of the generator other than this one, else 'this
    generator'."""
    name, _, version = maker.partition(" ")
    if name != "patient-handouts" or not version or version == __version__:
        return "this generator"
    return f"patient-handouts {printable(version[:30])}"


def verify(project: Project, pdf: Path, today: date, authentic: Authentic | None = None) -> Verdict:
    """current (identical to a file the generator made), altered (current content, changed file), outdated
    (say what changed) or unknown (not ours, or tampered); a bilingual PDF is current only when both of its
    languages are. Without `authentic`, only the content is judged."""
    name = str(pdf)
    try:
        data = read_bytes(pdf, MAX_VERIFY_BYTES)
    except FileRefused as exc:
        return Verdict(name, UNKNOWN, f"this file {exc.reason}")
    try:
        fields = read_payload(pdf, data)
    except PayloadTooLarge as exc:
        return Verdict(name, UNKNOWN, str(exc))
    if fields is None or not {"handout", "lang", "version", "fingerprint", "review"} <= fields.keys():
        return Verdict(name, UNKNOWN, "no patient-handouts verification data")
    languages = [("", fields["lang"])] + ([("second_", fields["second"])] if "second" in fields else [])
    printed = fields["_last_page"].replace("\n", " ")
    for prefix, _ in languages:
        if short(fields.get(f"{prefix}fingerprint", "")) not in printed or not fields.get(f"{prefix}fingerprint"):
            return Verdict(name, UNKNOWN, "the printed fingerprint does not match the metadata; the file was altered")
        if not _FULL_FINGERPRINT.fullmatch(fields[f"{prefix}fingerprint"]):
            # A file's data carries the whole fingerprint (only a page and a QR address print the 12 digits): a
            # short one here was "outdated (content changed: built from X, now X …)" (thirty-seventh pass)
            return Verdict(name, UNKNOWN, f"its verification data carries the fingerprint "
                           f"'{printable(fields[f'{prefix}fingerprint'][:80])}', not the whole one (sha256: and 64 "
                           "hex digits) every file this generator builds carries: made by hand or altered, not "
                           "built by patient-handouts; print it again from a fresh build")
    changes = _changes_in(project, name, fields, languages, today, lambda handout, prefix: fields)
    if isinstance(changes, Verdict):
        return changes
    if changes and (built_for := fields.get("_author")) and built_for != project.settings.clinic.name:
        # Another clinic's copy (a shared output folder, a colleague's printout): not a change since it was printed
        changes.append(f"it was built for the clinic '{printable(built_for[:80])}', and handouts.yaml names "
                       f"'{printable(project.settings.clinic.name[:80])}' (another clinic's copy, or one printed "
                       "before the clinic was renamed)")
    if changes:
        # Whether these bytes are a file this generator built (its sealed log): an outdated authentic copy and an
        # altered one got the same verdict (sixth pass).
        from generator.content.seal import was_built

        made = ("; this very file was built here" if was_built(hashlib.sha256(data).hexdigest()) else
                "; and this file is not one this generator built here (it may have been altered, or built on "
                "another computer)")
        return Verdict(name, OUTDATED, "; ".join(changes) + (made if authentic is not None else ""))
    # Which handout it is, whatever the file is called: a renamed file of another handout is current too.
    what = f"handout '{fields['handout']}' in '{' + '.join(lang for _, lang in languages)}'"
    found = authentic(data, fields, pdf) if authentic is not None else "identical"
    if found.startswith("cannot render: "):  # no comparison made: no word on the bytes, only why
        return Verdict(name, UNKNOWN, f"{what}: its content is current, but the file cannot be compared with a "
                       f"fresh build ({found.removeprefix('cannot render: ')}); fix that and verify again")
    other = _other_generator(fields.get("_maker", ""))
    if found in ("built here", BUILT_EARLIER):
        by = "an earlier build of this generator" if other == "this generator" and found == BUILT_EARLIER else other
        return Verdict(name, OUTDATED, f"{what}: built here with {by} or other templates, style, fonts or "
                       "settings than the project has now; build it again")
    if found != "identical" and other != "this generator":
        # A clinic that upgraded: a file an earlier version made elsewhere differs from this version's byte for byte
        return Verdict(name, UNKNOWN, f"{what}: its content is current, but the file says it was made by "
                       f"{other}, and it is not identical to a fresh build here; it cannot be proven authentic or "
                       f"altered with this version ({__version__}): verify it with that version, or print it again "
                       "from a fresh build")
    if found != "identical" and (built_for := fields.get("_author")) and built_for != project.settings.clinic.name:
        # A copy built before the clinic's settings changed, on a computer whose build log is not this one's
        return Verdict(name, UNKNOWN, f"{what}: its content is current, but the file names the clinic "
                       f"'{printable(built_for[:80])}', and handouts.yaml now names "
                       f"'{printable(project.settings.clinic.name[:80])}': built before a change of clinic settings "
                       "(on a computer whose build log is not here) or altered, it cannot be told which; print it "
                       "again from a fresh build")
    if found == DRAWN_OTHERWISE:
        # A genuine copy printed before a change of templates, style, fonts or logo, verified where its build was
        # not logged (another computer or account) was called altered (thirty-first pass)
        return Verdict(name, UNKNOWN, f"{what}: its content is current, but the file was drawn with other {LOOKS} "
                       "than the project has now: built before they changed (on a computer or account whose build "
                       "log is not here) or altered, it cannot be told which; print it again from a fresh build")
    if found == OTHER_BUILD:
        return Verdict(name, UNKNOWN, f"{what}: its content is current, but the file was made by another build of "
                       f"patient-handouts than this installation's (an earlier or later one: its code differs, though "
                       f"both may say {__version__}): made before an upgrade or altered, it cannot be told which; "
                       "verify it with the installation that built it, or print it again from a fresh build")
    if found != "identical":
        return Verdict(name, ALTERED, f"{what}; sha256 {hashlib.sha256(data).hexdigest()[:12]} is not that of any "
                       "file built from this content; print it again from a fresh build")
    return Verdict(name, CURRENT, what)



def verify_link(project: Project, fields: dict[str, str], today: date) -> Verdict:
    """The fields of a scanned verify_url (handout, lang, version, the fingerprint's 12 printed hex digits, and
    review when the address carries {review}; a bilingual edition's second language as `second`,
    `second_version`, `second_fingerprint`, `second_review`): current, outdated (what changed) or unknown."""
    name = f"{fields.get('handout', '?')} ({fields.get('lang', '?')})"
    if not {"handout", "lang", "version", "fingerprint"} <= fields.keys():
        return Verdict(name, UNKNOWN, "the address lacks the handout, language, version or fingerprint")
    languages = [("", fields["lang"])]
    if "second" in fields:
        if not {"second_version", "second_fingerprint"} <= fields.keys() or fields["second"] == fields["lang"]:
            return Verdict(name, UNKNOWN, "the address names a second language without its version or fingerprint")
        languages.append(("second_", fields["second"]))
    changes = _changes_in(project, name, fields, languages, today,
                          lambda handout, prefix: _printed(project, handout, fields, prefix, today))
    if isinstance(changes, Verdict):
        return changes
    return Verdict(name, OUTDATED, "; ".join(changes)) if changes else Verdict(name, CURRENT)


def _changes_in(project: Project, name: str, fields: dict[str, str], languages: list[tuple[str, str]], today: date,
                printed: Callable[[Handout, str], dict[str, str]]) -> list[str] | Verdict:
    """What changed since the copy was made, language by language (`printed`: the fields as the copy has them);
    an unknown verdict when the project lacks the handout in one of its languages."""
    changes: list[str] = []
    for prefix, lang in languages:
        try:
            handout = project.handout(fields["handout"], lang)
        except StopIteration:
            return Verdict(name, UNKNOWN, f"handout '{fields['handout']}' in '{lang}' is not in this project")
        changes += _changes(printed(handout, prefix), prefix, handout, today, project,
                            f"{lang}: " if len(languages) > 1 else "")
    return changes


def _printed(project: Project, handout: Handout, fields: dict[str, str], prefix: str, today: date
             ) -> dict[str, str]:
    """One language's fields of a scanned address, as `_changes` compares them."""
    state, _, fingerprint = handout_state(project, handout, today)
    printed = {key: value for key, value in fields.items() if key.startswith(prefix)}
    if printed[f"{prefix}fingerprint"] == short(fingerprint):
        printed[f"{prefix}fingerprint"] = fingerprint  # the address carries the short form printed on the page
    if f"{prefix}review" in printed:
        printed.update({prefix + key: value for key, value in read_review_token(printed[f"{prefix}review"]).items()})
    else:  # an address without {review}: the review state it was printed with is not known
        printed.update({f"{prefix}review": state.status,
                        f"{prefix}approved": state.review.date if state.approved else ""})
    return printed


def _changes(fields: dict[str, str], prefix: str, handout: Handout, today: date, project: Project,
             label: str) -> list[str]:
    """What changed since the PDF was made, for the language whose fields start with `prefix`."""
    state, _, fingerprint = handout_state(project, handout, today)
    changes = []
    if (then := fields.get(f"{prefix}fingerprint", "")) != fingerprint:
        # Two whole fingerprints alike in their first 12 digits (only a forged one can be): said whole, never
        # "built from X, now X" (thirty-seventh pass)
        was, now = (short(then), short(fingerprint)) if short(then) != short(fingerprint) else (then, fingerprint)
        changes.append(f"{label}content changed: built from {printable(was[:80])}, now {now}")
    if fields.get(f"{prefix}version") != handout.version:
        changes.append(f"{label}version {fields.get(f'{prefix}version')} → {handout.version}")
    approved_then = fields.get(f"{prefix}approved", "")
    approved_now = state.review.date if state.approved else ""
    if f"{prefix}shared" in fields and fields[f"{prefix}shared"] != shared_digest(project, handout.lang):
        changes.append(f"{label}{SHARED_CHANGED}")
    if fields.get(f"{prefix}review") != state.status or approved_then != approved_now:
        was, now = fields.get(f"{prefix}review"), state.status
        if approved_then and approved_now:  # the same text approved again: the dates are what changed
            was, now = f"approved on {approved_then}", f"approved on {approved_now}"
        changes.append(f"{label}review state was '{was}', now '{now}'")
    elif state.approved and fields.get(f"{prefix}approval", approval_digest(state)) != approval_digest(state):
        changes.append(f"{label}approval recorded again on {approved_now}: the reviewer, role or next review date "
                       "printed on it changed")
    return changes
