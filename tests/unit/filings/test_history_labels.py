"""The history tab names every action recorded against a return in words, never as `challan.add`."""
from __future__ import annotations

import ast
from pathlib import Path

from app.filings import history

APP = Path(__file__).resolve().parents[3] / "app"


def _recorded_against_a_return() -> set[str]:
    """Actions of every `audit.record(...)` call whose filing is not a literal None, and the
    `<action>.add` / `<action>.remove` pair of every schedule."""
    actions: set[str] = set()
    for path in APP.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call):
                continue
            name = ast.unparse(node.func)
            args = node.args
            if name == "audit.record" and len(args) >= 5 and isinstance(args[4], ast.Constant):
                if not (isinstance(args[3], ast.Constant) and args[3].value is None):
                    actions.add(args[4].value)
            elif name == "_Schedule" and len(args) >= 3 and isinstance(args[2], ast.Constant):
                actions |= {f"{args[2].value}.add", f"{args[2].value}.remove"}
    return actions


def test_every_action_recorded_against_a_return_has_a_label():
    recorded = _recorded_against_a_return()
    assert {"filing.update", "challan.add", "invoice.paid"} <= recorded  # the scan finds all three kinds of call
    assert sorted(recorded - set(history.ACTIONS)) == []
