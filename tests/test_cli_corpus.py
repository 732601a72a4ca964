"""A corpus of bad inputs fed to the real `antre` command: each ends in one clear line and a non-zero
exit, never a traceback. Runs on both databases (the `db_url` fixture)."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

DEEP = "x = " + "[" * 5000 + "]" * 5000 + "\n"
DUP_SERVICES = """
[venue]
name = "MPP"
[[agencies]]
code = "DUK"
name = "Dukcapil"
[[services]]
agency = "DUK"
code = "A"
name = "KTP"
[[counters]]
code = "L1"
name = "Loket 1"
services = ["A", "a"]
"""


def corpus(tmp: Path) -> list[tuple[list[str], str]]:
    """(arguments, a piece of the expected message)."""
    (tmp / "deep.toml").write_text(DEEP, encoding="utf-8")
    (tmp / "dup.toml").write_text(DUP_SERVICES, encoding="utf-8")
    (tmp / "binary.toml").write_bytes(bytes(range(256)) * 8)
    (tmp / "app.toml").write_text(DUP_SERVICES.replace('"A", "a"', '"A"') + "[kiosk]\nidle_seconds = -1\n",
                                  encoding="utf-8")
    long = "x" * 600
    return [
        (["issue", "A", "--category", "lansia"], "add --priority"),
        (["issue", "A", "--priority", "--category", "alien"], "unknown priority category 'alien'"),
        (["issue", "ZZZ"], "ZZZ"),
        (["issue", ""], ""),
        (["issue", long], "at most 500 characters"),
        (["issue", "A\x01"], "control character"),
        (["issue", "'; DROP TABLE tickets; --"], ""),
        (["call", "L99"], "L99"),
        (["recall", "L1"], ""),
        (["finish", "L1"], ""),
        (["transfer", "L1", "ZZ", "--note", long], "at most 500 characters"),
        (["requeue", "A-999"], "A-999"),
        (["open", "L99"], "L99"),
        (["operator", "add", "síti", "--name", "Siti"], "ASCII"),
        (["operator", "add", "bob", "--name", "Bob", "--pin", "١٢٣٤"], "digits 0-9"),
        (["operator", "add", "bob", "--name", "Bob", "--pin", "0000", "--permanent"], "too easy to guess"),
        (["operator", "set-pin", "nobody", "--pin", "5190"], "nobody"),
        (["operator", "set-pin", "siti", "--pin", "12"], "4 to 12 digits"),
        (["operator", "set-pin", "siti", "--pin", "4444"], "too easy to guess"),
        (["bench", "--n", "0"], "--n: must be from 1"),
        (["bench", "--n", "-5"], "--n"),
        (["bench", "--n", "abc"], "not a whole number"),
        (["bench", "--processes", "0"], "--processes"),
        (["ticket", "A-001", "--png", str(tmp / "missing" / "t.png")], "does not exist"),
        (["ticket", "A-999", "--png", str(tmp / "t.png")], "A-999"),
        (["say", "A-001", "L1", "--to", str(tmp / "missing" / "call.wav")], "does not exist"),
        (["say", "A-001", "L1", "--to", str(tmp)], "is a folder"),
        (["say", "A-001", "L1", "--to", str(tmp / "c.wav"), "--rate", "100000"], "--rate"),
        (["init", "--config", str(tmp / "nowhere.toml")], "file not found"),
        (["init", "--config", str(tmp / "deep.toml")], "nested too deeply"),
        (["init", "--config", str(tmp / "binary.toml")], "binary.toml"),
        (["init", "--config", str(tmp / "dup.toml")], "counters[0].services[1]: 'a' is listed twice"),
        (["init", "--config", str(tmp / "app.toml")], "app.toml: kiosk.idle_seconds"),
        (["init", "--config", str(tmp)], ""),
        (["simulate", "--extra", "DUKCAPIL=abc"], "NAME=NUMBER"),
        (["simulate", "--extra", "DUKCAPIL=99999"], "at most 40"),
        (["simulate", "--arrivals", "-1"], "--arrivals"),
        (["demo", "--minutes", "-1"], "--minutes"),
        (["demo", "--speed", "0"], "--speed"),
        (["demo", "--db", str(tmp / "mine.sqlite3")], "leave out --db"),
        (["nonsense"], "invalid choice"),
    ]


def _run(args: list[str], db_url: str) -> subprocess.CompletedProcess[str]:
    # ANTRE_DEBUG: a bug shows its traceback here (and fails the test) instead of the users' one line
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ANTRE_DB": db_url, "ANTRE_DEBUG": "1"}
    return subprocess.run([sys.executable, "-m", "antre", *args], check=False, capture_output=True,
                          text=True, timeout=120,
                          env=env, stdin=subprocess.DEVNULL)


def test_bad_inputs_never_give_a_traceback(db_url: str, tmp_path: Path) -> None:
    cases = corpus(tmp_path)
    with ThreadPoolExecutor(2) as pool:  # two at a time: the machine is shared
        results = list(pool.map(lambda case: _run(case[0], db_url), cases))
    bad = []
    for (args, expected), done in zip(cases, results, strict=True):
        err = done.stderr
        lines = [line for line in err.splitlines() if line.strip() and not line.startswith(("usage:", " "))]
        if "Traceback" in err or done.returncode not in (1, 2) or expected not in err or len(lines) != 1:
            bad.append(f"antre {' '.join(a[:40] for a in args)} -> exit {done.returncode}:\n{err[-1500:]}")
    assert not bad, "\n\n".join(bad)


@pytest.mark.parametrize("args", [["issue", "A", "--priority", "--category", "LANSIA"],
                                  ["issue", "A", "--priority", "--category", "ibu_hamil"]])
def test_a_category_the_venue_defines_is_taken_in_any_case(db_url: str, args: list[str]) -> None:
    done = _run([*args, "--json"], db_url)
    assert done.returncode == 0, done.stderr


BUG = """
import sys
import db.queue
from antre.cli import main

def broken(*args, **kwargs):
    raise ZeroDivisionError("division by zero")

db.queue.issue_ticket = broken  # a bug somewhere under a command
sys.exit(main(["issue", "A", "--db", sys.argv[1]]))
"""


@pytest.mark.parametrize("debug", [False, True])
def test_a_bug_is_one_line_unless_asked(db_url: str, debug: bool) -> None:
    env = {k: v for k, v in os.environ.items() if k != "ANTRE_DEBUG"} | ({"ANTRE_DEBUG": "1"} if debug else {})
    done = subprocess.run([sys.executable, "-c", BUG, db_url], check=False, capture_output=True, text=True,
                          timeout=120, env=env)
    if debug:
        assert "Traceback" in done.stderr and "ZeroDivisionError" in done.stderr
    else:
        assert done.returncode == 70 and "Traceback" not in done.stderr, done.stderr
        assert done.stderr.strip() == ("antre: internal error (ZeroDivisionError: division by zero); run again "
                                       "with ANTRE_DEBUG=1 to see where, and report it")
