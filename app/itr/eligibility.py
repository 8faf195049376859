"""Who may file ITR-1 (Sahaj) for AY 2026-27.

ITR-1 is for a resident individual whose total income is at most ₹50 lakh, from salary or pension,
at most two house properties, other sources (interest, dividends, family pension) and long-term
capital gains under s.112A of at most ₹1.25 lakh; not for someone with assets or signing authority
outside India, agricultural income over ₹5,000, a directorship, unlisted equity shares, deferred
tax on ESOPs, or a loss to carry forward (rule 12 of the Income-tax Rules, 1962, and the
department's ITR-1 instructions for AY 2026-27).
"""
from __future__ import annotations

from typing import Any

from app.tax.money import inr

from .breakdown import breakdown, rupees

INCOME_LIMIT = 5_000_000
LTCG_112A_LIMIT = 125_000
MAX_HOUSE_PROPERTIES = 2
AGRICULTURAL_LIMIT = 5_000

# Words by which an engine reason is recognised as being about the same condition.
_KEYWORDS = {
    "non_resident": ("resident",),
    "income_limit": ("50 lakh", "50,00,000", "5000000"),
    "short_term_gains": ("111a", "short-term", "short term"),
    "ltcg_limit": ("112a", "long-term", "long term", "1.25 lakh"),
    "house_properties": ("house properties",),
    "house_property_loss": ("carry forward", "carried forward"),
    "foreign_assets": ("foreign", "outside india"),
}
# The engine words these for its recommended regime; used only when that is the regime filed.
_REGIME_TOPICS = frozenset({"income_limit", "house_property_loss"})
# The engine's rule differs here (it allows one house property), so its sentence would mislead.
_OWN_WORDING = frozenset({"house_properties"})


def _own_reasons(
    case: dict[str, Any], computation: dict[str, Any], personal: dict[str, Any],
    foreign_assets: bool, regime: str,
) -> dict[str, str]:
    reasons: dict[str, str] = {}
    gains = case.get("capital_gains") or {}
    ltcg = rupees(gains.get("ltcg_112a"))
    if case.get("residential_status", "resident") != "resident":
        reasons["non_resident"] = (
            "ITR-1 is only for residents of India; as a non-resident you must file ITR-2."
        )
    total = rupees((computation.get(regime) or {}).get("total_income"))
    if total > INCOME_LIMIT:
        reasons["income_limit"] = (
            f"Your total income of {inr(total)} is more than ₹50 lakh; ITR-1 is only for total "
            "income up to ₹50 lakh, so file ITR-2."
        )
    if rupees(gains.get("stcg_111a")) or rupees(gains.get("stcg_other")):
        reasons["short_term_gains"] = (
            "You have short-term capital gains; ITR-1 can report only long-term gains under "
            "section 112A, so file ITR-2."
        )
    if ltcg > LTCG_112A_LIMIT:
        reasons["ltcg_limit"] = (
            f"Your long-term capital gains under section 112A ({inr(ltcg)}) are more than "
            "₹1.25 lakh; ITR-1 allows only up to ₹1.25 lakh, so file ITR-2."
        )
    houses = len(case.get("house_property") or [])
    if houses > MAX_HOUSE_PROPERTIES:
        reasons["house_properties"] = (
            f"You have {houses} house properties; ITR-1 allows at most two, so file ITR-2."
        )
    else:
        loss = breakdown(case, computation, regime).house_property_loss_carried
        if loss:
            reasons["house_property_loss"] = (
                f"{inr(loss)} of your house-property loss cannot be set off against other income "
                "this year and would be carried forward; ITR-1 cannot carry a loss forward, so "
                "file ITR-2."
            )
    if foreign_assets or case.get("foreign_assets") is True:
        reasons["foreign_assets"] = (
            "You have assets outside India or signing authority in a foreign account; ITR-1 "
            "cannot report them, so file ITR-2."
        )
    reasons.update(_personal_reasons(personal))
    return reasons


def _personal_reasons(personal: dict[str, Any]) -> dict[str, str]:
    reasons: dict[str, str] = {}
    agricultural = rupees(personal.get("agricultural_income"))
    if agricultural > AGRICULTURAL_LIMIT:
        reasons["agricultural_income"] = (
            f"Your agricultural income of {inr(agricultural)} is more than ₹5,000; file ITR-2."
        )
    if personal.get("director"):
        reasons["director"] = "You were a director of a company during the year; file ITR-2."
    if personal.get("unlisted_equity"):
        reasons["unlisted_equity"] = (
            "You held unlisted equity shares during the year; file ITR-2."
        )
    if personal.get("esop_tax_deferred"):
        reasons["esop_tax_deferred"] = (
            "Tax on ESOPs from an eligible start-up was deferred; file ITR-2."
        )
    return reasons


def _engine_reasons(computation: dict[str, Any]) -> list[str]:
    if computation.get("itr_form", "ITR-1") == "ITR-1":
        return []
    reasons = computation.get("itr_form_reasons") or []
    if isinstance(reasons, str):
        reasons = [reasons]
    return [str(r) for r in reasons if str(r).strip()]


def _topics(reason: str) -> set[str]:
    text = reason.lower()
    return {topic for topic, words in _KEYWORDS.items() if any(w in text for w in words)}


def eligibility_problems(
    input: dict[str, Any],  # noqa: A002 - the name is part of the agreed API
    computation: dict[str, Any],
    personal: dict[str, Any],
    foreign_assets: bool,
    *,
    regime: str | None = None,
) -> list[str]:
    """Reasons, in the taxpayer's words, why ITR-1 cannot be filed; [] when it can.

    `regime` is the one being filed (default: the engine's recommendation); it decides the total
    income and the house-property loss looked at. Where the engine's `itr_form_reasons` say the
    same thing, its sentence is used. The engine allows one house property; ITR-1 for AY 2026-27
    allows two, so an engine reason about house properties is dropped when there are two.
    """
    recommended = computation.get("recommended_regime") or "new"
    chosen = regime or recommended
    own = _own_reasons(input, computation, personal or {}, foreign_assets, chosen)
    engine = _engine_reasons(computation)
    used: set[int] = set()
    problems: list[str] = []
    for topic, sentence in own.items():
        if topic in _OWN_WORDING or (topic in _REGIME_TOPICS and chosen != recommended):
            problems.append(sentence)
            continue
        match = next(
            (i for i, r in enumerate(engine) if i not in used and topic in _topics(r)), None
        )
        if match is None:
            problems.append(sentence)
        else:
            used.add(match)
            problems.append(engine[match])
    # An engine reason on a condition not checked here is kept: the engine knows something more.
    problems.extend(r for i, r in enumerate(engine) if i not in used and not _topics(r))
    return problems
