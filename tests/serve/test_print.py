"""`handouts print` and the desk's Print button through a real CUPS with a virtual PDF printer (cups-pdf):
the printed PDF has the handout's page count, CUPS records the copies, and missing pieces are clear errors."""

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import REPO, copy_project, run
from tests.serve.conftest import start_server, stop

CUPS_PDF_CONF = Path("/etc/cups/cups-pdf.conf")


def _cups_pdf_queue() -> str:
    """The name of a running CUPS's cups-pdf queue, or skip saying what is missing."""
    if not shutil.which("lp") or not shutil.which("lpstat"):
        pytest.skip("CUPS clients are not installed (Debian: apt-get install cups cups-bsd printer-driver-cups-pdf)")
    if "is running" not in subprocess.run(["lpstat", "-r"], capture_output=True, text=True,
                                          env={**os.environ, "LC_ALL": "C"}).stdout:
        pytest.skip("the CUPS scheduler is not running (start cupsd; .ci/run does)")
    devices = subprocess.run(["lpstat", "-v"], capture_output=True, text=True, env={**os.environ, "LC_ALL": "C"})
    for name in re.findall(r"^device for (\S+): cups-pdf:/", devices.stdout, flags=re.MULTILINE):
        options = subprocess.run(["lpoptions", "-p", name, "-l"], capture_output=True, text=True).stdout
        if "DuplexNoTumble" not in options:  # the one-sided virtual printer
            return name
    pytest.skip("no one-sided cups-pdf queue in CUPS (lpadmin -p PDF -E -v cups-pdf:/ -P .../CUPS-PDF_opt.ppd)")


@pytest.fixture(scope="module")
def queue() -> str:
    return _cups_pdf_queue()


def printed_file(job_id: str, seconds: float = 90) -> Path:
    """The PDF cups-pdf wrote for a job: in its Out folder (cups-pdf.conf), named ...-job_<N>.pdf."""
    out = "${HOME}/PDF"
    if CUPS_PDF_CONF.is_file():
        for line in CUPS_PDF_CONF.read_text(encoding="utf-8").splitlines():
            if line.startswith("Out "):
                out = line.split(None, 1)[1].strip()
    user = pwd.getpwuid(os.getuid())
    folder = Path(out.replace("${HOME}", user.pw_dir).replace("${USER}", user.pw_name))
    number = job_id.rsplit("-", 1)[-1]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = sorted(folder.glob(f"*job_{number}.pdf")) if folder.is_dir() else []
        if found:
            time.sleep(0.5)  # cups-pdf sets the file's mode after Ghostscript finished writing it
            return found[0]
        time.sleep(0.3)
    raise AssertionError(f"cups-pdf wrote no file for job {job_id} in {folder} within {seconds} s")


ATTRIBUTES = ("copies", "sides", "job-state", "job-impressions-completed", "job-media-sheets-completed")


def job_attributes(queue: str, job_id: str, seconds: float = 90) -> dict[str, str]:
    """A job's attributes as CUPS recorded them once it completed (ipptool Get-Job-Attributes); {} without
    ipptool."""
    if not shutil.which("ipptool"):
        return {}
    test = ('{ NAME "job" OPERATION Get-Job-Attributes GROUP operation-attributes-tag '
            'ATTR charset attributes-charset utf-8 ATTR naturalLanguage attributes-natural-language en '
            'ATTR uri printer-uri $uri ATTR integer job-id ' + job_id.rsplit("-", 1)[-1] + ' '
            'ATTR name requesting-user-name $user ' + " ".join(f"DISPLAY {a}" for a in ATTRIBUTES) + ' }')
    deadline = time.monotonic() + seconds
    while True:
        result = subprocess.run(["ipptool", "-t", f"ipp://localhost/printers/{queue}", "/dev/stdin"], input=test,
                                capture_output=True, text=True, timeout=30)
        found = dict(re.findall(r"^\s+([a-z-]+) \([^)]*\) = (\S+)", result.stdout, flags=re.MULTILINE))
        if found.get("job-state") == "completed" or time.monotonic() > deadline:
            return found
        time.sleep(0.3)


def test_print_two_copies_gives_a_cups_job_with_the_handouts_pages(tmp_path: Path, queue: str) -> None:
    root = copy_project(tmp_path / "project")
    result = run("print", "microdosing", "--lang", "es", "--copies", "2", "--printer", queue, "--project", root)
    assert result.exit_code == 0, result.output
    job_id = re.search(rf"job ({re.escape(queue)}-\d+) on {re.escape(queue)}: 2 copies", result.output).group(1)
    entries = json.loads((root / "output/manifest.json").read_text(encoding="utf-8"))
    entry = next(e for e in entries if e["file"] == "es/microdosing.pdf")
    printed = printed_file(job_id)
    assert len(PdfReader(printed).pages) == entry["pages"] == len(PdfReader(root / "output/es/microdosing.pdf").pages)
    assert "Microdosis" in PdfReader(printed).pages[0].extract_text()
    attributes = job_attributes(queue, job_id)
    if attributes:
        assert attributes["copies"] == "2"
        assert attributes.get("sides", "one-sided") == "one-sided"  # cups-pdf offers no duplex: none was asked
    assert "one-sided (the printer cannot print both sides)" in result.output


def test_the_desk_print_button_sends_the_chosen_handout(tmp_path: Path, queue: str) -> None:
    root = copy_project(tmp_path / "project")
    with (root / "handouts.yaml").open("a", encoding="utf-8") as settings:
        settings.write(f"printer: {queue}\n")  # the clinic's printer, from its settings
    server = start_server(root)
    try:
        page = server.get("/?handout=ketamine-assisted-therapy&lang=ar&edition=large")[2].decode()
        token = re.search(r'name="token" value="([^"]+)"', page).group(1)
        assert f"Print on {queue}</button>" in page and 'id="copies"' in page
        form = {"token": token, "handout": "ketamine-assisted-therapy", "lang": "ar", "edition": "large",
                "paper": "letter", "copies": "1"}
        status, _, body = server.get("/print", "POST", urllib.parse.urlencode(form).encode())
        assert status == 200, body
        job_id = re.search(rf"job ({re.escape(queue)}-\d+)", body.decode()).group(1)
        built = server.root / "output/ar/ketamine-assisted-therapy.large.pdf"
        assert len(PdfReader(printed_file(job_id)).pages) == len(PdfReader(built).pages)
        forged = urllib.parse.urlencode({**form, "token": "guess"}).encode()
        assert server.get("/print", "POST", forged)[0] == 403
        other_site = {"Origin": "https://attacker.example", "Sec-Fetch-Site": "cross-site"}
        assert server.get("/print", "POST", urllib.parse.urlencode(form).encode(), other_site)[0] == 403
        assert server.get("/print", "POST", urllib.parse.urlencode({**form, "copies": "500"}).encode())[0] == 400
    finally:
        stop(server)


def test_an_unknown_printer_is_a_clear_error(tmp_path: Path, queue: str) -> None:
    result = run("print", "microdosing", "--lang", "es", "--printer", "no-such-printer", "--project",
                 copy_project(tmp_path / "project"))
    assert result.exit_code == 1
    assert "CUPS has no printer named 'no-such-printer'; printers: " in result.output and queue in result.output


def test_a_stopped_scheduler_is_a_clear_error(tmp_path: Path) -> None:
    if not shutil.which("lp"):
        pytest.skip("CUPS clients are not installed")
    # CUPS_SERVER pointing at a socket nobody listens on is what the clients see when cupsd is not running.
    env = {**os.environ, "CUPS_SERVER": str(tmp_path / "no-cupsd.sock")}
    result = subprocess.run([sys.executable, "-m", "generator", "print", "microdosing", "--lang", "es",
                             "--project", str(copy_project(tmp_path / "project"))],
                            capture_output=True, text=True, env=env, cwd=REPO, timeout=120)
    assert result.returncode == 1, result.stderr
    assert "the CUPS scheduler (cupsd) is not running" in result.stderr and "Traceback" not in result.stderr


def test_without_cups_print_says_what_to_install(tmp_path: Path) -> None:
    env = {**os.environ, "PATH": str(Path(sys.executable).parent)}  # no lp, no lpstat
    result = subprocess.run([sys.executable, "-m", "generator", "print", "microdosing", "--lang", "es",
                             "--project", str(copy_project(tmp_path / "project"))],
                            capture_output=True, text=True, env=env, cwd=REPO, timeout=120)
    assert result.returncode == 1
    assert "CUPS is not installed: no 'lp' command" in result.stderr
    assert not (tmp_path / "project/output").exists()  # checked before anything was built


def test_a_printer_with_duplex_prints_on_both_sides(tmp_path: Path, queue: str) -> None:
    listed = subprocess.run(["lpoptions", "-p", "PDF-duplex", "-l"], capture_output=True, text=True)
    if "DuplexNoTumble" not in listed.stdout:
        pytest.skip("no duplex-capable virtual printer 'PDF-duplex' in CUPS (.ci/components adds it)")
    root = copy_project(tmp_path / "project")
    result = run("print", "psilocybin-assisted-therapy", "--lang", "vi", "--printer", "PDF-duplex", "--project", root)
    assert result.exit_code == 0, result.output
    assert "1 copy, two-sided" in result.output
    job_id = re.search(r"job (PDF-duplex-\d+)", result.output).group(1)
    pages = len(PdfReader(root / "output/vi/psilocybin-assisted-therapy.pdf").pages)
    attributes = job_attributes("PDF-duplex", job_id)
    if not attributes:
        pytest.skip("ipptool is not installed (Debian: cups-ipp-utils); the job's sides cannot be read back")
    assert attributes["sides"] == "two-sided-long-edge" and attributes["job-state"] == "completed"
    assert int(attributes["job-impressions-completed"]) == pages
    assert int(attributes["job-media-sheets-completed"]) == (pages + 1) // 2  # both sides of each sheet


def test_the_print_button_in_a_real_browser(tmp_path: Path, queue: str) -> None:
    from selenium.webdriver.common.by import By

    from tests.serve.browser import chromium
    from tests.serve.test_browser import navigates

    root = copy_project(tmp_path / "project")
    server = start_server(root, "--printer", queue)
    browser = chromium(tmp_path)
    try:
        browser.get(server.url + "/?handout=microdosing&lang=ru")
        copies = browser.find_element(By.ID, "copies")
        copies.clear()
        copies.send_keys("3")
        navigates(browser, browser.find_element(By.ID, "print").click)
        assert browser.find_element(By.TAG_NAME, "h1").text == "Sent to the printer"
        job_id = re.search(rf"job ({re.escape(queue)}-\d+)", browser.page_source).group(1)
        assert "3 copies" in browser.page_source
        assert len(PdfReader(printed_file(job_id)).pages) == len(PdfReader(root / "output/ru/microdosing.pdf").pages)
    finally:
        browser.quit()
        stop(server)
