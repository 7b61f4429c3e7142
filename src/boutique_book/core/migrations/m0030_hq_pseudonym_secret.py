"""A per-store secret for HQ pseudonyms (issue #8): HMAC-SHA256 key, never leaves the vault.

Made here, not at export time, so that an export that fails changes nothing in the vault."""

SQL = ""


def upgrade(conn):
    import secrets

    conn.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('hq_pseudonym_secret', ?)",
                 (secrets.token_hex(32),))
