"""Server-side checks of what a taxpayer types: personal details, bank accounts, family, Schedule FA.

Each `clean_*` returns (clean value, errors by field); errors are sentences shown next to the field.
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from ..money import MAX_RUPEES, parse_rupees

PAN = re.compile(r"^[A-Z]{5}[0-9]{4}[A-Z]$")
AADHAAR = re.compile(r"^[0-9]{12}$")
MOBILE = re.compile(r"^[0-9]{10}$")
PIN = re.compile(r"^[0-9]{6}$")
IFSC = re.compile(r"^[A-Z]{4}0[A-Z0-9]{6}$")
ACCOUNT = re.compile(r"^[0-9A-Z]{6,20}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
STATE_CODE = re.compile(r"^[0-9]{2}$")
COUNTRY = re.compile(r"^[A-Z]{2,3}$|^[0-9]{1,3}$")
BSR_CODE = re.compile(r"^[0-9]{3}[0-9A-Z]{4}$")  # the ITR schema's pattern
CHALLAN_SERIAL = re.compile(r"^[0-9]{1,5}$")

PERSONAL_KEYS = {"name", "pan", "dob", "aadhaar", "mobile", "email", "father_name", "address"}
ADDRESS_KEYS = {"line1", "locality", "city", "state_code", "pin"}
CHALLAN_KINDS = {"advance_tax": "Advance tax", "self_assessment_tax": "Self-assessment tax"}
RELATIONS = {"spouse": "Spouse", "child": "Child", "father": "Father", "mother": "Mother", "other": "Other dependant"}
# Schedule FA tables A1 to G, by what the taxpayer holds.
ASSET_TYPES = {
    "depository_account": "Foreign depository (bank) account (A2)",
    "custodial_account": "Foreign custodial account (A3)",
    "equity_debt_interest": "Foreign equity or debt interest (A3)",
    "cash_value_insurance": "Cash-value insurance or annuity (A4)",
    "financial_interest": "Financial interest in an entity (B)",
    "immovable_property": "Immovable property (C)",
    "other_capital_asset": "Other capital asset (D)",
    "signing_authority": "Account with signing authority (E)",
    "trust": "Trust as trustee, beneficiary or settlor (F)",
    "other_income": "Other income from outside India (G)",
}


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _digits(value: Any) -> str:
    return re.sub(r"[\s-]", "", value) if isinstance(value, str) else ""


def parse_date(value: Any) -> date | None:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def age_on_march_31(dob: date, financial_year: str) -> int:
    """Age at the end of the financial year. A person attains an age on the day before the
    birthday (CBDT's reading), so someone born on 1 April is a year older on 31 March."""
    after_year_end = date(int(financial_year[:4]) + 1, 4, 1)
    age = after_year_end.year - dob.year
    if (after_year_end.month, after_year_end.day) < (dob.month, dob.day):
        age -= 1
    return age


def clean_personal(data: Any, financial_year: str) -> tuple[dict[str, Any], dict[str, str]]:
    """Personal details; blank fields may stay blank (the Ready check asks for what is missing)."""
    if not isinstance(data, dict):
        return {}, {"personal": "Send the personal details as an object."}
    errors: dict[str, str] = {}
    for key in sorted(set(data) - PERSONAL_KEYS):
        errors[f"personal.{key}"] = "Unknown field."
    out: dict[str, Any] = {}
    for key in ("name", "father_name"):
        text = _text(data.get(key))
        if len(text) > 120:
            errors[f"personal.{key}"] = "Use at most 120 characters."
        out[key] = text
    pan = _text(data.get("pan")).upper()
    if pan and not PAN.match(pan):
        errors["personal.pan"] = "A PAN is 5 letters, 4 digits and a letter, like ABCPE1234F."
    elif pan and pan[3] != "P":
        errors["personal.pan"] = "This is not an individual's PAN: its fourth letter must be P."
    out["pan"] = pan
    dob_text = _text(data.get("dob"))
    dob = parse_date(dob_text)
    year_end = date(int(financial_year[:4]) + 1, 3, 31)
    if dob_text and dob is None:
        errors["personal.dob"] = "Enter the date of birth as YYYY-MM-DD."
    elif dob is not None and (dob > year_end or dob.year < 1900):
        errors["personal.dob"] = "Enter a date of birth before the end of the financial year."
    out["dob"] = dob.isoformat() if dob else ""
    for key, pattern, message in (
        ("aadhaar", AADHAAR, "An Aadhaar number has 12 digits."),
        ("mobile", MOBILE, "Enter a 10-digit mobile number, without +91."),
    ):
        value = _digits(data.get(key))
        if value and not pattern.match(value):
            errors[f"personal.{key}"] = message
        out[key] = value
    email = _text(data.get("email"))
    if email and (len(email) > 254 or not EMAIL.match(email)):
        errors["personal.email"] = "Enter an email address like name@example.com."
    out["email"] = email
    address, address_errors = _address(data.get("address", {}))
    out["address"] = address
    errors.update(address_errors)
    return out, errors


def _address(data: Any) -> tuple[dict[str, str], dict[str, str]]:
    if not isinstance(data, dict):
        return {}, {"personal.address": "Send the address as an object."}
    errors = {f"personal.address.{k}": "Unknown field." for k in sorted(set(data) - ADDRESS_KEYS)}
    out = {key: _text(data.get(key)) for key in ("line1", "locality", "city")}
    for key, text in out.items():
        if len(text) > 200:
            errors[f"personal.address.{key}"] = "Use at most 200 characters."
    state = _text(data.get("state_code"))
    if state and not STATE_CODE.match(state.zfill(2)):
        errors["personal.address.state_code"] = "Choose a state."
    out["state_code"] = state.zfill(2) if state else ""
    pin = _digits(data.get("pin"))
    if pin and not PIN.match(pin):
        errors["personal.address.pin"] = "A PIN code has 6 digits."
    out["pin"] = pin
    return out, errors


def personal_missing(personal: dict[str, Any]) -> list[str]:
    """What the return still needs from the personal details, in words."""
    labels = {"name": "your name", "pan": "your PAN", "dob": "your date of birth", "mobile": "your mobile number",
              "email": "your email"}
    missing = [label for key, label in labels.items() if not personal.get(key)]
    address = personal.get("address") or {}
    if not all(address.get(k) for k in ("line1", "city", "state_code", "pin")):
        missing.append("your address")
    return missing


def _amount(value: Any, field: str, errors: dict[str, str]) -> int:
    amount = 0 if value is None or (isinstance(value, str) and not value.strip()) else parse_rupees(value)
    if amount is None:
        errors[field] = "Enter an amount in whole rupees."
        return 0
    if amount < 0:
        errors[field] = "Enter an amount of 0 or more."
    elif amount > MAX_RUPEES:
        errors[field] = "Enter an amount up to ₹1 lakh crore."
    return amount


def _unknown(data: dict[str, Any], allowed: set[str]) -> dict[str, str]:
    return {key: "Unknown field." for key in sorted(set(data) - allowed)}


def clean_bank_account(data: Any) -> tuple[dict[str, Any], dict[str, str]]:
    if not isinstance(data, dict):
        return {}, {"account": "Send the account as an object."}
    errors = _unknown(data, {"ifsc", "account_number", "bank_name", "refund"})
    ifsc = _text(data.get("ifsc")).upper()
    if not IFSC.match(ifsc):
        errors["ifsc"] = "An IFSC is 11 characters: 4 letters, a zero, then 6 letters or digits (like SBIN0001234)."
    number = _digits(data.get("account_number")).upper()
    if not ACCOUNT.match(number):
        errors["account_number"] = "Enter the account number: 6 to 20 letters or digits."
    bank = _text(data.get("bank_name"))
    if not bank or len(bank) > 120:
        errors["bank_name"] = "Enter the bank's name (at most 120 characters)."
    refund = data.get("refund", False)
    if refund in ("on", "true", "1"):
        refund = True
    elif refund in ("", "false", "0", None):
        refund = False
    if not isinstance(refund, bool):
        errors["refund"] = "Say true or false."
    return {"ifsc": ifsc, "account_number": number, "bank_name": bank, "refund": refund is True}, errors


def clean_family_member(data: Any, financial_year: str) -> tuple[dict[str, Any], dict[str, str]]:
    if not isinstance(data, dict):
        return {}, {"member": "Send the family member as an object."}
    errors = _unknown(data, {"name", "relation", "dob"})
    name = _text(data.get("name"))
    if not name or len(name) > 120:
        errors["name"] = "Enter the name (at most 120 characters)."
    relation = _text(data.get("relation"))
    if relation not in RELATIONS:
        errors["relation"] = "Choose how they are related to you."
    dob_text = _text(data.get("dob"))
    dob = parse_date(dob_text)
    if dob_text and dob is None:
        errors["dob"] = "Enter the date of birth as YYYY-MM-DD."
    elif dob is not None and dob > date.today():
        errors["dob"] = "The date of birth cannot be in the future."
    senior = dob is not None and age_on_march_31(dob, financial_year) >= 60
    return {"name": name, "relation": relation, "dob": dob, "senior_citizen": senior}, errors


def clean_foreign_asset(data: Any) -> tuple[dict[str, Any], dict[str, str]]:
    if not isinstance(data, dict):
        return {}, {"asset": "Send the asset as an object."}
    keys = {"country_code", "asset_type", "institution", "acquired_on", "peak_value", "closing_value", "income"}
    errors = _unknown(data, keys)
    country = _text(data.get("country_code")).upper()
    if not COUNTRY.match(country):
        errors["country_code"] = "Enter the country code (like US or 2)."
    asset_type = _text(data.get("asset_type"))
    if asset_type not in ASSET_TYPES:
        errors["asset_type"] = "Choose the kind of asset."
    institution = _text(data.get("institution"))
    if not institution or len(institution) > 120:
        errors["institution"] = "Enter the institution or entity (at most 120 characters)."
    acquired_text = _text(data.get("acquired_on"))
    acquired = parse_date(acquired_text)
    if acquired_text and acquired is None:
        errors["acquired_on"] = "Enter the date as YYYY-MM-DD."
    out = {"country_code": country, "asset_type": asset_type, "institution": institution, "acquired_on": acquired}
    for key in ("peak_value", "closing_value", "income"):
        out[key] = _amount(data.get(key), key, errors)
    return out, errors


def clean_challan(data: Any, financial_year: str, today: date) -> tuple[dict[str, Any], dict[str, str]]:
    """A tax challan: advance tax is paid within the financial year (s.208-211), self-assessment
    tax after it ends (s.140A); the BSR code and serial number identify the deposit."""
    if not isinstance(data, dict):
        return {}, {"challan": "Send the challan as an object."}
    errors = _unknown(data, {"kind", "bsr_code", "paid_on", "serial_no", "amount"})
    kind = _text(data.get("kind"))
    if kind not in CHALLAN_KINDS:
        errors["kind"] = "Choose advance tax or self-assessment tax."
    bsr_code = _text(data.get("bsr_code")).upper()
    if not BSR_CODE.match(bsr_code):
        errors["bsr_code"] = "Enter the 7-character BSR code of the bank branch, as on the challan."
    serial = _text(str(data["serial_no"]) if isinstance(data.get("serial_no"), int) else data.get("serial_no"))
    if not CHALLAN_SERIAL.match(serial):
        errors["serial_no"] = "Enter the challan serial number (up to 5 digits)."
    paid_on = parse_date(data.get("paid_on"))
    year_start = date(int(financial_year[:4]), 4, 1)
    year_end = date(year_start.year + 1, 3, 31)
    if paid_on is None:
        errors["paid_on"] = "Enter the date of deposit as YYYY-MM-DD."
    elif paid_on > today:
        errors["paid_on"] = "The date of deposit cannot be in the future."
    elif kind == "advance_tax" and not year_start <= paid_on <= year_end:
        errors["paid_on"] = (f"Advance tax for FY {financial_year} is paid between {year_start:%d %B %Y} "
                             f"and {year_end:%d %B %Y}.")
    elif kind == "self_assessment_tax" and paid_on <= year_end:
        errors["paid_on"] = f"Self-assessment tax is paid after the year ends, from {year_end + timedelta(days=1):%d %B %Y}."
    amount = _amount(data.get("amount"), "amount", errors)
    if "amount" not in errors and amount == 0:
        errors["amount"] = "Enter the amount deposited."
    return {"kind": kind, "bsr_code": bsr_code, "paid_on": paid_on,
            "serial_no": int(serial) if CHALLAN_SERIAL.match(serial) else 0, "amount": amount}, errors
