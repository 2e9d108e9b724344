"""The front desk in a real headless Chromium: search, pick Arabic, download the same bytes as the build,
keyboard only, 320 px wide, and no axe-core violations in English and Arabic."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import run
from tests.serve.browser import axe_violations, chromium
from tests.serve.conftest import Server

PSILOCYBIN = "psilocybin-assisted-therapy"


@pytest.fixture
def browser(tmp_path: Path) -> Iterator:
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    session = chromium(downloads)
    session.downloads = downloads
    yield session
    session.quit()


def navigates(browser, action) -> None:  # noqa: ANN001
    """Do something that loads a new page, and wait until the new page has replaced the old one."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    old = browser.find_element(By.TAG_NAME, "html")
    action()

    def replaced(_: object) -> bool:
        # chromedriver reports a node of the old page either as stale or, racing the new page's load, as "Node with
        # given id does not belong to the document" (a plain WebDriverException): both mean it was replaced.
        try:
            old.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as exc:
            if "does not belong to the document" in str(exc):
                return True
            raise

    WebDriverWait(browser, 60).until(replaced)
    WebDriverWait(browser, 60).until(lambda b: b.execute_script("return document.readyState") == "complete")


def wait_for_download(folder: Path, seconds: float = 60) -> Path:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        done = [p for p in folder.iterdir() if p.suffix == ".pdf"]
        if done and not any(p.suffix == ".crdownload" for p in folder.iterdir()):
            return done[0]
        time.sleep(0.2)
    raise AssertionError(f"no download in {seconds} s: {list(folder.iterdir())}")


def test_search_pick_arabic_download_gives_the_built_bytes(served: Server, browser) -> None:  # noqa: ANN001
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    result = run("build", "--project", served.root, "--lang", "ar", "-j", "1")
    assert result.exit_code == 0, result.output
    built = (served.root / "output/ar" / f"{PSILOCYBIN}.pdf").read_bytes()
    browser.get(served.url + "/")
    navigates(browser, lambda: browser.find_element(By.ID, "q").send_keys("psilocybin", Keys.ENTER))
    assert "3 handouts for “psilocybin”" in browser.find_element(By.ID, "results-heading").text
    navigates(browser, browser.find_element(By.CSS_SELECTOR, f'a[href*="handout={PSILOCYBIN}"]').click)
    Select(browser.find_element(By.ID, "lang")).select_by_visible_text("العربية — Arabic")
    navigates(browser, browser.find_element(By.ID, "show").click)
    assert browser.find_element(By.ID, "detail-heading").text == "العلاج بمساعدة السيلوسيبين"
    assert "DRAFT" in browser.find_element(By.CSS_SELECTOR, ".draft").text
    browser.switch_to.frame(browser.find_element(By.CSS_SELECTOR, "iframe.preview"))  # the HTML companion
    assert browser.find_element(By.TAG_NAME, "h1").text == "العلاج بمساعدة السيلوسيبين"
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("dir") == "rtl"
    browser.switch_to.default_content()
    browser.find_element(By.ID, "download").click()
    downloaded = wait_for_download(browser.downloads)
    assert hashlib.sha256(downloaded.read_bytes()).hexdigest() == hashlib.sha256(built).hexdigest()
    assert f"built ar/{PSILOCYBIN}.pdf" not in served.log()  # the build's file was current: not rebuilt


def test_the_page_works_with_the_keyboard_alone(desk: Server, browser) -> None:  # noqa: ANN001
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(desk.url + "/")
    keys = ActionChains(browser)
    keys.send_keys(Keys.TAB).perform()  # the skip link comes first
    assert browser.switch_to.active_element.text == "Skip to content"
    navigates(browser, lambda: browser.find_element(By.ID, "q").send_keys("ketamine", Keys.ENTER))  # Enter submits
    for _ in range(12):  # Tab through the form to the first result, then follow it with Enter
        keys.send_keys(Keys.TAB).perform()
        if "handout=" in (browser.switch_to.active_element.get_attribute("href") or ""):
            break
    navigates(browser, keys.send_keys(Keys.ENTER).perform)
    assert browser.find_element(By.ID, "detail-heading").text
    outline = browser.find_element(By.ID, "download")
    browser.execute_script("arguments[0].focus()", outline)
    assert browser.execute_script("return getComputedStyle(arguments[0]).outlineStyle", outline) == "solid"


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_no_accessibility_violations_and_nothing_wider_than_320_px(desk: Server, browser, lang: str) -> None:  # noqa: ANN001
    for path in [f"/?q=psilocybin&handout={PSILOCYBIN}&lang={lang}", f"/verify?handout={PSILOCYBIN}&lang={lang}"
                 "&version=1.0.0&fingerprint=000000000000"]:
        browser.set_window_size(1100, 900)
        browser.get(desk.url + path)
        violations = axe_violations(browser)
        assert violations == [], violations
        browser.set_window_size(320, 700)
        scroll = browser.execute_script("return document.documentElement.scrollWidth")
        width = browser.execute_script("return document.documentElement.clientWidth")
        assert scroll <= width, f"{path}: the page is {scroll} px wide in a {width} px window"


def test_axe_reports_a_violation_on_a_page_that_has_one(browser) -> None:  # noqa: ANN001
    browser.get("data:text/html,<html><body><img src='x.png'><input type='text'></body></html>")
    found = {violation["id"] for violation in axe_violations(browser)}
    assert {"image-alt", "label"} <= found  # the check can fail: an unlabelled field and an image without text
