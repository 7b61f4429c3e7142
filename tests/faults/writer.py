"""Writer process for the kill -9 test (not collected by pytest).

    python writer.py VAULT ROUND COUNT [BACKUP_EVERY]    (passphrase in BOUTIQUE_BOOK_PASSPHRASE)

Opens the vault and makes COUNT writes through core.contacts.add / core.moments.add, printing one line per
write only after its transaction has COMMITted (flushed at once):  C <id> <round> <i>  or  M <id> <round> <i>.
Every BACKUP_EVERY writes it also writes a backup (so some kills land inside VACUUM INTO).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

from boutique_book.core import backup, contacts, moments
from boutique_book.core.model import Contact, Email, Moment
from boutique_book.core.vault import Vault


def main() -> int:
    path, round_no, count = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    backup_every = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    vault = Vault.open(path, os.environ["BOUTIQUE_BOOK_PASSPHRASE"])
    out = sys.stdout
    out.write("READY\n")
    out.flush()
    last_contact = None
    for i in range(count):
        if last_contact is None or i % 3 == 0:
            last_contact = contacts.add(vault, Contact(given_name=f"Writer{round_no}", family_name=f"N{i}",
                                                       emails=[Email(f"w{round_no}.{i}@example.com")]))
            out.write(f"C {last_contact} {round_no} {i}\n")
        else:
            moment_id = moments.add(vault, Moment(last_contact, f"round {round_no} write {i}", dt.date(2024, 5, 1)))
            out.write(f"M {moment_id} {round_no} {i}\n")
        out.flush()
        if backup_every and i and i % backup_every == 0:
            backup.create_backup(vault)
            out.write(f"B {round_no} {i}\n")
            out.flush()
    vault.close()
    out.write("DONE\n")
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
