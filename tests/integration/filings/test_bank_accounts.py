"""Bank accounts: IFSC-checked, and exactly one takes the refund whenever there are any."""
from __future__ import annotations

from .conftest import ACCOUNT


def refund_accounts(api) -> list[str]:
    return [a["account_number"] for a in api.get("/api/v1/bank-accounts").get_json()["bank_accounts"] if a["refund"]]


def test_an_account_with_a_malformed_ifsc_is_refused_and_nothing_is_stored(api):
    r = api.post("/api/v1/bank-accounts", json={**ACCOUNT, "ifsc": "SBIN1001234", "account_number": "12"})
    assert r.status_code == 422
    fields = r.get_json()["error"]["fields"]
    assert set(fields) == {"ifsc", "account_number"}
    assert "IFSC" in fields["ifsc"]
    assert api.get("/api/v1/bank-accounts").get_json()["bank_accounts"] == []


def test_choosing_a_new_refund_account_unsets_the_previous_one(api):
    first = api.post("/api/v1/bank-accounts", json={**ACCOUNT, "refund": False})
    assert first.status_code == 201
    assert first.get_json()["refund"] is True  # the only account takes the refund
    second = api.post("/api/v1/bank-accounts", json={"ifsc": "hdfc0000123", "account_number": "50100123456",
                                                     "bank_name": "HDFC Bank", "refund": True})
    assert second.status_code == 201 and second.get_json()["ifsc"] == "HDFC0000123"
    assert refund_accounts(api) == ["50100123456"]

    api.post(f"/api/v1/bank-accounts/{first.get_json()['id']}/refund")
    assert refund_accounts(api) == ["12345678901"]


def test_removing_the_refund_account_passes_the_refund_to_another(api):
    first = api.post("/api/v1/bank-accounts", json=ACCOUNT).get_json()
    api.post("/api/v1/bank-accounts", json={"ifsc": "HDFC0000123", "account_number": "50100123456",
                                            "bank_name": "HDFC Bank", "refund": False})
    assert api.delete(f"/api/v1/bank-accounts/{first['id']}").status_code == 204
    assert refund_accounts(api) == ["50100123456"]


def test_the_same_account_cannot_be_added_twice(api):
    api.post("/api/v1/bank-accounts", json=ACCOUNT)
    r = api.post("/api/v1/bank-accounts", json=ACCOUNT)
    assert r.status_code == 409


def test_another_user_cannot_see_or_change_my_bank_accounts(api, other_api):
    mine = api.post("/api/v1/bank-accounts", json=ACCOUNT).get_json()
    assert other_api.get("/api/v1/bank-accounts").get_json()["bank_accounts"] == []
    assert other_api.delete(f"/api/v1/bank-accounts/{mine['id']}").status_code == 404
    assert other_api.post(f"/api/v1/bank-accounts/{mine['id']}/refund").status_code == 404
    assert refund_accounts(api) == ["12345678901"]
