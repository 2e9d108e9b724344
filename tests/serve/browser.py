"""Real headless Chromium through Selenium, and axe-core, for the front desk tests; each is skipped, with the
reason printed, only where the component is not installed."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.conftest import REPO

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-default-apps", "--disable-extensions", "--no-default-browser-check"]


def chromium(downloads: Path, width: int = 1100, height: int = 900):  # noqa: ANN201 - selenium's WebDriver
    """A headless Chromium with a fresh profile that saves downloads into `downloads`."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.skip("selenium is not installed (pip install selenium)")
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not browser or not driver:
        pytest.skip("Chromium or chromedriver is not installed (Debian: apt-get install chromium chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in [*CHROMIUM_FLAGS, f"--user-data-dir={tempfile.mkdtemp(prefix='chromium-')}",
                 f"--window-size={width},{height}"]:
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    session = webdriver.Chrome(service=Service(driver), options=options)
    session.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    return session


def axe_source() -> str:
    """axe-core's script: $AXE_CORE_JS, or axe-core installed by npm beside the project or globally."""
    candidates = [os.environ.get("AXE_CORE_JS", ""), str(REPO / "node_modules/axe-core/axe.min.js")]
    npm = shutil.which("npm")
    if npm:
        import subprocess

        root = subprocess.run([npm, "root", "-g"], capture_output=True, text=True, check=False).stdout.strip()
        candidates.append(f"{root}/axe-core/axe.min.js")
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate).read_text(encoding="utf-8")
    pytest.skip("axe-core is not installed (npm install axe-core, or set AXE_CORE_JS to its axe.min.js)")


def axe_violations(session) -> list[dict]:  # noqa: ANN001
    """Run axe-core on the page in the browser; every violation with the elements it found."""
    session.execute_script(axe_source())
    return session.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations.map(v => "
        "({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))))"
        ".catch(e => done([{id: 'axe-error', help: String(e), nodes: []}]));")
