"""Shared fixtures. Every test gets its own vault in tmp_path; platformdirs points into tmp_path so no
test touches the user's real data, settings or logs."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

def pytest_configure(config):
    """A source checkout gets its .mo catalogs from the build step (pip install -e . runs it); a fresh
    worktree or a just-edited .po is compiled here, once, by the controller (xdist workers wait for it
    because they start after pytest_configure of the controller). The app never compiles at run time."""
    if hasattr(config, "workerinput"):
        return
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "src"
    if (root / "build_catalogs.py").exists():
        sys.path.insert(0, str(root))
        try:
            from build_catalogs import compile_catalogs

            compile_catalogs(only_stale=True, quiet=True)
        finally:
            sys.path.remove(str(root))


PASSPHRASE = "O'Brien's 7 \"red\" roses \\ é"


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path, monkeypatch):
    home = tmp_path / "home"
    for var, sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache"),
                     ("XDG_STATE_HOME", "state")):
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("BOUTIQUE_BOOK_PASSPHRASE", raising=False)
    monkeypatch.delenv("BOUTIQUE_BOOK_NEW_PASSPHRASE", raising=False)
    monkeypatch.delenv("BOUTIQUE_BOOK_MANAGER_PASSPHRASE", raising=False)
    return home


@pytest.fixture
def passphrase():
    return PASSPHRASE


@pytest.fixture
def vault_path(tmp_path):
    return tmp_path / "store" / "boutique.vault"


@pytest.fixture
def vault(vault_path):
    """An empty vault with cheap KDF parameters (the production parameters cost ~0.5 s per open)."""
    from boutique_book.core.kdf import KdfParams
    from boutique_book.core.vault import Vault

    v = Vault.create(vault_path, PASSPHRASE, KdfParams.fast())
    yield v
    v.close()


@pytest.fixture
def staff_id(vault):
    from boutique_book.core import staff

    return staff.add(vault, "Camille Laurent")


@pytest.fixture
def demo_vault(vault):
    from boutique_book.core import demo

    demo.generate(vault, 300, seed=7)
    return vault


MANAGER_PASSPHRASE_FOR_TESTS = "manager passphrase 1"


@pytest.fixture
def manager_session(vault):
    """A manager session on the `vault` fixture (cheap KDF), for the manager-only services."""
    from boutique_book.core import manager
    from boutique_book.core.kdf import KdfParams

    return manager.unlock(vault, MANAGER_PASSPHRASE_FOR_TESTS, "Test Manager", params=KdfParams.fast())
