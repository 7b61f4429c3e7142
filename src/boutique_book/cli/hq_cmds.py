"""Manager and HQ commands: hq-keygen, hq-open (HQ side, no vault); hq-key import, hq-export, erase, audit,
retention, consent-withdraw, manager-passwd (store side, need the manager passphrase)."""

from __future__ import annotations

import json
import sys

from ..core import audit_files, contacts, manager, privacy
from ..core.errors import BoutiqueBookError
from ..core.model import ConsentPurpose
from ..i18n import _, ngettext
from .common import MANAGER_ENV, manager_session, open_vault, print_audit_check, secret, staff_id


def register(sub, common) -> None:
    p = sub.add_parser("hq-keygen", help=_("HQ: make the HQ key pair (DIR/hq.pub for stores, DIR/hq.key kept at HQ)"))
    p.add_argument("-o", "--out", required=True, metavar="DIR")
    p.set_defaults(handler=cmd_keygen)

    p = sub.add_parser("hq-open", help=_("HQ: decrypt and verify a bundle, write its contents as CSV and JSON"))
    p.add_argument("bundle", metavar="BUNDLE")
    p.add_argument("--key", required=True, metavar="HQ_KEY", help=_("the hq.key file"))
    p.add_argument("-o", "--out", required=True, metavar="OUTDIR", help=_("a new (or empty) folder"))
    p.add_argument("--unverified", action="store_true",
                   help=_("open a bundle that is unsigned or from an unregistered store anyway"))
    p.set_defaults(handler=cmd_open)

    p = sub.add_parser("hq-register", help=_("HQ: register a store's signing key (printed at its first HQ export)"))
    p.add_argument("store_id", metavar="STORE_ID")
    p.add_argument("public_key", metavar="SIGNING_KEY", help=_("the key printed by the store, ed25519:…"))
    p.add_argument("--key", required=True, metavar="HQ_KEY", help=_("the hq.key file (the register sits beside it)"))
    p.add_argument("--replace", action="store_true", help=_("replace the key of a store already registered"))
    p.set_defaults(handler=cmd_register)

    p = sub.add_parser("hq-stores", help=_("HQ: list the registered stores and their key fingerprints"))
    p.add_argument("--key", required=True, metavar="HQ_KEY", help=_("the hq.key file (the register sits beside it)"))
    p.set_defaults(handler=cmd_stores)

    p = sub.add_parser("hq-collect", help=_("HQ: verify bundles and add them to the chain dataset (Parquet + DuckDB)"))
    p.add_argument("bundles", nargs="+", metavar="BUNDLE")
    p.add_argument("--key", required=True, metavar="HQ_KEY", help=_("the hq.key file (the register sits beside it)"))
    p.add_argument("--into", required=True, metavar="DIR", help=_("the dataset folder (made if needed)"))
    p.add_argument("--trust-new", action="store_true",
                   help=_("record the signing key of a store seen for the first time (trust on first use)"))
    p.set_defaults(handler=cmd_collect)

    p = sub.add_parser("hq-report", help=_("HQ: the chain report with charts, from the dataset"))
    p.add_argument("--from", dest="source", required=True, metavar="DIR", help=_("the dataset folder"))
    p.add_argument("-o", "--out", required=True, metavar="FILE")
    p.add_argument("--html", action="store_true", help=_("write HTML instead of PDF"))
    p.set_defaults(handler=cmd_report)

    p = sub.add_parser("hq-key", parents=[common], help=_("manager: store HQ's public key in the vault"))
    p.add_argument("action", choices=["import", "show"])
    p.add_argument("file", nargs="?", metavar="HQ_PUB")
    _staff(p)
    p.set_defaults(handler=cmd_hq_key)

    p = sub.add_parser("hq-export", parents=[common], help=_("manager: write an encrypted bundle for HQ into DIR"))
    p.add_argument("--profile", required=True, choices=["figures", "pseudonymised", "consenting"])
    p.add_argument("--include-moments", action="store_true",
                   help=_("consenting profile only: include the texts of shared moments (logged)"))
    p.add_argument("--to", required=True, metavar="DIR", help=_("destination folder, e.g. the USB stick"))
    p.add_argument("--stable-pseudonyms", action="store_true",
                   help=_("pseudonymised profile only: keep the same pseudonyms as earlier exports"))
    _staff(p)
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("hq-drives", help=_("list mounted removable drives"))
    p.set_defaults(handler=cmd_drives)

    p = sub.add_parser("erase", parents=[common], help=_("manager: erase a person and everything about them"))
    p.add_argument("contact_id", type=int, metavar="ID")
    p.add_argument("--yes", action="store_true", help=_("do not ask for confirmation"))
    p.add_argument("--purge-old-copies", action="store_true",
                   help=_("also delete the older copies listed (backups, set-aside books), then back up afresh"))
    _staff(p)
    p.set_defaults(handler=cmd_erase)

    p = sub.add_parser("audit", parents=[common], help=_("manager: show the audit log"))
    p.add_argument("--csv", metavar="FILE", help=_("write the audit log as CSV instead"))
    p.add_argument("--verify", action="store_true",
                   help=_("recompute the audit log's hash chain and report the first broken link; compare it "
                          "with the backups"))
    p.add_argument("--against", metavar="BACKUP", action="append",
                   help=_("with --verify: also compare with this backup file or folder (e.g. a USB stick kept "
                          "away from the shop); may be repeated"))
    _staff(p)
    p.set_defaults(handler=cmd_audit)

    p = sub.add_parser("retention", parents=[common], help=_("manager: prospects with no moment for N years"))
    p.add_argument("--years", type=int)
    _staff(p)
    p.set_defaults(handler=cmd_retention)

    p = sub.add_parser("consent-withdraw", parents=[common], help=_("record that a person withdrew a consent"))
    p.add_argument("contact_id", type=int, metavar="ID")
    p.add_argument("purpose", choices=[c.value for c in ConsentPurpose])
    p.add_argument("--staff", help=_("staff member recording it"))
    p.set_defaults(handler=cmd_withdraw)

    p = sub.add_parser("manager-passwd", parents=[common], help=_("manager: change the manager passphrase"))
    _staff(p)
    p.set_defaults(handler=cmd_manager_passwd)


def _staff(parser) -> None:
    parser.add_argument("--staff", help=_("name of the manager, for the audit log"))


def _session(vault, args) -> manager.ManagerSession:
    return manager_session(vault, args)


# -- HQ side --------------------------------------------------------------------------------------

def cmd_keygen(args) -> int:
    from ..hq import bundle

    pub, key = bundle.keygen(args.out)
    print(_("Wrote {pub} (give it to the stores) and {key} (keep it at HQ, never on a shop PC).").format(
        pub=pub, key=key))
    return 0


def cmd_open(args) -> int:
    from ..hq import bundle

    out, manifest, verdict = bundle.open_bundle(args.bundle, args.key, args.out, allow_unverified=args.unverified)
    counts = ", ".join(f"{k} {v}" for k, v in manifest.get("counts", {}).items())
    if verdict.verified:
        print(_("Verified from store {store} ({profile}, {time}): {counts}. Written to {out}").format(
            store=verdict.store_id, profile=manifest.get("profile"), time=manifest.get("created_at"),
            counts=counts, out=out))
    else:
        print(_("NOT VERIFIED: unsigned/unknown store (it claims to be {store}; {profile}, {time}): {counts}. "
                "Written to {out}").format(store=str(verdict.store_id)[:64], profile=manifest.get("profile"),
                                          time=manifest.get("created_at"), counts=counts, out=out))
    return 0


def cmd_register(args) -> int:
    from ..hq import signing

    entry = signing.register_store(signing.register_path(args.key), args.store_id, args.public_key,
                                   replace=args.replace)
    print(_("Store {store} registered (key fingerprint {fingerprint}).").format(
        store=args.store_id, fingerprint=entry["fingerprint"]))
    return 0


def cmd_stores(args) -> int:
    from ..hq import signing

    stores = signing.load_register(signing.register_path(args.key))
    for store_id, entry in sorted(stores.items()):
        print(f"{store_id}\t{entry['fingerprint']}\t{entry.get('how', '')}\t{entry.get('registered_at', '')}")
    if not stores:
        print(_("No store registered yet."), file=sys.stderr)
    return 0


def _progress_bar(done: int, total: int) -> None:
    if not sys.stderr.isatty() or total < 2:
        return
    width = 30
    filled = width * done // total
    print(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", end="\n" if done == total else "",
          file=sys.stderr, flush=True)


def cmd_collect(args) -> int:
    from ..hq import collect

    outcomes = collect.collect(args.bundles, args.key, args.into, trust_new=args.trust_new, progress=_progress_bar)
    labels = {"collected": _("collected"), "unchanged": _("unchanged"), "refused": _("REFUSED")}
    for o in outcomes:
        who = f"{o.store_id[:12]} {o.profile}".strip()
        print(f"{labels[o.status]:<10} {o.path}\t{who}\t{o.message}")
        if o.audit_warning:
            print(_("AUDIT LOG REWRITTEN: {warning}").format(warning=o.audit_warning))
    counts = {s: sum(1 for o in outcomes if o.status == s) for s in labels}
    print(_("{collected} collected, {unchanged} unchanged, {refused} refused.").format(**counts), file=sys.stderr)
    return 1 if counts["refused"] or any(o.audit_warning for o in outcomes) else 0


def cmd_report(args) -> int:
    from ..hq import report

    path, pages, figures = report.make_report(args.source, args.out, as_html=args.html)
    if args.html:
        print(_("Wrote {path} ({stores} stores).").format(path=path, stores=figures.stores))
    else:
        print(_("Wrote {path}: {pages} pages ({stores} stores).").format(path=path, pages=pages,
                                                                          stores=figures.stores))
    return 0


# -- store side -----------------------------------------------------------------------------------

def cmd_hq_key(args) -> int:
    from ..hq import export

    with open_vault(args) as vault:
        if args.action == "show":
            print(export.hq_public_key(vault) or _("No HQ key imported yet."))
            store_key = export.store_signing_key(vault)
            if store_key:
                store_id = vault.scalar("SELECT value FROM meta WHERE key='store_id'")
                print(_("This store's signing key (for hq-register): {store} {key}").format(
                    store=store_id, key=store_key))
            return 0
        if not args.file:
            raise BoutiqueBookError(_("Give the hq.pub file to import."))
        session = _session(vault, args)
        key = export.import_public_key(vault, session, args.file)
    print(_("HQ key imported: {key}").format(key=key))
    return 0


def cmd_export(args) -> int:
    from ..hq import export, profiles

    if args.include_moments and args.profile != "consenting":
        raise BoutiqueBookError(_("--include-moments goes only with --profile consenting."))
    if args.stable_pseudonyms and args.profile != "pseudonymised":
        raise BoutiqueBookError(_("--stable-pseudonyms goes only with --profile pseudonymised."))
    with open_vault(args) as vault:
        if not export.hq_public_key(vault):
            raise export.NoHqKey()
        session = _session(vault, args)
        print(profiles.describe(args.profile, args.include_moments).summary, file=sys.stderr)
        result = export.export_bundle(vault, session, args.profile, args.to, args.include_moments,
                                      stable_pseudonyms=args.stable_pseudonyms)
    counts = ", ".join(f"{k} {v}" for k, v in result.counts.items())
    print(_("Wrote {path} ({counts}; sha256 {sha})").format(path=result.path, counts=counts, sha=result.sha256))
    if result.signing_key_created:
        print(_("This store now signs its HQ bundles. HQ must register its key once:"))
        print(f"    boutique-book hq-register --key hq.key {result.store_id} {result.signing_key}")
    return 0


def cmd_drives(args) -> int:
    from ..hq import media

    drives = media.removable_drives()
    for drive in drives:
        print(f"{drive.path}\t{drive.label}")
    if not drives:
        print(_("No removable drive found; any folder can be given to --to."), file=sys.stderr)
    return 0


def cmd_erase(args) -> int:
    with open_vault(args) as vault:
        session = _session(vault, args)
        preview = privacy.erasure_preview(vault, args.contact_id)
        if not args.yes:
            if not sys.stdin or not sys.stdin.isatty():
                raise BoutiqueBookError(_("Erasure asks for confirmation: run in a terminal or add --yes."))
            answer = input(_("Erase {name} (number {id}) with {moments} moments, {followups} follow-ups and "
                             "{links} links? This cannot be undone. Type the number again to confirm: ").format(
                **preview))
            if answer.strip() != str(args.contact_id):
                print(_("Nothing was erased."))
                return 1
        result = privacy.erase_contact(vault, session, args.contact_id)
        removed = ", ".join([
            ngettext("{n} moment", "{n} moments", result["moments"]).format(n=result["moments"]),
            ngettext("{n} follow-up", "{n} follow-ups", result["followups"]).format(n=result["followups"]),
            ngettext("{n} link", "{n} links", result["links"]).format(n=result["links"])])
        print(_("Erased contact {id}: {removed} removed.").format(id=args.contact_id, removed=removed))
        if not result["scrubbed"]:
            print(_("Another window kept the vault busy: close it so the last traces can be scrubbed."),
                  file=sys.stderr)
        _old_copies(vault, session, args)
        note = privacy.clear_copies_note(preview["clear_copies"])
        if note:
            print(note)
    return 0


def _old_copies(vault, session, args) -> None:
    """After an erasure: where older copies still live, and (when asked) delete them."""
    from ..core import old_copies

    copies = old_copies.list_copies(vault)
    if not copies:
        print(_("No older copy of the book is known (no backup, no set-aside book)."))
        return
    print(_(privacy.BACKUP_NOTE))
    kinds = {"backup": _("backup"), "backup_elsewhere": _("backup on another drive"),
             "before_restore": _("book set aside by a restore")}
    for copy in copies:
        where = copy.path if copy.reachable else _("{path} (not reachable now)").format(path=copy.path)
        print(f"  {kinds[copy.kind]}\t{where}")
    reachable = [c.path for c in copies if c.reachable]
    purge = args.purge_old_copies
    if not purge and reachable and sys.stdin and sys.stdin.isatty() and not args.yes:
        purge = input(_("Delete these {n} older copies now (a fresh backup is written first)? [y/N] ").format(
            n=len(reachable))).strip().lower() in ("y", "yes", "o", "oui", "j", "ja", "s", "si", "sí")
    if purge and reachable:
        done = old_copies.purge(vault, session, reachable)
        print(_("Deleted {n} older copies; a fresh backup was written: {path}").format(
            n=done["deleted"], path=done["backup"]))
        for path in done["failed"]:
            print(_("Could not delete {path}").format(path=path), file=sys.stderr)


def cmd_audit(args) -> int:
    with open_vault(args) as vault:
        session = _session(vault, args)
        if args.verify or args.against:
            checked = audit_files.verify_audit(vault, session, args.against or ())
            print_audit_check(checked, args.against)
            return 0 if checked.ok else 1
        if args.csv:
            n = manager.export_audit(vault, session, args.csv)
            print(ngettext("Wrote {n} audit entry to {path}", "Wrote {n} audit entries to {path}", n).format(
                n=n, path=args.csv))
            return 0
        entries = manager.audit_entries(vault, session)
    for entry in entries:
        print(f"{entry['at']}\t{entry['actor']}\t{entry['action']}\t"
              f"{json.dumps(entry['detail'], ensure_ascii=False, sort_keys=True)}")
    return 0


def cmd_retention(args) -> int:
    with open_vault(args) as vault:
        _session(vault, args)
        years = args.years or privacy.retention_years(vault)
        rows = privacy.retention_review(vault, years)
    for row in rows:
        print(f"{row['id']}\t{row['name']}\t{row['last_moment'] or _('no moment')}\t{row['created_at'][:10]}")
    print(ngettext("{n} prospect with no moment for {years} years.", "{n} prospects with no moment for {years} years.",
                   len(rows)).format(n=len(rows), years=years), file=sys.stderr)
    return 0


def cmd_withdraw(args) -> int:
    with open_vault(args) as vault:
        privacy.withdraw_consent(vault, args.contact_id, args.purpose, by=staff_id(vault, args.staff))
        name = contacts.get(vault, args.contact_id).display_name
    print(_("Recorded: {name} withdrew consent for {purpose}.").format(name=name, purpose=args.purpose))
    return 0


def cmd_manager_passwd(args) -> int:
    with open_vault(args) as vault:
        if not manager.has_credential(vault):
            _session(vault, args)
            return 0
        current = secret(MANAGER_ENV, _("Current manager passphrase: "))
        session = manager.unlock(vault, current, args.staff)
        new = secret("BOUTIQUE_BOOK_NEW_MANAGER_PASSPHRASE", _("New manager passphrase: "), confirm=True)
        manager.change_credential(vault, session, current, new)
    print(_("Manager passphrase changed."))
    return 0


