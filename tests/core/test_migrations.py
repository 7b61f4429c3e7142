"""Every earlier schema version opens and migrates to the latest without losing data."""

import pytest

from boutique_book.core import contacts, search
from boutique_book.core.kdf import KdfParams, derive_key, key_pragma_value, new_salt
from boutique_book.core.migrations import MIGRATIONS, apply_migrations, latest_version
from boutique_book.core.vault import PRAGMAS, Vault, _raw_connect

PASS = "migrate me"


def _vault_at(path, version):
    salt = new_salt(KdfParams.fast())
    conn = _raw_connect(path, key_pragma_value(derive_key(PASS, salt), salt))
    for pragma in PRAGMAS:
        conn.execute(pragma)
    apply_migrations(conn, target=version)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == version
    # Data that every schema since v1 can hold.
    conn.execute("INSERT INTO staff(name, created_at) VALUES ('Ana', '2020-01-01')")
    conn.execute("INSERT INTO contacts(given_name, family_name, display_name, sort_key, created_at, updated_at) "
                 "VALUES ('Zoë', 'Lefèvre', 'Zoë Lefèvre', 'lefevre', '2020-01-01', '2020-01-01')")
    conn.execute("INSERT INTO moments(contact_id, occurred_on, text, created_at, updated_at) "
                 "VALUES (1, '2020-02-02', 'loves emerald silk', '2020-01-01', '2020-01-01')")
    if version >= 2:  # that version's app kept its search index in sync as it wrote
        _index_as_of(conn, version)
    conn.close()


def _index_as_of(conn, version):
    """The search index as the app of that version wrote it: before m0060 (search reach) the three-column
    table of m0002, filled by m0002's own (frozen) code; since then, today's core.search."""
    if version >= 60:
        search.rebuild_index(conn)
        return
    from boutique_book.core.migrations import m0002_search

    conn.execute("DELETE FROM contact_fts")
    conn.execute("DELETE FROM moment_fts")
    m0002_search.upgrade(conn)


def test_migration_numbers_are_increasing_and_unique():
    versions = [m.version for m in MIGRATIONS]
    assert versions == sorted(set(versions))
    assert versions[0] == 1


@pytest.mark.parametrize("version", [m.version for m in MIGRATIONS])
def test_open_vault_from_every_version(tmp_path, version):
    path = tmp_path / f"v{version}.vault"
    _vault_at(path, version)
    with Vault.open(path, PASS) as vault:
        assert vault.schema_version == latest_version()
        assert contacts.get(vault, 1).given_name == "Zoë"
        # Search works on data written before the search index existed.
        assert [r.id for r in search.search(vault.conn, "zoe")] == [1]
        assert [r.id for r in search.search(vault.conn, "emerald")] == [1]


def test_failed_migration_leaves_previous_version(tmp_path, monkeypatch):
    import boutique_book.core.migrations as mig

    path = tmp_path / "broken.vault"
    _vault_at(path, 1)
    broken = mig.Migration(latest_version() + 1, "broken", "CREATE TABLE x(a); SELECT no_such_function();", None)
    monkeypatch.setattr(mig, "MIGRATIONS", MIGRATIONS + [broken])
    monkeypatch.setattr("boutique_book.core.vault.latest_version", lambda: broken.version)
    with pytest.raises(Exception):
        Vault.open(path, PASS)
    monkeypatch.undo()
    with Vault.open(path, PASS) as vault:
        assert vault.schema_version == latest_version()
        assert vault.scalar("SELECT count(*) FROM sqlite_master WHERE name='x'") == 0


def test_search_reach_reaches_contacts_written_before_it(tmp_path):
    """m0060 rebuilds the index with the other spellings and phone tails of contacts already in the book."""
    before = max(m.version for m in MIGRATIONS if m.version < 60)
    # Write people the way the old app did (rows plus its three-column index), then migrate.
    path2 = tmp_path / "old.vault"
    salt = new_salt(KdfParams.fast())
    conn = _raw_connect(path2, key_pragma_value(derive_key(PASS, salt), salt))
    for pragma in PRAGMAS:
        conn.execute(pragma)
    apply_migrations(conn, target=before)
    for n, (given, family) in enumerate((("Jürgen", "Müller"), ("Дмитрий", "Петров")), start=1):
        conn.execute("INSERT INTO contacts(id, given_name, family_name, display_name, sort_key, created_at, updated_at) "
                     "VALUES (?,?,?,?,?,'2020-01-01','2020-01-01')", (n, given, family, f"{given} {family}", family))
    conn.execute("INSERT INTO contact_phones(contact_id, raw, e164) VALUES (1, '+49 151 23456789', '+4915123456789')")
    _index_as_of(conn, before)
    conn.close()
    with Vault.open(path2, PASS) as vault:
        for query, who in (("mueller", 1), ("juergen", 1), ("petrov", 2), ("dmitri", 2), ("56789", 1),
                           ("0049151", 1), ("+49 (0)151 234", 1), ("Müller", 1)):
            assert search.search_ids(vault.conn, query) == [who], query
