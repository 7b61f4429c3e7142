"""Bringing people in and taking them out: vCard and CSV import/export, duplicates and merge, and one
person's own data (right of access). No Qt here; slow functions follow core.jobs (progress, cancelled)."""
