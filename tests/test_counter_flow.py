"""The counter console's main flow: call, recall, start, finish, no-show, transfer, hold, break."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from counter.controller import Phase
from counter.window import CounterWindow
from db import open_database, unit_of_work
from db.models import EventKind
from db.stats import service_queues, waiting_for_counter
from tests.conftest import SMALL_VENUE
from tests.counter_fixtures import console, counter_url, engine, signed_in  # noqa: F401 - fixtures
from tests.counter_fixtures import events, issue, key, make_db, open_console, settled, sign_in, ticket_rows


def test_full_cycle_with_the_mouse(qtbot: Any, signed_in: CounterWindow, engine: Any) -> None:
    window, c = signed_in, signed_in.controller
    code = issue(engine, "A")[0]
    qtbot.waitUntil(lambda: c.snapshot is not None and len(c.snapshot.waiting) == 1)
    buttons = window.console.buttons
    assert buttons["next"].isEnabled() and not buttons["finish"].isEnabled()
    qtbot.mouseClick(buttons["next"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.console.ticket.code.text() == code)
    assert window.console.ticket.state == "called"
    assert ticket_rows(engine, code)[0].status == "called"
    qtbot.waitUntil(lambda: buttons["start"].isEnabled())
    qtbot.mouseClick(buttons["start"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.console.ticket.state == "serving")
    qtbot.waitUntil(lambda: buttons["finish"].isEnabled())
    qtbot.mouseClick(buttons["finish"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.console.ticket.state == "free")
    qtbot.waitUntil(settled(window))
    row = ticket_rows(engine, code)[0]
    assert row.status == "done" and row.counter.code == "L1" and row.started_at <= row.finished_at
    qtbot.waitUntil(lambda: window.console.figures.values[("served", 1)].text() == "1")
    assert window.console.figures.values[("served", 2)].text() == "1"
    assert [e.kind for e in events(engine, EventKind.FINISHED)] == ["finished"]


def test_shortcut_next(qtbot: Any, signed_in: CounterWindow, engine: Any) -> None:
    window, c = signed_in, signed_in.controller
    code = issue(engine, "A")[0]
    qtbot.waitUntil(lambda: c.snapshot is not None and len(c.snapshot.waiting) == 1)
    key(qtbot, window, "F1")
    qtbot.waitUntil(lambda: window.console.ticket.code.text() == code)


def _wait_waiting(qtbot: Any, window: CounterWindow, n: int) -> None:
    qtbot.waitUntil(lambda: window.controller.snapshot is not None and len(window.controller.snapshot.waiting) == n)


def test_empty_queue_says_so(qtbot: Any, signed_in: CounterWindow, engine: Any) -> None:
    window = signed_in
    empty = window.console.table.empty
    assert empty.isVisible() and empty.text() == "Tidak ada tiket yang menunggu"
    key(qtbot, window, "F8")  # open the counter
    qtbot.waitUntil(lambda: window.console.ticket.state == "free")
    assert window.console.ticket.idle.text() == "Antrean kosong:\nbelum ada tiket yang menunggu"
    key(qtbot, window, "F1")
    qtbot.waitUntil(lambda: window.console.notice.isVisible() and "ANTREAN KOSONG" in window.console.notice.text())
    assert window.console.ticket.state in ("free", "closed")
    assert events(engine, EventKind.CALLED) == []


def test_no_show_with_its_key(qtbot: Any, signed_in: CounterWindow, engine: Any) -> None:
    window = signed_in
    code = issue(engine, "A")[0]
    _wait_waiting(qtbot, window, 1)
    key(qtbot, window, "F1")
    qtbot.waitUntil(lambda: window.console.buttons["no_show"].isEnabled())
    key(qtbot, window, "F5")
    qtbot.waitUntil(lambda: window.console.ticket.state == "free")
    assert ticket_rows(engine, code)[0].status == "no_show"
    qtbot.waitUntil(lambda: window.console.figures.values[("no_shows", 1)].text() == "1")


def test_recall_counts_and_suggests_no_show(qtbot: Any, signed_in: CounterWindow, engine: Any) -> None:
    window, panel = signed_in, signed_in.console.ticket
    code = issue(engine, "A")[0]
    _wait_waiting(qtbot, window, 1)
    key(qtbot, window, "F1")
    qtbot.waitUntil(lambda: window.console.buttons["recall"].isEnabled())
    assert panel.recalls.isHidden() and panel.suggest.isHidden()
    for n in (1, 2, 3):
        key(qtbot, window, "F2")
        qtbot.waitUntil(lambda n=n: panel.recalls.text() == f"Dipanggil ulang {n}×" and settled(window)())
        assert panel.suggest.isHidden() == (n < 3)  # the default [counter].recall_suggest_noshow is 3
    assert "Tidak Hadir" in panel.suggest.text() and window.console.buttons["no_show"]._highlight
    assert ticket_rows(engine, code)[0].recall_count == 3
    assert len(events(engine, EventKind.RECALLED)) == 3


def test_transfer_lands_in_the_target_queue_with_its_code(qtbot: Any, signed_in: CounterWindow, engine: Any) -> None:

    window = signed_in
    code = issue(engine, "A")[0]
    _wait_waiting(qtbot, window, 1)
    key(qtbot, window, "F1")
    qtbot.waitUntil(lambda: window.console.buttons["transfer"].isEnabled())
    key(qtbot, window, "F6")
    qtbot.waitUntil(lambda: window.console.transfer_dialog is not None and window.console.transfer_dialog.isVisible())
    dialog = window.console.transfer_dialog
    assert dialog.choice() is not None
    qtbot.keyClicks(dialog.filter, "SIM")  # type to filter: only "S · Perpanjangan SIM" is left
    assert dialog.choice() == "S"
    dialog.note.setText("perlu perpanjangan SIM")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.console.ticket.state == "free" and settled(window)())
    old, new = ticket_rows(engine, code)
    assert old.status == "transferred" and new.status == "waiting"
    assert new.service.code == "S" and new.code == code and new.note == "perlu perpanjangan SIM"
    with unit_of_work(engine) as s:
        assert [t.code for t in waiting_for_counter(s, "L3")] == [code]
    assert "dialihkan ke layanan S" in window.console.notice.text()


def test_hold_and_resume(qtbot: Any, signed_in: CounterWindow, engine: Any) -> None:
    window, buttons = signed_in, signed_in.console.buttons
    first, second = issue(engine, "A", 2)
    _wait_waiting(qtbot, window, 2)
    key(qtbot, window, "F1")
    qtbot.waitUntil(lambda: buttons["start"].isEnabled())
    assert not buttons["hold"].isEnabled()  # parking someone who has not arrived makes no sense
    key(qtbot, window, "F3")
    qtbot.waitUntil(lambda: buttons["hold"].isEnabled())
    assert buttons["hold"].label.text() == "Tahan"
    key(qtbot, window, "F7")
    qtbot.waitUntil(lambda: window.console.ticket.state == "free" and settled(window)())
    assert ticket_rows(engine, first)[0].status == "held"
    assert window.console.table.rows[0].code == first and window.console.table.cell(0, 3) == "DITAHAN"
    # The counter is free: serve the next citizen meanwhile.
    key(qtbot, window, "F1")
    qtbot.waitUntil(lambda: window.console.ticket.code.text() == second)
    assert not buttons["hold"].isEnabled()  # F7 cannot resume while a ticket is in hand
    qtbot.waitUntil(lambda: buttons["finish"].isEnabled())
    key(qtbot, window, "F4")
    qtbot.waitUntil(lambda: buttons["hold"].isEnabled() and settled(window)())
    assert buttons["hold"].label.text() == "Lanjutkan"
    key(qtbot, window, "F7")
    qtbot.waitUntil(lambda: window.console.ticket.code.text() == first and window.console.ticket.state == "serving")
    assert ticket_rows(engine, first)[0].status == "serving"
    assert len(events(engine, EventKind.RESUMED)) == 1


def test_resume_a_parked_ticket_from_the_list(qtbot: Any, signed_in: CounterWindow, engine: Any) -> None:
    window = signed_in
    code = issue(engine, "A")[0]
    _wait_waiting(qtbot, window, 1)
    for name in ("F1", "F3", "F7"):
        key(qtbot, window, name)
        qtbot.waitUntil(settled(window))
    assert ticket_rows(engine, code)[0].status == "held"
    table = window.console.table
    table.selectRow(0)
    qtbot.waitUntil(lambda: window.console.buttons["call"].isEnabled())
    key(qtbot, window, "F9")
    qtbot.waitUntil(lambda: window.console.ticket.state == "serving" and window.console.ticket.code.text() == code)
    assert "dilanjutkan" in window.console.notice.text()


def test_call_a_specific_ticket_from_the_list(qtbot: Any, signed_in: CounterWindow, engine: Any) -> None:
    window = signed_in
    codes = issue(engine, "A", 3)
    _wait_waiting(qtbot, window, 3)
    table = window.console.table
    assert [table.cell(i, 0) for i in range(3)] == codes
    assert not window.console.buttons["call"].isEnabled()  # nothing picked yet
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Down)  # the first row
    qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.keyClick(table, Qt.Key.Key_Down)  # the late arrival at the end
    assert window.controller.selected == codes[2]
    key(qtbot, window, "F9")
    qtbot.waitUntil(lambda: window.console.ticket.code.text() == codes[2])
    assert ticket_rows(engine, codes[2])[0].status == "called"
    assert ticket_rows(engine, codes[0])[0].status == "waiting"
    # Finish it, then Enter on a row calls that row.
    key(qtbot, window, "F4")
    qtbot.waitUntil(lambda: window.console.ticket.state == "free" and settled(window)())
    table.selectRow(1)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.console.ticket.code.text() == codes[1])


def test_break_closes_the_counter_for_display_and_estimates(qtbot: Any, signed_in: CounterWindow,
                                                            engine: Any) -> None:
    def open_counters() -> int:
        with unit_of_work(engine) as s:
            return next(q.open_counters for q in service_queues(s) if q.code == "B")

    window, buttons = signed_in, signed_in.console.buttons
    assert window.console.ticket.state == "closed"  # a counter opens at the first call or with F8
    assert buttons["break"].label.text() == "Buka Loket"
    key(qtbot, window, "F8")
    qtbot.waitUntil(lambda: window.console.ticket.state == "free" and settled(window)())
    assert open_counters() == 1 and buttons["break"].label.text() == "Istirahat"
    key(qtbot, window, "F8")
    qtbot.waitUntil(lambda: window.console.ticket.state == "closed" and settled(window)())
    assert open_counters() == 0  # only L1 serves B: B's wait estimate has no open counter now
    assert "ISTIRAHAT" in window.console.ticket.state_line.text()
    assert len(events(engine, EventKind.COUNTER_CLOSED)) == 1
    # Back from the break straight into a call: the engine re-opens the counter.
    issue(engine, "B")
    _wait_waiting(qtbot, window, 1)
    key(qtbot, window, "F1")
    qtbot.waitUntil(lambda: window.console.ticket.state == "called")
    assert open_counters() == 1


def test_break_is_refused_while_a_ticket_is_in_hand(qtbot: Any, signed_in: CounterWindow, engine: Any) -> None:
    window = signed_in
    issue(engine, "A")
    _wait_waiting(qtbot, window, 1)
    key(qtbot, window, "F1")
    qtbot.waitUntil(lambda: window.console.ticket.state == "called" and settled(window)())
    assert not window.console.buttons["break"].isEnabled()
    assert not window.console.buttons["next"].isEnabled()
    assert not window.console.sign_out_button.isEnabled()


def test_the_list_follows_tickets_issued_elsewhere(qtbot: Any, signed_in: CounterWindow, engine: Any) -> None:
    window = signed_in
    issue(engine, "A")
    qtbot.waitUntil(lambda: window.console.table.row_count() == 1)
    assert window.console.table.empty.isHidden()
    issue(engine, "B", priority=True, priority_category="lansia")
    qtbot.waitUntil(lambda: window.console.table.row_count() == 2)
    assert window.console.table.cell(0, 3) == "PRIORITAS"  # priority first, as it will be called
    assert window.console.waiting_title.text().startswith("Menunggu (2)")


def test_a_double_press_calls_one_ticket(qtbot: Any, signed_in: CounterWindow, engine: Any) -> None:
    window = signed_in
    issue(engine, "A", 3)
    _wait_waiting(qtbot, window, 3)
    key(qtbot, window, "F1")
    key(qtbot, window, "F1")  # the first is in flight: buttons are disabled until it lands
    qtbot.waitUntil(settled(window))
    qtbot.wait(200)
    assert len(events(engine, EventKind.CALLED)) == 1


def test_counter_settings_come_from_the_venue_file(qtbot: Any, tmp_path: Any) -> None:

    venue = tmp_path / "venue.toml"
    venue.write_text(SMALL_VENUE + '\n[counter]\nrecall_suggest_noshow = 2\nlangauge = "en"\n', encoding="utf-8")
    url = make_db(tmp_path / "custom", venue)
    window = open_console(qtbot, url)
    try:
        assert window.banner.isVisible()
        assert "venue settings [counter].langauge: unknown key" in window.banner.text()
        sign_in(qtbot, window, "siti")
        qtbot.waitUntil(settled(window))
        engine = open_database(url)
        issue(engine, "A")
        _wait_waiting(qtbot, window, 1)
        key(qtbot, window, "F1")
        for n in (1, 2):
            qtbot.waitUntil(lambda: window.console.buttons["recall"].isEnabled())
            key(qtbot, window, "F2")
            qtbot.waitUntil(lambda n=n: window.console.ticket.recalls.text() == f"Dipanggil ulang {n}×")
        assert window.console.ticket.suggest.isVisible()
        engine.kw["bind"].dispose()
    finally:
        window.shutdown()


def test_every_shortcut_in_one_shift(qtbot: Any, signed_in: CounterWindow, engine: Any) -> None:
    """F1..F9 and Ctrl+Q, each pressed as a key, each checked on screen and in the database."""
    window, c = signed_in, signed_in.controller
    a1, a2, a3, a4 = issue(engine, "A", 4)
    _wait_waiting(qtbot, window, 4)

    def press(name: str, done: Any, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        key(qtbot, window, name, modifier)
        qtbot.waitUntil(lambda: done() and settled(window)())

    def status(code: str) -> str:
        return ticket_rows(engine, code)[-1].status

    press("F8", lambda: window.console.ticket.state == "free")  # open
    press("F1", lambda: window.console.ticket.code.text() == a1)  # call next
    press("F2", lambda: window.console.ticket.recalls.text() == "Dipanggil ulang 1×")  # recall
    press("F3", lambda: window.console.ticket.state == "serving")  # start
    press("F7", lambda: window.console.ticket.state == "free")  # hold
    assert status(a1) == "held"
    window.console.table.setFocus()
    qtbot.keyClick(window.console.table, Qt.Key.Key_Down)  # the parked ticket is the first row
    assert c.selected == a1
    press("F9", lambda: window.console.ticket.code.text() == a1)  # call the selected: resumes it
    assert status(a1) == "serving"
    press("F4", lambda: window.console.ticket.state == "free")  # finish
    assert status(a1) == "done"
    press("F1", lambda: window.console.ticket.code.text() == a2)
    press("F5", lambda: window.console.ticket.state == "free")  # no-show
    assert status(a2) == "no_show"
    press("F1", lambda: window.console.ticket.code.text() == a3)
    press("F7", lambda: True)  # not serving yet: F7 does nothing (hold needs a citizen at the counter)
    assert status(a3) == "called"
    press("F6", lambda: window.console.transfer_dialog is not None)  # transfer
    dialog = window.console.transfer_dialog
    qtbot.keyClicks(dialog.filter, "kartu")
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.console.ticket.state == "free" and settled(window)())
    assert [(r.status, r.service.code) for r in ticket_rows(engine, a3)] == [("transferred", "A"), ("waiting", "B")]
    qtbot.waitUntil(window.isActiveWindow)  # the console takes the keys back once the dialog is gone
    press("F8", lambda: window.console.ticket.state == "closed")  # break
    key(qtbot, window, "Q", Qt.KeyboardModifier.ControlModifier)  # sign out
    qtbot.waitUntil(lambda: c.phase == Phase.SIGN_IN and window.stack.currentWidget() is window.sign_in_page)
    assert status(a4) == "waiting"
    assert [e.kind for e in events(engine, EventKind.SIGNED_OUT)] == ["signed_out"]


def test_priority_category_reads_as_words_and_the_list_names_its_columns(qtbot: Any, signed_in: CounterWindow,
                                                                      engine: Any) -> None:
    window, c = signed_in, signed_in.controller
    code = issue(engine, "A", priority=True, priority_category="ibu_hamil")[0]
    qtbot.waitUntil(lambda: window.console.table.row_count() == 1 and settled(window)())
    table = window.console.table
    headers = [table.model().headerData(i, Qt.Orientation.Horizontal) for i in range(4)]
    assert headers == ["Kode", "Layanan", "Lama tunggu", "Ket."]  # "Menunggu" is the list's title only
    assert window.console.waiting_title.text().startswith("Menunggu (1)")
    assert "Ibu hamil" in table.model().data(table.model().index(0, 0), Qt.ItemDataRole.ToolTipRole)
    key(qtbot, window, "F1")
    qtbot.waitUntil(lambda: window.console.ticket.code.text() == code)
    assert window.console.ticket.badge.text() == "PRIORITAS · Ibu hamil"
    assert "ibu_hamil" not in window.console.ticket.badge.text()
