"""Reading a transcript file from disk without trusting it: type and size are checked before a byte is read."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from bot.ingest.errors import IngestError

_KINDS = {
    stat.S_ISFIFO: "a named pipe (FIFO)",
    stat.S_ISCHR: "a character device",
    stat.S_ISBLK: "a block device",
    stat.S_ISSOCK: "a socket",
    stat.S_ISDIR: "a folder",
}


def too_large(size: int, max_bytes: int) -> str:
    """The one-line refusal of a file over the size limit."""
    return f"file is {size:,} bytes, over the {max_bytes:,}-byte limit"


def read_transcript_file(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, or IngestError (one line) for anything but a regular file within `max_bytes`.

    The file is opened without blocking (a FIFO with no writer would otherwise hang the open) and checked on the
    open descriptor, so it cannot be swapped between the check and the read; at most max_bytes + 1 bytes are read,
    so a file that grows, or lies about its size (procfs), is refused without being read whole.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise IngestError(f"cannot read ({exc.strerror})") from None
    with os.fdopen(fd, "rb", buffering=0) as file:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = next((name for test, name in _KINDS.items() if test(info.st_mode)), "not a regular file")
            raise IngestError(f"not a regular file: this is {kind}")
        if info.st_size > max_bytes:
            raise IngestError(too_large(info.st_size, max_bytes))
        chunks, remaining = [], max_bytes + 1
        try:
            while remaining and (chunk := file.read(min(remaining, 1 << 20))):
                chunks.append(chunk)
                remaining -= len(chunk)
        except OSError as exc:
            raise IngestError(f"cannot read ({exc.strerror})") from None
    data = b"".join(chunks)
    if len(data) > max_bytes:
        raise IngestError(f"file is larger than the {max_bytes:,}-byte limit")
    return data
