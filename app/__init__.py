"""TaxDesk. Importing this package builds nothing: only entry points call `create_app`."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

    from .config import Config


def create_app(config: Config | None = None) -> Flask:
    from .factory import build

    return build(config)
