"""The console's look: state colours and one stylesheet scaled to the screen height."""

from __future__ import annotations

from qtkit import theme

# Background and text of the ticket panel per counter state: each state reads at a glance.
STATE_COLORS = {
    "free": ("#DCE6F0", theme.INK),
    "closed": ("#37474F", "#FFFFFF"),
    "called": ("#FFB300", "#000000"),
    "serving": ("#1B5E20", "#FFFFFF"),
    "offline": ("#5A6B7B", "#FFFFFF"),
}

NOTICE_COLORS = {
    "ok": ("#E8F5E9", theme.OK),
    "info": ("#E3F2FD", theme.ACCENT),
    "warn": ("#FFF3E0", theme.WARN),
    "error": ("#FFEBEE", theme.DANGER),
    "": (theme.PAPER, theme.INK),
}

# Button families: the everyday path in blue/green, the final "no-show" in red.
BUTTON_KIND = {
    "next": theme.ACCENT,
    "call": theme.ACCENT,
    "start": "#2E7D32",
    "finish": theme.OK,
    "no_show": theme.DANGER,
}
BUTTON_DEFAULT = "#37474F"
PARKED_ROW = "#FFF0B3"  # light enough that every text on a parked row keeps 4.5:1
PRIORITY_MARK = "#BF360C"  # deep orange: 5.6:1 with white, and as text on white or a parked row
DISABLED_BG, DISABLED_TEXT = "#CFD8DC", "#37474F"  # greyed, yet readable (6.7:1)
TABLE_BG, HEADER_BG, GRID = "#FFFFFF", "#E1E7ED", "#C9D3DD"
STALE = ("#FFF3E0", theme.WARN)  # offline: the lists show the last data known, marked as such

# Every text colour the console draws on every background it draws it on (WCAG contrast >= 4.5:1,
# checked by tests/test_counter_contrast.py). The stylesheet below and the widgets use these names.
TEXT_PAIRS: list[tuple[str, str, str]] = [
    *((f"panel {state}", fg, bg) for state, (bg, fg) in STATE_COLORS.items()),
    *((f"notice {level or 'plain'}", fg, bg) for level, (bg, fg) in NOTICE_COLORS.items()),
    *((f"button {kind}", "#FFFFFF", bg) for kind, bg in (*BUTTON_KIND.items(), ("default", BUTTON_DEFAULT))),
    ("button pressed", "#FFFFFF", theme.INK),
    ("button disabled", DISABLED_TEXT, DISABLED_BG),
    ("offline banner", "#FFFFFF", theme.DANGER),
    ("topbar", "#FFFFFF", theme.INK),
    ("topbar button", theme.INK, "#FFFFFF"),
    ("badge PRIORITAS", "#FFFFFF", PRIORITY_MARK),
    ("suggest no-show", "#FFFFFF", theme.DANGER),
    ("page text", theme.INK, theme.PAPER),
    ("muted on page", theme.MUTED, theme.PAPER),
    ("card text", theme.INK, "#FFFFFF"),
    ("card muted", theme.MUTED, "#FFFFFF"),
    ("card error", theme.DANGER, "#FFFFFF"),
    ("card button", "#FFFFFF", theme.ACCENT),
    ("card secondary button", theme.INK, "#FFFFFF"),
    ("table text", theme.INK, TABLE_BG),
    ("table header", theme.INK, HEADER_BG),
    ("table selection", "#FFFFFF", theme.ACCENT),
    ("table long wait", theme.DANGER, TABLE_BG),
    ("table PRIORITAS", PRIORITY_MARK, TABLE_BG),
    ("table offline (stale)", theme.MUTED, TABLE_BG),
    ("empty list", theme.MUTED, TABLE_BG),
    ("parked row", theme.INK, PARKED_ROW),
    ("parked row DITAHAN", theme.INK, PARKED_ROW),
    ("parked row PRIORITAS", PRIORITY_MARK, PARKED_ROW),
    ("parked row offline", theme.MUTED, PARKED_ROW),
    ("stale marker", STALE[1], STALE[0]),
]


def scale_for(height: int) -> float:
    """Type grows with the screen: 1.0 at 768 px high, about 1.4 at 1080."""
    return max(0.8, min(1.8, height / 768))


def stylesheet(scale: float) -> str:
    """The whole window's stylesheet at this scale (pixel sizes, so DPI quirks cannot shrink text)."""

    def px(size: float) -> str:
        return f"{round(size * scale)}px"

    return f"""
    QWidget {{ font-family: "{theme.FONT_FAMILY}"; color: {theme.INK}; }}
    #page {{ background: {theme.PAPER}; }}
    #topbar {{ background: {theme.INK}; }}
    #topbar QLabel {{ color: #FFFFFF; font-size: {px(17)}; }}
    #topbar #where {{ font-size: {px(21)}; font-weight: bold; }}
    #topbar QPushButton {{ font-size: {px(16)}; font-weight: bold; padding: {px(6)} {px(14)};
        background: #FFFFFF; color: {theme.INK}; border-radius: {px(6)}; }}
    #topbar QPushButton:disabled {{ background: {DISABLED_BG}; color: {DISABLED_TEXT}; }}
    #banner {{ font-size: {px(19)}; font-weight: bold; padding: {px(8)} {px(14)}; }}
    #notice {{ font-size: {px(18)}; font-weight: bold; padding: {px(6)} {px(12)}; border-radius: {px(6)}; }}
    #stateLine {{ font-size: {px(22)}; font-weight: bold; }}
    #code {{ font-size: {px(118)}; font-weight: bold; }}
    #serviceLine {{ font-size: {px(24)}; font-weight: bold; }}
    #detailLine {{ font-size: {px(19)}; }}
    #idle {{ font-size: {px(30)}; font-weight: bold; }}
    #badge {{ font-size: {px(18)}; font-weight: bold; padding: {px(3)} {px(10)}; border-radius: {px(5)};
        background: {PRIORITY_MARK}; color: #FFFFFF; }}
    #suggest {{ font-size: {px(18)}; font-weight: bold; padding: {px(6)} {px(10)}; border-radius: {px(6)};
        background: {theme.DANGER}; color: #FFFFFF; }}
    #sideTitle {{ font-size: {px(20)}; font-weight: bold; }}
    QTableView {{ font-size: {px(18)}; background: {TABLE_BG}; gridline-color: {GRID}; outline: 0;
        selection-background-color: {theme.ACCENT}; selection-color: #FFFFFF; }}
    QHeaderView::section {{ font-size: {px(15)}; font-weight: bold; padding: {px(4)};
        background: {HEADER_BG}; border: none; }}
    #emptyList {{ font-size: {px(20)}; color: {theme.MUTED}; }}
    QTableView:disabled {{ color: {theme.MUTED}; }}
    #stale {{ font-size: {px(16)}; font-weight: bold; padding: {px(4)} {px(8)}; border-radius: {px(4)};
        background: {STALE[0]}; color: {STALE[1]}; }}
    #figures QLabel {{ font-size: {px(16)}; }}
    #figures #figHead {{ font-weight: bold; }}
    #figures #figValue {{ font-size: {px(18)}; font-weight: bold; }}
    #card {{ background: #FFFFFF; border: 1px solid #C9D3DD; border-radius: {px(10)}; }}
    #card QLabel {{ font-size: {px(18)}; }}
    #card #cardTitle {{ font-size: {px(30)}; font-weight: bold; }}
    #card #venueName {{ font-size: {px(20)}; color: {theme.MUTED}; }}
    #card #formError {{ font-size: {px(18)}; font-weight: bold; color: {theme.DANGER}; }}
    #card QLineEdit, #card QComboBox {{ font-size: {px(24)}; padding: {px(6)}; min-height: {px(40)}; }}
    #card QPushButton {{ font-size: {px(22)}; font-weight: bold; min-height: {px(54)};
        background: {theme.ACCENT}; color: #FFFFFF; border-radius: {px(8)}; }}
    #card QPushButton#secondary {{ background: #FFFFFF; color: {theme.INK}; border: 2px solid #8A99A8; }}
    #card QPushButton:disabled {{ background: {DISABLED_BG}; color: {DISABLED_TEXT}; }}
    QDialog QLabel {{ font-size: {px(18)}; }}
    QDialog QListWidget {{ font-size: {px(18)}; }}
    QDialog QLineEdit {{ font-size: {px(18)}; padding: {px(4)}; }}
    QDialog QPushButton {{ font-size: {px(18)}; font-weight: bold; padding: {px(8)} {px(18)}; }}
    """


def button_style(kind: str, scale: float, *, highlight: bool = False) -> str:
    """An action button: coloured when enabled, plainly grey when not (never a faint ghost)."""
    color = BUTTON_KIND.get(kind, BUTTON_DEFAULT)
    radius, size = round(8 * scale), round(19 * scale)
    border = f"{round(6 * scale)}px solid #FFD54F" if highlight else "none"
    return f"""
    QPushButton {{ background: {color}; color: #FFFFFF; border: {border}; border-radius: {radius}px;
        font-size: {size}px; font-weight: bold; text-align: center; padding: 4px; }}
    QPushButton:focus {{ border: 3px solid #FFD54F; }}
    QPushButton:pressed {{ background: {theme.INK}; }}
    QPushButton:disabled {{ background: {DISABLED_BG}; color: {DISABLED_TEXT}; }}
    """
