"""Invoices in the browser: an admin issues one for assisted filing (GST at 18%, total in words),
the customer sees it, downloads the PDF and marks it paid; nobody else can open it."""
from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, flash, nav, screenshot


def test_an_invoice_is_issued_seen_downloaded_and_marked_paid(signed_up) -> None:
    customer, page = signed_up("Lakshmi Pillai")
    _, desk = signed_up("Arjun Rao", role="admin")

    nav(desk, "Invoices").click()
    desk.get_by_role("link", name="Issue an invoice").click()
    assert_accessible(desk)
    desk.get_by_role("button", name="Issue invoice").click()
    expect(desk.get_by_role("alert")).to_have_text("Check the highlighted fields.")

    desk.get_by_label("Customer's email").fill(customer.email)
    desk.get_by_label("Line 1 description").fill("Assisted filing, AY 2025-26")
    desk.get_by_label("Line 1 quantity").fill("1")
    desk.get_by_label("Line 1 rate in rupees").fill("125000")
    desk.get_by_label("Line 2 description").fill("Capital gains schedule")
    desk.get_by_label("Line 2 quantity").fill("2")
    desk.get_by_label("Line 2 rate in rupees").fill("7500")
    desk.get_by_role("button", name="Issue invoice").click()
    expect(flash(desk)).to_contain_text("issued")
    number = desk.get_by_role("heading", level=1).inner_text().removeprefix("Invoice ")
    totals = desk.locator("tfoot")
    expect(totals.get_by_role("row", name="Subtotal")).to_contain_text("₹1,40,000")
    expect(totals.get_by_role("row", name="GST @ 18%")).to_contain_text("₹25,200")
    expect(totals.locator("tr").last).to_contain_text("₹1,65,200")
    expect(desk.locator("main")).to_contain_text(re.compile(r"One Lakh Sixty[- ]Five Thousand Two Hundred", re.I))

    nav(page, "Invoices").click()
    row = page.get_by_role("row").filter(has_text=number)
    expect(row).to_contain_text("₹1,65,200")
    expect(row).to_contain_text("issued")
    row.get_by_role("link", name=number).click()
    assert_accessible(page)
    screenshot(page, "invoice")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")

    page.get_by_role("button", name="Mark as paid").click()
    expect(flash(page)).to_contain_text("marked paid")
    expect(page.locator("#invoice-status")).to_have_text("paid")
    expect(page.get_by_role("button", name="Mark as paid")).to_have_count(0)
    invoice_path = re.search(r"/invoices/\d+", page.url).group(0)

    _, stranger = signed_up("Vikram Sethi")
    assert stranger.goto(invoice_path).status == 404
    assert stranger.context.request.get(invoice_path + "/pdf").status == 404
    assert stranger.goto("/invoices/new").status == 404
    stranger.goto("/invoices")
    expect(stranger.locator("main")).not_to_contain_text(number)
