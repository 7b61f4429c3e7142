"""Issue #18 problem 7: bundles are signed by their store, hq-open trusts only registered stores, bounds
every size and reports bad content in one line; moments in the consenting profile mask other people's names.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import subprocess
import sys
import tracemalloc
import zipfile

import pytest
from boutique_book.core.primitives import PrivateKey as Ed25519PrivateKey

from boutique_book.core import changelog, contacts, links, moments
from boutique_book.core.model import Contact, Moment
from boutique_book.hq import bundle, export, profiles, signing

from hq_fixtures import KEPT, PLANTED


@pytest.fixture
def ready(planted, session, hq_keys, tmp_path):
    vault, planted_id, kept_id = planted
    export.import_public_key(vault, session, hq_keys[0])
    usb = tmp_path / "usb"
    usb.mkdir()
    return vault, session, hq_keys, usb, planted_id, kept_id


def _forge(path, pub, files, manifest, signing_key=None):
    """A bundle as anyone holding hq.pub (every store has it) can make one."""
    archive = bundle.build_archive(files, manifest, signing_key)
    path.write_bytes(bundle.encrypt(archive, pub.read_text().strip()))
    return path


FIGURES = {"figures.csv": "measure,value,count\ncontacts,all,302\n"}


def _claims(store_id):
    return {"profile": "figures", "store_id": store_id, "created_at": "2026-11-27T10:00:00+00:00",
            "counts": {"contacts": 302}, "include_moments": False}


def test_only_a_registered_stores_signature_is_verified(ready, tmp_path):
    vault, session, (pub, key), usb, *_ = ready
    genuine = export.export_bundle(vault, session, "figures", usb)
    assert genuine.signing_key_created and genuine.signing_key.startswith("ed25519:")
    assert export.export_bundle(vault, session, "figures", usb).signing_key_created is False
    register = signing.register_path(key)

    # Not registered yet: refused, unless opened knowingly as unverified.
    with pytest.raises(bundle.NotVerified, match="unsigned/unknown store"):
        bundle.open_bundle(genuine.path, key, tmp_path / "a")
    assert not (tmp_path / "a").exists()
    _, _, verdict = bundle.open_bundle(genuine.path, key, tmp_path / "a", allow_unverified=True)
    assert verdict.status == "unknown_store" and not verdict.verified

    signing.register_store(register, genuine.store_id, genuine.signing_key)
    _, manifest, verdict = bundle.open_bundle(genuine.path, key, tmp_path / "b")
    assert verdict.verified and verdict.store_id == genuine.store_id == manifest["store_id"]

    # The spoof of issue #18: a bundle made with hq.pub alone claiming to be a store.
    spoofed = _forge(tmp_path / "spoofed.age", pub, FIGURES, _claims("SPOOFED-STORE-0001"))
    with pytest.raises(bundle.NotVerified, match="unsigned/unknown store"):
        bundle.open_bundle(spoofed, key, tmp_path / "c")
    # Claiming a registered store, signed with another key: refused even with --unverified.
    impostor = _forge(tmp_path / "impostor.age", pub, FIGURES, _claims(genuine.store_id), Ed25519PrivateKey.generate())
    for allow in (False, True):
        with pytest.raises(bundle.NotVerified, match="not signed with that store's registered key"):
            bundle.open_bundle(impostor, key, tmp_path / "d", allow_unverified=allow)
    # A registered store's manifest edited after signing (the signature no longer matches).
    opened = bundle.read_bundle(genuine.path.read_bytes(), bundle.read_identity(key))
    edited = json.loads(opened.manifest_bytes)
    edited["counts"] = {"contacts": 1}
    raw = bundle.manifest_bytes(edited)
    assert signing.verify(edited, raw, opened.signature, signing.load_register(register)).status == "bad_signature"
    assert not any((tmp_path / n).exists() for n in "cd")
    # A second store id cannot take over a registered one's key silently.
    with pytest.raises(signing.SigningError, match="already registered"):
        signing.register_store(register, genuine.store_id,
                               signing.encode_public(Ed25519PrivateKey.generate().public_key()))


def test_the_signing_key_stays_in_the_vault_and_is_shown_for_registration(ready):
    vault, session, (pub, key), usb, *_ = ready
    assert export.store_signing_key(vault) is None
    result = export.export_bundle(vault, session, "figures", usb)
    assert export.store_signing_key(vault) == result.signing_key
    assert result.signing_key.encode() not in result.path.read_bytes()  # the manifest is inside the encryption
    fingerprint = signing.fingerprint(result.signing_key)
    assert len(fingerprint) == 19
    created = [e for e in changelog.audit_entries(vault.conn) if e["action"] == "hq_signing_key_created"]
    assert [e["detail"]["fingerprint"] for e in created] == [fingerprint]


def _bomb_zip(manifest_extra=None, field_bytes=64 << 20):
    """A figures bundle whose one CSV cell is 64 MB of 'x' (deflates ~1000:1)."""
    data = b"measure,value,count\ncontacts,all," + b"x" * field_bytes + b"\n"
    manifest = {**_claims("BOMB"), "format": bundle.FORMAT,
                "files": {"figures.csv": {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}}}
    manifest.update(manifest_extra or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
        zf.writestr("figures.csv", data)
    return buffer.getvalue()


def test_a_small_bundle_that_expands_enormously_is_refused_before_expanding(ready, tmp_path):
    """On c6c2aae the 64 MB cell was inflated in full and then died with a raw _csv.Error."""
    vault, session, (pub, key), usb, *_ = ready
    bomb = tmp_path / "bomb.age"
    bomb.write_bytes(bundle.encrypt(_bomb_zip(), pub.read_text().strip()))
    assert bomb.stat().st_size < 200_000
    tracemalloc.start()
    try:
        with pytest.raises(bundle.BundleUnreadable, match="too large to be genuine"):
            bundle.open_bundle(bomb, key, tmp_path / "out", allow_unverified=True)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 << 20, peak  # the 64 MB were never inflated
    assert not (tmp_path / "out").exists()
    # A manifest that lies about the size does not help: reading stops at the declared size.
    liar = tmp_path / "liar.age"
    liar.write_bytes(bundle.encrypt(_bomb_zip({"files": {"figures.csv": {"sha256": "0" * 64, "bytes": 100}}}),
                                    pub.read_text().strip()))
    with pytest.raises(bundle.BundleUnreadable, match="too large to be genuine"):
        bundle.open_bundle(liar, key, tmp_path / "out", allow_unverified=True)


@pytest.mark.parametrize("content, message", [
    (b"measure,value,count\ncontacts,all,\xff\xfe302\n", "not UTF-8 text"),
    (b"measure,value,count\ncontacts,\"all,302\n", "not valid CSV"),
    (b"measure,value,count\ncontacts,all,302,extra\n", "4 cells instead of 3"),
    (b"measure,value\ncontacts,all\n", "profile's columns"),
    (b"measure,value,count\ncontacts,all," + b"9" * 70_000 + b"\n", "too large to be genuine"),
])
def test_bad_content_is_reported_in_one_line(ready, tmp_path, content, message):
    vault, session, (pub, key), usb, *_ = ready
    manifest = {**_claims("X"), "format": bundle.FORMAT,
                "files": {"figures.csv": {"sha256": hashlib.sha256(content).hexdigest(), "bytes": len(content)}}}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
        zf.writestr("figures.csv", content)
    bad = tmp_path / "bad.age"
    bad.write_bytes(bundle.encrypt(buffer.getvalue(), pub.read_text().strip()))
    with pytest.raises(bundle.BundleUnreadable, match=message) as caught:
        bundle.open_bundle(bad, key, tmp_path / "out", allow_unverified=True)
    assert "\n" not in str(caught.value)
    if message == "not UTF-8 text":  # the command line says it in one line too, no traceback
        env = {**os.environ}
        done = subprocess.run([sys.executable, "-m", "boutique_book", "hq-open", str(bad), "--key", str(key), "-o",
                               str(tmp_path / "cli"), "--unverified"], capture_output=True, text=True, env=env,
                              timeout=120, stdin=subprocess.DEVNULL)
        assert done.returncode == 1 and "Traceback" not in done.stderr
        assert done.stderr.count("\n") == 1 and "not UTF-8 text" in done.stderr


def test_consenting_moments_mask_the_names_of_other_people(ready, staff_id):
    """On c6c2aae a consenting person's moment carried the names of the sister and the friend who came along."""
    vault, session, (pub, key), usb, planted_id, kept_id = ready
    sister = contacts.add(vault, Contact(given_name="Brunhilde", family_name="Okonkwo-Lindqvist"), by=staff_id)
    links.add(vault, kept_id, sister, "family", by=staff_id)
    moments.add(vault, Moment(kept_id, f"Came with her sister Brunhilde Okonkwo-Lindqvist and her friend "
                                       f"{PLANTED['given']} {PLANTED['family'].upper()}; loved the sapphire ring",
                              dt.date(2025, 12, 1)), by=staff_id)
    result = export.export_bundle(vault, session, "consenting", usb, include_moments=True)
    manifest, contents = bundle.decrypt_and_verify(result.path.read_bytes(), bundle.read_identity(key))
    texts = [r["text"] for r in csv.DictReader(io.StringIO(contents["moments.csv"].decode()))]
    blob = "\n".join(texts).lower()
    for name in ("Brunhilde", "Okonkwo", "Lindqvist", PLANTED["given"], PLANTED["family"]):
        assert name.lower() not in blob, name
    assert any("loved the sapphire ring" in t and t.count(profiles.NAME_MASK) == 5 for t in texts)
    assert KEPT["note"] in texts  # a moment that names nobody is unchanged
    assert manifest["moment_names_masked"] >= 5 and "[name]" in manifest["moment_masking"]
    assert "masked" in manifest["description"]


def test_name_masking_handles_case_accents_and_cjk():
    names = ({"léonie", "dupont"}, {"山田"})
    assert profiles.mask_names("LÉONIE came; Dupont's gift", names) == ("[name] came; [name]'s gift", 2)
    assert profiles.mask_names("山田さんと来店", names) == ("[name]さんと来店", 1)
    assert profiles.mask_names("nobody here", names) == ("nobody here", 0)
