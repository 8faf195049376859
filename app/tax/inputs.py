"""Validation and normalisation of a case (the input object of contracts/tax-engine.md).

Every field except `financial_year` is optional; `validate` returns a new dict with every field
present, amounts as whole rupees. Anything it does not understand is an error naming the field:
the engine never guesses what an unknown or mistyped field meant.
"""
from __future__ import annotations

from math import isfinite
from typing import Any

from .rules import DEDUCTION_KEYS, SUPPORTED_YEARS


class InputError(Exception):
    """A field of the case is missing, unknown, of the wrong type or out of range."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.message = message


_SALARY_AMOUNTS = ("gross", "basic_da", "hra_received", "rent_paid", "professional_tax")
_OTHER_SOURCES = ("savings_interest", "deposit_interest", "dividends", "other")
_CAPITAL_GAINS = ("stcg_111a", "ltcg_112a", "stcg_other")
_TAXES_PAID = ("tds_salary", "tds_other", "advance_tax", "self_assessment_tax")
_HP_KINDS = ("let_out", "self_occupied", "deemed_let_out")
_HP_AMOUNTS = ("annual_rent", "municipal_taxes", "interest_on_loan")
_TOP_LEVEL = frozenset({
    "financial_year", "age", "residential_status", "salary", "family_pension", "house_property",
    "other_sources", "capital_gains", "deductions", "taxes_paid", "foreign_assets",
})
_STATUSES = ("resident", "non_resident")
_JSON_TYPES = {str: "a string", bool: "true/false", list: "a list", dict: "an object",
               type(None): "null", int: "a number", float: "a number"}


def _kind(value: object) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


def _amount(value: object, field: str) -> int:
    """A non-negative amount of rupees; floats are rounded to the nearest rupee (half up)."""
    kind = type(value)
    if kind is int:
        if value < 0:  # type: ignore[operator]
            raise InputError(field, f"must not be negative (got {value})")
        return value  # type: ignore[return-value]
    if kind is float:
        if not isfinite(value):  # type: ignore[arg-type]
            raise InputError(field, "must be a finite number of rupees")
        if value < 0:  # type: ignore[operator]
            raise InputError(field, f"must not be negative (got {value})")
        return int(value + 0.5)  # type: ignore[operator]
    raise InputError(field, f"must be a number of rupees, not {_kind(value)}")


def _object(value: object, field: str) -> dict[str, Any]:
    if type(value) is not dict:
        raise InputError(field, f"must be an object, not {_kind(value)}")
    return value  # type: ignore[return-value]


def _amounts(value: object, field: str, names: tuple[str, ...]) -> dict[str, int]:
    """An object whose fields are all amounts, every one of `names` filled (default 0)."""
    obj = _object(value, field)
    out = dict.fromkeys(names, 0)
    for key, item in obj.items():
        if key not in out:
            raise InputError(f"{field}.{key}", "unknown field")
        # the common case (a non-negative int) without a call or building the field's name
        out[key] = item if type(item) is int and item >= 0 else _amount(item, f"{field}.{key}")
    return out


def _salary(value: object) -> dict[str, Any]:
    obj = _object(value, "salary")
    out: dict[str, Any] = dict.fromkeys(_SALARY_AMOUNTS, 0)
    out["metro"] = False
    for key, item in obj.items():
        if key == "metro":
            if type(item) is not bool:
                raise InputError("salary.metro", f"must be true or false, not {_kind(item)}")
            out["metro"] = item
        elif key in out:
            out[key] = item if type(item) is int and item >= 0 else \
                _amount(item, f"salary.{key}")
        else:
            raise InputError(f"salary.{key}", "unknown field")
    return out


def _house(value: object, field: str) -> dict[str, Any]:
    obj = _object(value, field)
    if "kind" not in obj:
        raise InputError(f"{field}.kind", f"is required (one of {', '.join(_HP_KINDS)})")
    kind = obj["kind"]
    if type(kind) is not str or kind not in _HP_KINDS:
        raise InputError(f"{field}.kind", f"must be one of {', '.join(_HP_KINDS)} (got {kind!r})")
    out: dict[str, Any] = {"kind": kind, **dict.fromkeys(_HP_AMOUNTS, 0)}
    for key, item in obj.items():
        if key == "kind":
            continue
        if key not in out:
            raise InputError(f"{field}.{key}", "unknown field")
        out[key] = item if type(item) is int and item >= 0 else _amount(item, f"{field}.{key}")
    if kind == "self_occupied":
        for key in ("annual_rent", "municipal_taxes"):
            if out[key]:
                raise InputError(f"{field}.{key}", "a self_occupied house has no rent (its annual "
                                 "value is nil, s.23(2)); use kind let_out if it is let")
    return out


def _houses(value: object) -> list[dict[str, Any]]:
    if type(value) is not list:
        raise InputError("house_property", f"must be a list, not {_kind(value)}")
    return [_house(item, f"house_property[{i}]") for i, item in enumerate(value)]  # type: ignore[attr-defined]


def _age(value: object) -> int:
    kind = type(value)
    if kind is float and isfinite(value) and value == int(value):  # type: ignore[arg-type]
        value = int(value)  # type: ignore[arg-type]
        kind = int
    if kind is not int:
        raise InputError("age", f"must be a whole number of years, not {_kind(value)}")
    if not 0 <= value <= 150:  # type: ignore[operator]
        raise InputError("age", f"must be between 0 and 150 (got {value})")
    return value  # type: ignore[return-value]


def validate(case: object) -> dict[str, Any]:
    """Check a case against the input contract and return it normalised.

    The result has every field: amounts as non-negative int rupees (floats rounded half up),
    `age` an int or None (not given: treated as below 60), `residential_status` defaulting to
    "resident", `house_property` a list of complete objects, `deductions` with every Chapter VI-A
    key this engine knows (`80CCC` and `80CCD_1` are accepted besides the contract's keys) and
    `foreign_assets` a bool. Raises InputError naming the dotted field on anything else.
    """
    obj = _object(case, "")
    for key in obj:
        if key not in _TOP_LEVEL:
            raise InputError(str(key), "unknown field")
    if "financial_year" not in obj:
        raise InputError("financial_year", f"is required (one of {', '.join(SUPPORTED_YEARS)})")
    year = obj["financial_year"]
    if type(year) is not str or year not in SUPPORTED_YEARS:
        raise InputError("financial_year",
                         f"must be one of {', '.join(SUPPORTED_YEARS)} (got {year!r})")
    status = obj.get("residential_status", "resident")
    if type(status) is not str or status not in _STATUSES:
        raise InputError("residential_status",
                         f"must be resident or non_resident (got {status!r})")
    age = obj.get("age")
    foreign = obj.get("foreign_assets", False)
    if type(foreign) is not bool:
        raise InputError("foreign_assets", f"must be true or false, not {_kind(foreign)}")
    return {
        "financial_year": year,
        "age": None if age is None and "age" not in obj else _age(age),
        "residential_status": status,
        "salary": _salary(obj["salary"]) if "salary" in obj else _salary({}),
        "family_pension": _amount(obj["family_pension"], "family_pension")
        if "family_pension" in obj else 0,
        "house_property": _houses(obj["house_property"]) if "house_property" in obj else [],
        "other_sources": _amounts(obj.get("other_sources", {}), "other_sources", _OTHER_SOURCES),
        "capital_gains": _amounts(obj.get("capital_gains", {}), "capital_gains", _CAPITAL_GAINS),
        "deductions": _amounts(obj.get("deductions", {}), "deductions", DEDUCTION_KEYS),
        "taxes_paid": _amounts(obj.get("taxes_paid", {}), "taxes_paid", _TAXES_PAID),
        "foreign_assets": foreign,
    }
