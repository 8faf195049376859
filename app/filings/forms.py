"""The editor's screens: which fields each schedule has, and turning a posted form into the JSON
the API takes (so forms and autosave go through the same `service.patch`)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from werkzeug.datastructures import MultiDict

from ..money import parse_rupees


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    help: str = ""


SCREENS = [
    ("personal", "Personal details"), ("salary", "Salary"), ("house-property", "House property"),
    ("other-sources", "Other sources"), ("capital-gains", "Capital gains"), ("deductions", "Deductions"),
    ("taxes-paid", "Taxes paid"), ("challans", "Challans"), ("family", "Family"), ("bank-accounts", "Bank accounts"),
    ("foreign-assets", "Foreign assets"), ("computation", "Computation"), ("itr", "Return (ITR-1)"),
    ("history", "History"),
    ("sharing", "Sharing"),
]
SCREEN_NAMES = dict(SCREENS)

# Screens that edit input sections of amounts: screen -> [(section, fields)].
AMOUNT_SCREENS: dict[str, list[tuple[str, list[Field]]]] = {
    "salary": [("salary", [
        Field("gross", "Gross salary (section 17)", "Everything your employers paid, including HRA and the employer's NPS contribution."),
        Field("basic_da", "Basic pay and dearness allowance", "Needed for the HRA exemption and the 80CCD(2) limit."),
        Field("hra_received", "House rent allowance received"),
        Field("rent_paid", "Rent you paid in the year"),
        Field("professional_tax", "Professional tax paid"),
    ])],
    "other-sources": [
        ("other_sources", [
            Field("savings_interest", "Savings account interest"),
            Field("deposit_interest", "Interest on fixed and recurring deposits"),
            Field("dividends", "Dividends"),
            Field("other", "Other income"),
        ]),
        ("family_pension", [Field("family_pension", "Family pension received")]),
    ],
    "capital-gains": [("capital_gains", [
        Field("stcg_111a", "Short-term gains on listed equity (section 111A)"),
        Field("ltcg_112a", "Long-term gains on listed equity (section 112A)", "Before the ₹1,25,000 exemption."),
        Field("stcg_other", "Other short-term gains"),
    ])],
    "deductions": [("deductions", [
        Field("80C", "80C: PPF, EPF, ELSS, life insurance, tuition, home-loan principal"),
        Field("80CCC", "80CCC: pension fund contribution"),
        Field("80CCD_1", "80CCD(1): your NPS contribution"),
        Field("80CCD_1B", "80CCD(1B): additional NPS contribution"),
        Field("80CCD_2", "80CCD(2): employer's NPS contribution"),
        Field("80D", "80D: health insurance for yourself, spouse and children"),
        Field("80E", "80E: interest on an education loan"),
        Field("80TTA", "80TTA: savings interest (below 60)"),
        Field("80TTB", "80TTB: deposit interest (residents 60 and over)"),
    ])],
    "taxes-paid": [("taxes_paid", [
        Field("tds_salary", "TDS on salary (Form 16)"),
        Field("tds_other", "Other TDS (Form 16A, interest certificates)"),
        Field("advance_tax", "Advance tax paid", "The total of your advance tax challans, once you list them"),
        Field("self_assessment_tax", "Self-assessment tax paid",
              "The total of your self-assessment tax challans, once you list them"),
    ])],
}
HOUSE_KINDS = {"self_occupied": "Self-occupied", "let_out": "Let out", "deemed_let_out": "Deemed let out"}
HOUSE_FIELDS = [Field("annual_rent", "Annual rent received"), Field("municipal_taxes", "Municipal taxes paid"),
                Field("interest_on_loan", "Interest on the home loan")]
STATES = {
    "01": "Andaman and Nicobar Islands", "02": "Andhra Pradesh", "03": "Arunachal Pradesh", "04": "Assam",
    "05": "Bihar", "06": "Chandigarh", "07": "Dadra and Nagar Haveli and Daman and Diu", "09": "Delhi", "10": "Goa",
    "11": "Gujarat", "12": "Haryana", "13": "Himachal Pradesh", "14": "Jammu and Kashmir", "15": "Karnataka",
    "16": "Kerala", "17": "Lakshadweep", "18": "Madhya Pradesh", "19": "Maharashtra", "20": "Manipur",
    "21": "Meghalaya", "22": "Mizoram", "23": "Nagaland", "24": "Odisha", "25": "Puducherry", "26": "Punjab",
    "27": "Rajasthan", "28": "Sikkim", "29": "Tamil Nadu", "30": "Tripura", "31": "Uttar Pradesh",
    "32": "West Bengal", "33": "Chhattisgarh", "34": "Uttarakhand", "35": "Jharkhand", "36": "Telangana",
    "37": "Ladakh",
}
AMOUNT_ERROR = "Enter an amount in whole rupees (digits only)."


def parse_amount(text: str | None) -> int | None:
    """Whole rupees from what a person types ("1,50,000", "₹ 2400", blank = 0); None when it is not that."""
    return parse_rupees(text) if (text or "").strip() else 0


def amounts_body(screen: str, form: MultiDict) -> tuple[dict[str, Any], dict[str, str]]:
    """{"input": {...}} for an amounts screen, and the fields that are not amounts at all."""
    sections: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for section, fields in AMOUNT_SCREENS[screen]:
        values: dict[str, Any] = {}
        for field in fields:
            name = field.key if section == "family_pension" else f"{section}.{field.key}"
            amount = parse_amount(form.get(name))
            if amount is None:
                errors[name] = AMOUNT_ERROR
            values[field.key] = amount or 0
        if section == "salary":
            values["metro"] = form.get("salary.metro") == "on"
        sections[section] = values["family_pension"] if section == "family_pension" else values
    return {"input": sections}, errors


def houses_body(form: MultiDict) -> tuple[dict[str, Any], dict[str, str]]:
    """Rows named house_property[i].field; a row without a kind, or marked for removal, is left out."""
    houses: list[dict[str, Any]] = []
    errors: dict[str, str] = {}
    count = int(form.get("house_count", "0") or 0) if (form.get("house_count") or "0").isdigit() else 0
    for i in range(min(count, 20)):
        prefix = f"house_property[{i}]"
        kind = form.get(f"{prefix}.kind", "")
        if not kind or form.get(f"{prefix}.remove") == "on":
            continue
        house: dict[str, Any] = {"kind": kind}
        index = len(houses)
        for field in HOUSE_FIELDS:
            amount = parse_amount(form.get(f"{prefix}.{field.key}"))
            if amount is None:
                errors[f"house_property[{index}].{field.key}"] = AMOUNT_ERROR
            house[field.key] = amount or 0
        houses.append(house)
    return {"input": {"house_property": houses}}, errors


def personal_body(form: MultiDict) -> dict[str, Any]:
    personal = {key: form.get(f"personal.{key}", "") for key in
                ("name", "father_name", "pan", "dob", "aadhaar", "mobile", "email")}
    personal["address"] = {key: form.get(f"personal.address.{key}", "") for key in
                           ("line1", "locality", "city", "state_code", "pin")}
    return {"personal": personal, "input": {"residential_status": form.get("residential_status", "resident")}}


def amount_values(screen: str, stored: dict[str, Any], posted: MultiDict | None) -> dict[str, Any]:
    """What each amount field shows: what was just posted (even if invalid), else what is stored."""
    out: dict[str, Any] = {}
    for section, fields in AMOUNT_SCREENS[screen]:
        data = stored.get(section)
        for field in fields:
            name = field.key if section == "family_pension" else f"{section}.{field.key}"
            if posted is not None:
                out[name] = posted.get(name, "")
            elif section == "family_pension":
                out[name] = data or 0
            else:
                out[name] = (data.get(field.key) if isinstance(data, dict) else None) or 0
    salary = stored.get("salary")
    out["salary.metro"] = (posted.get("salary.metro") == "on") if posted is not None else \
        bool(isinstance(salary, dict) and salary.get("metro"))
    return out
