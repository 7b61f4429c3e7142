"""Shared data for the manager / HQ / privacy tests: a manager session (cheap KDF), an HQ key pair, and a
vault with planted people whose name, e-mail and note must never leak."""

from __future__ import annotations

import datetime as dt

import pytest

from boutique_book.core import contacts, followups, links, manager, moments
from boutique_book.core.kdf import KdfParams
from boutique_book.core.model import Address, Contact, Email, KeyDate, Moment, PartialDate, Phone

MANAGER_PASSPHRASE = "manager-secret-42"

# Distinctive tokens: none of them occurs in demo data, and their first letters differ from each other.
PLANTED = {"given": "Quirinalda", "family": "Xylophorides", "email": "quirinalda.xylo@planted-example.org",
           "note": "Vexillographic ultramarine commission for Yggdrasil gala"}
KEPT = {"given": "Wendeline", "family": "Jovkarsson", "email": "wendeline.jov@kept-example.org",
        "note": "Kaleidoscopic zirconium brooch remodelled"}


def plant(vault, who: dict, share_hq: bool, staff_id=None) -> int:
    contact = Contact(given_name=who["given"], family_name=who["family"], country="FR", language="fr",
                      emails=[Email(who["email"])], phones=[Phone("+33 6 12 34 56 78")],
                      addresses=[Address("12 rue du Bac", "Paris", "75007", "FR")],
                      dates=[KeyDate("birthday", PartialDate(5, 17, 1971))])
    cid = contacts.add(vault, contact, by=staff_id)
    moments.add(vault, Moment(cid, who["note"], dt.date(2024, 3, 2)), by=staff_id)
    followups.add(vault, cid, dt.date.today(), reason="Call back", by=staff_id)
    if share_hq:
        contacts.record_consent(vault, cid, "share_hq", True, by=staff_id)
    return cid


@pytest.fixture
def session(vault):
    return manager.unlock(vault, MANAGER_PASSPHRASE, "Camille Laurent", params=KdfParams.fast())


@pytest.fixture
def hq_keys(tmp_path):
    from boutique_book.hq import bundle

    return bundle.keygen(tmp_path / "hq")


@pytest.fixture
def planted(demo_vault, staff_id):
    """(vault, planted id, kept id): the planted person has no HQ consent, the kept one has."""
    planted_id = plant(demo_vault, PLANTED, share_hq=False, staff_id=staff_id)
    kept_id = plant(demo_vault, KEPT, share_hq=True, staff_id=staff_id)
    links.add(demo_vault, planted_id, kept_id, "friend", by=staff_id)
    links.add(demo_vault, 12, planted_id, "referred_by", by=staff_id)
    return demo_vault, planted_id, kept_id
