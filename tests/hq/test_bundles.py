"""Each export profile's bundle holds exactly what it promises, only HQ can read it, tampering shows."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest

from boutique_book.core import changelog
from boutique_book.core.manager import ManagerError
from boutique_book.hq import bundle, export, profiles

from hq_fixtures import KEPT, PLANTED

SECRETS = [PLANTED["given"], PLANTED["family"], PLANTED["email"], PLANTED["note"],
           KEPT["given"], KEPT["family"], KEPT["email"], KEPT["note"]]


@pytest.fixture
def ready(planted, session, hq_keys, tmp_path):
    vault, planted_id, kept_id = planted
    export.import_public_key(vault, session, hq_keys[0])
    usb = tmp_path / "usb"
    usb.mkdir()
    return vault, session, hq_keys, usb, planted_id, kept_id


def _open(path, key):
    manifest, contents = bundle.decrypt_and_verify(path.read_bytes(), bundle.read_identity(key))
    return manifest, {name: list(csv.DictReader(io.StringIO(data.decode()))) for name, data in contents.items()}


def _assert_absent(blob: bytes, words):
    lowered = blob.lower()
    for word in words:
        assert word.lower().encode() not in lowered, word


def test_figures_bundle_has_counts_only(ready):
    vault, session, (pub, key), usb, *_ = ready
    result = export.export_bundle(vault, session, "figures", usb)
    raw = result.path.read_bytes()
    assert raw.startswith(b"age-encryption.org/v1\n")
    _assert_absent(raw, SECRETS)
    manifest, files = _open(result.path, key)
    assert set(files) == set(profiles.describe("figures").files) == {"figures.csv"}
    assert manifest["profile"] == "figures" and manifest["store_id"] == vault.scalar(
        "SELECT value FROM meta WHERE key='store_id'")
    rows = files["figures.csv"]
    assert set(rows[0]) == set(profiles.FIGURES_COLUMNS)
    by = {(r["measure"], r["value"]): int(r["count"]) for r in rows}
    assert by[("contacts", "all")] == vault.scalar("SELECT count(*) FROM contacts") == 302
    assert sum(v for (m, _), v in by.items() if m == "tier") == 302
    assert by[("followups_open", "due_today")] >= 2
    _assert_absent(json.dumps(files).encode() + json.dumps(manifest).encode(), SECRETS)


def test_pseudonymised_bundle_has_no_personal_data_and_pseudonyms_rotate(ready):
    vault, session, (pub, key), usb, planted_id, kept_id = ready
    first = export.export_bundle(vault, session, "pseudonymised", usb)
    _assert_absent(first.path.read_bytes(), SECRETS)
    manifest, files = _open(first.path, key)
    rows = files["contacts.csv"]
    assert set(files) == {"contacts.csv"} and tuple(rows[0]) == profiles.PSEUDONYMISED_COLUMNS
    assert len(rows) == manifest["counts"]["contacts"] == 302 - manifest["counts"]["suppressed"]
    assert manifest["anonymity"]["suppressed_rows"] == manifest["counts"]["suppressed"] < 302 * 0.1
    # The pseudonym column is random hex: "1971" or "75007" can occur in it by chance, so it is left out here
    # (it is checked below to be neither the id nor stable).
    decrypted = json.dumps([{k: v for k, v in r.items() if k != "pseudonym"} for r in rows]).encode()
    _assert_absent(decrypted, SECRETS + ["+33612345678", "75007", "1971"])
    # No contact number appears as a column; pseudonyms are unique and not the ids.
    pseudonyms = [r["pseudonym"] for r in rows]
    assert len(set(pseudonyms)) == len(rows) and not any(p.isdigit() for p in pseudonyms)
    # By default pseudonyms rotate: the next export shares none with this one (HQ cannot link rows) ...
    assert manifest["pseudonyms"] == "rotating"
    second_manifest, again = _open(export.export_bundle(vault, session, "pseudonymised", usb).path, key)
    assert second_manifest["pseudonyms"] == "rotating"
    assert not set(pseudonyms) & {r["pseudonym"] for r in again["contacts.csv"]}
    # ... and stay stable only when the manager opts in, which the manifest says.
    stable = [_open(export.export_bundle(vault, session, "pseudonymised", usb, stable_pseudonyms=True).path, key)
              for _ in range(2)]
    assert [m["pseudonyms"] for m, _ in stable] == ["stable", "stable"]
    assert {r["pseudonym"] for r in stable[0][1]["contacts.csv"]} == {r["pseudonym"] for r in stable[1][1]["contacts.csv"]}
    secret = bytes.fromhex(vault.scalar("SELECT value FROM meta WHERE key='hq_pseudonym_secret'"))
    stable_key = profiles.pseudonym_key(secret, export.hq_public_key(vault))
    # Stable pseudonyms are still different under another HQ key.
    other_key = profiles.pseudonym_key(secret, "age1" + "q" * 58)
    assert profiles.pseudonym(other_key, planted_id) != profiles.pseudonym(stable_key, planted_id)
    entry = [e for e in changelog.audit_entries(vault.conn) if e["action"] == "hq_export"][-1]
    assert entry["detail"]["pseudonyms"] == "stable"


def test_consenting_bundle_holds_only_consenting_people_and_moments_only_when_asked(ready):
    vault, session, (pub, key), usb, planted_id, kept_id = ready
    plain = export.export_bundle(vault, session, "consenting", usb)
    manifest, files = _open(plain.path, key)
    assert set(files) == {"contacts.csv"}
    refs = {r["ref"] for r in files["contacts.csv"]}
    assert f"c{kept_id}" in refs and f"c{planted_id}" not in refs
    consenting = {cid for cid, *_ in profiles.consenting_ids(vault.conn)}
    assert refs == {f"c{c}" for c in consenting}
    kept_row = next(r for r in files["contacts.csv"] if r["ref"] == f"c{kept_id}")
    assert kept_row["family_name"] == KEPT["family"] and kept_row["emails"] == KEPT["email"]
    decrypted = json.dumps(files).encode()
    _assert_absent(decrypted, [KEPT["note"]] + SECRETS[:4])

    with_moments = export.export_bundle(vault, session, "consenting", usb, include_moments=True)
    manifest, files = _open(with_moments.path, key)
    assert set(files) == {"contacts.csv", "moments.csv"} and manifest["include_moments"] is True
    texts = {r["text"] for r in files["moments.csv"]}
    assert KEPT["note"] in texts and PLANTED["note"] not in texts
    assert {r["ref"] for r in files["moments.csv"]} <= {f"c{c}" for c in consenting}
    # A withdrawn consent takes the person out of the next bundle.
    from boutique_book.core import privacy
    privacy.withdraw_consent(vault, kept_id, "share_hq")
    assert kept_id not in {cid for cid, *_ in profiles.consenting_ids(vault.conn)}


def test_every_export_is_audited_with_checksum_destination_and_counts(ready):
    vault, session, (pub, key), usb, *_ = ready
    result = export.export_bundle(vault, session, "consenting", usb, include_moments=True)
    entry = [e for e in changelog.audit_entries(vault.conn) if e["action"] == "hq_export"][-1]
    assert entry["actor"] == "manager (Camille Laurent)"
    assert entry["detail"]["sha256"] == bundle.sha256(result.path.read_bytes())
    assert entry["detail"]["destination"] == str(usb) and entry["detail"]["include_moments"] is True
    assert entry["detail"]["counts"] == result.counts and entry["detail"]["profile"] == "consenting"
    assert [e["action"] for e in changelog.audit_entries(vault.conn)][:2] == ["manager_credential_set",
                                                                              "hq_key_import"]


def test_bundle_does_not_open_with_another_key_and_writes_nothing(ready, tmp_path):
    vault, session, (pub, key), usb, *_ = ready
    result = export.export_bundle(vault, session, "figures", usb)
    _, other_key = bundle.keygen(tmp_path / "other-hq")
    out = tmp_path / "out"
    with pytest.raises(bundle.BundleUnreadable, match="not made for this HQ key"):
        bundle.open_bundle(result.path, other_key, out)
    assert not out.exists() and not list(tmp_path.glob(".out*"))


@pytest.mark.parametrize("where", ["header", "middle", "end"])
def test_one_flipped_byte_is_detected(ready, tmp_path, where):
    vault, session, (pub, key), usb, *_ = ready
    result = export.export_bundle(vault, session, "pseudonymised", usb)
    data = bytearray(result.path.read_bytes())
    index = {"header": 60, "middle": len(data) // 2, "end": len(data) - 3}[where]
    data[index] ^= 0x01
    tampered = tmp_path / "tampered.age"
    tampered.write_bytes(bytes(data))
    out = tmp_path / "out"
    with pytest.raises(bundle.BundleUnreadable):
        bundle.open_bundle(tampered, key, out)
    assert not out.exists()


def test_manifest_checksum_catches_a_file_swapped_before_encryption(ready, tmp_path):
    """Even a bundle that decrypts (re-encrypted by someone holding only the public key) must match its manifest."""
    vault, session, (pub, key), usb, *_ = ready
    result = export.export_bundle(vault, session, "figures", usb)
    manifest, contents = bundle.decrypt_and_verify(result.path.read_bytes(), bundle.read_identity(key))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
        zf.writestr("figures.csv", contents["figures.csv"].replace(b"302", b"999"))
    forged = tmp_path / "forged.age"
    forged.write_bytes(bundle.encrypt(buffer.getvalue(), pub.read_text().strip()))
    with pytest.raises(bundle.BundleUnreadable, match="checksum"):
        bundle.open_bundle(forged, key, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_open_writes_csv_and_json(ready, tmp_path):
    vault, session, (pub, key), usb, *_ = ready
    result = export.export_bundle(vault, session, "pseudonymised", usb)
    out, manifest, verdict = bundle.open_bundle(result.path, key, tmp_path / "out", allow_unverified=True)
    assert verdict.status == "unknown_store"
    assert sorted(p.name for p in out.iterdir()) == ["contacts.csv", "contacts.json", "manifest.json"]
    assert len(json.loads((out / "contacts.json").read_text())) == manifest["counts"]["contacts"] > 280
    assert all(p.stat().st_mode & 0o077 == 0 for p in out.iterdir())
    with pytest.raises(bundle.OutputExists):
        bundle.open_bundle(result.path, key, out)


def test_export_needs_manager_and_hq_key(planted, session, tmp_path):
    vault = planted[0]
    with pytest.raises(export.NoHqKey):
        export.export_bundle(vault, session, "figures", tmp_path)
    with pytest.raises(ManagerError):
        export.export_bundle(vault, "manager", "figures", tmp_path)
    with pytest.raises(bundle.BadKey):
        bad = tmp_path / "bad.pub"
        bad.write_text("ssh-ed25519 AAAA...\n")
        export.import_public_key(vault, session, bad)
    assert list(tmp_path.glob("*.age")) == []


def test_keygen_never_overwrites(tmp_path):
    pub, key = bundle.keygen(tmp_path / "hq")
    assert pub.read_text().startswith("age1") and "AGE-SECRET-KEY-1" in key.read_text()
    assert key.stat().st_mode & 0o077 == 0
    with pytest.raises(bundle.OutputExists):
        bundle.keygen(tmp_path / "hq")


def test_age_bands():
    import datetime as dt

    today = dt.date(2025, 6, 1)
    assert profiles.age_band("1971-05-17", today) == "50-59"
    assert profiles.age_band("1971-06-02", today) == "50-59"
    assert profiles.age_band("1975-06-02", today) == "40-49"
    assert profiles.age_band("--05-17", today) == ""
    assert profiles.age_band("2010-01-01", today) == "<20"
    assert profiles.age_band("1930-01-01", today) == "80+"
