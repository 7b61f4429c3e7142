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
    broken = mig.Migration(latest_version() + 1, "broken", "CREATE TABLE x(a);\nSELECT no_such_function();", None)
    monkeypatch.setattr(mig, "MIGRATIONS", MIGRATIONS + [broken])
    monkeypatch.setattr("boutique_book.core.vault.latest_version", lambda: broken.version)
    with pytest.raises(errors.MigrationFailed, match="no such function: no_such_function"):
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


# -- issue #17, problem 11: applied-migrations table, any landing order, frozen SQL, backup first, rollback --
import ast  # noqa: E402
import hashlib  # noqa: E402
from pathlib import Path  # noqa: E402

from boutique_book.core import backup, errors, opening  # noqa: E402
from boutique_book.core.kdf import KdfParams as _Fast  # noqa: E402

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "src" / "boutique_book" / "core" / "migrations"


def _latest_vault(path):
    Vault.create(path, PASS, _Fast.fast()).close()
    return path


def _digest(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def test_a_failing_multi_statement_migration_rolls_back_whole_with_the_right_message(tmp_path, monkeypatch):
    import boutique_book.core.migrations as mig

    path = _latest_vault(tmp_path / "v.vault")
    with Vault.open(path, PASS) as v:
        v.execute("INSERT INTO staff(name, created_at) VALUES ('Ana', '2020-01-01')")
        before_version = v.schema_version
    # Three statements: the first two succeed (a table, a row), the third fails on a missing table.
    broken = mig.Migration(39, "broken_on_purpose",
                           "CREATE TABLE half_done(a INTEGER);\n"
                           "INSERT INTO half_done VALUES (1);\n"
                           "INSERT INTO no_such_table VALUES (2);\n", None)
    monkeypatch.setattr(mig, "MIGRATIONS", sorted(MIGRATIONS + [broken], key=lambda m: m.version))
    with pytest.raises(errors.MigrationFailed) as caught:
        opening.open_book(path, PASS)
    message = str(caught.value)
    assert "step 39 (broken_on_purpose)" in message and "no such table: no_such_table" in message
    assert "not damaged" in message and "Restore the newest" not in message
    taken = backup.list_backups(backup.default_backup_dir(path))
    assert len(taken) == 1 and str(taken[0].path) in message  # the verified backup came first
    monkeypatch.undo()
    with Vault.open(path, PASS, migrate=False) as v:
        assert v.scalar("SELECT count(*) FROM sqlite_master WHERE name='half_done'") == 0
        assert v.scalar("SELECT count(*) FROM schema_migrations WHERE version=39") == 0
        assert v.schema_version == before_version


def test_a_migration_that_lands_later_with_a_lower_number_still_runs(tmp_path, monkeypatch):
    import boutique_book.core.migrations as mig

    path = _latest_vault(tmp_path / "v.vault")
    late = mig.Migration(25, "landed_late", "CREATE TABLE landed_late(a INTEGER);", None)
    monkeypatch.setattr(mig, "MIGRATIONS", sorted(MIGRATIONS + [late], key=lambda m: m.version))
    with opening.open_book(path, PASS) as v:
        assert v.scalar("SELECT count(*) FROM sqlite_master WHERE name='landed_late'") == 1
        assert v.scalar("SELECT name FROM schema_migrations WHERE version=25") == "landed_late"
        assert v.schema_version == latest_version()


def test_a_vault_recording_an_unknown_migration_is_refused_untouched(tmp_path):
    path = _latest_vault(tmp_path / "v.vault")
    with Vault.open(path, PASS) as v:
        v.execute("INSERT INTO schema_migrations(version, name, applied_at) VALUES (35, 'from_the_future', 'x')")
    before = _digest(path)
    with pytest.raises(errors.VaultTooNew, match="newer Boutique Book"):
        opening.open_book(path, PASS)
    assert _digest(path) == before
    assert not backup.default_backup_dir(path).exists()


def test_a_vault_from_before_the_table_keeps_its_migrations_and_gets_the_table(tmp_path):
    path = tmp_path / "old.vault"
    _vault_at(path, 30)
    with Vault.open(path, PASS, migrate=False) as v:   # as the old runner left it: only user_version
        v.execute("DROP TABLE schema_migrations")
        assert v.schema_version == 30
    with opening.open_book(path, PASS) as v:           # m0001 re-run would fail on existing tables
        rows = [r[0] for r in v.query("SELECT version FROM schema_migrations ORDER BY version")]
        assert rows == [m.version for m in MIGRATIONS]
        assert contacts.get(v, 1).given_name == "Zoë"


def test_pending_migrations_take_a_verified_backup_of_the_vault_as_it_was(tmp_path):
    path = tmp_path / "v20.vault"
    _vault_at(path, 20)
    with opening.open_book(path, PASS) as v:
        assert v.schema_version == latest_version()
    taken = backup.list_backups(backup.default_backup_dir(path))
    assert len(taken) == 1
    checked = backup.verify_backup(taken[0].path, passphrase=PASS)
    assert checked.ok and checked.schema_version == 20 and checked.contacts == 1


def test_migrations_are_frozen_no_imports_of_live_code():
    for module in sorted(MIGRATIONS_DIR.glob("m[0-9][0-9][0-9][0-9]_*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                assert node.level == 0 and not (node.module or "").startswith("boutique_book"), module.name
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith("boutique_book") for a in node.names), module.name
