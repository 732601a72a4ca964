"""In a real headless browser: the ticket page shows a call made by another process within 1 s,
without a reload, and again after the server restarts."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from tests.browser import browser  # noqa: F401  (fixture)
from tests.web_fixtures import ROOT, issue_with_token, web_server  # noqa: F401  (fixture)

pytestmark = pytest.mark.slow

# Records when the call overlay appears, by the page's own clock (the machine's wall clock).
WATCH = """
window.__shown = null;
new MutationObserver(function () {
  if (!document.getElementById('overlay').hidden && window.__shown === null) window.__shown = Date.now() / 1000;
}).observe(document.getElementById('overlay'), {attributes: true});
"""

ACT = """
import sys, time
from db import open_database, unit_of_work
import db.queue
maker = open_database(sys.argv[1])
with unit_of_work(maker) as s:
    getattr(db.queue, sys.argv[2])(s, "L1")
print(time.time())
"""


def _act(url: str, action: str) -> float:
    """Do a counter action through the engine in another process; when it committed."""
    out = subprocess.run([sys.executable, "-c", ACT, url, action], capture_output=True, text=True, cwd=ROOT,
                         timeout=60, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def _wait(driver, script: str, timeout: float) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = driver.execute_script(script)
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for: {script}")


def _shown_after(driver, committed: float) -> float:
    shown = _wait(driver, "return window.__shown", 5)
    return float(shown) - committed


def test_call_reaches_the_open_page_within_a_second_also_after_a_restart(browser, web_server, db_url):  # noqa: F811
    code, token = issue_with_token(db_url)
    browser.get(f"{web_server.base}/t/{token}")
    assert browser.find_element("id", "code").text == code
    _wait(browser, "return document.body.dataset.live === '1'", 10)
    browser.execute_script(WATCH)

    delay = _shown_after(browser, _act(db_url, "call_next"))
    overlay = browser.find_element("id", "overlay").text
    assert "Loket 1" in overlay and code in overlay and "Silakan menuju" in overlay
    print(f"call -> page {delay * 1000:.0f} ms")
    assert delay < 1.0, f"call shown {delay:.3f} s after commit"
    assert browser.execute_script("return performance.getEntriesByType('navigation').length") == 1  # no reload

    browser.find_element("id", "ov-ok").click()
    web_server.stop()
    _wait(browser, "return document.body.dataset.live === '0'", 10)
    web_server.start()
    _wait(browser, "return document.body.dataset.live === '1'", 15)
    browser.execute_script(WATCH)
    delay = _shown_after(browser, _act(db_url, "recall"))
    assert "Panggilan ulang" in browser.find_element("id", "overlay").text
    print(f"recall after restart -> page {delay * 1000:.0f} ms")
    assert delay < 1.0, f"recall after restart shown {delay:.3f} s after commit"
    assert browser.execute_script("return performance.getEntriesByType('navigation').length") == 1

    browser.find_element("id", "ov-ok").click()
    _act(db_url, "no_show")
    _wait(browser, "return document.getElementById('msg').textContent.includes('kiosk')", 5)
    assert browser.find_element("id", "status").text == "Tidak hadir saat dipanggil"


def test_status_page_follows_the_queue_live(browser, web_server, db_url):  # noqa: F811
    browser.get(f"{web_server.base}/")
    _wait(browser, "return document.body.dataset.live === '1'", 10)
    assert browser.find_element("id", "total").text == "0"
    code, _ = issue_with_token(db_url)
    _wait(browser, "return document.getElementById('total').textContent === '1'", 3)
    _act(db_url, "call_next")
    _wait(browser, f"return document.getElementById('calls').textContent.includes('{code}')", 3)
    assert "Loket 1" in browser.find_element("id", "calls").text


def test_the_phone_asks_the_survey_when_the_ticket_is_finished(browser, web_server, db_url, tmp_path):  # noqa: F811
    from sqlalchemy import select

    from db import open_database
    from db.models import SurveyAnswer, SurveyResponse

    code, token = issue_with_token(db_url)
    browser.get(f"{web_server.base}/t/{token}")
    _wait(browser, "return document.body.dataset.live === '1'", 10)
    assert browser.find_element("id", "survey").get_attribute("hidden") is not None  # not before it is done
    _act(db_url, "call_next")
    _wait(browser, "return !document.getElementById('overlay').hidden", 5)
    browser.find_element("id", "ov-ok").click()
    _act(db_url, "finish")
    _wait(browser, "return !document.getElementById('survey').hidden", 5)
    survey = browser.find_element("id", "survey")
    assert "Bagaimana pelayanan yang Anda terima?" in survey.text
    browser.execute_script("arguments[0].scrollIntoView()", survey)
    browser.save_screenshot(str(tmp_path / "ask.png"))
    survey.find_element("xpath", ".//button[text()='Sangat baik']").click()
    survey.find_element("xpath", ".//button[starts-with(text(), 'Isi survei lengkap (9')]").click()
    for i in range(9):  # each answer redraws the list: find the buttons again every time
        browser.find_elements("css selector", "#survey .el .scale button.a3")[i].click()
    browser.save_screenshot(str(tmp_path / "survey.png"))
    browser.find_element("xpath", "//section[@id='survey']/button[text()='Kirim']").click()
    _wait(browser, "return document.getElementById('survey').textContent.includes('Terima kasih!')", 5)
    maker = open_database(db_url)
    with maker() as s:
        [response] = s.scalars(select(SurveyResponse)).all()
        scores = sorted(s.scalars(select(SurveyAnswer.score)).all())
    maker.kw["bind"].dispose()
    assert response.overall == 4 and scores == [3] * 9
    browser.refresh()  # one survey per ticket: the page says it is answered
    _wait(browser, "return document.getElementById('survey').textContent.includes('sudah diisi')", 5)
    assert code in browser.find_element("id", "code").text
