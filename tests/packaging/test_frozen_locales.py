"""The frozen app carries Babel's CLDR data for a list of languages only (packaging/frozen_locales.py,
issue #20). A person whose language is outside that list must still import, show on a card, print on a
label sheet and in a letter, exactly as in a full install: run those paths with a copy of Babel trimmed
the way the frozen build trims it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import babel

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))
import frozen_locales  # noqa: E402

VCARDS = """BEGIN:VCARD
VERSION:3.0
FN:Amani Wanjiru
N:Wanjiru;Amani;;;
LANG:sw
ADR;TYPE=HOME:;;12 Moi Avenue;Nairobi;;00100;Kenya
EMAIL:amani@example.org
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Sigrid Jónsdóttir
N:Jónsdóttir;Sigrid;;;
LANG:is
ADR;TYPE=HOME:;;Laugavegur 3;Reykjavík;;101;Iceland
END:VCARD
"""

CHILD = r"""
import sys, datetime as dt
from boutique_book.core.vault import Vault
from boutique_book.core import card, contacts, search
from boutique_book.ui import card_view
from boutique_book.core import formatting, labels
vault = Vault.open(sys.argv[1], "trim-test-pass")
ids = search.search_ids(vault.conn, "Wanjiru", 10) + search.search_ids(vault.conn, "Sigrid", 10)
assert len(ids) == 2, ids
for cid in ids:
    contacts.record_consent(vault, cid, "mail", True)
    html = card_view.render(card.load(vault, cid))
    assert "Kenya" in html or "Iceland" in html, html[:400]
print(labels.language_name("sw", "fr"), formatting.letter_date(dt.date(2026, 12, 1), "sw"))
"""


def test_trimmed_cldr_keeps_every_path_working(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(Path(babel.__file__).parent, site / "babel")
    data = site / "babel" / "locale-data"
    dropped = [f for f in os.listdir(data) if not frozen_locales.kept(f)]
    for name in dropped:
        (data / name).unlink()
    assert "sw.dat" in dropped and "is.dat" in dropped and "fr_CA.dat" not in dropped  # the control
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(PYTHONPATH=os.pathsep.join([str(site), str(ROOT / "src")]), QT_QPA_PLATFORM="offscreen",
               HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_STATE_HOME=str(tmp_path / "state"), BOUTIQUE_BOOK_PASSPHRASE="trim-test-pass")

    def run(*args):
        done = subprocess.run([sys.executable, "-m", "boutique_book", *args], capture_output=True, text=True,
                              env=env, cwd=tmp_path, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "Traceback" not in done.stderr
        return done

    probe = subprocess.run([sys.executable, "-c", "import babel, babel.localedata as l; print(babel.__file__,"
                            " l.exists('sw'), l.exists('fr'))"], capture_output=True, text=True, env=env)
    assert probe.stdout.split()[1:] == ["False", "True"] and str(site) in probe.stdout, probe.stdout + probe.stderr

    vault = tmp_path / "shop.vault"
    (tmp_path / "people.vcf").write_text(VCARDS, encoding="utf-8")
    run("init", "--vault", str(vault))
    run("import", "--vault", str(vault), str(tmp_path / "people.vcf"))
    run("boutique", "set", "--vault", str(vault), "--name", "Maison Lumière", "--street", "4 rue du Bac",
        "--postcode", "75007", "--city", "Paris", "--country", "France", "--staff", "Camille")
    shown = subprocess.run([sys.executable, "-c", CHILD, str(vault)], capture_output=True, text=True, env=env,
                           timeout=120)
    assert shown.returncode == 0, shown.stderr[-2000:]
    assert "swahili" in shown.stdout.lower()
    run("print", "labels", "--vault", str(vault), "--all", "--sheet", "L7160", "-o", str(tmp_path / "l.pdf"))
    run("print", "letters", "--vault", str(vault), "--template", "letter", "--all", "--staff", "Camille",
        "-o", str(tmp_path / "letters.pdf"))
    import pdfplumber

    with pdfplumber.open(tmp_path / "letters.pdf") as doc:
        text = "\n".join("".join(ch["text"] for ch in page.chars) for page in doc.pages)
    assert "Amani" in text and "Sigrid" in text
