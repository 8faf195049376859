"""Validate an ITR-1 document against the official schema, in words a taxpayer understands.

The schema is the Income Tax Department's draft-04 file shipped in `app/itr/schema/`. Its patterns
are unanchored and the portal reads them as whole-value matches, so every pattern here must match
the whole value (an integer by its digits). A few rules the portal enforces beyond the schema
(a PIN code for an Indian address, a refund account, sums that must add up) are checked too.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft4Validator, ValidationError, validators

from app.tax.money import inr, round_to_ten

from .breakdown import VIA_SCHEMA_FIELDS

SCHEMA_PATH = Path(__file__).parent / "schema" / "ITR-1_AY2026-27_V1.1.json"
SCHEMA_SHA256 = "a9583a37bdf9cbb36c0cc061a2e43193b280e32e640d0b5ae3fccd715028615d"
LAST_DAY_OF_YEAR = dt.date(2026, 3, 31)
DATE_PATTERN = r"([12]\d{3}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]))"  # the schema's dates

# Python's backtracking `re` takes seconds on this official pattern for a 20-digit account number.
ACCOUNT_NUMBER_PATTERN = (
    r"[a-zA-Z0-9]([/-]?(((\d*[1-9]\d*)*[a-zA-Z/-])|(\d*[1-9]\d*[a-zA-Z]*))+)*[0-9]*"
)
_ACCOUNT_CHARS = re.compile(r"[a-zA-Z0-9][a-zA-Z0-9/-]*")


@dataclass(frozen=True)
class ItrProblem:
    """One reason the return would be rejected: where (dotted path) and why (plain words)."""

    path: str
    message: str


def _account_number_matches(text: str) -> bool:
    """Whole-value match of ACCOUNT_NUMBER_PATTERN in linear time.

    The pattern accepts letters, digits, '/' and '-' starting with a letter or digit, where every
    run of digits after the first character, except a run that ends the value, has a digit 1-9
    (checked equal to the regular expression on every string of up to 8 characters over a, 0, 1,
    /, !).
    """
    if not _ACCOUNT_CHARS.fullmatch(text):
        return False
    rest = text[1:]
    return all(
        run.end() == len(rest) or any(ch != "0" for ch in run.group())
        for run in re.finditer(r"[0-9]+", rest)
    )


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _whole_value_pattern(
    validator: Any, pattern: str, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    if isinstance(instance, bool) or not isinstance(instance, int | str):
        return
    text = str(instance)
    if pattern == ACCOUNT_NUMBER_PATTERN:
        matches = _account_number_matches(text)
    else:
        matches = _compiled(pattern).fullmatch(text) is not None
    if not matches:
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


_PortalValidator = validators.extend(Draft4Validator, {"pattern": _whole_value_pattern})


@cache
def load_schema() -> dict[str, Any]:
    """The official ITR-1 schema for AY 2026-27, read once."""
    with SCHEMA_PATH.open(encoding="utf-8") as fh:
        schema: dict[str, Any] = json.load(fh)
    return schema


@cache
def _validator() -> Any:
    schema = load_schema()
    Draft4Validator.check_schema(schema)
    return _PortalValidator(schema)


# Field name -> (what the taxpayer calls it, the rule in words when its format is wrong).
_FIELDS: dict[str, tuple[str, str | None]] = {
    "PAN": ("PAN", "must look like ABCPE1234F (5 letters, 4 digits, 1 letter)"),
    "AssesseeVerPAN": ("PAN in the verification", "must look like ABCPE1234F"),
    "AadhaarCardNo": ("Aadhaar", "must be 12 digits"),
    "MobileNo": ("Mobile number", "must be 10 digits"),
    "CountryCodeMobile": ("Country code of the mobile number", "must be digits, 91 for India"),
    "EmailAddress": ("Email address", "must look like name@example.com"),
    "PinCode": ("PIN code", "must be 6 digits"),
    "DOB": ("Date of birth", "must be a date written as YYYY-MM-DD"),
    "IFSCCode": ("IFSC", "must look like SBIN0001234"),
    "BankAccountNo": (
        "Bank account number",
        "must be up to 20 letters or digits and contain a digit other than 0",
    ),
    "BankName": ("Bank name", None),
    "AccountType": ("Bank account type", "must be SB, CA, CC, OD, NRO or OTH"),
    "UseForRefund": ("Refund choice of a bank account", "must be true or false"),
    "SurNameOrOrgName": ("Surname", None),
    "FirstName": ("First name", None),
    "MiddleName": ("Middle name", None),
    "AssesseeName": ("Name", None),
    "ResidenceNo": ("Flat, door or building (address line 1)", None),
    "LocalityOrArea": ("Locality or area", None),
    "CityOrTownOrDistrict": ("City, town or district", None),
    "StateCode": ("State", "must be a state code such as 19 for Maharashtra or 09 for Delhi"),
    "TAN": ("TAN of the employer or deductor", "must look like MUMA12345B"),
    "EmployerOrDeductorOrCollecterName": ("Name of the employer or deductor", None),
    "EmployerCategory": ("Employer category", "must be CGOV, SGOV, PSU, PE, PESG, PEPS, PEO, OTH or NA"),
    "TDSSection": ("Section under which tax was deducted", "must be a TDS section code such as 94A"),
    "BSRCode": ("BSR code of the bank branch", "must be 7 characters like 0510308"),
    "DateDep": ("Date the tax was paid", "must be a date written as YYYY-MM-DD"),
    "SrlNoOfChaln": ("Challan serial number", "must be a number from 0 to 99999"),
    "FatherName": ("Father's name", None),
    "AssesseeVerName": ("Name in the verification", None),
    "Place": ("Place of verification", None),
    "Capacity": ("Capacity in which you verify", "must be S (self) or R (representative)"),
    "JSONCreationDate": ("Date the return was prepared", "must be a date written as YYYY-MM-DD"),
    "OptOutNewTaxRegime": ("Choice of tax regime", "must be Y (old regime) or N (new regime)"),
    "ReturnFileSec": ("Section under which the return is filed", "must be 11 for section 139(1)"),
    "GrossSalary": ("Gross salary", None),
    "NetSalary": ("Net salary", None),
    "DeductionUs16ia": ("Standard deduction", None),
    "ProfessionalTaxUs16iii": ("Professional tax", None),
    "IncomeFromSal": ("Income from salary", None),
    "TotalIncomeChargeableUnHP": ("Income from house property", None),
    "IncomeOthSrc": ("Income from other sources", None),
    "DeductionUs57iia": ("Family pension deduction under section 57(iia)", None),
    "GrossTotIncome": ("Gross total income", None),
    "TotalIncome": ("Total income", None),
    "LongCap112A": ("Long-term capital gains under section 112A", None),
    "Rebate87A": ("Rebate under section 87A", None),
    "EducationCess": ("Health and education cess", None),
    "Section89": ("Relief under section 89", None),
    "TotalTaxesPaid": ("Total taxes paid", None),
    "RefundDue": ("Refund", None),
    "BalTaxPayable": ("Balance tax payable", None),
}

_FORMAT_VALIDATORS = {"pattern", "type", "minimum", "maximum", "enum", "maxLength", "minLength"}


def _path_text(parts: Any) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _label(name: str) -> str:
    known = _FIELDS.get(name)
    if known:
        return known[0]
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|_", " ", name).split()
    if not words:
        return "This value"
    text = " ".join(w if w.isupper() else w.lower() for w in words)
    return text[0].upper() + text[1:]


def _generic(error: ValidationError, label: str) -> str:
    kind, rule = error.validator, error.validator_value
    if kind == "type":
        wanted = {"integer": "a whole number", "number": "a number", "string": "text"}
        return f"{label} must be {wanted.get(str(rule), 'filled in correctly')}"
    if kind == "minimum":
        return f"{label} cannot be negative" if rule == 0 else f"{label} must be at least {inr(rule)}"
    if kind == "maximum":
        return f"{label} must not be more than {inr(rule)}"
    if kind == "minLength":
        return f"{label} is missing"
    if kind == "maxLength":
        return f"{label} must be at most {rule} characters"
    if kind == "enum":
        options = [str(o) for o in rule]
        shown = ", ".join(options[:8]) + (", ..." if len(options) > 8 else "")
        return f"{label} must be one of {shown}"
    if kind == "minItems":
        return f"{label} needs at least {rule} entr{'y' if rule == 1 else 'ies'}"
    if kind == "multipleOf":
        return f"{label} must have at most two decimal places"
    if kind == "pattern":
        return f"{label} is not in the right format"
    return f"{label} is not valid"


def _problem_from(error: ValidationError) -> list[ItrProblem]:
    parts = list(error.absolute_path)
    if error.validator == "required":
        found = re.match(r"'(.+)' is a required property", error.message)
        name = found.group(1) if found else "A required field"
        return [ItrProblem(_path_text([*parts, name]), f"{_label(name)} is missing")]
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        return [
            ItrProblem(_path_text([*parts, extra]), f"{extra} is not a field of the ITR-1 form")
            for extra in sorted(set(error.instance) - allowed)
        ]
    if not parts and error.validator == "type":
        return [ItrProblem("ITR", "This is not an ITR-1 return: it must be a JSON object")]
    names = [p for p in parts if isinstance(p, str)]
    name = names[-1] if names else "ITR"
    label, rule = _FIELDS.get(name, (_label(name), None))
    empty = error.instance in ("", None)
    if empty and error.validator in {"minLength", "pattern", "type"}:
        message = f"{label} is missing"
    elif rule and error.validator in _FORMAT_VALIDATORS:
        message = f"{label} {rule}"
    else:
        message = _generic(error, label)
    return [ItrProblem(_path_text(parts), message)]


def _get(doc: Any, path: str) -> Any:
    node = doc
    for key in path.split("."):
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def _amount(doc: Any, path: str) -> int | None:
    value = _get(doc, path)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _personal_rules(itr: dict[str, Any]) -> Iterator[ItrProblem]:
    pan = _get(itr, "PersonalInfo.PAN")
    if isinstance(pan, str) and re.fullmatch(r"[A-Z]{5}[0-9]{4}[A-Z]", pan) and pan[3] != "P":
        yield ItrProblem(
            "ITR.ITR1.PersonalInfo.PAN",
            "PAN must be an individual's PAN (its fourth letter is P); ITR-1 is only for individuals",
        )
    ver_pan = _get(itr, "Verification.Declaration.AssesseeVerPAN")
    if isinstance(pan, str) and isinstance(ver_pan, str) and pan and ver_pan and pan != ver_pan:
        yield ItrProblem(
            "ITR.ITR1.Verification.Declaration.AssesseeVerPAN",
            "PAN in the verification must be the same as your PAN",
        )
    address = _get(itr, "PersonalInfo.Address")
    if isinstance(address, dict) and address.get("CountryCode") == "91":
        if "PinCode" not in address:
            yield ItrProblem("ITR.ITR1.PersonalInfo.Address.PinCode", "PIN code is missing")
        mobile = address.get("MobileNo")
        if address.get("CountryCodeMobile") == 91 and isinstance(mobile, int) and len(str(mobile)) != 10:
            yield ItrProblem(
                "ITR.ITR1.PersonalInfo.Address.MobileNo", "Mobile number must be 10 digits"
            )
    dob = _get(itr, "PersonalInfo.DOB")
    if isinstance(dob, str) and re.fullmatch(DATE_PATTERN, dob):
        try:
            born = dt.date.fromisoformat(dob)
        except ValueError:
            yield ItrProblem("ITR.ITR1.PersonalInfo.DOB", "Date of birth is not a real date")
        else:
            if born > LAST_DAY_OF_YEAR:
                yield ItrProblem(
                    "ITR.ITR1.PersonalInfo.DOB", "Date of birth must be on or before 31 March 2026"
                )


def _bank_rules(itr: dict[str, Any]) -> Iterator[ItrProblem]:
    accounts = _get(itr, "Refund.BankAccountDtls.AddtnlBankDetails")
    path = "ITR.ITR1.Refund.BankAccountDtls.AddtnlBankDetails"
    if not isinstance(accounts, list) or not accounts:
        yield ItrProblem(path, "Add at least one bank account in India")
    elif not any(isinstance(a, dict) and a.get("UseForRefund") == "true" for a in accounts):
        yield ItrProblem(path, "Choose the bank account the refund should be paid into")


# (field that must equal, how it is made up, the sum in words)
_SUMS: list[tuple[str, list[tuple[int, str]], str]] = [
    (
        "ITR1_IncomeDeductions.NetSalary",
        [(1, "ITR1_IncomeDeductions.GrossSalary"),
         (-1, "ITR1_IncomeDeductions.AllwncExemptUs10.TotalAllwncExemptUs10")],
        "Net salary must be gross salary less allowances exempt under section 10",
    ),
    (
        "ITR1_IncomeDeductions.DeductionUs16",
        [(1, "ITR1_IncomeDeductions.DeductionUs16ia"), (1, "ITR1_IncomeDeductions.EntertainmentAlw16ii"),
         (1, "ITR1_IncomeDeductions.ProfessionalTaxUs16iii")],
        "Deductions under section 16 must be the standard deduction, entertainment allowance and "
        "professional tax together",
    ),
    (
        "ITR1_IncomeDeductions.GrossTotIncome",
        [(1, "ITR1_IncomeDeductions.IncomeFromSal"),
         (1, "ITR1_IncomeDeductions.TotalIncomeChargeableUnHP"),
         (1, "ITR1_IncomeDeductions.IncomeOthSrc")],
        "Gross total income must be the sum of salary, house property and other sources",
    ),
    (
        "ITR1_IncomeDeductions.GrossTotIncomeIncLTCG112A",
        [(1, "ITR1_IncomeDeductions.GrossTotIncome"), (1, "LTCG112A.LongCap112A")],
        "Gross total income including section 112A gains must add the long-term capital gain",
    ),
    (
        "ITR1_TaxComputation.TaxPayableOnRebate",
        [(1, "ITR1_TaxComputation.TotalTaxPayable"), (-1, "ITR1_TaxComputation.Rebate87A")],
        "Tax after rebate must be tax on total income less the section 87A rebate",
    ),
    (
        "ITR1_TaxComputation.GrossTaxLiability",
        [(1, "ITR1_TaxComputation.TaxPayableOnRebate"), (1, "ITR1_TaxComputation.EducationCess")],
        "Total tax and cess must be the tax after rebate plus the education cess",
    ),
    (
        "ITR1_TaxComputation.NetTaxLiability",
        [(1, "ITR1_TaxComputation.GrossTaxLiability"), (-1, "ITR1_TaxComputation.Section89")],
        "Net tax liability must be gross tax liability less relief under section 89",
    ),
    (
        "ITR1_TaxComputation.TotTaxPlusIntrstPay",
        [(1, "ITR1_TaxComputation.NetTaxLiability"), (1, "ITR1_TaxComputation.TotalIntrstPay")],
        "Total tax and interest must be net tax liability plus interest and fee",
    ),
    (
        "TaxPaid.TaxesPaid.TotalTaxesPaid",
        [(1, "TaxPaid.TaxesPaid.AdvanceTax"), (1, "TaxPaid.TaxesPaid.TDS"),
         (1, "TaxPaid.TaxesPaid.TCS"), (1, "TaxPaid.TaxesPaid.SelfAssessmentTax")],
        "Total taxes paid must be advance tax, TDS, TCS and self-assessment tax together",
    ),
    (
        "TaxPaid.TaxesPaid.TDS",
        [(1, "TDSonSalaries.TotalTDSonSalaries"), (1, "TDSonOthThanSals.TotalTDSonOthThanSals"),
         (1, "ScheduleTDS3Dtls.TotalTDS3Details")],
        "TDS claimed must equal the TDS listed for each employer and deductor",
    ),
]

def _income_rules(itr: dict[str, Any]) -> Iterator[ItrProblem]:
    """Salary and other sources are never below nil; total income is rounded to ₹10 (s.288A)."""
    income = itr.get("ITR1_IncomeDeductions")
    if not isinstance(income, dict):
        return
    net, s16, salary = (_amount(income, k) for k in ("NetSalary", "DeductionUs16", "IncomeFromSal"))
    if net is not None and s16 is not None and salary is not None and salary != max(net - s16, 0):
        yield ItrProblem(
            "ITR.ITR1.ITR1_IncomeDeductions.IncomeFromSal",
            f"Income from salary must be net salary less deductions under section 16 "
            f"({inr(max(net - s16, 0))}, not {inr(salary)})",
        )
    rows = _get(income, "OthersInc.OthersIncDtlsOthSrc") or []
    other, family = _amount(income, "IncomeOthSrc"), _amount(income, "DeductionUs57iia") or 0
    gross_other = sum(r["OthSrcOthAmount"] for r in rows if isinstance(r, dict)
                      and isinstance(r.get("OthSrcOthAmount"), int))
    if other is not None and isinstance(rows, list) and other != gross_other - family:
        yield ItrProblem(
            "ITR.ITR1.ITR1_IncomeDeductions.IncomeOthSrc",
            "Income from other sources must be the income listed less the family pension "
            f"deduction ({inr(gross_other - family)}, not {inr(other)})",
        )
    gross, total = _amount(income, "GrossTotIncomeIncLTCG112A"), _amount(income, "TotalIncome")
    via = _amount(income, "DeductUndChapVIA.TotalChapVIADeductions")
    if gross is not None and total is not None and via is not None:
        expected = (max(gross - via, 0) + 5) // 10 * 10
        if total != expected:
            yield ItrProblem(
                "ITR.ITR1.ITR1_IncomeDeductions.TotalIncome",
                "Total income must be gross total income less Chapter VI-A deductions, rounded to "
                f"the nearest ₹10 ({inr(expected)}, not {inr(total)})",
            )


def _arithmetic_rules(itr: dict[str, Any]) -> Iterator[ItrProblem]:
    yield from _income_rules(itr)
    for target, terms, words in _SUMS:
        actual = _amount(itr, target)
        parts = [(sign, _amount(itr, path)) for sign, path in terms]
        if actual is None or parts[0][1] is None:
            continue
        expected = sum(sign * (value or 0) for sign, value in parts)
        if actual != expected:
            yield ItrProblem(
                f"ITR.ITR1.{target}", f"{words} ({inr(expected)}, not {inr(actual)})"
            )
    allowed = _get(itr, "ITR1_IncomeDeductions.DeductUndChapVIA")
    if isinstance(allowed, dict) and isinstance(allowed.get("TotalChapVIADeductions"), int):
        expected = sum(v for k in VIA_SCHEMA_FIELDS if isinstance(v := allowed.get(k), int))
        if allowed["TotalChapVIADeductions"] != expected:
            yield ItrProblem(
                "ITR.ITR1.ITR1_IncomeDeductions.DeductUndChapVIA.TotalChapVIADeductions",
                f"Total Chapter VI-A deductions must be the sum of the sections ({inr(expected)})",
            )
    deposited = (_amount(itr, "TaxPaid.TaxesPaid.AdvanceTax") or 0) + (_amount(itr, "TaxPaid.TaxesPaid.SelfAssessmentTax") or 0)
    listed = _amount(itr, "TaxPayments.TotalTaxPayments") or 0
    if listed != deposited:
        yield ItrProblem(
            "ITR.ITR1.TaxPayments",
            f"Advance and self-assessment tax ({inr(deposited)}) must be listed challan by challan "
            f"(the challans add up to {inr(listed)})",
        )
    due = _amount(itr, "ITR1_TaxComputation.TotTaxPlusIntrstPay")
    paid = _amount(itr, "TaxPaid.TaxesPaid.TotalTaxesPaid")
    balance = _amount(itr, "TaxPaid.BalTaxPayable")
    refund = _amount(itr, "Refund.RefundDue")
    if due is None or paid is None or balance is None or refund is None:
        return
    if (balance, refund) != (round_to_ten(max(due - paid, 0)), round_to_ten(max(paid - due, 0))):
        yield ItrProblem(
            "ITR.ITR1.TaxPaid.BalTaxPayable",
            "Balance payable and refund must be the difference between tax due "
            f"({inr(due)}) and taxes paid ({inr(paid)}), rounded to ₹10 (s.288B)",
        )


def validate_itr1(doc: dict[str, Any]) -> list[ItrProblem]:
    """Problems that would stop this ITR-1 (AY 2026-27) from being accepted; [] when none.

    Checks the official schema with a draft-04 validator (patterns matched against the whole
    value), then the portal's own rules for an Indian address, the refund bank account and the
    sums the form adds up.
    """
    problems: list[ItrProblem] = []
    if isinstance(doc, dict) and "ITR" not in doc:
        # The schema's root does not require "ITR", so an empty object would pass it.
        problems.append(ItrProblem("ITR", "ITR is missing"))
    for error in _validator().iter_errors(doc):
        problems.extend(_problem_from(error))
    itr = _get(doc, "ITR.ITR1") if isinstance(doc, dict) else None
    if isinstance(itr, dict):
        problems.extend(_personal_rules(itr))
        problems.extend(_bank_rules(itr))
        problems.extend(_arithmetic_rules(itr))
    unique: dict[tuple[str, str], ItrProblem] = {}
    for problem in problems:
        unique.setdefault((problem.path, problem.message), problem)
    return list(unique.values())
