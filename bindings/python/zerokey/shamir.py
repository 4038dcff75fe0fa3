"""Shamir secret sharing over GF(2^8), QuorumOS share format (include/zerokey/shamir.h)."""

from __future__ import annotations

import ctypes
from typing import Sequence

from ._buf import SecretOut, wipe
from ._lib import Bytes, blen, inbuf, need

MAX_SHARES = 255
MAX_SECRET_LEN = 4096


def split(secret: Bytes, n: int, k: int) -> list[bytearray]:
    """Split secret into n shares (x || y), any k of which reconstruct it.

    Returns bytearrays (wipe them with zerokey.wipe when done).
    """
    slen = blen(secret)
    share_len = slen + 1
    total = n * share_len if n > 0 else 0
    out = SecretOut(max(total, 1))
    st = need("zk_shamir_split")(out.c, total, n, k, inbuf(secret), slen)
    flat = out.result(st, "zk_shamir_split", total)
    shares = [flat[i * share_len:(i + 1) * share_len] for i in range(n)]  # bytearray slices
    wipe(flat)
    return shares


def combine(shares: Sequence[Bytes]) -> bytearray:
    """Reconstruct the secret from shares (all are used; lengths must match)."""
    count = len(shares)
    bufs = [inbuf(s, "share") for s in shares]
    ptrs = (ctypes.c_void_p * max(count, 1))()
    lens = (ctypes.c_size_t * max(count, 1))()
    keep = []
    for i, b in enumerate(bufs):
        if isinstance(b, bytes):
            cp = ctypes.c_char_p(b)
            keep.append(cp)
            ptrs[i] = ctypes.cast(cp, ctypes.c_void_p).value
        else:
            ptrs[i] = ctypes.addressof(b)
        lens[i] = blen(shares[i])
    cap = max((int(x) for x in lens[:count]), default=1)
    out = SecretOut(max(cap, 1))
    written = ctypes.c_size_t(0)
    st = need("zk_shamir_combine_var")(out.c, len(out.buf), ctypes.byref(written), ptrs, lens,
                                       count)
    del keep, bufs
    return out.result(st, "zk_shamir_combine_var", written.value)


__all__ = ["split", "combine", "MAX_SHARES", "MAX_SECRET_LEN"]
