"""The audit log's hash chain (issue #18): a `hash` column, filled for the entries already there.

Before the chain is computed, import entries written by earlier versions lose their file names (a file
is often named after a person: "Firstname Lastname.vcf"); they keep how many files there were, and one
entry `audit_redacted` says how many entries were changed so. This is the only time the log is edited.

The chain function is frozen here (not imported from core.audit_chain) so that later edits to live code
cannot change what this upgrade did. The append-only guard is lifted only for the backfill, inside this
migration's transaction, and put back exactly as m0001 made it."""

SQL = ""


def _hash(prev, entry_id, at, actor, action, detail):
    import hashlib
    import json

    payload = json.dumps(["bb-audit/1", prev, int(entry_id), at, actor, action, detail], ensure_ascii=False,
                         separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def upgrade(conn):
    conn.execute("ALTER TABLE audit_log ADD COLUMN hash TEXT")
    conn.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    _redact_file_names(conn)
    prev = "0" * 64
    rows = conn.execute("SELECT id, at, actor, action, detail FROM audit_log ORDER BY id").fetchall()
    for entry_id, at, actor, action, detail in rows:
        prev = _hash(prev, entry_id, at, actor, action, detail)
        conn.execute("UPDATE audit_log SET hash=? WHERE id=?", (prev, entry_id))
    conn.execute("CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log\n"
                 "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END")


def _redact_file_names(conn):
    import datetime
    import json

    redacted = 0
    for entry_id, detail in conn.execute("SELECT id, detail FROM audit_log WHERE action='import'").fetchall():
        try:
            data = json.loads(detail or "{}")
        except ValueError:
            continue
        if isinstance(data, dict) and isinstance(data.get("files"), list):
            data["files"] = len(data["files"])
            conn.execute("UPDATE audit_log SET detail=? WHERE id=?",
                         (json.dumps(data, sort_keys=True, ensure_ascii=False), entry_id))
            redacted += 1
    if redacted:
        now = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
        conn.execute("INSERT INTO audit_log(at, actor, action, detail) VALUES (?,?,?,?)",
                     (now, "upgrade", "audit_redacted", json.dumps({"entries": redacted, "field": "files"})))
