"""What every page shares: a strict Content Security Policy with no inline code, static files
versioned by their content and cached for a year, and a helpful error page."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible

ASSETS = """() => Array.from(document.querySelectorAll("link[rel=stylesheet], script[src]"))
  .map((el) => el.getAttribute("href") || el.getAttribute("src"))"""


def test_pages_load_only_content_versioned_static_files_cached_for_a_year(signed_up) -> None:
    _, page = signed_up("Zoya Ali")
    response = page.goto("/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    assets = page.evaluate(ASSETS)
    assert {"app.css", "app.js", "realtime.js", "activity.js"} <= {re.sub(r".*/|\?.*", "", a) for a in assets}
    for url in assets:
        assert re.search(r"^/static/.+\?v=[0-9a-f]{12}$", url), url
        asset = page.context.request.get(url)
        assert asset.status == 200, url
        assert asset.headers["cache-control"] == "public, max-age=31536000, immutable", url


def test_a_missing_page_says_so_and_offers_a_way_back(signed_up) -> None:
    _, page = signed_up("Omar Sheikh")
    response = page.goto("/documents/999999999")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
    expect(page.locator("main")).to_contain_text("request id")
    assert_accessible(page)
    page.get_by_role("link", name="Go to the dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Namaste")
