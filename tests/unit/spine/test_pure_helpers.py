"""Pure helpers of the spine: Indian number formatting, PII masking, throttle policy, config parsing."""
from __future__ import annotations

import pytest

from app.auth.throttle import Policy
from app.config import ConfigError, load
from app.services.logs import mask_pii
from app.web import inr


@pytest.mark.parametrize(("amount", "text"), [
    (0, "₹0"), (999, "₹999"), (1000, "₹1,000"), (100000, "₹1,00,000"), (1234567, "₹12,34,567"),
    (123456789, "₹12,34,56,789"), (-250000, "-₹2,50,000"), (1234.5, "₹1,234"), (None, "—"),
])
def test_amounts_use_indian_lakh_and_crore_grouping(amount, text):
    assert inr(amount) == text


def test_pan_and_account_numbers_are_masked_in_log_lines():
    line = mask_pii('{"msg": "PAN ABCPE1234F account 123456789012 aadhaar 234567890123"}')
    assert "ABCPE1234F" not in line and "ABCXXXXXXF" in line
    assert "123456789012" not in line and "XXXX9012" in line
    assert "XXXX0123" in line


@pytest.mark.parametrize(("failures", "seconds"), [(4, 0), (5, 60), (6, 120), (7, 240), (20, 3600)])
def test_login_locks_grow_after_the_threshold_and_cap_at_an_hour(failures, seconds):
    assert Policy(threshold=5, base_seconds=60).lock_seconds(failures) == seconds


def test_config_reads_defaults_and_rejects_a_bad_number(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    monkeypatch.delenv("DB_POOL_SIZE", raising=False)
    cfg = load()
    assert cfg.db_pool_size == 5 and cfg.upload_dir == tmp_path / "uploads"
    monkeypatch.setenv("DB_POOL_SIZE", "0")
    with pytest.raises(ConfigError, match="DB_POOL_SIZE must be at least 1"):
        load()


def test_a_secret_key_is_read_from_var_when_not_in_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    (tmp_path / "secret_key").write_text("f" * 64)
    assert load().secret_key == "f" * 64
