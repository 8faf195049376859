"""Documents in the browser: drop a generated Form 16 on the page, watch it upload and get read
live, review the suggested figures (edit one, reject one) and apply them to a return."""
from __future__ import annotations

import base64
import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, flash, nav, screenshot, wait_live
from tests.unit.documents.generate import make_form16_pdf

DROP = """([data, name]) => {
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], name, { type: "application/pdf" }));
  return transfer;
}"""
RECORD_JOBS = """() => {
  window.jobEvents = [];
  document.addEventListener("taxdesk:job", (e) => window.jobEvents.push(e.detail));
}"""


def drop_file(page: Page, target: str, data: bytes, name: str) -> None:
    """What a user's drag and drop does: dragenter, then drop with the file in a DataTransfer."""
    transfer = page.evaluate_handle(DROP, [base64.b64encode(data).decode(), name])
    page.dispatch_event(target, "dragenter", {"dataTransfer": transfer})
    expect(page.locator(target)).to_have_class(re.compile(r"\bdragging\b"))
    page.dispatch_event(target, "drop", {"dataTransfer": transfer})


def start_return(page: Page, assessment_year: str) -> None:
    page.goto("/")
    page.get_by_role("article").filter(has_text=f"AY {assessment_year}").get_by_role(
        "button", name="Start this return").click()
    expect(flash(page)).to_contain_text(f"AY {assessment_year} is started")


def test_a_dropped_form16_is_read_live_reviewed_and_applied_to_a_return(signed_up, tmp_path) -> None:
    _, page = signed_up("Priya Nair")
    start_return(page, "2025-26")
    pdf = tmp_path / "form16.pdf"
    expected = make_form16_pdf(pdf, {"gross_salary": 1450000, "professional_tax": 2500, "tds": 89700})

    nav(page, "Documents").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Documents")
    assert_accessible(page)
    wait_live(page)
    page.evaluate(RECORD_JOBS)
    drop_file(page, "[data-dropzone]", pdf.read_bytes(), "form16-acme.pdf")

    expect(page.locator("[data-upload-status]")).to_contain_text("form16-acme.pdf")
    row = page.locator("[data-documents] tbody tr").filter(has_text="form16-acme.pdf")
    expect(row.locator("[data-status-label]")).to_have_text("extracted", timeout=90_000)
    expect(row.locator("[data-type]")).to_have_text("Form 16")
    expect(row.locator("progress")).to_have_count(0)
    events = page.evaluate("window.jobEvents")
    assert events and events[-1]["status"] == "finished", events
    assert [e["progress"] for e in events] == sorted(e["progress"] for e in events)
    screenshot(page, "documents")

    row.get_by_role("link", name="form16-acme.pdf").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Form 16: form16-acme.pdf")
    assert_accessible(page)
    gross = page.get_by_role("group", name="Gross salary (section 17)")
    expect(gross.get_by_label("Amount in rupees")).to_have_value(re.compile(r"14,?50,?000"))
    assert expected["gross_salary"] == 1450000
    gross.get_by_label("Amount in rupees").fill("1460000")
    professional_tax = page.get_by_role("group", name="Professional tax (section 16(iii))")
    professional_tax.get_by_label("Reject").check()
    expect(professional_tax.get_by_label("Amount in rupees")).to_be_disabled()
    page.get_by_label("Apply to the return for").select_option(label="Assessment year 2025-26")
    screenshot(page, "document-review")
    page.get_by_role("button", name="Apply accepted fields").click()

    expect(flash(page)).to_contain_text("to your return")
    expect(page.locator("main .status").first).to_have_text("applied")
    expect(page.get_by_role("button", name="Apply again")).to_be_visible()

    page.goto("/filings/2025-26/salary")
    expect(page.get_by_label("Gross salary (section 17)")).to_have_value(re.compile(r"^(₹\s*)?14,?60,?000$"))


def test_an_upload_the_server_refuses_says_why_next_to_the_field(signed_up) -> None:
    _, page = signed_up("Dev Malhotra")
    page.goto("/documents")
    page.get_by_label(re.compile("Choose a PDF")).set_input_files(
        files=[{"name": "notes.pdf", "mimeType": "application/pdf", "buffer": b"this is not a PDF at all"}])
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("#file-error")).to_be_visible()
    expect(page.get_by_label(re.compile("Choose a PDF"))).to_have_attribute("aria-invalid", "true")
    expect(page.locator("[data-documents] tbody")).to_contain_text("No documents yet.")
