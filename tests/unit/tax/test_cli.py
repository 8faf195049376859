"""The command line, a stable contract (contracts/tax-engine.md): `python -m app.tax < case.json`."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app.tax import compute

ROOT = Path(__file__).resolve().parents[3]
CASE: dict[str, Any] = {"financial_year": "2025-26", "salary": {"gross": 1_450_000}}


def cli(stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "app.tax"], input=stdin, capture_output=True,
                          cwd=ROOT, check=False, timeout=120)


def test_cli_one_case_gives_one_result_object() -> None:
    proc = cli(json.dumps(CASE).encode())
    assert proc.returncode == 0
    assert proc.stderr == b""
    assert json.loads(proc.stdout) == compute(CASE)


def test_cli_array_gives_an_array_in_the_same_order() -> None:
    cases = [CASE, {"financial_year": "2024-25"}, {**CASE, "age": 70}]
    proc = cli(json.dumps(cases).encode())
    assert proc.returncode == 0
    assert json.loads(proc.stdout) == [compute(case) for case in cases]


def test_cli_empty_array_gives_an_empty_array() -> None:
    proc = cli(b"[]")
    assert (proc.returncode, json.loads(proc.stdout)) == (0, [])


def test_cli_output_is_utf8_with_rupee_signs() -> None:
    proc = cli(json.dumps(CASE).encode())
    assert "₹" in proc.stdout.decode("utf-8")


@pytest.mark.parametrize(("stdin", "message"), [
    (b"{not json", "invalid JSON"),
    (b"", "invalid JSON"),
    (b'{"financial_year": NaN}', "invalid JSON"),
    (b"42", "JSON object"),
    (b'{"financial_year": "2023-24"}', "financial_year: must be one of 2024-25, 2025-26"),
    (b'{"financial_year": "2025-26", "salary": {"gross": -1}}', "salary.gross: must not be "
                                                                 "negative"),
    (b'{"financial_year": "2025-26", "salary": {"gross": true}}', "salary.gross: must be a "
                                                                   "number"),
    (b'{"financial_year": "2025-26", "salary": {"gross": "9"}}', "salary.gross: must be a number"),
    (b'{"financial_year": "2025-26", "deductions": {"80G": 1}}', "deductions.80G: unknown field"),
    (b'{"financial_year": "2025-26", "house_property": [{"kind": "farm"}]}',
     "house_property[0].kind: must be one of"),
])
def test_cli_bad_input_exits_2_with_one_line_naming_the_field(stdin: bytes,
                                                              message: str) -> None:
    proc = cli(stdin)
    assert proc.returncode == 2
    assert proc.stdout == b""
    err = proc.stderr.decode()
    assert err.count("\n") == 1 and err.endswith("\n")
    assert message in err


def test_cli_batch_error_is_prefixed_with_the_index() -> None:
    cases = [CASE, CASE, CASE, {"financial_year": "2025-26", "salary": {"gross": -5}}]
    proc = cli(json.dumps(cases).encode())
    assert proc.returncode == 2
    assert proc.stdout == b""
    assert proc.stderr.decode() == "[3].salary.gross: must not be negative (got -5)\n"


def test_cli_batch_non_object_item_is_named_by_index() -> None:
    proc = cli(json.dumps([CASE, 7]).encode())
    assert proc.returncode == 2
    assert proc.stderr.decode() == "[1]: must be an object, not a number\n"


def test_cli_large_batch_split_across_workers_matches_the_api() -> None:
    cases = [{"financial_year": ("2024-25", "2025-26")[i % 2],
              "salary": {"gross": 300_000 + 997 * i}, "age": 20 + i % 70} for i in range(3_000)]
    proc = cli(json.dumps(cases).encode())
    assert proc.returncode == 0, proc.stderr
    results = json.loads(proc.stdout)
    assert len(results) == 3_000
    for i in (0, 1, 1_499, 1_500, 2_999):
        assert results[i] == compute(cases[i])


def test_cli_large_batch_reports_the_first_bad_case_whichever_worker_meets_it() -> None:
    cases: list[Any] = [CASE] * 3_000
    cases[2_900] = {"financial_year": "2025-26", "bonus": 1}
    cases[2_500] = {"financial_year": "1999-00"}
    proc = cli(json.dumps(cases).encode())
    assert proc.returncode == 2
    assert proc.stdout == b""
    assert proc.stderr.decode().startswith("[2500].financial_year: ")
    cases[10] = {"financial_year": "2025-26", "age": -3}
    proc = cli(json.dumps(cases).encode())
    assert proc.stderr.decode() == "[10].age: must be between 0 and 150 (got -3)\n"


def test_cli_main_on_in_memory_streams_computes_a_large_batch_in_process() -> None:
    import io

    from app.tax.__main__ import main

    cases = [{"financial_year": "2025-26", "other_sources": {"other": 10_000 * i}}
             for i in range(2_100)]
    out = io.BytesIO()
    assert main(io.BytesIO(json.dumps(cases).encode()), out) == 0
    results = json.loads(out.getvalue())
    assert len(results) == 2_100
    assert results[2_099] == compute(cases[2_099])


def test_cli_stops_quietly_when_the_reader_goes_away() -> None:
    cases = [CASE] * 3_000
    proc = subprocess.run(f"{sys.executable} -m app.tax | head -c 10", shell=True,  # noqa: S602
                          input=json.dumps(cases).encode(), capture_output=True, cwd=ROOT,
                          check=False, timeout=120)
    assert proc.stdout == b'[{"old":{"'
    assert b"Traceback" not in proc.stderr
