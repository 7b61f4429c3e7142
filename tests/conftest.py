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


# -- real file systems (a full tmpfs, a read-only one) without root ---------------------------------------------
# The fault suite's disk-full and read-only tests mount a small tmpfs. Root mounts it directly; any other user on
# Linux runs such a test again in a child pytest inside an unprivileged user + mount namespace (`unshare -rm`),
# where it is root of its own mounts. So a fresh machine (CI not running as root) runs them instead of skipping
# them; with CI=true a machine that allows neither fails those tests rather than skip them silently.
MOUNT_FIXTURES = ("small_tmpfs", "tmpfs", "read_only_folder")
IN_MOUNT_NAMESPACE = "BOUTIQUE_BOOK_TEST_IN_MOUNT_NAMESPACE"
PRETEND_NOT_ROOT = "BOUTIQUE_BOOK_TEST_PRETEND_NOT_ROOT"  # lets a root machine exercise the namespace path
_mount_mode: list[str] = []


def mount_mode() -> str:
    """'direct' (root on Linux, or inside the namespace), 'namespace' (`unshare -rm` works) or 'none'."""
    if not _mount_mode:
        import shutil
        import subprocess
        import sys

        mode = "none"
        if sys.platform.startswith("linux"):
            if os.geteuid() == 0 and (os.environ.get(IN_MOUNT_NAMESPACE) or not os.environ.get(PRETEND_NOT_ROOT)):
                mode = "direct"
            elif shutil.which("unshare") and subprocess.run(
                    ["unshare", "-rm", "true"], capture_output=True, timeout=30).returncode == 0:
                mode = "namespace"
        _mount_mode.append(mode)
    return _mount_mode[0]


def mount_delegated() -> bool:
    """True in the parent process whose mount tests run in a namespace child instead (their fixtures do nothing)."""
    return mount_mode() == "namespace" and not os.environ.get(IN_MOUNT_NAMESPACE)


def cannot_mount(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}: CI must run the real file-system tests (run as root or allow user namespaces)")
    pytest.skip(reason)


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    if not set(MOUNT_FIXTURES) & set(pyfuncitem.fixturenames) or not mount_delegated():
        return None
    import subprocess
    import sys
    import tempfile

    env = {k: v for k, v in os.environ.items() if k not in (PRETEND_NOT_ROOT, "PYTEST_XDIST_WORKER",
                                                          "PYTEST_XDIST_TESTRUNUID", "PYTEST_CURRENT_TEST")}
    env[IN_MOUNT_NAMESPACE] = "1"
    basetemp = tempfile.mkdtemp(prefix="bb-mount-test-")
    done = subprocess.run(["unshare", "-rm", sys.executable, "-m", "pytest", pyfuncitem.nodeid, "-q", "-p",
                           "no:cacheprovider", "-p", "no:randomly", f"--basetemp={basetemp}"],
                          cwd=str(pyfuncitem.config.rootpath), env=env, capture_output=True, text=True, timeout=900)
    tail = (done.stdout + done.stderr)[-6000:]
    import shutil

    shutil.rmtree(basetemp, ignore_errors=True)
    if done.returncode != 0 or " passed" not in done.stdout:
        pytest.fail(f"in a user + mount namespace (unshare -rm):\n{tail}", pytrace=False)
    return True


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
