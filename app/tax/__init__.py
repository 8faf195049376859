"""The tax engine: pure Python, no Flask, database or Redis (contracts/tax-engine.md).

`compute(case)` validates a case and returns both regimes' computation; `python -m app.tax`
does the same for JSON on stdin. Modules: `rules` (year and regime tables), `inputs`
(validation), `heads` (income heads), `deductions` (Chapter VI-A), `tax` (slabs, special rates,
87A, surcharge, cess), `engine` (both regimes, recommendation, ITR form).

Readings of the Act where it leaves room (each also noted where it is applied):
- s.111A tax is rebatable u/s 87A in the old regime and in FY 2024-25; s.112A tax never is
  (s.112A(6)); in the FY 2025-26 new regime only slab tax is (second proviso to s.87A).
- The FY 2024-25 new-regime 87A marginal relief is applied as written (no ₹25,000 cap), limited
  to the rebatable tax.
- Losses and deductions reduce slab income first, then dividends, s.111A and s.112A gains.
- The dividends' share of slab tax, for the 15% surcharge cap, is their top slice.
- A non-resident's dividends are taxed at 20% under s.115A, outside the slabs and Chapter VI-A.
- The 80D senior limit and 80TTB follow the Act's "senior citizen", who is a resident.
- ITR-1 eligibility is judged on the recommended regime's total income and loss carry-forward.
"""
from __future__ import annotations

from .engine import compute
from .inputs import InputError, validate
from .rules import SUPPORTED_YEARS

__all__ = ["SUPPORTED_YEARS", "InputError", "compute", "validate"]
