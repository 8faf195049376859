"""ITR-1 (Sahaj) for AY 2026-27: who may file it, the return JSON, and its validation.

Pure Python: no Flask, database or Redis here (the `export` command of `python -m app.itr`
imports the web app's loader only when it runs).
"""
from __future__ import annotations

from .build import ItrBuildError, build_itr1
from .eligibility import eligibility_problems
from .validation import ItrProblem, validate_itr1

__all__ = ["ItrBuildError", "ItrProblem", "build_itr1", "eligibility_problems", "validate_itr1"]
