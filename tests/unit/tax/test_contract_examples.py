"""Every worked case of shared/contracts/tax-examples.json, through the API and the CLI."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app.tax import compute

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES_FILE = ROOT / ".." / "shared" / "contracts" / "tax-examples.json"
EXAMPLES: list[dict[str, Any]] = json.loads(EXAMPLES_FILE.read_text())


def test_the_contract_examples_file_is_found_beside_the_repository() -> None:
    assert len(EXAMPLES) >= 8


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["id"] for e in EXAMPLES])
def test_contract_example_total_income_and_total_tax(example: dict[str, Any]) -> None:
    result = compute(example["input"])
    for regime, expected in example["expect"].items():
        for key, value in expected.items():
            assert result[regime][key] == value, f"{regime}.{key}"


def test_contract_examples_through_the_batch_cli_in_order() -> None:
    cases = [e["input"] for e in EXAMPLES]
    proc = subprocess.run([sys.executable, "-m", "app.tax"], input=json.dumps(cases).encode(),
                          capture_output=True, cwd=ROOT, check=False)
    assert proc.returncode == 0, proc.stderr
    results = json.loads(proc.stdout)
    assert len(results) == len(EXAMPLES)
    for example, result in zip(EXAMPLES, results, strict=True):
        for regime, expected in example["expect"].items():
            for key, value in expected.items():
                assert result[regime][key] == value, f"{example['id']} {regime}.{key}"


def test_contract_output_example_salaried_saving_and_form() -> None:
    # The contract's output sample: the salaried case saves 1,22,800 - 89,700 = 33,100 in the
    # new regime and files ITR-1.
    result = compute(next(e for e in EXAMPLES if e["id"] == "salaried-old-vs-new")["input"])
    assert result["recommended_regime"] == "new"
    assert result["saving"] == 33_100
    assert result["itr_form"] == "ITR-1"
    assert result["itr_form_reasons"] == []
