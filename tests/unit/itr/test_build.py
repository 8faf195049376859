"""Building ITR-1 returns for eligible taxpayers: valid JSON carrying the engine's numbers."""
from __future__ import annotations

import copy
import json
from functools import cache
from typing import Any

import pytest
from jsonschema import Draft4Validator

from app.itr import ItrBuildError, build_itr1, eligibility_problems, validate_itr1
from app.itr.validation import SCHEMA_PATH
from app.tax.money import round_to_ten
from tests.unit.itr.filings import ELIGIBLE, Case, assert_shows_the_engines_amounts, by_id, filing_for, salary_tds

CASES = [pytest.param(case, id=case.id) for case in ELIGIBLE]


@cache
def official_validator() -> Draft4Validator:
    return Draft4Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def built(case: Case) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    filing = filing_for(case)
    doc = build_itr1(filing)
    return filing, doc, doc["ITR"]["ITR1"]


def test_there_are_at_least_twenty_eligible_taxpayers_in_both_regimes() -> None:
    assert len(ELIGIBLE) >= 20
    assert {c.regime for c in ELIGIBLE} == {"old", "new"}


@pytest.mark.parametrize("case", CASES)
def test_an_eligible_taxpayer_may_file_itr1(case: Case) -> None:
    filing = filing_for(case)
    assert eligibility_problems(filing["input"], filing["computation"], filing["personal"],
                                case.foreign_assets, regime=case.regime) == []


@pytest.mark.parametrize("case", CASES)
def test_the_return_of_an_eligible_taxpayer_passes_the_official_schema(case: Case) -> None:
    _, doc, _ = built(case)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in official_validator().iter_errors(doc)]
    assert errors == []


@pytest.mark.parametrize("case", CASES)
def test_the_return_of_an_eligible_taxpayer_has_no_problems(case: Case) -> None:
    _, doc, _ = built(case)
    assert validate_itr1(doc) == []


@pytest.mark.parametrize("case", CASES)
def test_the_return_shows_the_engines_amounts_for_the_chosen_regime(case: Case) -> None:
    filing, _, itr = built(case)
    assert_shows_the_engines_amounts(itr, filing["computation"][case.regime])


@pytest.mark.parametrize("case", CASES)
def test_the_heads_of_income_add_up_to_the_engines_gross_total_income(case: Case) -> None:
    filing, _, itr = built(case)
    income = itr["ITR1_IncomeDeductions"]
    ltcg = itr.get("LTCG112A", {}).get("LongCap112A", 0)
    heads = income["IncomeFromSal"] + income["TotalIncomeChargeableUnHP"] + income["IncomeOthSrc"]
    assert heads + ltcg == filing["computation"][case.regime]["gross_total_income"]


@pytest.mark.parametrize("case", CASES)
def test_the_regime_is_recorded_as_opting_out_of_the_new_regime_or_not(case: Case) -> None:
    _, _, itr = built(case)
    assert itr["FilingStatus"]["OptOutNewTaxRegime"] == ("Y" if case.regime == "old" else "N")
    assert itr["FilingStatus"]["ReturnFileSec"] == 11


def test_the_contract_example_in_the_old_regime_shows_hra_standard_deduction_and_professional_tax() -> None:
    _, _, itr = built(by_id("salaried with HRA, 80C and 80D in the old regime, tax still to pay"))
    income = itr["ITR1_IncomeDeductions"]
    # HRA: least of 2,40,000 received, 2,64,000 - 60,000 rent over 10% of salary, 40% of 6,00,000.
    assert income["AllwncExemptUs10"] == {
        "TotalAllwncExemptUs10": 204000,
        "AllwncExemptUs10Dtls": [{"SalNatureDesc": "10(13A)", "SalOthAmount": 204000}],
    }
    assert itr["ScheduleEA10_13A"]["EligbleExmpAllwncUs13A"] == 204000
    assert income["DeductionUs16ia"] == 50000
    assert income["ProfessionalTaxUs16iii"] == 2400
    assert income["TotalIncome"] == 1018600
    # 12,500 + 1,00,000 + 30% of 18,600 = 1,18,080, plus 4% cess 4,723: the form's total is not
    # rounded; s.288B rounds what is still payable (the engine's total tax is 1,22,800).
    assert itr["ITR1_TaxComputation"]["GrossTaxLiability"] == 122803
    paid = itr["TaxPaid"]["TaxesPaid"]["TotalTaxesPaid"]
    assert itr["TaxPaid"]["BalTaxPayable"] == round_to_ten(122803 - paid) and itr["TaxPaid"]["BalTaxPayable"] % 10 == 0
    assert itr["Schedule80D"]["Sec80DSelfFamSrCtznHealth"]["SelfAndFamily"] == 25000


def test_the_new_regime_gives_no_hra_exemption_and_a_75000_standard_deduction() -> None:
    _, _, itr = built(by_id("the same salaried taxpayer in the new regime, with a refund"))
    income = itr["ITR1_IncomeDeductions"]
    assert income["AllwncExemptUs10"]["TotalAllwncExemptUs10"] == 0
    assert "ScheduleEA10_13A" not in itr
    assert income["DeductionUs16ia"] == 75000
    assert income["ProfessionalTaxUs16iii"] == 0
    assert income["DeductUndChapVIA"]["Section80C"] == 0
    assert income["UsrDeductUndChapVIA"]["Section80C"] == 0
    assert income["TotalIncome"] == 1375000
    assert itr["Refund"]["RefundDue"] > 0


def test_two_house_properties_are_both_listed_with_the_self_occupied_interest() -> None:
    _, _, itr = built(by_id("a let-out flat and a self-occupied home with loan interest in the old regime"))
    let_out, own_home = itr["ITR1_IncomeDeductions"]["PropertyDetails"]
    assert (let_out["ifLetOut"], own_home["ifLetOut"]) == ("L", "S")
    assert let_out["Rentdetails"]["BalanceALV"] == 232000
    assert let_out["Rentdetails"]["ThirtyPercentOfBalance"] == 69600
    assert let_out["Rentdetails"]["IncomeOfHP"] == 232000 - 69600 - 100000
    assert own_home["Rentdetails"]["IntOnBorwCap"] == 180000
    assert own_home["Rentdetails"]["IncomeOfHP"] == -180000
    assert itr["ITR1_IncomeDeductions"]["TotalIncomeChargeableUnHP"] == 62400 - 180000


def test_self_occupied_interest_above_two_lakh_is_shown_at_two_lakh() -> None:
    _, _, itr = built(by_id("self-occupied home loan interest is capped at 2 lakh in the old regime"))
    (home,) = itr["ITR1_IncomeDeductions"]["PropertyDetails"]
    assert home["Rentdetails"]["IntOnBorwCap"] == 200000
    assert itr["ITR1_IncomeDeductions"]["TotalIncomeChargeableUnHP"] == -200000


def test_family_pension_is_other_income_less_the_57iia_deduction() -> None:
    _, _, itr = built(by_id("family pension in the new regime takes the 25,000 deduction"))
    income = itr["ITR1_IncomeDeductions"]
    kinds = {row["OthSrcNatureDesc"]: row["OthSrcOthAmount"] for row in income["OthersInc"]["OthersIncDtlsOthSrc"]}
    assert kinds == {"FAP": 420000, "IFD": 200000}
    assert income["DeductionUs57iia"] == 25000
    assert income["IncomeOthSrc"] == 420000 + 200000 - 25000
    assert itr["PersonalInfo"]["EmployerCategory"] == "NA"


def test_long_term_gains_under_112a_are_kept_out_of_gross_total_income_without_them() -> None:
    _, _, itr = built(by_id("dividends and long-term gains of 1 lakh under 112A in the new regime"))
    income = itr["ITR1_IncomeDeductions"]
    assert itr["LTCG112A"]["LongCap112A"] == 100000
    assert income["GrossTotIncomeIncLTCG112A"] - income["GrossTotIncome"] == 100000


def test_a_senior_citizens_health_premium_goes_in_the_senior_citizen_column() -> None:
    _, _, itr = built(by_id("super senior with savings and deposit interest and senior 80D in the old regime"))
    health = itr["Schedule80D"]["Sec80DSelfFamSrCtznHealth"]
    assert health["SeniorCitizenFlag"] == "Y"
    assert health["SelfAndFamilySeniorCitizen"] == health["EligibleAmountOfDedn"] == 50000
    assert itr["ITR1_IncomeDeductions"]["DeductUndChapVIA"]["Section80TTB"] == 50000


def test_savings_interest_above_ten_thousand_gets_only_ten_thousand_under_80tta() -> None:
    _, _, itr = built(by_id("savings interest above the 80TTA limit in the old regime"))
    assert itr["ITR1_IncomeDeductions"]["UsrDeductUndChapVIA"]["Section80TTA"] == 25000
    assert itr["ITR1_IncomeDeductions"]["DeductUndChapVIA"]["Section80TTA"] == 10000


def test_tds_from_each_employer_and_deductor_is_listed_and_totalled() -> None:
    _, _, itr = built(by_id("two employers in the year and TDS on deposits and dividends"))
    salaries = itr["TDSonSalaries"]
    assert [row["EmployerOrDeductorOrCollectDetl"]["TAN"] for row in salaries["TDSonSalary"]] == [
        "BLRA12345B", "MUMB23456C"]
    assert salaries["TotalTDSonSalaries"] == 130000
    others = itr["TDSonOthThanSals"]
    assert [row["TDSSection"] for row in others["TDSonOthThanSal"]] == ["94A", "194"]
    assert others["TotalTDSonOthThanSals"] == 10000
    assert itr["TaxPaid"]["TaxesPaid"]["TDS"] == 140000


def test_challans_are_listed_as_advance_and_self_assessment_tax() -> None:
    _, _, itr = built(by_id("advance and self-assessment tax paid by challan"))
    assert itr["TaxPayments"]["TotalTaxPayments"] == 65000
    assert itr["TaxPaid"]["TaxesPaid"]["AdvanceTax"] == 40000
    assert itr["TaxPaid"]["TaxesPaid"]["SelfAssessmentTax"] == 25000


def test_the_refund_goes_to_the_account_marked_for_refund() -> None:
    _, _, itr = built(by_id("metro HRA in the old regime with a refund"))
    accounts = itr["Refund"]["BankAccountDtls"]["AddtnlBankDetails"]
    assert [(a["IFSCCode"], a["UseForRefund"]) for a in accounts] == [
        ("HDFC0000123", "true"), ("SBIN0001234", "false")]
    assert itr["Refund"]["RefundDue"] > 0
    assert itr["TaxPaid"]["BalTaxPayable"] == 0


def test_the_taxpayers_details_are_copied_into_personal_info_and_verification() -> None:
    _, _, itr = built(ELIGIBLE[0])
    info = itr["PersonalInfo"]
    assert info["AssesseeName"] == {"FirstName": "Asha", "MiddleName": "Kumari", "SurNameOrOrgName": "Rao"}
    assert info["Address"]["PinCode"] == 560038
    assert info["Address"]["MobileNo"] == 9876543210
    assert info["AadhaarCardNo"] == "234567890123"
    assert itr["Verification"]["Declaration"]["AssesseeVerPAN"] == "ABCPR1234F"
    assert itr["Verification"]["Place"] == "Bengaluru"
    assert itr["CreationInfo"]["JSONCreationDate"] == "2026-06-20"


def test_a_return_for_another_assessment_year_is_refused() -> None:
    filing = filing_for(ELIGIBLE[0])
    filing["assessment_year"] = "2025-26"
    with pytest.raises(ItrBuildError):
        build_itr1(filing)


def test_a_filing_that_was_never_computed_is_refused() -> None:
    filing = filing_for(ELIGIBLE[0])
    filing["computation"] = None
    with pytest.raises(ItrBuildError, match="computed"):
        build_itr1(filing)


def test_a_missing_pan_is_left_out_so_validation_can_say_so() -> None:
    filing = filing_for(ELIGIBLE[0])
    del filing["personal"]["pan"]
    doc = build_itr1(copy.deepcopy(filing))
    assert "PAN" not in doc["ITR"]["ITR1"]["PersonalInfo"]
    assert "PAN is missing" in [p.message for p in validate_itr1(doc)]


def test_80c_investments_listed_by_the_taxpayer_appear_in_schedule_80c() -> None:
    filing = filing_for(ELIGIBLE[0])
    filing["schedule_80c"] = [{"identification_no": "LIC123456789", "amount": 60000},
                              {"identification_no": "PPF0012345", "amount": 90000}]
    doc = build_itr1(filing)
    assert doc["ITR"]["ITR1"]["Schedule80C"]["TotalAmt"] == 150000
    assert validate_itr1(doc) == []


def test_a_let_out_flat_can_have_its_own_address() -> None:
    filing = filing_for(by_id("rent from a let-out flat in the new regime"))
    filing["property_addresses"] = [{"line1": "B-404 Sea Breeze", "city": "Mumbai", "state_code": "19",
                                     "pin": "400050"}]
    doc = build_itr1(filing)
    (flat,) = doc["ITR"]["ITR1"]["ITR1_IncomeDeductions"]["PropertyDetails"]
    assert flat["AddressDetailWithZipCode"] == {"AddrDetail": "B-404 Sea Breeze", "CityOrTownOrDistrict": "Mumbai",
                                                "StateCode": "19", "CountryCode": "91", "PinCode": 400050}
    assert validate_itr1(doc) == []


def test_a_deemed_let_out_house_is_marked_d() -> None:
    case = Case("deemed let out", {"salary": {"gross": 1500000},
                                   "house_property": [{"kind": "self_occupied", "interest_on_loan": 50000},
                                                      {"kind": "deemed_let_out", "annual_rent": 150000}]},
                "old", salary_tds=[salary_tds(1500000, 200000)])
    filing = filing_for(case)
    doc = build_itr1(filing)
    kinds = [p["ifLetOut"] for p in doc["ITR"]["ITR1"]["ITR1_IncomeDeductions"]["PropertyDetails"]]
    assert kinds == ["S", "D"]
    assert validate_itr1(doc) == []


@pytest.mark.parametrize("mobile", ["+91 98765 43210", "919876543210", "09876543210", "98765-43210"])
def test_a_mobile_number_written_with_a_country_code_or_spaces_is_accepted(mobile: str) -> None:
    filing = filing_for(ELIGIBLE[0])
    filing["personal"]["mobile"] = mobile
    doc = build_itr1(filing)
    assert doc["ITR"]["ITR1"]["PersonalInfo"]["Address"]["MobileNo"] == 9876543210
    assert validate_itr1(doc) == []


def test_a_state_code_given_as_a_number_is_written_with_two_digits() -> None:
    filing = filing_for(ELIGIBLE[0])
    filing["personal"]["address"]["state_code"] = 9
    doc = build_itr1(filing)
    assert doc["ITR"]["ITR1"]["PersonalInfo"]["Address"]["StateCode"] == "09"
