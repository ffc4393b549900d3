"""A real browser (Debian's headless Chromium, driven by Selenium) against ``jixiao serve``.

Uploads the demo sheet, sees 98.81 and 优, opens the findings, creates a round, adds files and
downloads the summary. Screenshots go to the test's temp dir (or ``$JIXIAO_SCREENSHOTS``).
Locally the test skips when Chromium is missing; under CI it fails, as .ci/run installs it.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.conftest import DEMO, GUANGZHOU, PROJECT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """``jixiao serve`` on 127.0.0.1 and a free port, in its own process; stopped afterwards."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("JIXIAO_FRAMEWORKS", "JIXIAO_DATA")}
    log = (tmp_path / "server.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jixiao", "serve", "--port", str(port), "--data", str(tmp_path / "data")],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((tmp_path / "server.log").read_text()) from None
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[object]:
    if CHROMIUM is None or DRIVER is None:
        message = "Chromium is not installed: apt-get install chromium chromium-driver"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (dev extra)")
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
        "--lang=zh-CN",
    ):
        options.add_argument(arg)
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    )
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    driver.downloads = downloads  # type: ignore[attr-defined]
    try:
        yield driver
    finally:
        driver.quit()


def _shot(driver: object, tmp_path: Path, name: str) -> Path:
    """A full-page screenshot (the window is stretched to the page's height first)."""
    folder = Path(os.environ.get("JIXIAO_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    height = driver.execute_script("return document.documentElement.scrollHeight")  # type: ignore[attr-defined]
    driver.set_window_size(1280, min(max(900, int(height) + 40), 6000))  # type: ignore[attr-defined]
    path = folder / f"{name}.png"
    driver.save_screenshot(str(path))  # type: ignore[attr-defined]
    driver.set_window_size(1280, 900)  # type: ignore[attr-defined]
    return path


def _wait(predicate, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.2)


def test_score_round_and_download_in_a_real_browser(server, browser, tmp_path):
    from selenium.webdriver.common.by import By

    d = browser
    d.get(server + "/")
    assert "评分" in d.title
    d.find_element(By.ID, "files").send_keys(str(DEMO))
    d.find_element(By.ID, "score-submit").click()
    _wait(lambda: d.find_elements(By.ID, "total-1"))
    assert d.find_element(By.ID, "total-1").text == "98.81"
    assert d.find_element(By.ID, "grade-1").text == "优"
    _shot(d, tmp_path, "1-score")

    findings = d.find_element(By.ID, "findings-1")
    assert findings.get_attribute("open") is None
    findings.find_element(By.TAG_NAME, "summary").click()
    assert findings.get_attribute("open") is not None
    assert "98.81 不符" in findings.text
    sheet = d.find_element(By.ID, "sheet-1")
    sheet.find_element(By.TAG_NAME, "summary").click()
    assert sheet.find_elements(By.CSS_SELECTOR, "td.mark.warning")
    _shot(d, tmp_path, "2-findings")

    d.find_element(By.LINK_TEXT, "评审批次").click()
    d.find_element(By.ID, "round-name").send_keys("2023 年度部门整体支出绩效自评")
    d.find_element(By.ID, "round-create").click()
    _wait(lambda: d.find_elements(By.ID, "round-title"))
    d.find_element(By.ID, "round-files").send_keys("\n".join(str(p) for p in (DEMO, GUANGZHOU, PROJECT)))
    d.find_element(By.ID, "round-add").click()
    _wait(lambda: d.find_elements(By.ID, "added"))
    assert d.find_element(By.ID, "scored-count").text == "3"
    ranking = d.find_element(By.ID, "ranking").text
    assert "韶关市科学技术协会" in ranking and "98.81" in ranking
    assert d.find_elements(By.CSS_SELECTOR, "#grade-chart rect")
    _shot(d, tmp_path, "3-round")

    d.find_element(By.ID, "dl-summary").click()
    downloads: Path = d.downloads
    _wait(lambda: [p for p in downloads.iterdir() if p.suffix == ".xlsx"])
    (summary,) = [p for p in downloads.iterdir() if p.suffix == ".xlsx"]
    assert summary.name.endswith("汇总.xlsx") and summary.read_bytes().startswith(b"PK")

    d.get(server + "/frameworks/shaoguan-2023")
    assert "履职效能" in d.find_element(By.ID, "framework-tree").text
    _shot(d, tmp_path, "4-framework")
