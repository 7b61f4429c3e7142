"""Import: read files -> plan (what will be created, merged, skipped and why) -> apply in ONE transaction.

The plan is computed without writing anything; the dialog and `import --dry-run` show it. Applying
runs every write inside one vault.transaction() (core.contacts.add joins it), so a cancel, a crash or
an error in the middle rolls everything back: the vault is as it was.

Matching against the book: a record whose normalised phone (E.164) or email (case-folded) is already
in the vault is merged into that contact (new phones, emails, addresses, dates, tags and notes are
added; existing fields are never overwritten); when it brings nothing new it is skipped. Two records
of the same import with a common phone or email become one contact. Similar names alone are never
merged automatically: they are listed as possible duplicates for the merge view.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..core import changelog, contacts, limits, moments
from ..core import phones as phones_lib
from ..core.errors import ValidationError
from ..core.jobs import check
from ..core.labels import contact_field_label, kind_label, tier_label
from ..core.model import Channel, Contact, Kind, Moment, Tier, DATE_KINDS
from ..core.text import digits, display_name, fold, nfc
from ..core.validation import contact_problems
from ..i18n import _, ngettext
from .csv_io import read_csv_bytes
from .records import Problem, ReadResult, SourceRecord, load_bytes
from .vcard_read import read_vcard_bytes



# -- reading many files ----------------------------------------------------------------------------

def sniff_kind(data: bytes, name: str) -> str:
    head = data[:2048].lstrip(b"\xef\xbb\xbf\xff\xfe\x00").replace(b"\x00", b"").upper()
    if b"BEGIN:VCARD" in head or name.lower().endswith((".vcf", ".vcard")):
        return "vcard"
    return "csv"


def read_files(paths, csv_mapping: dict | None = None, progress=None, cancelled=None) -> ReadResult:
    """Read every file (vCard or CSV by content). csv_mapping: {path or file name: mapping list, or a dict
    with "mapping", "encoding", "delimiter"} chosen in the dialog; other CSV files use the recognised or
    guessed mapping, detected encoding and separator."""
    result = ReadResult()
    paths = [Path(p) for p in paths]
    for n, path in enumerate(paths):
        check(cancelled)
        data, problem = load_bytes(path)
        if problem is not None:
            result.problems.append(problem)
            continue
        if sniff_kind(data, path.name) == "vcard":
            result.extend(read_vcard_bytes(data, path.name))
        else:
            options = (csv_mapping or {}).get(str(path)) or (csv_mapping or {}).get(path.name)
            if isinstance(options, dict):  # {"mapping": [...], "encoding": ..., "delimiter": ...}
                result.extend(read_csv_bytes(data, path.name, options.get("mapping"), options.get("encoding"),
                                             options.get("delimiter")))
            else:
                result.extend(read_csv_bytes(data, path.name, options))
        if progress:
            progress(n + 1, len(paths))
    return result


# -- the plan --------------------------------------------------------------------------------------

@dataclass
class PlanItem:
    record: SourceRecord
    action: str = "create"          # create | merge | skip | fold (into an earlier record of this import)
    reason: str = ""
    target_id: int | None = None    # existing contact (merge/skip)
    into: int | None = None         # index of the earlier item (fold)
    similar_to: list[int] = field(default_factory=list)  # existing contacts with the same name (not merged)


@dataclass
class ImportPlan:
    items: list[PlanItem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ignored_properties: dict[str, int] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    # What the plan was built from, and the state of the book then: apply_plan makes the plan again
    # inside its write transaction when the book changed since (another window, process or job).
    read: "ReadResult | None" = field(default=None, repr=False)
    region: str | None = None
    book_marker: tuple = ()

    def counts(self) -> dict[str, int]:
        counts = {"create": 0, "merge": 0, "skip": 0, "not_imported": 0, "warnings": 0}
        for item in self.items:
            counts["merge" if item.action == "fold" else item.action] += 1
            counts["warnings"] += len(item.record.warnings)
        counts["not_imported"] = sum(1 for p in self.problems if p.level == "error")
        counts["warnings"] += sum(1 for p in self.problems if p.level == "warning")
        return counts

    def report_lines(self) -> list[str]:
        lines = [p.line() for p in self.problems if p.level == "error"]
        for item in self.items:
            r = item.record
            if item.action in ("merge", "skip", "fold"):
                action = _("skip") if item.action == "skip" else _("merge")
                lines.append(f"{r.source}: {r.ref}: {action}: {item.reason}")
            for warning in r.warnings:
                lines.append(f"{r.source}: {r.ref}: " + _("warning: {text}").format(text=warning))
            if item.similar_to:
                ids = ", ".join(f"#{i}" for i in item.similar_to[:5])
                lines.append(f"{r.source}: {r.ref}: " + _(
                    "note: a contact with the same name exists ({ids}); check Duplicates").format(ids=ids))
        lines += [f"{p.line()}" for p in self.problems if p.level == "warning"]
        if self.ignored_properties:
            names = ", ".join(f"{k} ×{v}" for k, v in sorted(self.ignored_properties.items()))
            lines.append(_("properties not kept (no field for them): {names}").format(names=names))
        return lines


def _clean(record: SourceRecord, region: str, store_region: str) -> str | None:
    """Make the record's contact valid by dropping what cannot be stored (each drop is a warning).
    Returns an error sentence when the record cannot be imported at all. Done once per record and regions."""
    key = (region, store_region)
    if record.cleaned is not None and record.cleaned[:2] == key:
        return record.cleaned[2]
    error = _clean_once(record, region, store_region)
    record.cleaned = (*key, error)
    return error


def _clean_once(record: SourceRecord, region: str, store_region: str) -> str | None:
    c = record.contact
    if c.tier not in {t.value for t in Tier}:
        record.warnings.append(_("tier “{value}” unknown; set to {default}").format(
            value=c.tier, default=tier_label(Tier.ACQUAINTANCES.value)))
        c.tier = Tier.ACQUAINTANCES.value
    if c.kind not in {k.value for k in Kind}:
        record.warnings.append(_("kind “{value}” unknown; set to {default}").format(
            value=c.kind, default=kind_label(Kind.CUSTOMER.value)))
        c.kind = Kind.CUSTOMER.value
    if c.preferred_channel and c.preferred_channel not in {ch.value for ch in Channel}:
        c.preferred_channel = ""
    if c.formality not in ("formal", "informal"):
        c.formality = "formal"
    if c.country and not (len(c.country) == 2 and c.country.isalpha()):
        record.warnings.append(_("country “{value}” is not a two-letter code; left empty").format(value=c.country))
        c.country = ""
    for d in c.dates:
        if d.kind not in DATE_KINDS:
            d.kind = "other"
    for attr in ("given_name", "family_name", "organisation", "title", "salutation", "transliteration"):
        value = getattr(c, attr)
        if len(value) > 500:
            setattr(c, attr, value[:500])
            record.warnings.append(_("{field} cut to 500 characters").format(field=contact_field_label(attr)))
    _limit_notes(record)
    _read_phones(record, region, store_region)
    problems = contact_problems(c, region)
    for problem in problems:
        kind, _sep, index = (problem.field or "").partition(":")
        if kind == "phone":
            phone = c.phones[int(index or 0)]
            record.warnings.append(_("phone “{number}” not recognised ({why}); kept as written").format(
                number=phone.raw, why=str(problem).rstrip(".")))
            phone.kept, phone.e164 = True, ""
        elif kind == "email":
            email = c.emails[int(index or 0)]
            record.warnings.append(_("email “{address}” not recognised; kept in the imported note").format(
                address=email.address))
            record.notes.append(_("Email: {address}").format(address=email.address))
            email.address = ""
        elif kind == "name":
            return _("no name (given, family or organisation)")
        else:
            return str(problem)
    c.phones = [p for p in c.phones if p.raw]
    c.emails = [e for e in c.emails if e.address]
    _dedupe_lists(c)
    if not problems:
        return None
    remaining = contact_problems(c, region)
    return str(remaining[0]) if remaining else None


def _limit_notes(record: SourceRecord) -> None:
    """A note longer than a moment may be (core.limits) is not imported; the report says so and the text
    stays in the source file. The contact itself is imported."""
    kept, room = [], limits.MAX_MOMENT_CHARS - 200  # room for "Imported note (file): "
    for note in record.notes:
        if len(note) > room:
            record.warnings.append(_("a note longer than a moment may be (at most {limit} characters) was not "
                                     "imported; it is still in the file").format(limit=f"{limits.MAX_MOMENT_CHARS:,}"))
            continue
        room -= len(note) + 1
        kept.append(note)
    record.notes = kept


def phone_regions(c: Contact, region: str, store_region: str) -> list[str]:
    """Where a number without a country code is read: the card's own address country first, then the
    contact's country, then the import's region, then the store's."""
    found = [a.country_code for a in c.addresses if a.country_code] + [c.country, region, store_region]
    return list(dict.fromkeys(r.upper() for r in found if r))


def _read_phones(record: SourceRecord, region: str, store_region: str) -> None:
    """Give each phone its E.164 with the right country. A number that needs another country than the one
    core reads it with later (the contact's country or the store's) is written in international form, so
    it reads the same on every later edit. A number no country reads is kept as written (with a warning)."""
    c = record.contact
    regions = phone_regions(c, region, store_region)
    later = [(c.country or store_region).upper(), (c.country or region).upper()]
    for phone in c.phones:
        phone.raw = nfc(phone.raw)
        if not phone.raw:
            continue
        e164, why = "", ""
        for candidates, strict in ((regions, True), (regions, False)):
            for candidate in candidates or [""]:
                if strict and not phones_lib.is_valid_in(phone.raw, candidate):
                    continue
                try:
                    e164 = phones_lib.normalise(phone.raw, candidate)
                    break
                except ValidationError as exc:
                    why = why or str(exc).rstrip(".")
            if e164:
                break
        if not e164:
            if not why:
                why = _("no country code, and no country to read it with")
            record.warnings.append(_("phone “{number}” not recognised ({why}); kept as written").format(
                number=phone.raw, why=why))
            phone.kept, phone.e164 = True, ""
            continue
        phone.e164 = e164
        if any(_reads_as(phone.raw, r) != e164 for r in later):
            phone.raw = phones_lib.display(e164, phone.raw)  # international form: no region needed


def _reads_as(raw: str, region: str) -> str:
    try:
        return phones_lib.normalise(raw, region)
    except ValidationError:
        return ""


def _dedupe_lists(c: Contact) -> None:
    seen: set = set()
    c.phones = [p for p in c.phones if not ((p.e164 or p.raw) in seen or seen.add(p.e164 or p.raw))]
    seen = set()
    c.emails = [e for e in c.emails if not (e.address.casefold() in seen or seen.add(e.address.casefold()))]
    seen = set()
    c.addresses = [a for a in c.addresses if not (_address_key(a) in seen or seen.add(_address_key(a)))]


def _address_key(a) -> tuple:
    return (fold(a.street), fold(a.city), a.postal_code.replace(" ", ""), a.country_code)


def merge_into(target: Contact, extra: Contact) -> list[str]:
    """Add what `extra` has and `target` lacks (never overwrite). Returns what was added, for the report."""
    added = []
    known_phones = {p.e164 or p.raw for p in target.phones}
    new = [p for p in extra.phones if (p.e164 or p.raw) not in known_phones]
    if new:
        target.phones.extend(copy.copy(p) for p in new)
        added.append(ngettext("{n} phone", "{n} phones", len(new)).format(n=len(new)))
    known_emails = {e.address.casefold() for e in target.emails}
    new = [e for e in extra.emails if e.address.casefold() not in known_emails]
    if new:
        target.emails.extend(copy.copy(e) for e in new)
        added.append(ngettext("{n} email", "{n} emails", len(new)).format(n=len(new)))
    known_addresses = {_address_key(a) for a in target.addresses}
    new = [a for a in extra.addresses if _address_key(a) not in known_addresses]
    if new:
        target.addresses.extend(copy.copy(a) for a in new)
        added.append(ngettext("{n} address", "{n} addresses", len(new)).format(n=len(new)))
    known_dates = {d.kind for d in target.dates}
    new = [d for d in extra.dates if d.kind not in known_dates or d.kind == "other"
           and d not in target.dates]
    if new:
        target.dates.extend(copy.copy(d) for d in new)
        added.append(ngettext("{n} date", "{n} dates", len(new)).format(n=len(new)))
    known_tags = {t.casefold() for t in target.tags}
    new = [t for t in extra.tags if t.casefold() not in known_tags]
    if new:
        target.tags.extend(new)
        added.append(ngettext("{n} tag", "{n} tags", len(new)).format(n=len(new)))
    for attr in ("given_name", "family_name", "organisation", "title", "transliteration", "salutation",
                 "language", "country"):
        if not getattr(target, attr) and getattr(extra, attr):
            setattr(target, attr, getattr(extra, attr))
            added.append(attr.replace("_", " "))
    if target.photo is None and extra.photo is not None:
        target.photo = extra.photo
        added.append(_("photo"))
    return added


def _existing_keys(vault) -> tuple[dict[str, int], dict[str, int], dict[str, list[int]]]:
    emails = {}
    for cid, address in vault.query("SELECT contact_id, address FROM contact_emails ORDER BY contact_id"):
        emails.setdefault(address.casefold(), cid)
    phones = {}
    for cid, e164, raw in vault.query("SELECT contact_id, e164, raw FROM contact_phones ORDER BY contact_id"):
        key = e164 or _kept_key(raw)
        if key:
            phones.setdefault(key, cid)
    names: dict[str, list[int]] = {}
    for cid, given, family, org in vault.query("SELECT id, given_name, family_name, organisation FROM contacts"):
        names.setdefault(name_key(given, family, org), []).append(cid)
    return emails, phones, names


def _kept_key(raw: str) -> str:
    """Match key of a number kept as written (no E.164): its digits, when there are enough to mean it."""
    number = digits(raw)
    return f"raw:{number}" if len(number) >= 5 else ""


def name_key(given: str, family: str, organisation: str = "") -> str:
    """Order-free folded name: 'Zoë Martin' and 'MARTIN Zoe' give the same key (organisation if no name)."""
    if not (given or family):
        return "org:" + " ".join(fold(organisation).split())
    return " ".join(sorted(fold(f"{given} {family}").replace("-", " ").split()))


def build_plan(vault, read: ReadResult, region: str | None = None, progress=None, cancelled=None) -> ImportPlan:
    store_region = contacts.home_region(vault)
    region = store_region if region is None else region
    plan = ImportPlan(problems=list(read.problems), ignored_properties=dict(read.ignored_properties),
                      read=read, region=region, book_marker=book_marker(vault))
    plan.sources = sorted({r.source for r in read.records} | {p.source for p in read.problems})
    emails, phones, names = _existing_keys(vault)
    batch_keys: dict[str, int] = {}
    total = len(read.records)
    for n, record in enumerate(read.records):
        if n % 200 == 0:
            check(cancelled)
            if progress:
                progress(n, total)
        error = _clean(record, region, store_region)
        if error:
            plan.problems.append(Problem(record.source, record.ref, _("not imported: {why}").format(why=error)))
            continue
        c = record.contact
        keys = [f"e:{e.address.casefold()}" for e in c.emails] + [
            f"p:{p.e164 or _kept_key(p.raw)}" for p in c.phones if p.e164 or _kept_key(p.raw)]
        item = PlanItem(record)
        earlier = next((batch_keys[k] for k in keys if k in batch_keys), None)
        if earlier is not None:
            first = plan.items[earlier]
            while first.action == "fold":
                earlier = first.into
                first = plan.items[earlier]
            merge_into(first.record.contact, c)
            first.record.notes.extend(record.notes)
            item.action, item.into = "fold", earlier
            item.reason = _("same person as {ref} of {file}").format(ref=first.record.ref, file=first.record.source)
        else:
            for key in keys:
                kind, value = key[0], key[2:]
                found = emails.get(value) if kind == "e" else phones.get(value)
                if found is not None:
                    item.action, item.target_id = "merge", found
                    item.reason = (_("same email as contact #{id}") if kind == "e" else _("same phone as contact #{id}")
                                   ).format(id=found)
                    break
            if item.action == "create":
                item.similar_to = names.get(name_key(c.given_name, c.family_name, c.organisation), [])[:5]
        index = len(plan.items)
        plan.items.append(item)
        for key in keys:
            batch_keys.setdefault(key, index if item.action != "fold" else item.into)
    # Decide merge vs skip now that in-batch folding is done: does the record add anything?
    for item in plan.items:
        if item.action == "create" and item.similar_to and not (item.record.contact.emails
                                                                 or item.record.contact.phones):
            # Nothing to match on but the name: a re-import of the same card is skipped, not doubled.
            for candidate in item.similar_to:
                existing = contacts.get(vault, candidate)
                if existing.display_name == display_name(item.record.contact.given_name,
                                                         item.record.contact.family_name,
                                                         item.record.contact.organisation) \
                        and not merge_into(existing, item.record.contact):
                    item.action, item.target_id = "skip", candidate
                    item.reason = _("same name as contact #{id}, nothing new").format(id=candidate)
                    item.similar_to = []
                    break
        if item.action == "merge":
            existing = contacts.get(vault, item.target_id)
            added = merge_into(existing, item.record.contact)
            earlier_notes = "\n".join(r[0] for r in vault.query(
                "SELECT text FROM moments WHERE contact_id=?", (item.target_id,)))
            item.record.notes = [n for n in item.record.notes if n not in earlier_notes]
            if item.record.notes:
                added.append(_("a note"))
            if added:
                item.reason += ": " + _("adds {what} to {name}").format(what=", ".join(added), name=existing.display_name)
            else:
                item.action = "skip"
                item.reason += ": " + _("{name} already has everything in it").format(name=existing.display_name)
    if progress:
        progress(total, total)
    return plan


# -- applying --------------------------------------------------------------------------------------

@dataclass
class ImportReport:
    created: list[int] = field(default_factory=list)
    merged: list[int] = field(default_factory=list)
    skipped: int = 0
    lines: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def _note_moment(vault, contact_id: int, notes: list[str], by, source: str) -> None:
    text = "\n".join(dict.fromkeys(n for n in notes if n.strip()))
    # Notes folded together from several cards may exceed one moment: then they become several moments.
    size = limits.MAX_MOMENT_CHARS - 200 - len(source)
    for start in range(0, len(text), size):
        moments.add(vault, Moment(contact_id, _("Imported note ({file}): {text}").format(
            file=source, text=text[start:start + size]), dt.date.today()), by=by)


def book_marker(vault) -> tuple:
    """Cheap fingerprint of the book's content (any save writes the change or audit log; an erasure
    removes a contact): equal markers mean a plan built then still matches the book now."""
    return tuple(vault.scalar(sql) for sql in ("SELECT coalesce(max(id), 0) FROM change_log",
                                               "SELECT coalesce(max(id), 0) FROM audit_log",
                                               "SELECT count(*) FROM contacts"))


def apply_plan(vault, plan: ImportPlan, by: int | None = None, progress=None, cancelled=None,
               actor: str = "") -> ImportReport:
    """Write the plan in one transaction. Cancelled (or any error) rolls back every write. The plan is
    checked inside that transaction: if the book changed since it was built (a contact added with the
    same email in another window…), it is built again there, so nothing is created twice."""
    with vault.transaction():
        if plan.read is not None and book_marker(vault) != plan.book_marker:
            fresh = build_plan(vault, plan.read, plan.region, cancelled=cancelled)
            plan.items, plan.problems, plan.book_marker = fresh.items, fresh.problems, fresh.book_marker
        return _apply(vault, plan, by, progress, cancelled, actor)


def _apply(vault, plan: ImportPlan, by, progress, cancelled, actor) -> ImportReport:
    report = ImportReport(lines=plan.report_lines(), counts=plan.counts())
    total = len(plan.items)
    if not any(item.action in ("create", "merge") for item in plan.items):
        report.skipped = sum(1 for item in plan.items if item.action == "skip")
        return report  # nothing to write: the vault is not touched (not even the audit log)
    with vault.transaction() as conn:
        batch: list[SourceRecord] = []

        def flush():
            new_ids = contacts.add_many(vault, [r.contact for r in batch], by=by, reason="import",
                                       validated=True)
            for record, cid in zip(batch, new_ids):
                _note_moment(vault, cid, record.notes, by, record.source)
            report.created.extend(new_ids)
            batch.clear()

        for n, item in enumerate(plan.items):
            if n % 50 == 0:
                check(cancelled)
                if progress:
                    progress(n, total)
            record = item.record
            if item.action == "create":
                batch.append(record)
                if len(batch) >= 500:
                    flush()
            elif item.action == "merge":
                existing = contacts.get(vault, item.target_id)
                merge_into(existing, record.contact)
                contacts.update(vault, existing, by=by)
                _note_moment(vault, existing.id, record.notes, by, record.source)
                report.merged.append(existing.id)
            elif item.action == "skip":
                report.skipped += 1
        if batch:
            flush()
        check(cancelled)
        changelog.audit(conn, actor or "staff", "import", files=len(plan.sources), created=len(report.created),
                        merged=len(report.merged), skipped=report.skipped,
                        not_imported=plan.counts()["not_imported"])
    if progress:
        progress(total, total)
    return report


def import_files(vault, paths, by=None, dry_run=False, region=None, csv_mapping=None, progress=None,
                 cancelled=None, actor=""):
    """Read, plan and (unless dry_run) apply. Returns (plan, report or None)."""
    read = read_files(paths, csv_mapping, cancelled=cancelled)
    if dry_run:
        return build_plan(vault, read, region, cancelled=cancelled), None
    with vault.transaction():  # the plan is built inside the write transaction it is applied in
        plan = build_plan(vault, read, region, cancelled=cancelled)
        return plan, apply_plan(vault, plan, by, progress, cancelled, actor)
