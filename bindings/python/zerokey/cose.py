"""COSE_Sign1 (RFC 9052) creation, strict parsing and verification (include/zerokey/cose.h)."""

from __future__ import annotations

import ctypes
from typing import Optional

from ._handle import Closeable
from ._lib import Bytes, blen, inbuf, need, take_malloced
from .errors import check
from .keys import Key

ALG_ES256 = -7
ALG_EDDSA = -8
ALG_ES384 = -35
ALG_ES256K = -47
SIGN1_TAG = 18
_TAGGED = 0x1


def sign1_create(key: Key, payload: Bytes, *, kid: Optional[Bytes] = None,
                 external_aad: Optional[Bytes] = None, tagged: bool = True) -> bytes:
    """Sign payload into a COSE_Sign1; the algorithm follows the key's curve."""
    out = ctypes.c_void_p()
    n = ctypes.c_size_t(0)
    kid_len = blen(kid) if kid is not None else 0
    kid_ptr = inbuf(kid) if kid is not None else None
    check(need("zk_cose_sign1_create")(ctypes.byref(out), ctypes.byref(n), key.handle, kid_ptr,
                                       kid_len, inbuf(payload), blen(payload), inbuf(external_aad),
                                       blen(external_aad), _TAGGED if tagged else 0),
          "zk_cose_sign1_create")
    return take_malloced(out, n.value)


def sig_structure(protected: Bytes, payload: Bytes, external_aad: Optional[Bytes] = None) -> bytes:
    """The Sig_structure ["Signature1", protected, external_aad, payload] to be signed."""
    out = ctypes.c_void_p()
    n = ctypes.c_size_t(0)
    check(need("zk_cose_sig_structure")(ctypes.byref(out), ctypes.byref(n), inbuf(protected),
                                        blen(protected), inbuf(external_aad), blen(external_aad),
                                        inbuf(payload), blen(payload)), "zk_cose_sig_structure")
    return take_malloced(out, n.value)


def _field(name: str, ptr: int) -> Optional[bytes]:
    n = ctypes.c_size_t(0)
    p = need(name)(ptr, ctypes.byref(n))
    if not p:
        return None
    return ctypes.string_at(p, n.value)


class Sign1(Closeable):
    """A parsed COSE_Sign1. Fields are UNVERIFIED until :meth:`verify` succeeds.

    The fields are copied out of the C object at parse time; the C object is
    kept for :meth:`verify` and freed by :meth:`close` / garbage collection.
    """

    __slots__ = ("_ptr", "payload", "protected", "signature", "kid", "alg", "tagged")

    def __init__(self, data: Bytes) -> None:
        """Parse strictly (raises ParseError / CoseError with the byte offset)."""
        out = ctypes.c_void_p()
        off = ctypes.c_size_t(0)
        self._ptr: Optional[int] = None
        st = need("zk_cose_sign1_parse")(ctypes.byref(out), inbuf(data), blen(data),
                                         ctypes.byref(off))
        check(st, "zk_cose_sign1_parse", offset=off.value)
        self._ptr = out.value
        self.payload: bytes = _field("zk_cose_sign1_payload", self._ptr) or b""
        self.protected: bytes = _field("zk_cose_sign1_protected", self._ptr) or b""
        self.signature: bytes = _field("zk_cose_sign1_signature", self._ptr) or b""
        self.kid: Optional[bytes] = _field("zk_cose_sign1_kid", self._ptr)
        self.alg: int = int(need("zk_cose_sign1_alg")(self._ptr))
        self.tagged: bool = bool(need("zk_cose_sign1_is_tagged")(self._ptr))

    def verify(self, key: Key, external_aad: Optional[Bytes] = None) -> None:
        """Verify with key; raises CoseError / CryptoError on failure."""
        if self._ptr is None:
            raise ValueError("COSE_Sign1 object is closed")
        check(need("zk_cose_sign1_verify")(self._ptr, key.handle, inbuf(external_aad),
                                           blen(external_aad)), "zk_cose_sign1_verify")

    def close(self) -> None:
        if self._ptr is not None:
            need("zk_cose_sign1_free")(self._ptr)
            self._ptr = None


def sign1_verify(data: Bytes, key: Key, external_aad: Optional[Bytes] = None) -> bytes:
    """Parse and verify in one call; returns the verified payload."""
    with Sign1(data) as msg:
        msg.verify(key, external_aad)
        return msg.payload


__all__ = [
    "Sign1", "sign1_create", "sign1_verify", "sig_structure", "ALG_ES256", "ALG_EDDSA",
    "ALG_ES384", "ALG_ES256K", "SIGN1_TAG",
]
