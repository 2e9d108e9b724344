"""The /verify page a printed QR code opens: the code is read back from a rendered page with zbarimg, the page
says "current" in the handout's language, and after a content edit and rebuild the old printout is "outdated"."""

from __future__ import annotations

import shutil
import subprocess
import urllib.parse
from pathlib import Path

import pytest

from tests.conftest import copy_project, run
from tests.serve.conftest import Server, start_server, stop

VERIFY_URL = ("https://desk.clinic.example/verify?handout={handout}&lang={lang}&version={version}"
              "&fingerprint={fingerprint}&review={review}")


def scanned(pdf: Path, tmp_path: Path) -> str:
    """The handout's one QR code, as a phone would read it from paper (pdftoppm, then zbarimg)."""
    if not shutil.which("zbarimg") or not shutil.which("pdftoppm"):
        pytest.skip("zbarimg or pdftoppm is not installed (Debian: apt-get install zbar-tools poppler-utils)")
    image = tmp_path / f"{pdf.stem}-scan"  # every page: the code sits beside the provenance line, and a
    # 150 dpi: the 22 mm code of an address with its `shared=` digest is a version 8 code (modules of 0.45 mm,
    # under two pixels at 100 dpi; a phone's camera resolves far finer: twenty-fifth pass)
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(image)],  # Sources list may follow it
                   check=True, capture_output=True)
    codes = []
    for png in sorted(tmp_path.glob(f"{image.name}-*.png")):
        result = subprocess.run(["zbarimg", "--raw", "-q", str(png)], capture_output=True, text=True)
        codes += [line for line in result.stdout.splitlines() if line]
        png.unlink()
    assert len(codes) == 1, codes
    return codes[0]


def opened(server: Server, address: str) -> tuple[str, str]:
    """Open a scanned address on the desk's server (the clinic's https name stands for it): verdict, page."""
    parts = urllib.parse.urlsplit(address)
    assert parts.scheme == "https" and parts.path == "/verify"
    status, _, body = server.get(f"{parts.path}?{parts.query}")
    assert status == 200
    page = body.decode()
    return page.split('data-verdict="', 1)[1].split('"', 1)[0], page


def test_a_scanned_code_is_current_then_outdated_after_an_edit(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    with (root / "handouts.yaml").open("a", encoding="utf-8") as settings:
        settings.write(f'verify_url: "{VERIFY_URL}"\n')
    assert run("build", "microdosing", "--lang", "es", "-j", "1", "--project", root).exit_code == 0
    pdf = root / "output/es/microdosing.pdf"
    old_code = scanned(pdf, tmp_path)
    assert old_code.startswith("https://desk.clinic.example/verify?handout=microdosing&lang=es&version=1.1.0")
    server = start_server(root)
    try:
        verdict, page = opened(server, old_code)
        assert verdict == "current"
        assert 'lang="es"' in page and "Sí. Esta hoja informativa está al día" in page
        assert "todavía no ha sido revisada" in page  # current, but a draft: said so

        content = root / "content/es/microdosing.yaml"  # a content edit while the server runs
        text = content.read_text(encoding="utf-8")
        content.write_text(text.replace("summary: \"", "summary: \"Revisado. ", 1), encoding="utf-8")
        assert run("build", "microdosing", "--lang", "es", "-j", "1", "--project", root).exit_code == 0
        verdict, page = opened(server, old_code)
        assert verdict == "outdated"
        assert "Pida a la clínica una copia nueva" in page and "El texto ha cambiado" in page
        new_code = scanned(pdf, tmp_path)
        assert new_code != old_code and opened(server, new_code)[0] == "current"
    finally:
        stop(server)


def test_the_verify_page_speaks_the_handouts_language(desk: Server) -> None:
    page = desk.get("/verify?handout=microdosing&lang=ar&version=0.1.0&fingerprint=000000000000")[2].decode()
    assert '<html lang="ar" dir="rtl">' in page and "لا. هذه النشرة قديمة" in page
    page = desk.get("/verify?handout=microdosing&lang=zh-Hans&version=1.0.0&fingerprint=000000000000")[2].decode()
    assert "不是。这份资料已过期" in page


def test_unknown_or_malformed_codes_are_unknown(desk: Server) -> None:
    for query in ["", "handout=nothing&lang=es&version=1.0.0&fingerprint=0123456789ab",
                  "handout=microdosing&lang=xx&version=1.0.0&fingerprint=0123456789ab",
                  "handout=../../etc/passwd&lang=es&version=1&fingerprint=1", "handout=microdosing&lang=es"]:
        status, _, body = desk.get(f"/verify?{query}")
        assert status == 200 and 'data-verdict="unknown"' in body.decode(), query
