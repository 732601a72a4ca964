"""The citizen's survey screen at the counter, driven with qtbot: one touch, or the nine IKM elements."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from counter.state import Action
from counter.survey import SurveyWindow
from counter.window import CounterWindow
from db import unit_of_work
from db.models import Counter, Operator, SurveyAnswer, SurveyResponse, Ticket
from counter.controller import Phase
from db.operators import set_pin
from tests.counter_fixtures import PINS, issue, open_console, settled, sign_in


@pytest.fixture
def engine(db_url: str, sessions: Any) -> Any:
    """The small venue on the run's backend (SQLite or PostgreSQL); siti's PIN already chosen."""
    with unit_of_work(sessions) as s:
        set_pin(s, "siti", PINS["siti"])
    return sessions


@pytest.fixture
def signed_in(qtbot: Any, db_url: str, engine: Any) -> Any:
    window = open_console(qtbot, db_url)
    sign_in(qtbot, window, "siti")
    qtbot.waitUntil(lambda: window.controller.phase == Phase.CONSOLE and window.controller.snapshot is not None)
    yield window
    window.shutdown()


@pytest.fixture
def survey(qtbot: Any, signed_in: CounterWindow) -> SurveyWindow:
    window = SurveyWindow(signed_in.controller.worker)
    qtbot.addWidget(window)
    signed_in.controller.ticket_finished.connect(window.start)
    window.resize(1280, 800)
    window.show()
    qtbot.waitUntil(lambda: len(window.element_groups) == 9)  # the [ikm] settings arrived
    return window


def _serve_one(qtbot: Any, window: CounterWindow, engine: Any) -> str:
    code = issue(engine, "A")[0]
    c = window.controller
    qtbot.waitUntil(lambda: c.snapshot is not None and len(c.snapshot.waiting) == 1 and settled(window)())
    for action in (Action.NEXT, Action.START, Action.FINISH):
        qtbot.waitUntil(lambda a=action: a in c.allowed())
        assert c.act(action)
        qtbot.waitUntil(settled(window))
    return code


def _responses(engine: Any) -> list[tuple[Any, ...]]:
    with unit_of_work(engine) as s:
        rows = s.execute(
            select(Ticket.code, SurveyResponse.overall, Counter.code, Operator.username, SurveyResponse.id)
            .join(Ticket, Ticket.id == SurveyResponse.ticket_id).join(Counter, Counter.id == SurveyResponse.counter_id)
            .join(Operator, Operator.id == SurveyResponse.operator_id)).all()
        return [(*r[:4], dict(s.execute(select(SurveyAnswer.element, SurveyAnswer.score)
                                        .where(SurveyAnswer.response_id == r[4])).all())) for r in rows]


def test_full_survey_after_a_finished_ticket(qtbot: Any, signed_in: CounterWindow, survey: SurveyWindow,
                                            engine: Any) -> None:
    assert survey.stack.currentWidget() is survey.idle_page
    code = _serve_one(qtbot, signed_in, engine)
    qtbot.waitUntil(lambda: survey.stack.currentWidget() is survey.ask_page)
    assert code in survey.ask_ticket.text()
    qtbot.mouseClick(survey.face_buttons[3], Qt.MouseButton.LeftButton)  # "Sangat baik"
    assert survey.stack.currentWidget() is survey.rated_page
    qtbot.mouseClick(survey.more_button, Qt.MouseButton.LeftButton)
    assert survey.stack.currentWidget() is survey.full_page and not survey.send_button.isEnabled()
    scores = [4, 3, 3, 4, 3, 4, 4, 2, 3]
    for (code_, group), score in zip(survey.element_groups.items(), scores, strict=True):
        qtbot.mouseClick(group.button(score), Qt.MouseButton.LeftButton)
        assert survey.answers[code_] == score
    assert survey.send_button.isEnabled() and survey.left_label.text() == ""
    with qtbot.waitSignal(survey.saved, timeout=5000) as saved:
        qtbot.mouseClick(survey.send_button, Qt.MouseButton.LeftButton)
    assert not isinstance(saved.args[0], Exception)
    assert survey.stack.currentWidget() is survey.thanks_page
    assert _responses(engine) == [(code, 4, "L1", "siti", {f"U{i + 1}": s for i, s in enumerate(scores)})]


def test_one_touch_then_done_and_an_unanswered_screen_saves_nothing(qtbot: Any, signed_in: CounterWindow,
                                                                     survey: SurveyWindow, engine: Any) -> None:
    code = _serve_one(qtbot, signed_in, engine)
    qtbot.waitUntil(lambda: survey.stack.currentWidget() is survey.ask_page)
    survey.toggle_language()
    assert survey.ask_title.text() == "How was the service you received?"
    qtbot.mouseClick(survey.face_buttons[1], Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(survey.saved, timeout=5000):
        qtbot.mouseClick(survey.done_button, Qt.MouseButton.LeftButton)
    assert _responses(engine) == [(code, 2, "L1", "siti", {})]
    # The next citizen walks away without touching: the screen returns to idle, nothing saved.
    _serve_one(qtbot, signed_in, engine)
    qtbot.waitUntil(lambda: survey.stack.currentWidget() is survey.ask_page)
    assert survey.lang == "id"  # every citizen starts in Indonesian
    survey.left = 1
    survey._tick()
    assert survey.stack.currentWidget() is survey.idle_page
    assert len(_responses(engine)) == 1
