"""Output-buffer helpers (internal).

Secret outputs are written by the C library directly into a Python bytearray
(through a zero-copy ctypes view), so no intermediate ctypes buffer or bytes
object holds a second copy. On failure the bytearray is wiped with zk_wipe.
Public outputs use a ctypes buffer copied into bytes.
"""

from __future__ import annotations

import ctypes
from typing import Any

from ._lib import fn
from .errors import check


class SecretOut:
    """A bytearray of capacity n that C writes into; finish(m) trims it in place."""

    __slots__ = ("buf", "c")

    def __init__(self, n: int) -> None:
        self.buf = bytearray(n)
        self.c: Any = (ctypes.c_char * n).from_buffer(self.buf)

    def wipe(self) -> None:
        if len(self.buf):
            fn.zk_wipe(ctypes.addressof(self.c), len(self.buf))

    def finish(self, m: int) -> bytearray:
        n = len(self.buf)
        if m < n:
            # Zero the unused tail before shrinking so no stale byte survives a realloc.
            fn.zk_wipe(ctypes.addressof(self.c) + m, n - m)
        self.c = None  # release the buffer export so the bytearray may be resized
        if m < n:
            del self.buf[m:]
        return self.buf

    def fail(self) -> None:
        self.wipe()
        self.c = None

    def result(self, st: int, op: str, m: int) -> bytearray:
        """finish(m) if st is ZK_OK; otherwise fail() (wipe), then raise check(st, op)'s error."""
        if st:
            self.fail()
            check(st, op)
        return self.finish(m)


def wipe(buf: Any) -> None:
    """Overwrite a bytearray (or writable memoryview) with zeros using zk_wipe.

    Python cannot wipe ``bytes`` objects (immutable, possibly shared or cached);
    keep secrets in bytearrays and call this when done. See docs/bindings.md.
    """
    if isinstance(buf, (bytearray, memoryview)):
        n = buf.nbytes if isinstance(buf, memoryview) else len(buf)
        if n:
            view = (ctypes.c_char * n).from_buffer(buf)
            fn.zk_wipe(ctypes.addressof(view), n)
            del view
        return
    if isinstance(buf, ctypes.Array):
        n = ctypes.sizeof(buf)
        if n:
            fn.zk_wipe(ctypes.addressof(buf), n)
        return
    raise TypeError("wipe() needs a bytearray, writable memoryview or ctypes array; "
                    "bytes objects are immutable and cannot be wiped")
