"""Debian's headless chromium driven by Selenium through chromium-driver (nothing is downloaded)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

CHROMIUM = "/usr/bin/chromium"
DRIVER = "/usr/bin/chromedriver"


def chromium(width: int = 412, height: int = 915, lang: str = "id-ID") -> object:
    """A headless chromium the size of a phone screen, or skip when it is not installed."""
    if not (shutil.which(CHROMIUM) and shutil.which(DRIVER)):
        pytest.skip("needs Debian's chromium and chromium-driver (scripts/setup.sh installs them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--disable-extensions", "--no-first-run", "--mute-audio",
                f"--window-size={width},{height}", f"--lang={lang}", "--hide-scrollbars"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"intl.accept_languages": lang})
    return webdriver.Chrome(service=Service(executable_path=DRIVER), options=options)


@pytest.fixture
def browser() -> Iterator[object]:
    driver = chromium()
    try:
        yield driver
    finally:
        driver.quit()
