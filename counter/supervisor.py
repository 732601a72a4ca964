"""The supervisor's screen (`antre counter --supervisor`): every counter live, the services with their
queue, open/close and quota, moving or cancelling a ticket, and today's report.

A thin view: every read and every action is one engine call on the DbWorker; the engine checks the
role on each action (`db.supervision`), so a screen left open after a role change still cannot act.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from counter.admin_tab import AdminTab
from counter.style import stylesheet
from counter.widgets import Banner
from db import lookup, stats
from db.errors import AntreError
from db.models import Role
from db.operators import SignIn
from db.reports import Report, build_report
from db.supervision import (
    ServiceState,
    authenticate,
    cancel_ticket,
    move_ticket,
    service_board,
    set_quota,
    set_service_open,
)
from db.views import CounterView
from qtkit.watcher import make_watcher
from qtkit.worker import DbWorker

T = {
    "title": ("Supervisor", "Supervisor"),
    "sign_in": ("Masuk sebagai supervisor", "Sign in as supervisor"),
    "username": ("Nama pengguna", "Username"), "pin": ("PIN", "PIN"), "go": ("Masuk", "Sign in"),
    "sign_out": ("Keluar", "Sign out"),
    "counters": ("Loket", "Counters"), "services": ("Layanan", "Services"), "tickets": ("Tiket", "Tickets"),
    "report": ("Laporan", "Report"),
    "from": ("Dari", "From"), "to": ("sampai", "to"), "show": ("Tampilkan", "Show"),
    "sections": (("Per layanan", "Per hari", "Per instansi", "Per loket", "Per petugas"),
                 ("Per service", "Per day", "Per agency", "Per counter", "Per officer")),
    "c_head": (("Loket", "Nama", "Instansi", "Status", "Petugas", "Tiket", "Keadaan tiket"),
               ("Counter", "Name", "Agency", "State", "Officer", "Ticket", "Ticket state")),
    "s_head": (("Kode", "Layanan", "Instansi", "Menunggu", "Status", "Kuota"),
               ("Code", "Service", "Agency", "Waiting", "State", "Quota")),
    "r_head": (("Kode", "Nama", "Diambil", "Dilayani", "Tidak hadir", "Tunggu p50", "Tunggu p90", "Dalam target"),
               ("Code", "Name", "Issued", "Served", "No-shows", "Wait p50", "Wait p90", "Within target")),
    "open": ("buka", "open"), "closed": ("tutup", "closed"), "none": ("–", "–"),
    "toggle": ("Buka / tutup layanan terpilih", "Open / close the selected service"),
    "quota": ("Kuota hari ini", "Today's quota"), "set_quota": ("Simpan kuota", "Save quota"),
    "no_limit": ("tanpa batas", "no limit"),
    "code": ("Kode tiket", "Ticket code"), "target": ("Pindah ke layanan", "Move to service"),
    "reason": ("Alasan", "Reason"), "move": ("Pindahkan", "Move"), "cancel": ("Batalkan tiket", "Cancel ticket"),
    "done": ("Tersimpan.", "Saved."), "offline": ("Server antrean tidak terjangkau.", "The queue server is unreachable."),
    "pick": ("Pilih layanan di tabel dulu.", "Pick a service in the table first."),
    "refused": ("Ditolak: {why}", "Refused: {why}"),
    "si_unknown": ("Nama pengguna tidak dikenal atau nonaktif.", "Unknown or disabled username."),
    "si_wrong_pin": ("PIN salah.", "Wrong PIN."),
    "si_locked": ("Akun terkunci sementara karena terlalu banyak PIN salah.", "Account locked for a while."),
    "si_not_allowed": ("Hanya supervisor atau admin.", "Supervisors or admins only."),
    "admin": ("Admin", "Admin"),
    "op_user": ("Nama pengguna petugas", "Operator's username"), "op_name": ("Nama lengkap", "Full name"),
    "op_role": ("Peran", "Role"), "op_agency": ("Instansi (kode, kosong: semua)", "Agency (code, empty: all)"),
    "op_pin": ("PIN awal (diganti saat masuk pertama)", "First PIN (changed at first sign-in)"),
    "op_save": ("Simpan petugas", "Save operator"), "op_reset": ("Reset PIN", "Reset PIN"),
    "op_disable": ("Nonaktifkan", "Disable"),
    "venue_file": ("Berkas venue (TOML)", "Venue file (TOML)"),
    "preview": ("Pratinjau perubahan", "Preview changes"), "apply": ("Terapkan", "Apply"),
    "no_change": ("Tidak ada perubahan.", "No change."),
}
STATUS = {"called": ("dipanggil", "called"), "serving": ("dilayani", "serving")}


@dataclass(frozen=True, slots=True)
class Board:
    """One read of what the supervisor sees."""

    counters: tuple[CounterView, ...]
    services: tuple[ServiceState, ...]
    report: Report


def load_board(session: Session) -> Board:
    """Every counter and service now, and today's report per service."""
    today = lookup.today(session, datetime.now(UTC))
    return Board(tuple(stats.counter_views(session)), tuple(service_board(session)),
                 build_report(session, today, today))


class SupervisorWindow(QWidget):
    """Sign-in, then four tabs; redrawn whenever the event log moves."""

    def __init__(self, worker: DbWorker, *, lang: str = "id", poll_ms: int = 300) -> None:
        super().__init__()
        self.worker, self.lang = worker, lang
        self.i = 0 if lang == "id" else 1
        self.user: SignIn | None = None
        self.board: Board | None = None
        self._reading = False
        self.setObjectName("page")
        self.setWindowTitle(f"Antre · {self.t('title')}")
        self.banner = Banner("banner", self)
        self.stack = QStackedWidget(self)
        self._build_sign_in()
        self._build_main()
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.banner)
        box.addWidget(self.stack, 1)
        self.setStyleSheet(stylesheet(1.0))
        self.watcher = make_watcher(worker, poll_ms, parent=self)
        self.watcher.changed.connect(lambda *_: self.refresh())
        worker.online_changed.connect(self._online)
        self.clock = QTimer(self)
        self.clock.setInterval(30_000)  # waiting minutes and the report move with time too
        self.clock.timeout.connect(self.refresh)
        self.watcher.start()

    def t(self, key: str, **kw: Any) -> Any:
        value = T[key][self.i]
        return value.format(**kw) if kw and isinstance(value, str) else value

    # ---- building ---------------------------------------------------------------------------------

    def _build_sign_in(self) -> None:
        page = QWidget(self)
        card = QWidget(page)
        card.setObjectName("card")
        title = QLabel(self.t("sign_in"), card)
        title.setObjectName("cardTitle")
        self.username, self.pin = QLineEdit(card), QLineEdit(card)
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.go = QPushButton(self.t("go"), card)
        self.error = QLabel(card)
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.t("username"), self.username)
        form.addRow(self.t("pin"), self.pin)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(28, 24, 28, 24)
        inner.addWidget(title)
        inner.addLayout(form)
        inner.addWidget(self.error)
        inner.addWidget(self.go)
        card.setMinimumWidth(520)
        outer = QVBoxLayout(page)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self.go.clicked.connect(self.submit)
        self.pin.returnPressed.connect(self.submit)
        self.username.returnPressed.connect(self.pin.setFocus)
        self.sign_in_page = page
        self.stack.addWidget(page)

    def _table(self, headers: tuple[str, ...]) -> QTableWidget:
        table = QTableWidget(0, len(headers), self)
        table.setHorizontalHeaderLabels(list(headers))
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        return table

    def _build_main(self) -> None:
        page = QWidget(self)
        page.setObjectName("page")
        top = QWidget(page)
        top.setObjectName("topbar")
        self.who = QLabel(top)
        self.who.setObjectName("where")
        self.sign_out_button = QPushButton(self.t("sign_out"), top)
        self.sign_out_button.clicked.connect(self.sign_out)
        bar = QHBoxLayout(top)
        bar.setContentsMargins(14, 6, 10, 6)
        bar.addWidget(self.who)
        bar.addStretch(1)
        bar.addWidget(self.sign_out_button)
        self.tabs = QTabWidget(page)
        self.counter_table = self._table(self.t("c_head"))
        self.tabs.addTab(self.counter_table, self.t("counters"))
        services = QWidget(page)
        self.service_table = self._table(self.t("s_head"))
        self.toggle_button = QPushButton(self.t("toggle"), services)
        self.toggle_button.clicked.connect(self.toggle_service)
        self.quota = QSpinBox(services)
        self.quota.setRange(0, 10_000)
        self.quota.setSpecialValueText(self.t("no_limit"))
        self.quota_button = QPushButton(self.t("set_quota"), services)
        self.quota_button.clicked.connect(self.save_quota)
        self.service_table.itemSelectionChanged.connect(self._service_picked)
        actions = QHBoxLayout()
        actions.addWidget(self.toggle_button)
        actions.addStretch(1)
        actions.addWidget(QLabel(self.t("quota"), services))
        actions.addWidget(self.quota)
        actions.addWidget(self.quota_button)
        sbox = QVBoxLayout(services)
        sbox.addWidget(self.service_table, 1)
        sbox.addLayout(actions)
        self.tabs.addTab(services, self.t("services"))
        tickets = QWidget(page)
        self.ticket_code = QLineEdit(tickets)
        self.move_target = QComboBox(tickets)
        self.reason = QLineEdit(tickets)
        self.move_button = QPushButton(self.t("move"), tickets)
        self.cancel_button = QPushButton(self.t("cancel"), tickets)
        self.move_button.clicked.connect(self.move)
        self.cancel_button.clicked.connect(self.cancel)
        form = QFormLayout()
        form.addRow(self.t("code"), self.ticket_code)
        form.addRow(self.t("target"), self.move_target)
        form.addRow(self.t("reason"), self.reason)
        tbox = QVBoxLayout(tickets)
        tbox.addLayout(form)
        buttons = QHBoxLayout()
        buttons.addWidget(self.move_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        tbox.addLayout(buttons)
        tbox.addStretch(1)
        self.tabs.addTab(tickets, self.t("tickets"))
        self.tabs.addTab(self._build_report_tab(page), self.t("report"))
        self.admin_tab = AdminTab(self, page)
        self.notice = Banner("notice", page)
        box = QVBoxLayout(page)
        box.setContentsMargins(0, 0, 0, 8)
        box.addWidget(top)
        box.addWidget(self.tabs, 1)
        box.addWidget(self.notice)
        self.main_page = page
        self.stack.addWidget(page)

    # ---- signing in -------------------------------------------------------------------------------

    def submit(self) -> None:
        user, pin = self.username.text().strip(), self.pin.text()
        if not user or not pin:
            return
        self.go.setEnabled(False)
        self.worker.run(lambda s: authenticate(s, user, pin, Role.SUPERVISOR), self._signed_in, self._sign_in_failed)

    def _signed_in(self, result: SignIn) -> None:
        self.go.setEnabled(True)
        self.pin.clear()
        if not result.ok:
            self.error.setText(self.t(f"si_{result.reason}") if f"si_{result.reason}" in T else result.message)
            return
        self.user, self.error_text = result, ""
        self.error.setText("")
        self.who.setText(f"{self.t('title')} · {result.display_name} ({result.username}, {result.role})")
        self.stack.setCurrentWidget(self.main_page)
        # Only an admin sees the admin tab (the engine refuses its actions to anyone else anyway).
        index = self.tabs.indexOf(self.admin_tab)
        if result.role == Role.ADMIN.value and index < 0:
            self.tabs.addTab(self.admin_tab, self.t("admin"))
        elif result.role != Role.ADMIN.value and index >= 0:
            self.tabs.removeTab(index)
        self.clock.start()
        self.refresh()

    def _sign_in_failed(self, error: Exception) -> None:
        self.go.setEnabled(True)
        self.error.setText(self.t("offline"))

    def sign_out(self) -> None:
        self.user, self.board = None, None
        self.clock.stop()
        self.stack.setCurrentWidget(self.sign_in_page)
        self.username.setFocus()

    # ---- reading ----------------------------------------------------------------------------------

    def refresh(self) -> None:
        if self.user is None or self._reading:
            return
        self._reading = True
        self.worker.run(load_board, self._got_board, self._read_failed, read=True)

    def _got_board(self, board: Board) -> None:
        self._reading = False
        if self.board is None:  # the venue's today (its time zone), not this PC's date
            day = QDate(board.report.start.year, board.report.start.month, board.report.start.day)
            self.report_from.setDate(day)
            self.report_to.setDate(day)
        self.board = board
        self._fill_counters(board)
        self._fill_services(board)
        self._fill_report(board)

    def _read_failed(self, error: Exception) -> None:
        self._reading = False

    def _online(self, online: bool) -> None:
        self.banner.show_text("" if online else "error", "" if online else self.t("offline"))
        if online:
            self.refresh()

    def _fill(self, table: QTableWidget, rows: list[list[str]]) -> None:
        picked = table.currentRow()
        table.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c >= 2 and value.replace(",", "").replace(".", "").replace("%", "").strip().isdigit():
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                table.setItem(r, c, item)
        if 0 <= picked < len(rows):
            table.selectRow(picked)

    def _fill_counters(self, board: Board) -> None:
        rows = []
        for c in board.counters:
            ticket = c.ticket
            rows.append([c.code, c.name, c.agency or "", self.t("open") if c.is_open else self.t("closed"),
                         c.operator or self.t("none"), ticket.code if ticket else self.t("none"),
                         STATUS.get(ticket.status, (ticket.status, ticket.status))[self.i] if ticket else ""])
        self._fill(self.counter_table, rows)

    def _fill_services(self, board: Board) -> None:
        rows = [[s.code, s.name if self.lang == "id" else s.name_en, s.agency, str(s.waiting),
                 self.t("open") if s.open else self.t("closed"),
                 f"{s.issued_today} / {s.daily_quota}" if s.daily_quota else self.t("no_limit")]
                for s in board.services]
        self._fill(self.service_table, rows)
        codes = [s.code for s in board.services if s.open]
        if [self.move_target.itemData(i) for i in range(self.move_target.count())] != codes:
            self.move_target.clear()
            for s in board.services:
                if s.open:
                    self.move_target.addItem(f"{s.code} · {s.name}", s.code)

    def _build_report_tab(self, parent: QWidget) -> QWidget:
        tab = QWidget(parent)
        today = QDate.currentDate()
        self.report_from, self.report_to = QDateEdit(today, tab), QDateEdit(today, tab)
        for edit in (self.report_from, self.report_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd-MM-yyyy")
        self.report_section = QComboBox(tab)
        for key, label in zip(("service", "day", "agency", "counter", "officer"), self.t("sections"), strict=True):
            self.report_section.addItem(label, key)
        self.report_section.currentIndexChanged.connect(lambda _i: self._fill_report())
        self.report_button = QPushButton(self.t("show"), tab)
        self.report_button.clicked.connect(self.load_period)
        bar = QHBoxLayout()
        for widget in (QLabel(self.t("from"), tab), self.report_from, QLabel(self.t("to"), tab), self.report_to,
                       self.report_section, self.report_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        self.report_table = self._table(self.t("r_head"))
        self.period_report: Report | None = None  # None: today's, read with the board
        box = QVBoxLayout(tab)
        box.addLayout(bar)
        box.addWidget(self.report_table, 1)
        return tab

    def load_period(self) -> None:
        """The report of the chosen days (read on the worker; the board keeps today's up to date)."""
        start, end = self.report_from.date().toPython(), self.report_to.date().toPython()
        if end < start:
            start, end = end, start

        def done(report: Report) -> None:
            self.period_report = report
            self._fill_report()

        self.worker.run(lambda s: build_report(s, start, end), done, self._read_failed, read=True)

    def _fill_report(self, board: Board | None = None) -> None:
        board = board or self.board
        report = self.period_report or (board.report if board else None)
        if report is None:
            return
        rows = []
        for r in report.sections[self.report_section.currentData()]:
            share = f"{r.within_target * 100:.0f} %" if r.within_target is not None else "–"
            rows.append([r.key, r.name, str(r.issued), str(r.served), str(r.no_shows),
                         _m(r.wait_p50), _m(r.wait_p90), share])
        self._fill(self.report_table, rows)

    # ---- acting -----------------------------------------------------------------------------------

    def _selected_service(self) -> str | None:
        row = self.service_table.currentRow()
        item = self.service_table.item(row, 0) if row >= 0 else None
        return item.text() if item else None

    def _service_picked(self) -> None:
        code = self._selected_service()
        state = next((s for s in self.board.services if s.code == code), None) if self.board else None
        if state is not None:
            self.quota.setValue(state.daily_quota or 0)

    def act(self, op: Any) -> None:
        """Run one engine action as the signed-in user; say done or why it was refused."""
        if self.user is None:
            return
        actor = self.user.username

        def done(_: Any) -> None:
            self.notice.show_text("ok", self.t("done"))
            self.refresh()

        def failed(error: Exception) -> None:
            # One line, never a traceback: an engine refusal says why; anything else names itself.
            why = str(error) if isinstance(error, AntreError) else f"{type(error).__name__}: {error}"
            why = why.strip().splitlines()[0] if why.strip() else type(error).__name__
            self.notice.show_text("warn", self.t("refused", why=why))
            self.refresh()

        self.worker.run(lambda s: op(s, actor), done, failed)

    def toggle_service(self) -> None:
        code = self._selected_service()
        if code is None or self.board is None:
            self.notice.show_text("warn", self.t("pick"))
            return
        is_open = next((s.open for s in self.board.services if s.code == code), True)
        self.act(lambda s, actor: set_service_open(s, actor, code, not is_open))

    def save_quota(self) -> None:
        code = self._selected_service()
        if code is None:
            self.notice.show_text("warn", self.t("pick"))
            return
        quota = self.quota.value() or None
        self.act(lambda s, actor: set_quota(s, actor, code, quota))

    def move(self) -> None:
        code, target, note = self.ticket_code.text().strip(), self.move_target.currentData(), self.reason.text()
        if code and target:
            self.act(lambda s, actor: move_ticket(s, actor, code, target, note=note))

    def cancel(self) -> None:
        code, reason = self.ticket_code.text().strip(), self.reason.text()
        if code:
            self.act(lambda s, actor: cancel_ticket(s, actor, code, reason=reason))

    def shutdown(self) -> None:
        stop = getattr(self.watcher, "stop", None)
        if stop:
            stop()
        self.clock.stop()
        self.worker.stop()


def _m(value: object) -> str:
    return "–" if value is None else f"{value} mnt"

