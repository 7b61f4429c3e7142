"""HQ's chain dataset: every store's bundles as a Parquet dataset plus a DuckDB file over it.

Layout of DIR (the `--into` / `--from` folder), Hive-style partitions so that DuckDB, Spark, Trino or
Athena read the same files without any catalogue of ours:

    DIR/hq.duckdb                                   ledger of collected bundles, stores, views
    DIR/dataset/contacts/store_id=<id>/export_date=<YYYY-MM-DD>/<bundle_id>.parquet   pseudonymised rows
    DIR/dataset/figures/store_id=<id>/export_date=<YYYY-MM-DD>/<bundle_id>.parquet    figures rows

Each Parquet file is one bundle's table (zstd), with two extra columns: bundle_id (first 32 hex digits of
SHA-256 over the signed manifest's bytes: the same bundle always has the same id) and created_at (the
export time, UTC). store_id and export_date live in the path only (Hive partition columns).

Views (re-created at every collect, with DIR's absolute path, so the DuckDB file works from any folder):
contacts_history, figures_history (every snapshot), contacts_latest, figures_latest (each store's newest
bundle of that profile), snapshots (the ledger ranked per store and profile).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from ..core.errors import BoutiqueBookError

DB_NAME = "hq.duckdb"
DATA = "dataset"
TABLES = {"pseudonymised": "contacts", "figures": "figures"}

CONTACT_TYPES = {"pseudonym": "VARCHAR", "tier": "VARCHAR", "kind": "VARCHAR", "country": "VARCHAR",
                 "language": "VARCHAR", "age_band": "VARCHAR", "first_met_source": "VARCHAR",
                 "moments": "BIGINT", "followups": "BIGINT"}
FIGURE_TYPES = {"measure": "VARCHAR", "value": "VARCHAR", "count": "BIGINT"}
EXTRA_TYPES = {"bundle_id": "VARCHAR", "created_at": "TIMESTAMPTZ", "store_id": "VARCHAR", "export_date": "DATE"}
TYPES = {"contacts": CONTACT_TYPES, "figures": FIGURE_TYPES}

LEDGER = """
CREATE TABLE IF NOT EXISTS bundles (
    bundle_id VARCHAR PRIMARY KEY,
    store_id VARCHAR NOT NULL,
    profile VARCHAR NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    export_date DATE NOT NULL,
    rows BIGINT NOT NULL,
    suppressed BIGINT,
    pseudonyms VARCHAR,
    k INTEGER,
    signing_fingerprint VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    collected_at TIMESTAMPTZ NOT NULL,
    manifest JSON NOT NULL
);
CREATE TABLE IF NOT EXISTS stores (
    store_id VARCHAR PRIMARY KEY,
    fingerprint VARCHAR NOT NULL,
    how VARCHAR NOT NULL,
    first_seen TIMESTAMPTZ NOT NULL
);
"""


class DatasetError(BoutiqueBookError):
    pass


def db_path(root) -> Path:
    return Path(root) / DB_NAME


def table_dir(root, table: str) -> Path:
    return Path(root) / DATA / table


def require_engine() -> None:
    """The chain dataset stands on DuckDB and Arrow. The shop's frozen app leaves them out (190 MB a boutique
    never uses, issue #20): HQ installs Boutique Book from the wheel, which brings them."""
    from ..i18n import _

    try:
        import duckdb  # noqa: F401
        import pyarrow  # noqa: F401
    except ImportError:
        raise DatasetError(_("The chain dataset (hq-collect, hq-report) needs the HQ installation: the shop's app "
                             "leaves its database engine out. At HQ, install Boutique Book from its wheel "
                             "(pip install boutique_book-…whl) and run the command there.")) from None


def connect(root, create: bool = False):
    require_engine()
    import duckdb

    root = Path(root)
    if not create and not db_path(root).exists():
        raise DatasetError(f"{root} holds no HQ dataset yet (collect bundles into it with hq-collect).")
    path = db_path(root)
    existed = path.exists()
    con = None
    try:
        root.mkdir(parents=True, exist_ok=True)
        with private_umask():  # DuckDB creates the file and its .wal itself: make them 0600 from the start
            con = duckdb.connect(str(path))
        if create:
            con.execute(LEDGER)
    except (OSError, duckdb.Error) as exc:
        if con is not None:
            with contextlib.suppress(duckdb.Error):
                con.close()
        if not existed:
            # A first collect that failed (e.g. a full disk) must not leave a half-made database file that every
            # later collect refuses as "not a valid DuckDB database file" (issue #17 fault suite).
            for made in (path, path.with_name(path.name + ".wal")):
                with contextlib.suppress(OSError):
                    made.unlink()
        raise DatasetError(f"Cannot open the HQ dataset in {root}: {str(exc).splitlines()[0]}") from None
    return con


@contextlib.contextmanager
def private_umask():
    """Files created meanwhile by writers that are not ours (DuckDB) are private. HQ commands only: the
    umask is per process."""
    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _history_sql(root, table: str) -> str:
    folder = table_dir(root, table).resolve()
    types = TYPES[table]
    if not any(folder.glob("*/*/*.parquet")):
        columns = ", ".join(f"NULL::{t} AS {c}" for c, t in {**types, **EXTRA_TYPES}.items())
        return f"SELECT {columns} WHERE false"
    pattern = _sql_string(str(folder / "*" / "*" / "*.parquet"))
    return (f"SELECT * FROM read_parquet({pattern}, hive_partitioning = true, "
            "hive_types = {'store_id': VARCHAR, 'export_date': DATE})")


def refresh_views(con, root) -> None:
    """(Re)create the views over the Parquet files under root. A failure (a full disk cannot take the
    DuckDB .wal) is one line, never a traceback."""
    import duckdb

    try:
        _refresh_views(con, root)
    except duckdb.Error as exc:
        raise DatasetError(f"Cannot update the HQ dataset in {root}: {str(exc).splitlines()[0]}") from None


def _refresh_views(con, root) -> None:
    for table in ("contacts", "figures"):
        con.execute(f"CREATE OR REPLACE VIEW {table}_history AS {_history_sql(root, table)}")
    con.execute("""
        CREATE OR REPLACE VIEW snapshots AS
        SELECT *, row_number() OVER (PARTITION BY store_id, profile ORDER BY created_at DESC, bundle_id) AS recency
        FROM bundles""")
    for table, profile in (("contacts", "pseudonymised"), ("figures", "figures")):
        con.execute(f"""
            CREATE OR REPLACE VIEW {table}_latest AS
            SELECT h.* FROM {table}_history h
            JOIN snapshots s ON s.bundle_id = h.bundle_id AND s.profile = '{profile}' AND s.recency = 1""")
