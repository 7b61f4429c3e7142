"""After a session of typical use (create, note moments, search, back up to the default folder and to a
"USB" folder, verify, a logged error quoting user input, lock), no file under tmp_path — the vault folder,
the backups, the isolated XDG data/config/cache/state dirs with the log file, and the temp dir — contains
a planted name, e-mail, phone or note, in UTF-8 or UTF-16, any case."""

from __future__ import annotations

import datetime as dt
import logging
import tempfile

import pytest

from boutique_book import applog
from boutique_book.cli import main as cli_main
from boutique_book.core import backup, contacts, integrity, moments, opening, search, staff
from boutique_book.core.errors import ValidationError
from boutique_book.core.kdf import KdfParams
from boutique_book.core.model import Address, Contact, Email, Moment, Phone
from boutique_book.core.vault import Vault

PLANTED = ["Quintessa", "Vandermolen-Zyx", "quintessa.vz@example.org", "Emerald tiara for her 40th",
           "Rue des Planteurs 77", "Zebulon-Ferrante"]


def _needles() -> list[bytes]:
    out = []
    for text in PLANTED:
        for variant in {text, text.lower(), text.upper()}:
            for enc in ("utf-8", "utf-16-le", "utf-16-be"):
                out.append(variant.encode(enc))
    return out


def _scan(root) -> dict[str, list[str]]:
    hits = {}
    needles = _needles()
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            data = path.read_bytes()
            low = data.lower()
            found = [n.decode("utf-8", "replace") for n in needles if n in data or n.lower() in low]
            if found:
                hits[str(path.relative_to(root))] = found
    return hits


@pytest.fixture
def session_tmp(tmp_path, monkeypatch):
    tmp = tmp_path / "tmpdir"
    tmp.mkdir()
    for var in ("TMPDIR", "TEMP", "TMP", "SQLITE_TMPDIR"):
        monkeypatch.setenv(var, str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", None)
    yield tmp
    applog.shutdown_logging()


def test_no_plaintext_outside_the_vault_after_typical_use(tmp_path, session_tmp, passphrase, monkeypatch):
    log_file = applog.setup_logging(logging.DEBUG, install_excepthook=False)
    assert str(log_file).startswith(str(tmp_path))
    path = tmp_path / "data" / "boutique.vault"
    vault = Vault.create(path, passphrase, KdfParams.fast())
    who = staff.add(vault, "Zebulon-Ferrante")
    cid = contacts.add(vault, Contact(given_name="Quintessa", family_name="Vandermolen-Zyx",
                                      emails=[Email("quintessa.vz@example.org")], phones=[Phone("+33 6 12 34 56 78")],
                                      addresses=[Address(street="Rue des Planteurs 77", city="Paris",
                                                         postal_code="75008", country_code="FR")]), by=who)
    moments.add(vault, Moment(cid, "Emerald tiara for her 40th", dt.date(2024, 3, 2)), by=who)
    assert search.search(vault.conn, "Quintessa")[0].id == cid
    try:  # a validation error quoting what was typed, logged the careless way
        contacts.add(vault, Contact(given_name="Quintessa", emails=[Email("quintessa.vz@@example.org")]))
    except ValidationError:
        logging.getLogger("boutique_book.ui").exception("save failed")
    backup.create_backup(vault)
    backup.create_backup(vault, tmp_path / "usb")
    backup.maybe_auto_backup(vault, on_close=True)
    vault.close()  # lock
    with opening.open_checked(path, passphrase) as reopened:
        assert reopened.scalar("SELECT count(*) FROM moments") == 1
    monkeypatch.setenv("BOUTIQUE_BOOK_PASSPHRASE", passphrase)
    assert cli_main(["--vault", str(path), "verify"]) == 0
    assert cli_main(["--vault", str(path), "backup", "--to", str(tmp_path / "usb")]) == 0
    applog.shutdown_logging()

    log_text = log_file.read_text(encoding="utf-8")
    assert "backup written" in log_text and "message withheld" in log_text  # the log did record events
    assert len(backup.list_backups(tmp_path / "usb")) == 2
    hits = _scan(tmp_path)
    assert hits == {}, hits
