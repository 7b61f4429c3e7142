"""import / export / duplicates / merge / person-export as a person runs them (a real process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

PASS = "pw with ' and \""


def run(*args):
    env = {**os.environ, "BOUTIQUE_BOOK_PASSPHRASE": PASS, "BOUTIQUE_BOOK_MANAGER_PASSPHRASE": "manager pw 1"}
    return subprocess.run([sys.executable, "-m", "boutique_book", *args], capture_output=True, text=True, env=env,
                          timeout=120, stdin=subprocess.DEVNULL)


CARDS = ("BEGIN:VCARD\r\nVERSION:3.0\r\nN:Martin;Zoë;;;\r\nFN:Zoë Martin\r\nTEL;TYPE=CELL:06 12 34 56 78\r\n"
         "EMAIL:zoe@example.fr\r\nEND:VCARD\r\n"
         "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoe MARTIN\r\nEMAIL:zoe.m@example.fr\r\nEND:VCARD\r\n"
         "BEGIN:VCARD\r\nVERSION:3.0\r\nEMAIL:nobody@example.fr\r\nEND:VCARD\r\n")


def test_import_export_duplicates_merge_person_export(tmp_path):
    vault = str(tmp_path / "cli.vault")
    assert run("init", "--vault", vault).returncode == 0
    source = tmp_path / "phone.vcf"
    source.write_bytes(CARDS.encode())

    dry = run("import", "--vault", vault, "--dry-run", "--region", "FR", str(source))
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.splitlines()[:2] == [
        "Dry run: nothing was written.",
        "3 to create, 0 to merge into existing contacts, 0 already in the book, 0 not importable, 1 warnings."]
    # A card with only an email (phones export them) is a person named after the email (issue #19).
    assert "phone.vcf: card 3 (line 13): warning: no name; named after its email “nobody@example.fr”" in dry.stdout
    assert run("export", "--vault", vault, "--format", "csv", "-o", str(tmp_path / "none.csv")).stdout.startswith(
        "Exported 0 contacts")

    done = run("import", "--vault", vault, "--region", "FR", str(source))
    assert done.returncode == 0 and done.stdout.startswith("3 created"), done.stdout + done.stderr

    dups = run("duplicates", "--vault", vault)
    assert dups.returncode == 0
    first = dups.stdout.splitlines()[0].split("\t")
    assert first[:3] == ["1", "2", "100"] and "similar names" in first[4]

    out = tmp_path / "all.vcf"
    exported = run("export", "--vault", vault, "--format", "vcard4", "-o", str(out))
    assert exported.returncode == 0 and out.read_text("utf-8").count("BEGIN:VCARD") == 3

    assert run("merge", "--vault", vault, "1", "2").returncode == 0
    person = run("person-export", "--vault", vault, "1", "-o", str(tmp_path / "pe"))
    assert person.returncode == 0, person.stderr
    json_path, pdf_path = person.stdout.split()
    data = json.loads(open(json_path, encoding="utf-8").read())
    assert [e["address"] for e in data["contact"]["emails"]] == ["zoe@example.fr", "zoe.m@example.fr"]
    assert open(pdf_path, "rb").read(5) == b"%PDF-"

    missing = run("import", "--vault", vault, str(tmp_path / "nope.vcf"))
    assert missing.returncode == 1 and missing.stderr.count("\n") == 1 and "Traceback" not in missing.stderr
    bad = run("export", "--vault", vault, "--ids", "x,y", "-o", str(tmp_path / "x.vcf"))
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
