"""`python -m app.itr`: validate a file, export a filing."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.itr import build_itr1
from app.itr.export_cli import ExportError, export_document
from tests.unit.itr.filings import ELIGIBLE, filing_for

ROOT = Path(__file__).resolve().parents[3]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app.itr", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, check=False)


@pytest.fixture(scope="module")
def valid_doc() -> dict:
    return build_itr1(filing_for(ELIGIBLE[0]))


def test_validating_a_valid_return_prints_valid_and_exits_0(tmp_path: Path, valid_doc: dict) -> None:
    path = tmp_path / "itr1.json"
    path.write_text(json.dumps(valid_doc), encoding="utf-8")
    result = run("validate", str(path))
    assert (result.returncode, result.stdout.strip()) == (0, "valid")


def test_validating_an_invalid_return_lists_each_problem_and_exits_1(tmp_path: Path, valid_doc: dict) -> None:
    info = valid_doc["ITR"]["ITR1"]["PersonalInfo"]
    broken = json.loads(json.dumps(valid_doc))
    broken["ITR"]["ITR1"]["PersonalInfo"] = {**info, "AadhaarCardNo": "12345678901"}
    del broken["ITR"]["ITR1"]["PersonalInfo"]["PAN"]
    path = tmp_path / "itr1.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    result = run("validate", str(path))
    assert result.returncode == 1
    assert sorted(result.stdout.splitlines()) == [
        "ITR.ITR1.PersonalInfo.AadhaarCardNo: Aadhaar must be 12 digits",
        "ITR.ITR1.PersonalInfo.PAN: PAN is missing",
    ]


def test_validating_a_file_that_is_not_json_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "itr1.json"
    path.write_text("{not json", encoding="utf-8")
    result = run("validate", str(path))
    assert result.returncode == 2
    assert "not valid JSON" in result.stderr
    assert result.stdout == ""


def test_validating_a_missing_file_exits_2(tmp_path: Path) -> None:
    result = run("validate", str(tmp_path / "nowhere.json"))
    assert result.returncode == 2
    assert "cannot read" in result.stderr


def test_exporting_needs_a_numeric_filing_id() -> None:
    assert run("export", "abc").returncode == 2


def test_exporting_an_eligible_filing_gives_the_validated_return() -> None:
    filing = filing_for(ELIGIBLE[0])
    assert export_document(filing) == build_itr1(filing)


def test_exporting_an_ineligible_filing_gives_the_reasons() -> None:
    filing = filing_for(ELIGIBLE[0])
    filing["foreign_assets"] = True
    with pytest.raises(ExportError) as raised:
        export_document(filing)
    assert len(raised.value.problems) == 1
    assert "outside India" in raised.value.problems[0]


def test_exporting_a_filing_with_a_bad_aadhaar_gives_the_problem() -> None:
    filing = filing_for(ELIGIBLE[0])
    filing["personal"]["aadhaar"] = "1234 5678 901"
    with pytest.raises(ExportError) as raised:
        export_document(filing)
    assert raised.value.problems == ["ITR.ITR1.PersonalInfo.AadhaarCardNo: Aadhaar must be 12 digits"]


def test_validating_json_that_is_not_a_return_says_so_and_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "itr1.json"
    path.write_text("[1, 2, 3]", encoding="utf-8")
    result = run("validate", str(path))
    assert result.returncode == 1
    assert result.stdout.strip() == "ITR: This is not an ITR-1 return: it must be a JSON object"
