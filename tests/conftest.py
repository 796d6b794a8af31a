"""Shared fixtures: the real-world guides folder and an isolated PREPDECK_HOME."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_GUIDES = ROOT.parent / "shared" / "guides"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """No test writes into the user's data folder."""
    monkeypatch.setenv("PREPDECK_HOME", str(tmp_path_factory.mktemp("prepdeck-home")))


@pytest.fixture(scope="session")
def shared_guides() -> Path:
    """``../shared/guides``; tests that need it are skipped cleanly when it is absent."""
    if not SHARED_GUIDES.is_dir():
        pytest.skip("../shared/guides is not present")
    return SHARED_GUIDES
