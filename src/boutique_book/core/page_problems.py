"""SQLite's integrity reports in words a person can read (issue #17: no "btreeInitPage() returns error code
11" in a message). Which pages fail their seal (SQLCipher's page HMAC: changed on disk), else where the
book's structure breaks. The raw report still goes to the log (IntegrityReport.summary)."""

from __future__ import annotations

import re


def in_plain_words(problems) -> str:
    lines = [line for p in problems for line in str(p).splitlines() if line.strip()]
    sealed = sorted({int(n) for line in lines if "hmac" in line.lower() for n in re.findall(r"page (\d+)", line)})
    if sealed:
        return _count(sealed, "page {pages} no longer matches its seal (changed on disk)",
                      "{n} pages no longer match their seal (changed on disk): {pages}")
    pages = sorted({int(n) for line in lines for n in re.findall(r"\bpage (\d+)", line)})
    if pages:
        return _count(pages, "the book's structure is broken at page {pages}",
                      "the book's structure is broken at {n} pages: {pages}")
    return "its contents do not read back whole"


def _count(pages: list[int], one: str, many: str) -> str:
    shown = ", ".join(map(str, pages[:5])) + (" …" if len(pages) > 5 else "")
    return (one if len(pages) == 1 else many).format(n=len(pages), pages=shown)
