"""Build the ITR-1 (Sahaj) JSON for AY 2026-27 from a computed filing.

Every amount that the tax engine computed is copied from the engine's result for the chosen
regime (gross total income, Chapter VI-A deductions, total income, tax, rebate, cess, taxes paid);
the form adds them up itself (its total tax is not rounded, and s.288B rounds the balance payable
or the refund to ₹10), and the parts that only ITR-1 shows come from `app.itr.breakdown`. Missing
personal details are left out rather than guessed, so `validate_itr1` names them.
"""
from __future__ import annotations

import re
from typing import Any

from app.tax.money import round_half_up, round_to_ten

from .breakdown import VIA_FIELDS, VIA_SCHEMA_FIELDS, Breakdown, Property, breakdown, rupees

ASSESSMENT_YEAR = "2026-27"
FORM_DESCRIPTION = "For Indls having Income from Salary, Pension, family pension and Interest"
DUE_DATE = "2026-07-31"  # s.139(1) for ITR-1 filers; the schema's only accepted value
SOFTWARE_ID = "SW00000000"  # placeholder until the ITD assigns TaxDesk a software id
TDS_YEAR = "2025"  # the schema's code for FY 2025-26
INDIA = "91"

# Section of the Act -> the schema's TDSSection code, for the sections an ITR-1 filer meets.
TDS_SECTION_CODES = {
    "192A": "192A", "193": "193", "194": "194", "194A": "94A", "194B": "94B", "194BA": "94BA",
    "194D": "94D", "194DA": "4DA", "194EE": "4EE", "194H": "94H", "194I": "4-IB",
    "194I(a)": "4-IA", "194I(b)": "4-IB", "194K": "94K", "194LBA": "4BA1", "194P": "94P",
}
_LET_OUT_CODES = {"let_out": "L", "deemed_let_out": "D", "self_occupied": "S"}


class ItrBuildError(ValueError):
    """The filing cannot be turned into an ITR-1 at all (wrong year, regime or computation)."""


def _digits(value: Any) -> str:
    return re.sub(r"[\s-]", "", str(value or ""))


def _number_or_text(text: str) -> int | str:
    """Integer fields (PIN, mobile) as integers; anything else kept so the validator names it."""
    return int(text) if text.isdigit() and not text.startswith("0") else text


def _mobile(value: Any) -> int | str:
    """An Indian mobile number without +91, 91 or a leading 0 (the country code is separate)."""
    text = _digits(value)
    if text.startswith("+91"):
        text = text[3:]
    elif len(text) == 12 and text.startswith("91"):
        text = text[2:]
    elif len(text) == 11 and text.startswith("0"):
        text = text[1:]
    return _number_or_text(text)


def _state_code(value: Any) -> str:
    text = str(value or "").strip()
    return text.zfill(2) if text.isdigit() else text


def _put(target: dict[str, Any], key: str, value: Any) -> None:
    if value not in (None, ""):
        target[key] = value


def _name(full: str) -> dict[str, str]:
    words = full.split()
    name: dict[str, str] = {}
    if len(words) > 1:
        name["FirstName"] = words[0]
    if len(words) > 2:
        name["MiddleName"] = " ".join(words[1:-1])
    _put(name, "SurNameOrOrgName", words[-1] if words else "")
    return name


def _personal_info(filing: dict[str, Any], b: Breakdown) -> dict[str, Any]:
    personal = filing.get("personal") or {}
    address = personal.get("address") or {}
    addr: dict[str, Any] = {}
    _put(addr, "ResidenceNo", str(address.get("line1") or "").strip())
    _put(addr, "LocalityOrArea", str(address.get("locality") or "").strip())
    _put(addr, "CityOrTownOrDistrict", str(address.get("city") or "").strip())
    _put(addr, "StateCode", _state_code(address.get("state_code")))
    addr["CountryCode"] = INDIA
    _put(addr, "PinCode", _number_or_text(_digits(address.get("pin"))))
    addr["CountryCodeMobile"] = int(INDIA)
    _put(addr, "MobileNo", _mobile(personal.get("mobile")))
    _put(addr, "EmailAddress", str(personal.get("email") or "").strip())
    employer = filing.get("employer") or {}
    info: dict[str, Any] = {"AssesseeName": _name(str(personal.get("name") or ""))}
    _put(info, "PAN", str(personal.get("pan") or "").strip().upper())
    info["Address"] = addr
    info["SecondaryAdd"] = "N"
    _put(info, "DOB", personal.get("dob"))
    info["EmployerCategory"] = employer.get("type") or ("OTH" if b.gross_salary else "NA")
    _put(info, "AadhaarCardNo", _digits(personal.get("aadhaar")))
    return info


def _filing_status(regime: str) -> dict[str, Any]:
    return {
        "ReturnFileSec": 11,  # s.139(1), on or before the due date
        "OptOutNewTaxRegime": "Y" if regime == "old" else "N",  # s.115BAC(6)
        "SeventhProvisio139": "N",
        "IncrExpAggAmt2LkTrvFrgnCntryFlg": "N",
        "IncrExpAggAmt1LkElctrctyPrYrFlg": "N",
        "clauseiv7provisio139i": "N",
        "AsseseeRepFlg": "N",
        "ItrFilingDueDate": DUE_DATE,
    }


def _property_details(filing: dict[str, Any], b: Breakdown) -> list[dict[str, Any]]:
    address = (filing.get("personal") or {}).get("address") or {}
    addresses = filing.get("property_addresses") or []
    details = []
    for number, p in enumerate(b.properties, start=1):
        place = addresses[number - 1] if number <= len(addresses) else address
        where: dict[str, Any] = {}
        _put(where, "AddrDetail", str(place.get("line1") or "").strip())
        _put(where, "CityOrTownOrDistrict", str(place.get("city") or "").strip())
        _put(where, "StateCode", _state_code(place.get("state_code")))
        where["CountryCode"] = INDIA
        _put(where, "PinCode", _number_or_text(_digits(place.get("pin"))))
        details.append({
            "HPSNo": number,
            "AddressDetailWithZipCode": where,
            "PropertyOwner": "SE",
            "PropCoOwnedFlg": "NO",
            "ifLetOut": _LET_OUT_CODES.get(p.kind, "L"),
            "Rentdetails": _rent_details(p),
        })
    return details


def _rent_details(p: Property) -> dict[str, Any]:
    """Schedule HP for one property: s.23 annual value, s.24(a) 30%, s.24(b) interest."""
    balance = max(p.net_annual_value, 0)
    return {
        "AnnualLetableValue": p.annual_value,
        "RentNotRealized": 0,
        "LocalTaxes": p.municipal_taxes,
        "TotalUnrealizedAndTax": p.municipal_taxes,
        "BalanceALV": balance,
        "AnnualOfPropOwned": balance,
        "ThirtyPercentOfBalance": p.thirty_percent,
        "IntOnBorwCap": p.interest,
        "TotalDeduct": p.thirty_percent + p.interest,
        "ArrearsUnrealizedRentRcvd": 0,
        "IncomeOfHP": p.income,
    }


def _other_source_items(b: Breakdown) -> list[dict[str, Any]]:
    items = [
        ("SAV", b.savings_interest),
        ("IFD", b.deposit_interest),
        ("DIV", b.dividends),
        ("FAP", b.family_pension),
        ("OTH", b.other_income),
    ]
    rows: list[dict[str, Any]] = []
    for code, amount in items:
        if amount:
            row: dict[str, Any] = {"OthSrcNatureDesc": code, "OthSrcOthAmount": amount}
            if code == "OTH":
                row["OthSrcOthNatOfInc"] = "Other income"
            rows.append(row)
    return rows


def _chapter_via(amounts: dict[str, int], total: int) -> dict[str, Any]:
    block: dict[str, Any] = dict.fromkeys(VIA_SCHEMA_FIELDS, 0)
    for key, name in VIA_FIELDS.items():
        block[name] = amounts.get(key, 0)
    block["TotalChapVIADeductions"] = total
    return block


def _income_deductions(filing: dict[str, Any], b: Breakdown, result: dict[str, Any]) -> dict[str, Any]:
    exempt: dict[str, Any] = {"TotalAllwncExemptUs10": b.hra_exempt}
    if b.hra_exempt:
        exempt["AllwncExemptUs10Dtls"] = [{"SalNatureDesc": "10(13A)", "SalOthAmount": b.hra_exempt}]
    section: dict[str, Any] = {
        "GrossSalary": b.gross_salary,
        "Salary": b.gross_salary,
        "PerquisitesValue": 0,
        "ProfitsInSalary": 0,
        "AllwncExemptUs10": exempt,
        "NetSalary": b.net_salary,
        "DeductionUs16": b.deduction_us16,
        "DeductionUs16ia": b.std_deduction,
        "EntertainmentAlw16ii": 0,
        "ProfessionalTaxUs16iii": b.professional_tax,
        "IncomeFromSal": b.salary_income,
    }
    if b.properties:
        section["PropertyDetails"] = _property_details(filing, b)
    section["TotalIncomeChargeableUnHP"] = b.house_property_income
    section["IncomeOthSrc"] = b.other_sources_income
    items = _other_source_items(b)
    if items:
        section["OthersInc"] = {"OthersIncDtlsOthSrc": items}
    section["DeductionUs57iia"] = b.family_pension_deduction
    gross_total = rupees(result.get("gross_total_income"))
    section["GrossTotIncome"] = gross_total - b.ltcg_112a
    section["GrossTotIncomeIncLTCG112A"] = gross_total
    claimed_total = sum(b.claimed.values())
    section["UsrDeductUndChapVIA"] = _chapter_via(b.claimed, claimed_total)
    section["DeductUndChapVIA"] = _chapter_via(b.allowed, rupees(result.get("deductions")))
    section["TotalIncome"] = rupees(result.get("total_income"))
    return section


def _tax_computation(result: dict[str, Any]) -> dict[str, Any]:
    """Tax on total income, s.87A rebate (with its marginal relief) and 4% cess, added up as the form
    does: its total tax is not rounded; s.288B rounds only the amount payable or refunded."""
    # ITR-1 has no surcharge: total income above ₹50 lakh is not eligible for it.
    tax = rupees(result.get("tax_on_normal_income")) + rupees(result.get("tax_on_special_income"))
    rebate = rupees(result.get("rebate_87a")) + rupees(result.get("marginal_relief_87a"))
    cess = rupees(result.get("cess"))
    total_tax = tax - rebate + cess
    return {
        "TotalTaxPayable": tax,
        "Rebate87A": rebate,
        "TaxPayableOnRebate": tax - rebate,
        "EducationCess": cess,
        "GrossTaxLiability": total_tax,
        "Section89": 0,
        "NetTaxLiability": total_tax,
        "TotalIntrstPay": 0,
        "IntrstPay": {
            "IntrstPayUs234A": 0,
            "IntrstPayUs234B": 0,
            "IntrstPayUs234C": 0,
            "LateFilingFee234F": 0,
        },
        "TotTaxPlusIntrstPay": total_tax,
    }


def _taxes_paid(case: dict[str, Any], due: int) -> dict[str, Any]:
    paid = case.get("taxes_paid") or {}
    taxes = {
        "AdvanceTax": rupees(paid.get("advance_tax")),
        "TDS": rupees(paid.get("tds_salary")) + rupees(paid.get("tds_other")),
        "TCS": 0,
        "SelfAssessmentTax": rupees(paid.get("self_assessment_tax")),
    }
    total = sum(taxes.values())
    return {"TaxesPaid": {**taxes, "TotalTaxesPaid": total}, "BalTaxPayable": round_to_ten(max(due - total, 0))}


def _refund(filing: dict[str, Any], due: int, paid: int) -> dict[str, Any]:
    accounts = []
    for account in filing.get("bank_accounts") or []:
        row: dict[str, Any] = {}
        _put(row, "IFSCCode", str(account.get("ifsc") or "").strip().upper())
        _put(row, "BankName", str(account.get("bank_name") or "").strip())
        _put(row, "BankAccountNo", str(account.get("account_number") or "").strip())
        row["AccountType"] = account.get("account_type") or "SB"
        row["UseForRefund"] = "true" if account.get("refund") else "false"
        accounts.append(row)
    details: dict[str, Any] = {"AddtnlBankDetails": accounts} if accounts else {}
    return {"RefundDue": round_to_ten(max(paid - due, 0)), "BankAccountDtls": details}


def _schedule_80d(b: Breakdown) -> dict[str, Any]:
    """Schedule 80D for premiums on self, spouse and children (s.80D(2)(a))."""
    allowed = b.allowed.get("80D", 0)
    premium = b.claimed.get("80D", 0)
    health: dict[str, Any] = {"SeniorCitizenFlag": "Y" if b.senior else "N"}
    if b.senior:
        health["SelfAndFamilySeniorCitizen"] = allowed
        health["HlthInsPremSlfFamSrCtzn"] = premium
    else:
        health["SelfAndFamily"] = allowed
        health["HealthInsPremSlfFam"] = premium
    health["ParentsSeniorCitizenFlag"] = "P"
    health["EligibleAmountOfDedn"] = allowed
    return {"Sec80DSelfFamSrCtznHealth": health}


def _schedule_hra(salary: dict[str, Any], b: Breakdown) -> dict[str, Any]:
    """Schedule EA 10(13A): rule 2A's three amounts, the least of which is exempt."""
    basic = rupees(salary.get("basic_da"))
    rent = rupees(salary.get("rent_paid"))
    metro = bool(salary.get("metro"))
    return {
        "Placeofwork": "1" if metro else "2",
        "ActlHRARecv": rupees(salary.get("hra_received")),
        "ActlRentPaid": rent,
        "DtlsSalUsSec171": b.gross_salary,
        "BasicSalary": basic,
        "DearnessAllwnc": 0,  # the engine takes basic and DA together, shown as basic
        "ActlRentPaid10Per": max(round_half_up(rent * 10 - basic, 10), 0),
        "Sal40Or50Per": round_half_up(basic * (5 if metro else 4), 10),
        "EligbleExmpAllwncUs13A": b.hra_exempt,
    }


def _tds_on_salaries(filing: dict[str, Any]) -> dict[str, Any] | None:
    rows = ((filing.get("tds") or {}).get("salary")) or []
    if not rows:
        return None
    entries = [
        {
            "EmployerOrDeductorOrCollectDetl": _deductor(row.get("tan"), row.get("employer_name")),
            "IncChrgSal": rupees(row.get("income_chargeable", row.get("gross"))),
            "TotalTDSSal": rupees(row.get("tds")),
        }
        for row in rows
    ]
    return {"TDSonSalary": entries, "TotalTDSonSalaries": sum(e["TotalTDSSal"] for e in entries)}


def _tds_on_other(filing: dict[str, Any]) -> dict[str, Any] | None:
    rows = ((filing.get("tds") or {}).get("other")) or []
    if not rows:
        return None
    entries = []
    for row in rows:
        section = str(row.get("section") or "194A").strip().upper()
        entries.append({
            "EmployerOrDeductorOrCollectDetl": _deductor(row.get("tan"), row.get("deductor_name")),
            "TDSSection": TDS_SECTION_CODES.get(section, section),
            "AmtForTaxDeduct": rupees(row.get("amount")),
            "DeductedYr": TDS_YEAR,
            "TotTDSOnAmtPaid": rupees(row.get("tds")),
            "ClaimOutOfTotTDSOnAmtPaid": rupees(row.get("tds")),
        })
    total = sum(e["ClaimOutOfTotTDSOnAmtPaid"] for e in entries)
    return {"TDSonOthThanSal": entries, "TotalTDSonOthThanSals": total}


def _deductor(tan: Any, name: Any) -> dict[str, Any]:
    detail: dict[str, Any] = {}
    _put(detail, "TAN", str(tan or "").strip().upper())
    _put(detail, "EmployerOrDeductorOrCollecterName", str(name or "").strip())
    return detail


def _tax_payments(filing: dict[str, Any]) -> dict[str, Any] | None:
    challans = filing.get("taxes_paid_challans") or []
    if not challans:
        return None
    entries = []
    for challan in challans:
        entry: dict[str, Any] = {}
        _put(entry, "BSRCode", str(challan.get("bsr_code") or "").strip())
        _put(entry, "DateDep", challan.get("date"))
        entry["SrlNoOfChaln"] = challan.get("serial_no")
        entry["Amt"] = rupees(challan.get("amount"))
        entries.append(entry)
    return {"TaxPayment": entries, "TotalTaxPayments": sum(e["Amt"] for e in entries)}


def _verification(filing: dict[str, Any]) -> dict[str, Any]:
    personal = filing.get("personal") or {}
    verification = filing.get("verification") or {}
    declaration: dict[str, Any] = {}
    _put(declaration, "AssesseeVerName", str(verification.get("name") or personal.get("name") or "").strip())
    father = verification.get("father_name") or personal.get("father_name")
    _put(declaration, "FatherName", str(father or "").strip())
    _put(declaration, "AssesseeVerPAN", str(personal.get("pan") or "").strip().upper())
    result: dict[str, Any] = {"Declaration": declaration, "Capacity": verification.get("capacity") or "S"}
    _put(result, "Place", str(verification.get("place") or "").strip())
    return result


def _creation_info(filing: dict[str, Any]) -> dict[str, Any]:
    software = filing.get("software") or {}
    info: dict[str, Any] = {
        "SWVersionNo": software.get("version") or "1.0",
        "SWCreatedBy": software.get("id") or SOFTWARE_ID,
        "JSONCreatedBy": software.get("id") or SOFTWARE_ID,
    }
    _put(info, "JSONCreationDate", filing.get("created_at"))
    info["IntermediaryCity"] = software.get("city") or "Delhi"
    info["Digest"] = "-"
    return info


def _check(filing: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], str]:
    if filing.get("assessment_year") != ASSESSMENT_YEAR:
        raise ItrBuildError(f"ITR-1 here is for assessment year {ASSESSMENT_YEAR} only")
    regime = filing.get("regime")
    if regime not in ("old", "new"):
        raise ItrBuildError('regime must be "old" or "new"')
    case = filing.get("input") or {}
    if case.get("financial_year") not in (None, "2025-26"):
        raise ItrBuildError("the input is not for financial year 2025-26")
    result = (filing.get("computation") or {}).get(regime)
    if not isinstance(result, dict):
        raise ItrBuildError("the filing has not been computed yet")
    return case, result, regime


def build_itr1(filing: dict[str, Any]) -> dict[str, Any]:
    """The `{"ITR": {"ITR1": ...}}` return for AY 2026-27 (s.139(1)) of a computed filing.

    `filing` holds the engine input and output, the chosen regime, personal and bank details, TDS
    certificates, challans and the verification (see app/itr/README.md). The engine's amounts for
    the chosen regime are used as they are; the form's own totals are added up from them. Raises
    ItrBuildError when the filing is not an AY 2026-27 filing with a computation for that regime;
    anything else missing is left for `validate_itr1` to name.
    """
    case, result, regime = _check(filing)
    b = breakdown(case, filing["computation"], regime)
    itr: dict[str, Any] = {
        "CreationInfo": _creation_info(filing),
        "Form_ITR1": {
            "FormName": "ITR-1",
            "Description": FORM_DESCRIPTION,
            "AssessmentYear": "2026",
            "SchemaVer": "Ver1.0",
            "FormVer": "Ver1.0",
        },
        "PersonalInfo": _personal_info(filing, b),
        "FilingStatus": _filing_status(regime),
        "ITR1_IncomeDeductions": _income_deductions(filing, b, result),
        "ITR1_TaxComputation": _tax_computation(result),
    }
    due = itr["ITR1_TaxComputation"]["TotTaxPlusIntrstPay"]
    itr["TaxPaid"] = _taxes_paid(case, due)
    itr["Refund"] = _refund(filing, due, itr["TaxPaid"]["TaxesPaid"]["TotalTaxesPaid"])
    if b.allowed.get("80D") or b.claimed.get("80D"):
        itr["Schedule80D"] = _schedule_80d(b)
    investments = filing.get("schedule_80c") or []
    if investments and b.claimed.get("80C"):
        rows = [{"IdentificationNo": str(row.get("identification_no") or "").strip(),
                 "Amount": rupees(row.get("amount"))} for row in investments]
        itr["Schedule80C"] = {"Schedule80CDtls": rows, "TotalAmt": sum(r["Amount"] for r in rows)}
    if b.hra_exempt:
        itr["ScheduleEA10_13A"] = _schedule_hra(case.get("salary") or {}, b)
    for key, value in (
        ("TDSonSalaries", _tds_on_salaries(filing)),
        ("TDSonOthThanSals", _tds_on_other(filing)),
        ("TaxPayments", _tax_payments(filing)),
    ):
        if value is not None:
            itr[key] = value
    if b.ltcg_112a:
        ltcg = filing.get("ltcg_112a") or {}
        cost = rupees(ltcg.get("cost"))
        itr["LTCG112A"] = {
            "TotSaleCnsdrn": rupees(ltcg.get("sale_consideration", b.ltcg_112a + cost)),
            "TotCstAcqisn": cost,
            "LongCap112A": b.ltcg_112a,
        }
    itr["Verification"] = _verification(filing)
    return {"ITR": {"ITR1": itr}}
