"""The HQ and manager commands as a person runs them: real processes, exit codes, one-line errors."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys

PASS = "counter passphrase"
MANAGER = "manager passphrase 1"


def run(*args, manager=MANAGER):
    env = {**os.environ, "BOUTIQUE_BOOK_PASSPHRASE": PASS}
    if manager is not None:
        env["BOUTIQUE_BOOK_MANAGER_PASSPHRASE"] = manager
    return subprocess.run([sys.executable, "-m", "boutique_book", *args], capture_output=True, text=True,
                          env=env, timeout=120, stdin=subprocess.DEVNULL)


def test_store_to_hq_round_trip(tmp_path):
    vault = str(tmp_path / "shop.vault")
    v = ["--vault", vault]
    # Built in-process with cheap KDF parameters (each CLI call then opens it quickly).
    from boutique_book.core import demo
    from boutique_book.core.kdf import KdfParams
    from boutique_book.core.vault import Vault

    with Vault.create(vault, PASS, KdfParams.fast()) as shop:
        demo.generate(shop, 60, seed=4)
    added = run("add-contact", *v, "--given", "Ottoline", "--family", "Brackenbury", "--email", "otto@brack.example",
                "--note", "Prefers the emerald scarf")
    assert added.returncode == 0, added.stderr
    person = added.stdout.strip()

    assert run("hq-keygen", "-o", str(tmp_path / "hq")).returncode == 0
    again = run("hq-keygen", "-o", str(tmp_path / "hq"))
    assert again.returncode == 1 and "already exists" in again.stderr and "Traceback" not in again.stderr

    no_key = run("hq-export", *v, "--profile", "figures", "--to", str(tmp_path))
    assert no_key.returncode == 1 and "HQ public key" in no_key.stderr

    # The first manager command sets the manager passphrase; later ones must give the same one.
    imported = run("hq-key", *v, "import", str(tmp_path / "hq" / "hq.pub"), "--staff", "Léonie")
    assert imported.returncode == 0, imported.stderr
    wrong = run("hq-export", *v, "--profile", "figures", "--to", str(tmp_path), manager="not the manager")
    assert wrong.returncode == 1 and "manager passphrase is not right" in wrong.stderr
    nobody = run("audit", *v, manager=None)
    assert nobody.returncode == 1 and "BOUTIQUE_BOOK_MANAGER_PASSPHRASE" in nobody.stderr

    usb = tmp_path / "usb"
    usb.mkdir()
    exported = run("hq-export", *v, "--profile", "pseudonymised", "--to", str(usb), "--staff", "Léonie")
    assert exported.returncode == 0, exported.stderr
    [bundle_file] = list(usb.iterdir())
    assert b"Brackenbury" not in bundle_file.read_bytes()

    wrong_key_dir = tmp_path / "other"
    assert run("hq-keygen", "-o", str(wrong_key_dir)).returncode == 0
    refused = run("hq-open", str(bundle_file), "--key", str(wrong_key_dir / "hq.key"), "-o", str(tmp_path / "x"))
    assert refused.returncode == 1 and "not made for this HQ key" in refused.stderr
    assert not (tmp_path / "x").exists()

    hq_key = str(tmp_path / "hq" / "hq.key")
    unknown = run("hq-open", str(bundle_file), "--key", hq_key, "-o", str(tmp_path / "out"))
    assert unknown.returncode == 1 and "unsigned/unknown store" in unknown.stderr and "Traceback" not in unknown.stderr
    assert not (tmp_path / "out").exists()
    # The first export printed the store's signing key and the exact command HQ runs to register it.
    [register] = [line.split() for line in exported.stdout.splitlines() if "hq-register" in line]
    assert register[:4] == ["boutique-book", "hq-register", "--key", "hq.key"] and register[5].startswith("ed25519:")
    registered = run("hq-register", "--key", hq_key, *register[4:])
    assert registered.returncode == 0, registered.stderr
    stores = run("hq-stores", "--key", hq_key)
    assert stores.stdout.startswith(register[4] + "\t")

    opened = run("hq-open", str(bundle_file), "--key", hq_key, "-o", str(tmp_path / "out"))
    assert opened.returncode == 0, opened.stderr
    assert opened.stdout.startswith(f"Verified from store {register[4]} ")
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    rows = list(csv.DictReader(open(tmp_path / "out" / "contacts.csv", encoding="utf-8")))
    assert len(rows) == manifest["counts"]["contacts"] == 61 - manifest["counts"]["suppressed"]
    assert len(json.loads((tmp_path / "out" / "contacts.json").read_text())) == len(rows)
    assert "Brackenbury" not in (tmp_path / "out" / "contacts.csv").read_text()

    refused = run("erase", *v, person)
    assert refused.returncode == 1 and "--yes" in refused.stderr
    erased = run("erase", *v, person, "--yes", "--staff", "Léonie")
    assert erased.returncode == 0, erased.stderr
    assert "older cop" in erased.stdout.lower()
    assert run("search", *v, "Brackenbury").stdout.strip() == ""

    audit_csv = tmp_path / "audit.csv"
    assert run("audit", *v, "--csv", str(audit_csv)).returncode == 0
    actions = [(r["actor"], r["action"]) for r in csv.DictReader(open(audit_csv, encoding="utf-8"))]
    assert actions == [("manager (Léonie)", "manager_credential_set"), ("manager (Léonie)", "hq_key_import"),
                       ("manager", "manager_unlock_failed"), ("manager (Léonie)", "hq_signing_key_created"),
                       ("manager (Léonie)", "hq_export"),
                       ("manager (Léonie)", "erasure")]
    assert "Brackenbury" not in audit_csv.read_text() and "Ottoline" not in audit_csv.read_text()
