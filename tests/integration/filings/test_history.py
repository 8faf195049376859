"""Every change to a return is in its history: who, what, before and after."""
from __future__ import annotations

from .conftest import PERSONAL


def test_each_change_is_recorded_with_its_before_and_after(api, new_filing, sql):
    filing_id = new_filing(api)["id"]
    api.patch(f"/api/v1/filings/{filing_id}", json={"input": {"taxes_paid": {"tds_salary": 1000}}})
    api.patch(f"/api/v1/filings/{filing_id}", json={"input": {"taxes_paid": {"tds_salary": 2500}}})
    rows = sql("SELECT action, before, after, actor_id, user_id FROM audit_logs WHERE filing_id = :id ORDER BY id",
               id=filing_id)
    assert [r.action for r in rows] == ["filing.create", "filing.update", "filing.update"]
    last = rows[-1]
    assert last.before["taxes_paid"]["tds_salary"] == 1000
    assert last.after["taxes_paid"]["tds_salary"] == 2500
    assert last.actor_id == last.user_id

    entries = api.get(f"/api/v1/filings/{filing_id}/history").get_json()["entries"]
    assert entries[0]["action"] == "filing.update"
    assert {"field": "taxes_paid.tds_salary", "before": 1000, "after": 2500} in entries[0]["changes"]
    assert entries[0]["actor"]["name"] == "Asha"


def test_a_change_that_changes_nothing_is_not_recorded(api, new_filing, sql):
    filing_id = new_filing(api)["id"]
    api.patch(f"/api/v1/filings/{filing_id}", json={"personal": PERSONAL})
    api.patch(f"/api/v1/filings/{filing_id}", json={"personal": PERSONAL})
    assert sql("SELECT count(*) FROM audit_logs WHERE filing_id = :id", id=filing_id)[0][0] == 2


def test_history_pages_by_keyset_newest_first(api, new_filing):
    filing_id = new_filing(api)["id"]
    for amount in range(1, 6):
        api.patch(f"/api/v1/filings/{filing_id}", json={"input": {"taxes_paid": {"advance_tax": amount}}})
    first = api.get(f"/api/v1/filings/{filing_id}/history?limit=4").get_json()
    assert len(first["entries"]) == 4 and first["next_before"] == first["entries"][-1]["id"]
    rest = api.get(f"/api/v1/filings/{filing_id}/history?limit=4&before={first['next_before']}").get_json()
    assert [e["action"] for e in rest["entries"]] == ["filing.update", "filing.create"]
    assert rest["next_before"] is None
    ids = [e["id"] for e in first["entries"] + rest["entries"]]
    assert ids == sorted(ids, reverse=True)


def test_family_members_and_foreign_assets_are_recorded_too(api, new_filing):
    filing_id = new_filing(api)["id"]
    r = api.post(f"/api/v1/filings/{filing_id}/family-members",
                 json={"name": "Kamla Verma", "relation": "mother", "dob": "1955-02-01"})
    assert r.status_code == 201 and r.get_json()["senior_citizen"] is True
    r = api.post(f"/api/v1/filings/{filing_id}/foreign-assets", json={
        "country_code": "US", "asset_type": "depository_account", "institution": "Chase", "acquired_on": "2021-03-01",
        "peak_value": 800000, "closing_value": 650000, "income": 4000})
    assert r.status_code == 201
    api.delete(f"/api/v1/filings/{filing_id}/foreign-assets/{r.get_json()['id']}")
    actions = [e["action"] for e in api.get(f"/api/v1/filings/{filing_id}/history").get_json()["entries"]]
    assert actions[:3] == ["foreign_asset.remove", "foreign_asset.add", "family_member.add"]


def test_bad_family_members_and_foreign_assets_are_refused_field_by_field(api, new_filing):
    filing_id = new_filing(api)["id"]
    r = api.post(f"/api/v1/filings/{filing_id}/family-members", json={"name": "", "relation": "cousin"})
    assert set(r.get_json()["error"]["fields"]) == {"name", "relation"}
    r = api.post(f"/api/v1/filings/{filing_id}/foreign-assets",
                 json={"country_code": "", "asset_type": "yacht", "institution": "X", "peak_value": "lots",
                       "closing_value": -1})
    assert r.status_code == 422
    assert set(r.get_json()["error"]["fields"]) == {"country_code", "asset_type", "peak_value", "closing_value"}
    assert api.get(f"/api/v1/filings/{filing_id}/foreign-assets").get_json()["foreign_assets"] == []
    assert api.get(f"/api/v1/filings/{filing_id}/family-members").get_json()["family_members"] == []


def test_a_foreign_asset_makes_the_input_say_so(api, new_filing):
    filing_id = new_filing(api)["id"]
    api.post(f"/api/v1/filings/{filing_id}/foreign-assets", json={
        "country_code": "GB", "asset_type": "immovable_property", "institution": "Flat in Leeds",
        "peak_value": 1, "closing_value": 1})
    assert api.get(f"/api/v1/filings/{filing_id}").get_json()["input"]["foreign_assets"] is True
