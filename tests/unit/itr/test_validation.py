"""Validation messages a taxpayer can act on, from the official ITR-1 schema."""
from __future__ import annotations

import copy
import hashlib
import re
import time
from typing import Any

import pytest

from app.itr import ItrProblem, build_itr1, validate_itr1
from app.itr.validation import (
    ACCOUNT_NUMBER_PATTERN,
    SCHEMA_PATH,
    SCHEMA_SHA256,
    _account_number_matches,
)
from tests.unit.itr.filings import ELIGIBLE, by_id, filing_for


@pytest.fixture(scope="module")
def valid_doc() -> dict[str, Any]:
    return build_itr1(filing_for(ELIGIBLE[0]))


def with_change(doc: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of doc with the dotted path set to value (or removed when value is ...)."""
    changed = copy.deepcopy(doc)
    *parents, last = path.split(".")
    node = changed["ITR"]["ITR1"]
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    if value is ...:
        del node[last]
    else:
        node[last] = value
    return changed


def messages(doc: dict[str, Any]) -> list[str]:
    return [p.message for p in validate_itr1(doc)]


def test_the_shipped_schema_is_the_official_file_unmodified() -> None:
    assert hashlib.sha256(SCHEMA_PATH.read_bytes()).hexdigest() == SCHEMA_SHA256


def test_a_valid_return_has_no_problems(valid_doc: dict[str, Any]) -> None:
    assert validate_itr1(valid_doc) == []


def test_a_missing_pan_is_reported_as_pan_is_missing(valid_doc: dict[str, Any]) -> None:
    problems = validate_itr1(with_change(valid_doc, "PersonalInfo.PAN", ...))
    assert ItrProblem("ITR.ITR1.PersonalInfo.PAN", "PAN is missing") in problems


def test_an_aadhaar_of_eleven_digits_must_be_twelve(valid_doc: dict[str, Any]) -> None:
    problems = validate_itr1(with_change(valid_doc, "PersonalInfo.AadhaarCardNo", "23456789012"))
    assert problems == [ItrProblem("ITR.ITR1.PersonalInfo.AadhaarCardNo", "Aadhaar must be 12 digits")]


def test_an_aadhaar_of_thirteen_digits_is_caught_although_the_schema_pattern_is_unanchored(
    valid_doc: dict[str, Any],
) -> None:
    assert messages(with_change(valid_doc, "PersonalInfo.AadhaarCardNo", "2345678901234")) == [
        "Aadhaar must be 12 digits"]


@pytest.mark.parametrize("pan", ["ABCPR1234", "abcpr1234f", "XABCPR1234FX", "1234567890"])
def test_a_malformed_pan_is_explained_by_its_shape(valid_doc: dict[str, Any], pan: str) -> None:
    assert "PAN must look like ABCPE1234F (5 letters, 4 digits, 1 letter)" in messages(
        with_change(valid_doc, "PersonalInfo.PAN", pan))


def test_a_company_pan_cannot_file_itr1(valid_doc: dict[str, Any]) -> None:
    doc = with_change(valid_doc, "PersonalInfo.PAN", "ABCCR1234F")
    doc = with_change(doc, "Verification.Declaration.AssesseeVerPAN", "ABCCR1234F")
    assert messages(doc) == [
        "PAN must be an individual's PAN (its fourth letter is P); ITR-1 is only for individuals"]


@pytest.mark.parametrize("mobile", [98765432, 98765432101, "98765 4321x"])
def test_a_mobile_number_that_is_not_ten_digits_is_reported(valid_doc: dict[str, Any], mobile: Any) -> None:
    assert "Mobile number must be 10 digits" in messages(
        with_change(valid_doc, "PersonalInfo.Address.MobileNo", mobile))


@pytest.mark.parametrize("pin", [56003, 5600381, "56O038"])
def test_a_pin_code_that_is_not_six_digits_is_reported(valid_doc: dict[str, Any], pin: Any) -> None:
    assert messages(with_change(valid_doc, "PersonalInfo.Address.PinCode", pin)) == [
        "PIN code must be 6 digits"]


def test_an_indian_address_without_a_pin_code_is_reported(valid_doc: dict[str, Any]) -> None:
    assert messages(with_change(valid_doc, "PersonalInfo.Address.PinCode", ...)) == ["PIN code is missing"]


@pytest.mark.parametrize("ifsc", ["SBIN1001234", "SBI0001234", "sbin0001234"])
def test_an_ifsc_of_the_wrong_shape_is_reported(valid_doc: dict[str, Any], ifsc: str) -> None:
    problems = validate_itr1(
        with_change(valid_doc, "Refund.BankAccountDtls.AddtnlBankDetails.0.IFSCCode", ifsc))
    assert problems == [ItrProblem("ITR.ITR1.Refund.BankAccountDtls.AddtnlBankDetails[0].IFSCCode",
                                   "IFSC must look like SBIN0001234")]


def test_an_email_address_without_a_domain_is_reported(valid_doc: dict[str, Any]) -> None:
    assert messages(with_change(valid_doc, "PersonalInfo.Address.EmailAddress", "asha@")) == [
        "Email address must look like name@example.com"]


def test_a_date_of_birth_in_another_format_is_reported(valid_doc: dict[str, Any]) -> None:
    assert messages(with_change(valid_doc, "PersonalInfo.DOB", "01/05/1990")) == [
        "Date of birth must be a date written as YYYY-MM-DD"]


def test_a_date_of_birth_that_does_not_exist_is_reported(valid_doc: dict[str, Any]) -> None:
    assert messages(with_change(valid_doc, "PersonalInfo.DOB", "1990-02-30")) == [
        "Date of birth is not a real date"]


def test_a_tan_from_an_unknown_city_is_reported(valid_doc: dict[str, Any]) -> None:
    assert messages(with_change(
        valid_doc, "TDSonSalaries.TDSonSalary.0.EmployerOrDeductorOrCollectDetl.TAN", "XYZA12345B")) == [
        "TAN of the employer or deductor must look like MUMA12345B"]


def test_a_missing_fathers_name_is_reported(valid_doc: dict[str, Any]) -> None:
    assert messages(with_change(valid_doc, "Verification.Declaration.FatherName", ...)) == [
        "Father's name is missing"]


def test_a_return_without_a_bank_account_is_reported(valid_doc: dict[str, Any]) -> None:
    assert messages(with_change(valid_doc, "Refund.BankAccountDtls", {})) == [
        "Add at least one bank account in India"]


def test_a_return_with_no_account_chosen_for_the_refund_is_reported(valid_doc: dict[str, Any]) -> None:
    doc = with_change(valid_doc, "Refund.BankAccountDtls.AddtnlBankDetails.0.UseForRefund", "false")
    assert messages(doc) == ["Choose the bank account the refund should be paid into"]


def test_an_unknown_field_is_named(valid_doc: dict[str, Any]) -> None:
    assert messages(with_change(valid_doc, "PersonalInfo.Nickname", "Ash")) == [
        "Nickname is not a field of the ITR-1 form"]


def test_an_amount_over_the_schema_limit_gets_a_readable_sentence(valid_doc: dict[str, Any]) -> None:
    doc = with_change(valid_doc, "ITR1_IncomeDeductions.DeductionUs16ia", 80000)
    assert "Standard deduction must not be more than ₹75,000" in messages(doc)


def test_a_negative_amount_gets_a_readable_sentence(valid_doc: dict[str, Any]) -> None:
    doc = with_change(valid_doc, "ITR1_TaxComputation.Section89", -5)
    assert "Relief under section 89 cannot be negative" in messages(doc)


def test_a_total_that_does_not_add_up_is_reported(valid_doc: dict[str, Any]) -> None:
    taxes = valid_doc["ITR"]["ITR1"]["TaxPaid"]["TaxesPaid"]
    doc = with_change(valid_doc, "TaxPaid.TaxesPaid.TotalTaxesPaid", taxes["TotalTaxesPaid"] + 100)
    assert any(m.startswith("Total taxes paid must be advance tax, TDS, TCS and self-assessment tax")
               for m in messages(doc))


def test_a_total_tax_rounded_like_the_amount_payable_is_reported(valid_doc: dict[str, Any]) -> None:
    # Part B-TTI: total tax and cess is tax after rebate plus cess; s.288B rounds only what is payable.
    tax = valid_doc["ITR"]["ITR1"]["ITR1_TaxComputation"]
    doc = with_change(valid_doc, "ITR1_TaxComputation.GrossTaxLiability", tax["GrossTaxLiability"] + 3)
    assert any(m.startswith("Total tax and cess must be the tax after rebate plus the education cess")
               for m in messages(doc))


def test_a_balance_payable_not_rounded_to_ten_rupees_is_reported(valid_doc: dict[str, Any]) -> None:
    itr = valid_doc["ITR"]["ITR1"]
    due, paid = itr["ITR1_TaxComputation"]["TotTaxPlusIntrstPay"], itr["TaxPaid"]["TaxesPaid"]["TotalTaxesPaid"]
    doc = with_change(valid_doc, "TaxPaid.TaxesPaid.TDS", itr["TaxPaid"]["TaxesPaid"]["TDS"] - (paid - due) - 10_003)
    doc = with_change(doc, "TaxPaid.TaxesPaid.TotalTaxesPaid", due - 10_003)
    doc = with_change(doc, "Refund.RefundDue", 0)
    doc = with_change(doc, "TaxPaid.BalTaxPayable", 10_003)
    assert any("rounded to ₹10 (s.288B)" in m for m in messages(doc))
    assert not any("rounded to ₹10" in m for m in messages(with_change(doc, "TaxPaid.BalTaxPayable", 10_000)))


def test_advance_tax_without_its_challans_is_reported() -> None:
    # Schedule IT: each deposit of advance or self-assessment tax with its BSR code, date and serial.
    doc = build_itr1(filing_for(by_id("advance and self-assessment tax paid by challan")))
    assert messages(doc) == []
    without = with_change(doc, "TaxPayments", ...)
    assert any(m.startswith("Advance and self-assessment tax (₹65,000) must be listed challan by challan")
               for m in messages(without))


def test_something_that_is_not_a_return_at_all_is_reported_plainly() -> None:
    assert messages({}) == ["ITR is missing"]
    assert messages({"ITR": {}}) == ["ITR1 is missing"]


@pytest.mark.parametrize("number", [
    "12345678901234567890", "50100123456789", "0000123", "SB-10/2024/7", "AB00C1", "1000", "A00B",
])
def test_the_fast_account_number_check_agrees_with_the_schema_pattern(number: str) -> None:
    expected = re.fullmatch(ACCOUNT_NUMBER_PATTERN, number) is not None if len(number) < 16 else True
    assert _account_number_matches(number) is expected


def test_a_twenty_digit_account_number_validates_quickly(valid_doc: dict[str, Any]) -> None:
    doc = with_change(valid_doc, "Refund.BankAccountDtls.AddtnlBankDetails.0.BankAccountNo",
                      "12345678901234567890")
    started = time.perf_counter()
    assert validate_itr1(doc) == []
    assert time.perf_counter() - started < 1
