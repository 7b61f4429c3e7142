"""The plaintext scan with a positive control, extended to the commands that write files: print, .ics,
clear export, a person's data, an HQ bundle and erasure (issue #17 fault suite).

The deliberate clear outputs (the PDF, the .ics, the CSV, the person's JSON) do hold the person: the scan
must find them there (that is the control that it reads every file and every encoding), and nowhere else:
no temporary file, no log line, no stray copy in the temp dir; the HQ bundle is encrypted; and after the
person is erased, a fresh export does not hold them either."""

from __future__ import annotations

import logging

from boutique_book import applog
from boutique_book.cli import main
from boutique_book.core import contacts, moments
from boutique_book.core.kdf import KdfParams
from boutique_book.core.model import Address, Contact, Email, Moment, Phone
from boutique_book.core.vault import Vault

from .test_plaintext_scan import PLANTED, _scan, session_tmp  # noqa: F401

PASS = "counter passphrase 1"


def test_the_scanner_finds_a_planted_file(tmp_path):
    """Positive control: a leak in any case and in UTF-16 is found, in a hidden file of a sub-folder."""
    leak = tmp_path / "deep" / "er" / ".cache-1234"
    leak.parent.mkdir(parents=True)
    leak.write_bytes(b"header\x00" + PLANTED[0].upper().encode("utf-16-le") + b"\x00trailer")
    (tmp_path / "clean.txt").write_text("nothing to see", encoding="utf-8")
    hits = _scan(tmp_path)
    assert list(hits) == ["deep/er/.cache-1234"]


def test_outputs_hold_the_person_only_where_asked_and_erasure_removes_them(tmp_path, session_tmp, monkeypatch):
    log_file = applog.setup_logging(logging.DEBUG, install_excepthook=False)
    path = tmp_path / "data" / "boutique.vault"
    out, usb, hq = tmp_path / "out", tmp_path / "usb", tmp_path / "hq"
    out.mkdir()
    usb.mkdir()
    with Vault.create(path, PASS, KdfParams.fast()) as vault:
        cid = contacts.add(vault, Contact(given_name="Quintessa", family_name="Vandermolen-Zyx",
                                          emails=[Email("quintessa.vz@example.org")], phones=[Phone("+33 6 12 34 56 78")],
                                          addresses=[Address(street="Rue des Planteurs 77", city="Paris",
                                                             postal_code="75008", country_code="FR")]))
        moments.add(vault, Moment(cid, "Emerald tiara for her 40th", __import__("datetime").date.today()))
        contacts.add(vault, Contact(given_name="Other", family_name="Person", emails=[Email("o@example.com")]))
        vault.execute("INSERT INTO contact_dates(contact_id, kind, label, value, lead_days) "
                      "VALUES (?, 'birthday', '', ?, 7)", (cid, __import__("datetime").date.today().strftime("--%m-%d")))
    monkeypatch.setenv("BOUTIQUE_BOOK_PASSPHRASE", PASS)
    monkeypatch.setenv("BOUTIQUE_BOOK_MANAGER_PASSPHRASE", "manager passphrase 1")
    v = ["--vault", str(path)]
    assert main(["print", "labels", *v, "--all", "--ignore-consent", "-o", str(out / "labels.pdf")]) == 0
    assert main(["export-ics", *v, "-o", str(out / "agenda.ics")]) == 0
    assert main(["export", *v, "--format", "csv", "-o", str(out / "book.csv")]) == 0
    assert main(["person-export", *v, str(cid), "-o", str(out / "person")]) == 0
    assert main(["hq-keygen", "-o", str(hq)]) == 0
    assert main(["hq-key", "import", str(hq / "hq.pub"), *v]) == 0
    assert main(["hq-export", *v, "--profile", "pseudonymised", "--to", str(usb)]) == 0
    assert main(["backup", *v, "--to", str(usb)]) == 0

    hits = _scan(tmp_path)
    clear = {"out/agenda.ics", "out/book.csv"} | {f"out/person/{p.name}" for p in (out / "person").glob("*.json")}
    assert clear <= set(hits), hits  # the deliberate clear outputs: the scanner finds the person there
    assert set(hits) - clear - {"out/labels.pdf"} - {f"out/person/{p.name}" for p in (out / "person").iterdir()} \
        == set(), hits  # ...and nowhere else: not the bundle, the backup, a temp file, the log or the temp dir

    # Erase the person, drop the old clear outputs (the manager's deliberate copies), export again.
    assert main(["erase", *v, str(cid), "--yes"]) == 0
    for old in list(out.rglob("*")):
        if old.is_file():
            old.unlink()
    assert main(["export-ics", *v, "-o", str(out / "agenda.ics")]) == 0
    assert main(["export", *v, "--format", "csv", "-o", str(out / "book.csv")]) == 0
    assert main(["print", "labels", *v, "--all", "--ignore-consent", "-o", str(out / "labels.pdf")]) == 0
    applog.shutdown_logging()
    assert log_file.exists()
    hits = _scan(tmp_path)
    assert hits == {}, hits
