"""Accounts in the browser: sign up, sign in, settings (profile, password with re-authentication,
active sessions with revoke), and the layout at phone width."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, assert_accessible, flash, nav, screenshot, sign_in


def test_a_visitor_signs_up_and_lands_on_their_dashboard(browser_page, person) -> None:
    who = person("Asha Rao")
    page = browser_page()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login"))
    assert_accessible(page)
    page.get_by_role("link", name="Create an account").first.click()
    assert_accessible(page)

    page.get_by_role("button", name="Create account").click()
    expect(page.locator("#email-error")).to_be_visible()
    expect(page.get_by_label("Email")).to_have_attribute("aria-invalid", "true")

    page.get_by_label("Full name").fill(who.name)
    page.get_by_label("Email").fill(who.email)
    page.get_by_label("Password").fill(who.password)
    page.get_by_role("button", name="Create account").click()
    expect(flash(page)).to_contain_text("Sign in to continue")

    page.get_by_label("Password").fill("not the password")
    page.get_by_label("Email").fill(who.email)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("do not match")

    sign_in(page, who)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Namaste, {who.name}")
    expect(page.get_by_role("link", name="Dashboard")).to_have_attribute("aria-current", "page")
    assert_accessible(page)


def test_a_user_edits_their_profile_and_changes_password_only_with_the_current_one(signed_up) -> None:
    who, page = signed_up("Ravi Kumar")
    nav(page, "Settings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Settings")
    assert_accessible(page)

    page.get_by_label("Name").fill("Ravi K. Kumar")
    page.get_by_role("button", name="Save profile").click()
    expect(flash(page)).to_have_text("Profile saved.")
    expect(page.get_by_label("Name")).to_have_value("Ravi K. Kumar")

    page.get_by_label("Current password").fill("a wrong password entirely")
    page.get_by_label("New password").fill("a brand new passphrase")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("alert")).to_be_visible()

    page.get_by_label("Current password").fill(who.password)
    page.get_by_label("New password").fill("a brand new passphrase")
    page.get_by_role("button", name="Change password").click()
    expect(flash(page)).to_contain_text("Password changed")

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login"))
    who.password = "a brand new passphrase"
    sign_in(page, who)


def test_a_user_signs_out_another_of_their_sessions(signed_up, browser_page) -> None:
    who, laptop = signed_up("Meera Iyer")
    phone = browser_page(viewport=PHONE)
    sign_in(phone, who)

    laptop.goto("/settings")
    sessions = laptop.locator("#sessions tbody tr")
    expect(sessions).to_have_count(2)
    expect(laptop.locator("#sessions")).to_contain_text("This session")
    screenshot(laptop, "settings")
    sessions.get_by_role("button", name="Sign out").click()
    expect(flash(laptop)).to_have_text("That session was signed out.")
    expect(laptop.locator("#sessions tbody tr")).to_have_count(1)

    phone.goto("/settings")
    expect(phone).to_have_url(re.compile(r"/login"))


def test_the_navigation_folds_into_a_menu_at_phone_width(signed_up) -> None:
    _, page = signed_up("Kiran Shah", viewport=PHONE)
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    expect(nav(page, "Documents")).to_be_hidden()
    assert_accessible(page)

    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(nav(page, "Documents")).to_be_visible()
    page.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_focused()

    for path in ("/documents", "/tickets", "/tickets/new", "/invoices", "/notifications", "/settings"):
        page.goto(path)
        assert_accessible(page)
    screenshot(page, "phone-settings")


def test_the_skip_link_takes_a_keyboard_user_to_the_content(signed_up) -> None:
    _, page = signed_up("Farah Khan")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
