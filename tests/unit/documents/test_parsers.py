"""Parsers on hand-written rows: the label wordings and table shapes certificates use."""

from __future__ import annotations

from app.documents.classify import classify
from app.documents.fields import extract_fields

from .rows import rows


def test_form16a_with_several_sections_leaves_the_section_out_and_says_why() -> None:
    lines = rows(
        """
FORM NO. 16A
TAN of the Deductor:   DELH09876K
Sl. No.   Amount paid/credited   Nature of payment
1         10,000.00              194A
2         20,000.00              194H
Total (Rs.)   30,000.00
"""
    )
    fields, _conf, _src, warnings = extract_fields(classify(lines), lines)
    assert "section" not in fields
    assert fields["amount_paid"] == 30000
    assert any("194A" in w and "194H" in w for w in warnings)


def test_a_label_with_no_value_does_not_borrow_the_next_label_s_value() -> None:
    lines = rows(
        """
Form 16
Gross salary:                    Standard deduction:   75,000
Income chargeable under the head Salaries:   9,00,000
"""
    )
    fields, *_ = extract_fields("form16", lines)
    assert "gross_salary" not in fields
    assert fields["standard_deduction"] == 75000


def test_values_under_header_cells_are_matched_by_column() -> None:
    lines = rows(
        """
PAN of the Deductor   TAN of the Deductor   PAN of the Employee
AAACA1234C            MUMA12345B            ABCPE1234F
Name and address of the Employer            Name and address of the Employee
ACME LTD                                    RAVI KUMAR
"""
    )
    fields, *_ = extract_fields("form16", lines)
    assert fields["employee_pan"] == "ABCPE1234F"
    assert fields["employer_tan"] == "MUMA12345B"
    assert fields["employer_name"] == "ACME LTD"


def test_tds_is_read_from_the_deducted_column_of_the_total_row() -> None:
    lines = rows(
        """
Quarter   Amount paid   Amount of tax deducted   Amount of tax deposited
Q1        1,00,000.00   5,000.00                 5,000.00
Total (Rs.)   1,00,000.00   5,000.00             4,000.00
"""
    )
    fields, *_ = extract_fields("form16", lines)
    assert fields["tds"] == 5000


def test_ocr_rows_take_their_confidence_from_the_words() -> None:
    lines = rows("Form 16\nStandard deduction u/s 16(ia):   50,000", ocr=True, conf=0.8)
    fields, conf, *_ = extract_fields("form16", lines)
    assert fields["standard_deduction"] == 50000
    assert 0.8 <= conf["standard_deduction"] < 0.95


def test_unreadable_words_leave_the_field_out() -> None:
    lines = rows("Form 16\nStandard deduction u/s 16(ia):   50,0O0", ocr=True, conf=0.3)
    fields, _conf, _src, warnings = extract_fields("form16", lines)
    assert "standard_deduction" not in fields
    assert any("standard deduction" in w for w in warnings)


def test_a_misread_label_still_matches_but_not_the_other_party_s() -> None:
    lines = rows("PAN of the Employer:   AAACA1234C\nPAN of the Emplyee:   ABCPE1234F", ocr=True, conf=0.9)
    fields, *_ = extract_fields("form16", lines)
    assert fields["employee_pan"] == "ABCPE1234F"
    lines = rows("PAN of the Employer:   AAACA1234C", ocr=True, conf=0.9)
    fields, *_ = extract_fields("form16", lines)
    assert "employee_pan" not in fields


def test_assessment_year_is_derived_from_the_financial_year_when_only_that_is_printed() -> None:
    fields, *_ = extract_fields("form16", rows("Form 16\nFinancial Year: 2024-2025"))
    assert fields["assessment_year"] == "2025-26"
    fields, *_ = extract_fields("interest_certificate", rows("Interest certificate\nA.Y. 2025-26"))
    assert fields["financial_year"] == "2024-25"


def test_classification_follows_the_title_not_the_contents() -> None:
    assert classify(rows("FORM NO. 16A\nCertificate under section 203")) == "form16a"
    assert classify(rows("FORM NO. 16\n[See rule 31(1)(a)]\nPART A")) == "form16"
    assert (
        classify(rows("Payslip for March 2025\nPAN: ABCPE1234F\nIncome tax 7,000\nForm 16 will follow in June"))
        == "unknown"
    )
    assert classify(rows("INTEREST CERTIFICATE\nTotal interest 10,000")) == "interest_certificate"
    assert classify(rows("RENT RECEIPT\nReceived Rs. 20,000 towards rent")) == "rent_receipt"
    assert classify(rows("Bank statement\nInterest credited 120.00")) == "unknown"
    assert classify([]) == "unknown"
