"""Is the vault's -wal file whole? Read before any read-write open (docs/safety.md, "A flipped byte in the WAL").

After a crash the -wal holds committed transactions not yet copied into the main file. SQLite replays the
frames up to the first one whose checksum fails and silently ignores everything after it: a flipped byte in
the WAL would drop every later committed change without a word, and the next checkpoint would then erase the
evidence. This module walks the WAL the way SQLite's recovery does (header checksum, per-frame salts and the
cumulative checksum) and reports committed frames that lie beyond the break: those are changes that were
saved and would be lost. A torn last transaction (frames without their commit frame, as a kill -9 or power
cut in the middle of a save leaves) is normal and not reported: that change was never reported as saved.
Frames from before the last WAL restart carry other salts and are ignored, as SQLite does.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

_MAGIC_LE, _MAGIC_BE = 0x377F0682, 0x377F0683
_HEADER = 32
_FRAME_HEADER = 24


@dataclass(frozen=True)
class WalState:
    frames: int            # whole frames in the file
    recovered: int         # frames SQLite will replay (up to the last valid commit frame)
    lost_commits: int      # commit frames of this WAL generation beyond the first invalid frame

    @property
    def damaged(self) -> bool:
        return self.lost_commits > 0


def _checksum(data: bytes, big_endian: bool, s0: int, s1: int) -> tuple[int, int]:
    words = struct.unpack((">" if big_endian else "<") + f"{len(data) // 4}I", data)
    for i in range(0, len(words), 2):
        s0 = (s0 + words[i] + s1) & 0xFFFFFFFF
        s1 = (s1 + words[i + 1] + s0) & 0xFFFFFFFF
    return s0, s1


def inspect(wal_path) -> WalState | None:
    """The state of a -wal file, or None when there is none (or it is empty)."""
    wal_path = Path(wal_path)
    try:
        data = wal_path.read_bytes()
    except OSError:
        return None
    if len(data) < _HEADER:
        return None
    magic, _version, page_size, _seq, salt1, salt2, ck1, ck2 = struct.unpack(">8I", data[:_HEADER])
    frame_size = _FRAME_HEADER + page_size if 512 <= page_size <= 65536 else 0
    if not frame_size:
        return WalState(0, 0, _commit_frames_anywhere(data, 4096))
    frames = (len(data) - _HEADER) // frame_size
    big = magic == _MAGIC_BE
    if magic not in (_MAGIC_LE, _MAGIC_BE) or _checksum(data[:24], big, 0, 0) != (ck1, ck2):
        # SQLite ignores the whole WAL when its header is bad: every committed frame in it is lost.
        return WalState(frames, 0, _commit_frames_anywhere(data, page_size))
    s0, s1 = ck1, ck2
    recovered = 0
    broken_at = None
    for n in range(frames):
        start = _HEADER + n * frame_size
        head = data[start:start + _FRAME_HEADER]
        pgno, commit, f_salt1, f_salt2, f_ck1, f_ck2 = struct.unpack(">6I", head)
        if pgno == 0 or (f_salt1, f_salt2) != (salt1, salt2):
            broken_at = n
            break
        s0, s1 = _checksum(head[:8], big, s0, s1)
        s0, s1 = _checksum(data[start + _FRAME_HEADER:start + frame_size], big, s0, s1)
        if (s0, s1) != (f_ck1, f_ck2):
            broken_at = n
            break
        if commit:
            recovered = n + 1
    lost = 0
    if broken_at is not None:
        for n in range(broken_at, frames):
            start = _HEADER + n * frame_size
            _pgno, commit, f_salt1, f_salt2 = struct.unpack(">4I", data[start:start + 16])
            if commit and (f_salt1, f_salt2) == (salt1, salt2):
                lost += 1
    return WalState(frames, recovered, lost)


def _commit_frames_anywhere(data: bytes, page_size: int) -> int:
    """With an unreadable header: commit frames that agree on their salts with the first frame."""
    frame_size = _FRAME_HEADER + page_size
    frames = (len(data) - _HEADER) // frame_size
    if frames <= 0:
        return 0
    first = struct.unpack(">6I", data[_HEADER:_HEADER + _FRAME_HEADER])
    count = 0
    for n in range(frames):
        start = _HEADER + n * frame_size
        _pgno, commit, f_salt1, f_salt2 = struct.unpack(">4I", data[start:start + 16])
        if commit and (f_salt1, f_salt2) == (first[2], first[3]):
            count += 1
    return count
