"""Shared fixtures: paths to the examples and to ../shared (skipped cleanly when absent)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# In CI the property tests replay a fixed sequence of examples (a failure there is reproducible and
# never a coin toss); locally they draw new examples on every run, which is how bugs get found.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "000_691b8c58cffdcacc.txt"
GOLD = SHARED / "gold"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    if not SEED.is_file():
        pytest.skip("../shared/seed is not present")
    return SEED


@pytest.fixture(scope="session")
def gold_dir() -> Path:
    if not GOLD.is_dir():
        pytest.skip("../shared/gold is not present")
    return GOLD
