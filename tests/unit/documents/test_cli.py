"""The command line of the contract: JSON Lines in argument order, exit 1 on any error."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from . import generate as g
from .conftest import ROOT


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "app.documents.extract", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("cli")
    paths = {"f16": d / "form16.pdf", "int": d / "interest.pdf", "bad": d / "notes.txt", "locked": d / "locked.pdf"}
    g.make_form16_pdf(paths["f16"], {}, layout=0)
    g.make_interest_certificate_pdf(paths["int"], {}, layout=0)
    paths["bad"].write_text("not a certificate")
    g.make_form16a_pdf(paths["locked"], {}, layout=1, password="pw123")
    return paths


def test_good_files_print_one_line_each_and_exit_zero(docs: dict[str, Path]) -> None:
    done = _run(docs["f16"], docs["int"])
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["file"] for line in lines] == [str(docs["f16"]), str(docs["int"])]
    assert [line["document_type"] for line in lines] == ["form16", "interest_certificate"]
    assert lines[0]["fields"]["employee_pan"] == "ABCPE1234F"
    assert lines[0]["method"] == "text-layer" and lines[0]["pages"] == 2


def test_one_bad_file_among_good_ones_is_reported_in_place_and_fails_the_run(docs: dict[str, Path]) -> None:
    done = _run(docs["f16"], docs["bad"], docs["int"])
    assert done.returncode == 1
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["file"] for line in lines] == [str(docs["f16"]), str(docs["bad"]), str(docs["int"])]
    assert set(lines[1]) == {"file", "error"}
    assert "not a PDF" in lines[1]["error"]
    assert lines[2]["document_type"] == "interest_certificate"


def test_the_password_option_opens_protected_pdfs(docs: dict[str, Path]) -> None:
    missing = _run(docs["locked"])
    assert missing.returncode == 1
    assert "password" in json.loads(missing.stdout)["error"]
    opened = _run(docs["locked"], "--password", "pw123")
    assert opened.returncode == 0
    assert json.loads(opened.stdout)["document_type"] == "form16a"


def test_no_arguments_is_a_usage_error() -> None:
    done = _run()
    assert done.returncode == 2
    assert "usage" in done.stderr.lower()


def test_the_core_imports_no_web_framework_database_or_queue() -> None:
    code = (
        "import sys, app.documents.extract, app.documents.sniff; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'flask', 'sqlalchemy', 'redis', 'rq', 'werkzeug'}))"
    )
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"
