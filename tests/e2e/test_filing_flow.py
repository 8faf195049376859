"""The whole journey of a salaried taxpayer in the browser: sign up, start a return, fill it in with
autosave and inline validation, drop a Form 16, watch it being read live, review and apply it,
compute, compare the regimes, print the computation sheet; another user sees none of it."""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS, assert_accessible, flash, nav, screenshot, sign_in, wait_live
from tests.e2e.test_documents import RECORD_JOBS, drop_file
from tests.unit.documents.generate import make_form16_pdf

README_SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshot-dashboard.png"


def sections(page: Page):
    return page.get_by_role("navigation", name="Sections of this return")


def autosaved(page: Page) -> None:
    expect(page.locator("[data-save-state]")).to_have_text("Saved")


def test_a_taxpayer_goes_from_sign_up_to_a_computation_sheet(browser_page, person, signed_up, tmp_path) -> None:
    who = person("Asha Rao")
    page = browser_page()
    page.goto("/register")
    page.get_by_label("Full name").fill(who.name)
    page.get_by_label("Email").fill(who.email)
    page.get_by_label("Password").fill(who.password)
    page.get_by_role("button", name="Create account").click()
    sign_in(page, who)

    # Start the return; the first screen autosaves and validates as the user types.
    page.get_by_role("article").filter(has_text="AY 2025-26").get_by_role("button", name="Start this return").click()
    expect(flash(page)).to_contain_text("AY 2025-26 is started")
    filing_id = page.locator("#filing-editor").get_attribute("data-filing-id")
    assert_accessible(page)
    page.get_by_label("Full name (as on PAN)").fill("Asha Rao")
    page.get_by_label("Date of birth").fill("1990-04-01")
    page.get_by_label("PAN", exact=True).fill("ABCDE1234F")
    expect(page.locator("[data-save-state]")).to_contain_text("Not saved")
    expect(page.locator("#f-personal-pan-error")).to_contain_text("fourth letter must be P")
    expect(page.get_by_label("PAN", exact=True)).to_have_attribute("aria-invalid", "true")
    page.get_by_label("PAN", exact=True).fill("ABCPR1234F")
    autosaved(page)
    expect(page.locator("#f-personal-pan-error")).to_be_hidden()

    sections(page).get_by_role("link", name=re.compile(r"Salary$")).click()
    page.get_by_label("Basic pay and dearness allowance").fill("720000")
    page.get_by_label("House rent allowance received").fill("240000")
    page.get_by_label("Rent you paid in the year").fill("300000")
    page.get_by_label(re.compile("I lived in Delhi")).check()
    autosaved(page)
    screenshot(page, "filing-editor")

    sections(page).get_by_role("link", name=re.compile(r"Deductions$")).click()
    page.get_by_label(re.compile(r"^80C: ")).fill("150000")
    page.get_by_label(re.compile(r"^80D: ")).fill("25,000")
    autosaved(page)
    page.reload()
    expect(page.get_by_label(re.compile(r"^80C: "))).to_have_value(re.compile(r"^1,?50,?000$"))
    expect(sections(page).get_by_role("link", name=re.compile(r"Deductions$"))).to_contain_text("done")

    # A Form 16 dropped on the documents page is read live, then reviewed and applied.
    pdf = tmp_path / "form16.pdf"
    make_form16_pdf(pdf, {"employee_name": "ASHA RAO", "employee_pan": "ABCPR1234F", "gross_salary": 1450000,
                          "professional_tax": 2500, "tds": 89700})
    nav(page, "Documents").click()
    page.get_by_label("Return it belongs to").select_option(label="Assessment year 2025-26")
    wait_live(page)
    page.evaluate(RECORD_JOBS)
    drop_file(page, "[data-dropzone]", pdf.read_bytes(), "form16-2025.pdf")
    row = page.locator("[data-documents] tbody tr").filter(has_text="form16-2025.pdf")
    expect(row.locator("[data-status-label]")).to_have_text("extracted", timeout=90_000)
    assert page.evaluate("window.jobEvents.at(-1).status") == "finished"
    row.get_by_role("link", name="form16-2025.pdf").click()
    expect(page.get_by_label("Apply to the return for")).to_have_value(filing_id)
    page.get_by_role("button", name="Apply accepted fields").click()
    expect(flash(page)).to_contain_text("to your return")
    document_path = re.search(r"/documents/\d+", page.url).group(0)

    # Compute: the panel fills in by itself when the job finishes.
    nav(page, "Dashboard").click()
    page.get_by_role("article").filter(has_text="AY 2025-26").get_by_role("link", name="Computation").click()
    expect(page.locator("#computation")).to_contain_text("Not computed yet")
    page.get_by_role("button", name="Compute my tax").click()
    recommendation = page.locator(".recommend")
    expect(recommendation).to_contain_text(re.compile(r"The (old|new) regime is cheaper"), timeout=60_000)
    expect(page.locator(".tax-chart meter").first).to_be_visible()
    total = page.locator("tr.total td").first
    expect(total).to_have_text(re.compile(r"^₹\d{1,2}(,\d\d)*,\d{3}$"))
    assert_accessible(page)
    screenshot(page, "computation")

    nav(page, "Dashboard").click()
    card = page.get_by_role("article").filter(has_text="AY 2025-26")
    expect(card.locator(".status")).to_have_text("Computed")
    expect(card).to_contain_text("(recommended)")
    expect(card.locator("td.num").first).to_have_text(re.compile(r"^₹[\d,]+$"))
    screenshot(page, "dashboard", full_page=False)
    if os.environ.get("UPDATE_README_SCREENSHOT"):  # opt-in, so `make test` leaves the checkout clean
        shutil.copyfile(ARTIFACTS / "dashboard.png", README_SCREENSHOT)

    page.goto(f"/filings/{filing_id}/computation")
    page.get_by_role("link", name="Print computation sheet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Computation of income and tax")
    expect(page.locator("main")).to_contain_text("ABCPR1234F")
    page.emulate_media(media="print")
    sheet = ARTIFACTS / "computation-sheet.pdf"
    page.pdf(path=str(sheet), format="A4")
    assert sheet.read_bytes().startswith(b"%PDF-")

    # Someone else, signed in at the same time, can reach none of it.
    _, stranger = signed_up("Ravi Kumar")
    expect(stranger.get_by_role("article").filter(has_text="AY 2025-26")).to_contain_text("Not started")
    for path in (f"/filings/{filing_id}", f"/filings/{filing_id}/computation",
                 f"/filings/{filing_id}/computation/sheet", document_path):
        assert stranger.goto(path).status == 404, path
    for path in (f"/api/v1/filings/{filing_id}", f"/api/v1{document_path}"):
        assert stranger.context.request.get(path).status == 404, path
    stranger.goto("/documents")
    expect(stranger.locator("[data-documents] tbody")).to_contain_text("No documents yet.")
