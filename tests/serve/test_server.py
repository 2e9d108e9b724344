"""`handouts serve` over real HTTP: search, detail, on-demand builds (once under concurrency), release mode,
the /verify page, headers, and hostile requests."""

from __future__ import annotations

import hashlib
import http.client
import io
import json
import re
import socket
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

from pypdf import PdfReader

from tests.conftest import copy_project, run
from tests.serve.conftest import Server, start_server, stop

PSILOCYBIN = "psilocybin-assisted-therapy"


def manifest(root: Path) -> dict[str, dict]:
    return {e["file"]: e for e in json.loads((root / "output" / "manifest.json").read_text(encoding="utf-8"))}


def test_search_finds_handouts_by_title_or_summary_in_any_language(desk: Server) -> None:
    def found(query: str, lang: str = "en") -> list[str]:
        status, _, body = desk.get(f"/?q={quote(query)}&lang={lang}")
        assert status == 200
        return re.findall(r'href="/\?handout=([a-z0-9-]+)', body.decode())

    assert found("psilocybin")[0] == PSILOCYBIN  # the title that starts with the word comes first
    assert set(found("psilocybin")) == {PSILOCYBIN, "ketamine-or-psilocybin", "microdosing"}
    assert found("esketamina", "es") == ["esketamine-nasal-spray"]  # a Spanish word
    assert PSILOCYBIN in found("السيلوسيبين", "ar")  # an Arabic word
    assert PSILOCYBIN in found("ПСИЛОЦИБИН")  # Russian, in capitals, while the page is in English
    assert found("裸盖菇素", "zh-Hans")[0] == PSILOCYBIN  # Chinese: no spaces between words
    assert PSILOCYBIN in found("lieu phap ho tro", "vi")  # Vietnamese typed without its diacritics
    assert "microdosing" in found("vi lieu", "vi")  # "vi liều": microdosing
    assert found("dieu tri", "vi") == ["ketamine-or-psilocybin"]  # "điều trị": đ typed as d
    assert found("nothing-like-this") == []


def test_language_picker_names_languages_in_their_own_script_clinic_order(desk: Server) -> None:
    body = desk.get("/")[2].decode()
    options = re.findall(r'<option value="([^"]+)"[^>]*>([^<]+)</option>', body.split('id="edition"')[0])
    assert [code for code, _ in options] == ["en", "es", "ar", "zh-Hans", "vi", "ru"]  # as in handouts.yaml
    names = dict(options)
    assert names["ar"].startswith("العربية") and names["ru"].startswith("русский")
    assert names["zh-Hans"].startswith("中文")


def test_detail_shows_pages_review_state_and_builds_on_demand(served: Server) -> None:
    assert not (served.root / "output").exists()
    status, _, body = served.get(f"/?handout={PSILOCYBIN}&lang=ar&edition=large&paper=a4")
    page = body.decode()
    assert status == 200
    status, _, data = served.get(f"/pdf/ar/{PSILOCYBIN}.pdf?edition=large&paper=a4")
    pdf = PdfReader(io.BytesIO(data))
    assert f'<dd id="pages">{len(pdf.pages)}</dd>' in page
    assert round(float(pdf.pages[0].mediabox.width)) == 595  # A4 as chosen
    # The output folder holds the project's paper (Letter) only: its file names do not say the paper.
    assert not (served.root / "output" / "manifest.json").exists()
    assert "<strong>DRAFT</strong>" in page and "not approved for patients" in page
    assert "Current as of</dt><dd>December 6, 2026 (sources checked)" in page
    assert "العلاج بمساعدة السيلوسيبين" in page
    assert f"built ar/{PSILOCYBIN}.large.pdf on a4" in served.log()
    status, _, body = served.get(f"/?handout={PSILOCYBIN}&lang=ar&edition=large")
    entry = manifest(served.root)[f"ar/{PSILOCYBIN}.large.pdf"]
    assert round(float(PdfReader(served.root / "output" / entry["file"]).pages[0].mediabox.width)) == 612


def test_downloads_and_preview_are_the_built_files(served: Server) -> None:
    run("build", "--project", served.root, "--lang", "es", "-j", "1", "--format", "pdf,html")
    before = manifest(served.root)
    status, headers, data = served.get(f"/pdf/es/{PSILOCYBIN}.pdf?download=1")
    assert status == 200 and headers["Content-Type"] == "application/pdf"
    assert headers["Content-Disposition"].startswith("attachment;")
    assert hashlib.sha256(data).hexdigest() == before[f"es/{PSILOCYBIN}.pdf"]["sha256"]
    status, headers, html = served.get(f"/preview/es/{PSILOCYBIN}")
    assert status == 200 and hashlib.sha256(html).hexdigest() == before[f"es/{PSILOCYBIN}.html"]["sha256"]
    assert "sandbox" in headers["Content-Security-Policy"]
    assert "built" not in served.log()  # both were current: nothing was rebuilt


def test_concurrent_requests_for_one_file_build_it_once(served: Server) -> None:
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda _: served.get(f"/pdf/ru/{PSILOCYBIN}.pdf"), range(6)))
    assert {status for status, _, _ in results} == {200}
    assert len({data for _, _, data in results}) == 1
    assert served.log().count(f"built ru/{PSILOCYBIN}.pdf") == 1


def test_every_response_carries_security_and_no_cache_headers(desk: Server) -> None:
    for path in ["/", f"/pdf/en/{PSILOCYBIN}.pdf", "/verify", "/no-such-page"]:
        _, headers, _ = desk.get(path)
        assert "default-src 'none'" in headers["Content-Security-Policy"], path
        assert headers["Cache-Control"] == "no-store", path
        assert headers["X-Content-Type-Options"] == "nosniff"
    body = desk.get("/")[2].decode()
    assert not re.search(r'(src|href)="(https?:)?//', body)  # nothing from another host


def test_hostile_requests_are_refused(desk: Server) -> None:
    secret = desk.root / "handouts.yaml"
    for path in ["/pdf/../handouts.yaml", "/pdf/es/..%2F..%2Fhandouts.yaml.pdf", "/pdf/es/%2e%2e.pdf",
                 f"/pdf/../../{PSILOCYBIN}.pdf", "/static/../handouts.yaml", "/static/%2e%2e/%2e%2e/handouts.yaml",
                 f"/pdf/xx/{PSILOCYBIN}.pdf", "/pdf/es/no-such-handout.pdf", f"/preview/es/{PSILOCYBIN}/../x",
                 f"/?handout=../{PSILOCYBIN}", "/?lang=../../etc", f"/pdf/es/{PSILOCYBIN}.pdf?edition=../x",
                 f"/pdf/es/{PSILOCYBIN}.pdf?paper=a3", "/output/manifest.json", "/manifest.json"]:
        status, _, body = desk.get(path)
        assert status in (400, 404), (path, status)
        assert secret.read_bytes() not in body
    for method in ["PUT", "DELETE", "PATCH", "TRACE", "OPTIONS", "PROPFIND"]:
        assert desk.get("/", method=method)[0] == 405, method
    assert desk.get("/?q=" + "x" * 5000)[0] == 414
    assert desk.get("/print", method="POST", data=b"x" * 100_000)[0] in (404, 413)
    assert desk.get("/", headers={"Host": "attacker.example"})[0] == 421  # DNS rebinding
    assert desk.get("/", headers={"X-" + "a" * 20: "b" * 20_000})[0] == 431
    assert desk.get("/verify?handout=<script>&lang=en&version=1&fingerprint=1")[2].find(b"<script>") < 0


def test_a_raw_flood_of_garbage_does_not_stop_the_server(desk: Server) -> None:
    host, port = desk.url.removeprefix("http://").split(":")
    for garbage in [b"\x00\xff" * 5000, b"GET /" + b"A" * 70_000 + b" HTTP/1.1\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n"]:
        with socket.create_connection((host, int(port)), timeout=10) as sock:
            try:
                sock.sendall(garbage)
                sock.shutdown(socket.SHUT_WR)
                sock.recv(1000)
            except OSError:
                pass  # the server may hang up on garbage before it was all sent: what matters is what follows
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    connection.request("GET", "/")
    assert connection.getresponse().status == 200


def test_release_mode_offers_only_approved_handouts(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    result = run("approve", "--project", root, root / "content/en" / f"{PSILOCYBIN}.yaml", root / "content/en/ui.yaml",
                 root / "content/facts.yaml", "--reviewer", "Test Reviewer", "--role", "test role (not a person)")
    assert result.exit_code == 0, result.output
    server = start_server(root, "--release")
    try:
        page = server.get("/?lang=en")[2].decode()
        assert re.findall(r'href="/\?handout=([a-z0-9-]+)', page) == [PSILOCYBIN]
        assert "DRAFT" not in page.split("</form>")[1]
        assert server.get("/?handout=microdosing&lang=en")[0] == 404  # a draft is not offered at all
        assert server.get("/pdf/en/microdosing.pdf")[0] == 404
        assert server.get(f"/pdf/es/{PSILOCYBIN}.pdf")[0] == 404  # approved in English only
        status, _, data = server.get(f"/pdf/en/{PSILOCYBIN}.pdf")
        assert status == 200 and "DRAFT" not in PdfReader(server.root / "output/en" / f"{PSILOCYBIN}.pdf"
                                                           ).pages[0].extract_text()
    finally:
        stop(server)


def test_binding_elsewhere_warns_and_a_broken_project_is_refused(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    # 192.0.2.1 is a documentation address no machine has: the warning comes first, then binding fails cleanly.
    result = run("serve", "--project", root, "--host", "192.0.2.1", "--port", "0")
    assert "warning: serving on 192.0.2.1, not only on this computer" in result.output
    assert result.exit_code == 1 and "error: " in result.output and "Traceback" not in result.output
    (root / "content/es/microdosing.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    result = run("serve", "--project", root, "--port", "0")
    assert result.exit_code == 1
    assert "content/es/microdosing.yaml:" in result.output


def test_the_default_address_is_this_computer_only(desk: Server) -> None:
    assert desk.url.startswith("http://127.0.0.1:")
    port = int(desk.url.rsplit(":", 1)[1])
    tables = [Path("/proc/net/tcp"), Path("/proc/net/tcp6")]
    if not tables[0].exists():
        return  # not Linux: the printed address above is what can be checked
    listening = [line.split()[1] for table in tables if table.exists()
                 for line in table.read_text().splitlines()[1:] if line.split()[3] == "0A"]  # 0A: LISTEN
    ours = [address for address in listening if int(address.rsplit(":", 1)[1], 16) == port]
    assert ours == ["0100007F:" + f"{port:04X}"], ours  # 127.0.0.1 only, on no other address


def test_bilingual_edition_pairs_the_language_with_the_source(served: Server) -> None:
    status, _, data = served.get(f"/pdf/es/{PSILOCYBIN}.pdf?edition=bilingual")
    assert status == 200
    entry = manifest(served.root)[f"es/{PSILOCYBIN}.es-en.pdf"]
    assert entry["second_lang"] == "en" and hashlib.sha256(data).hexdigest() == entry["sha256"]
    status, _, body = served.get(f"/?handout={PSILOCYBIN}&lang=en&edition=bilingual")
    assert status == 400 and "pairs a language with en" in body.decode()


def test_a_content_error_while_serving_is_shown_like_check_shows_it(served: Server) -> None:
    assert served.get("/")[0] == 200
    broken = served.root / "content/ru/microdosing.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("version:", "version: [", 1), encoding="utf-8")
    status, headers, body = served.get("/?q=ketamine")
    assert status == 503 and "content/ru/microdosing.yaml:" in body.decode()
    assert "Traceback" not in served.log()


def test_release_mode_refuses_to_start_with_placeholder_settings(tmp_path: Path) -> None:
    assert run("init", tmp_path / "clinic").exit_code == 0
    result = run("serve", "--project", tmp_path / "clinic", "--release", "--port", "0")
    assert result.exit_code == 1
    assert "is still a placeholder" in result.output and "--release refuses placeholders" in result.output


def test_a_tampered_or_linked_output_file_is_never_served(served: Server) -> None:
    path = f"/pdf/es/{PSILOCYBIN}.pdf"
    original = served.get(path)[2]
    pdf = served.root / "output/es" / f"{PSILOCYBIN}.pdf"
    pdf.write_bytes(original + b"\n% TAKE TEN TIMES THE DOSE\n")  # altered after the build
    assert served.get(path)[2] == original  # rebuilt, as build would: the altered bytes never leave
    pdf.unlink()
    pdf.symlink_to(served.root / "handouts.yaml")  # a link planted in the output folder
    status, _, data = served.get(path)
    assert status == 200 and data == original and not pdf.is_symlink()


def test_an_unreadable_output_folder_is_a_page_not_a_traceback(served: Server) -> None:
    (served.root / "output").write_text("a file where the output folder should be", encoding="utf-8")
    status, _, body = served.get(f"/pdf/es/{PSILOCYBIN}.pdf")
    assert status == 500 and b"%PDF" not in body
    assert "Traceback" not in served.log()


def test_an_unreadable_language_folder_is_named_on_the_desk(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """Third hostile pass: a language folder the server's user cannot read (mode 000) gave "Something went
    wrong"; the desk now lists it, with the fix, as `handouts check` does."""
    from generator.serve.app import create_app
    from tests.hardening.hostile import refuse_reads

    root = copy_project(tmp_path / "project")
    logged: list[str] = []
    app = create_app(root, None, False, "127.0.0.1", 8000, "", logged.append)
    refuse_reads(monkeypatch, root / "content" / "es")
    for path in ("/", "/preview/en/microdosing"):
        response = app.test_client().get(path, headers={"Host": "127.0.0.1:8000"})
        page = response.get_data(as_text=True)
        assert response.status_code == 503, (path, page[:300])
        assert "the folder content/es/ cannot be read (Permission denied)" in page and "chmod u+rx" in page, path
    # The patient's /verify page says the handout could not be checked; the server's log names the folder
    # (twenty-seventh pass: a patient was shown the staff's problem list).
    response = app.test_client().get("/verify?handout=microdosing&lang=es", headers={"Host": "127.0.0.1:8000"})
    assert response.status_code == 200 and 'data-verdict="unknown"' in response.get_data(as_text=True)
    assert any("content/es/ cannot be read" in line for line in logged), logged
