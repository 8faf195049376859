"""Text-layer PDFs: every layout of every certificate reads exactly, with no OCR."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.documents.extract import extract_file
from app.documents.fields import FIELDS

from . import generate as g
from .conftest import Sample


def test_every_layout_yields_its_type_and_exact_fields(text_corpus: list[Sample]) -> None:
    for sample in text_corpus:
        assert sample.result is not None
        assert sample.result["document_type"] == sample.kind, sample.name
        assert sample.result["fields"] == sample.expected, sample.name


def test_text_pdfs_are_read_from_their_text_layer_with_high_confidence(text_corpus: list[Sample]) -> None:
    for sample in text_corpus:
        result = sample.result
        assert result is not None
        assert result["method"] == "text-layer", sample.name
        assert set(result["confidence"]) == set(result["fields"]), sample.name
        assert all(c >= 0.9 for c in result["confidence"].values()), sample.name


def test_each_field_cites_the_row_it_came_from(text_corpus: list[Sample]) -> None:
    for sample in text_corpus:
        result = sample.result
        assert result is not None
        assert set(result["sources"]) == set(result["fields"]), sample.name
        for name, value in result["fields"].items():
            if isinstance(value, str) and name not in ("assessment_year", "financial_year"):
                assert value in result["sources"][name], (sample.name, name)


def test_fields_come_in_contract_order_and_nothing_else(text_corpus: list[Sample]) -> None:
    for sample in text_corpus:
        result = sample.result
        assert result is not None
        order = FIELDS[result["document_type"]]
        assert list(result["fields"]) == [f for f in order if f in result["fields"]]


def test_a_payslip_showing_pan_and_tds_is_unknown_with_no_fields(text_corpus: list[Sample]) -> None:
    payslips = [s for s in text_corpus if s.name.startswith("payslip")]
    assert len(payslips) == g.PAYSLIP_LAYOUTS
    for sample in payslips:
        assert sample.result is not None
        assert sample.result["document_type"] == "unknown"
        assert sample.result["fields"] == {}


def test_rent_receipts_are_typed_without_fields(text_corpus: list[Sample]) -> None:
    for sample in (s for s in text_corpus if s.name.startswith("rent")):
        assert sample.result is not None
        assert sample.result["document_type"] == "rent_receipt"
        assert sample.result["fields"] == {}


def test_the_result_has_the_contract_keys_and_no_file_key(tmp_path: Path) -> None:
    path = tmp_path / "f16.pdf"
    g.make_form16_pdf(path, {})
    result = extract_file(path)
    assert list(result) == ["document_type", "pages", "method", "fields", "confidence", "sources", "warnings"]
    assert result["pages"] == 2
    assert result["warnings"] == []


def test_progress_is_reported_after_each_page(tmp_path: Path) -> None:
    path = tmp_path / "f16.pdf"
    g.make_form16_pdf(path, {}, layout=0)
    calls: list[tuple[int, int]] = []
    extract_file(str(path), on_page=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 2), (2, 2)]


@pytest.mark.parametrize("layout", range(g.FORM16_LAYOUTS))
def test_form16_whose_figures_do_not_add_up_keeps_them_and_warns(tmp_path: Path, layout: int) -> None:
    path = tmp_path / "f16.pdf"
    expected = g.make_form16_pdf(path, {"taxable_salary": 1300000}, layout=layout)
    result = extract_file(path)
    assert result["fields"] == expected
    assert result["fields"]["taxable_salary"] == 1300000
    assert any("do not add up" in w for w in result["warnings"])


@pytest.mark.parametrize("layout", range(g.FORM16_LAYOUTS))
def test_form16_without_taxable_salary_does_not_invent_it(tmp_path: Path, layout: int) -> None:
    path = tmp_path / "f16.pdf"
    expected = g.make_form16_pdf(path, {"taxable_salary": None}, layout=layout)
    result = extract_file(path)
    assert "taxable_salary" not in result["fields"]
    assert result["fields"] == expected
    assert result["warnings"] == []


def test_figures_within_a_rupee_of_each_other_pass_the_cross_check(tmp_path: Path) -> None:
    path = tmp_path / "f16.pdf"
    fields = {
        "gross_salary": "1000000.50",
        "hra_exempt": "100000.50",
        "standard_deduction": 75000,
        "professional_tax": 0,
    }
    expected = g.make_form16_pdf(path, fields, layout=3)
    result = extract_file(path)
    assert result["fields"] == expected
    assert result["warnings"] == []


def test_a_missing_field_is_left_out_rather_than_guessed(tmp_path: Path) -> None:
    path = tmp_path / "f16a.pdf"
    expected = g.make_form16a_pdf(path, {"deductee_pan": "NOT-A-PAN"}, layout=1)
    result = extract_file(path)
    assert "deductee_pan" not in result["fields"]
    assert result["fields"] == {k: v for k, v in expected.items() if k != "deductee_pan"}


@pytest.mark.parametrize("layout", range(g.FORM16A_LAYOUTS))
def test_form16a_gives_the_bare_section_code(tmp_path: Path, layout: int) -> None:
    path = tmp_path / "f16a.pdf"
    g.make_form16a_pdf(path, {"section": "194LBA"}, layout=layout)
    assert extract_file(path)["fields"]["section"] == "194LBA"


def test_interest_from_several_accounts_is_summed_to_the_rupee(tmp_path: Path) -> None:
    path = tmp_path / "int.pdf"
    accounts = [("1", "FD", "100.40", "10.20"), ("2", "FD", "100.40", "10.20"), ("3", "SB", "0.30", "0")]
    expected = g.make_interest_certificate_pdf(path, {"accounts": accounts}, layout=3)
    assert expected["interest_amount"] == 201  # 201.10, not 100 + 100 + 0
    assert extract_file(path)["fields"]["interest_amount"] == 201
