"""Where built and trained things live: everything under one git-ignored `var/` folder."""
from __future__ import annotations

import os
from pathlib import Path


def var_dir() -> Path:
    """The root of built data; `RECOMMENDER_VAR` moves it (tests point it at a temporary folder)."""
    return Path(os.environ.get("RECOMMENDER_VAR", "var")).resolve()


def catalog_dir() -> Path:
    return var_dir() / "catalog"


def models_dir() -> Path:
    return var_dir() / "models"


def reports_dir() -> Path:
    return var_dir() / "reports"
