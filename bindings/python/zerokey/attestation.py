"""AWS Nitro Enclaves attestation documents (include/zerokey/attestation.h).

Verification = strict COSE_Sign1 + payload parsing, the ES384 signature with
the leaf certificate's key, the chain to a PINNED root at a caller-given time,
then the caller's :class:`Policy` (PCRs, debug mode, nonce, user_data,
public_key, age, clock skew). :meth:`Verifier.verify` returns a
:class:`Document` only when every step succeeded.
"""

from __future__ import annotations

import ctypes
from typing import Optional, Union

from ._handle import Closeable
from ._lib import Bytes, blen, inbuf, need
from .errors import check

TIME_NOW = 0
VERIFIER_NO_AWS_ROOT = 0x1
MAX_PCRS = 32


def aws_root_der() -> bytes:
    """The built-in AWS Nitro Enclaves Root-G1 certificate (DER)."""
    n = ctypes.c_size_t(0)
    p = need("zk_att_aws_root_der")(ctypes.byref(n))
    return ctypes.string_at(p, n.value)


class Policy(Closeable):
    """What a verified document must also satisfy. Defaults: debug enclaves
    rejected, no PCR / nonce / user_data / public_key expectations, no maximum
    age, no clock-skew leeway."""

    __slots__ = ("_ptr",)

    def __init__(self, *, pcrs: Optional[dict[int, Union[Bytes, list[Bytes]]]] = None,
                 allow_debug: bool = False, nonce: Optional[Bytes] = None,
                 user_data: Optional[Bytes] = None, public_key: Optional[Bytes] = None,
                 max_age_s: int = 0, leeway_s: int = 0) -> None:
        out = ctypes.c_void_p()
        self._ptr: Optional[int] = None
        check(need("zk_att_policy_new")(ctypes.byref(out)), "zk_att_policy_new")
        self._ptr = out.value
        for index, values in (pcrs or {}).items():
            for v in (values if isinstance(values, list) else [values]):
                self.add_pcr(index, v)
        self.allow_debug(allow_debug)
        if nonce is not None:
            self.expect_nonce(nonce)
        if user_data is not None:
            self.expect_user_data(user_data)
        if public_key is not None:
            self.expect_public_key(public_key)
        self.set_max_age(max_age_s)
        self.set_leeway(leeway_s)

    @property
    def handle(self) -> int:
        if self._ptr is None:
            raise ValueError("policy is closed")
        return self._ptr

    def add_pcr(self, index: int, value: Bytes) -> None:
        """Accept value for PCR index (several calls build a set of accepted values)."""
        check(need("zk_att_policy_add_pcr")(self.handle, index, inbuf(value), blen(value)),
              "zk_att_policy_add_pcr")

    def allow_debug(self, allow: bool = True) -> None:
        need("zk_att_policy_allow_debug")(self.handle, 1 if allow else 0)

    def expect_nonce(self, value: Bytes) -> None:
        check(need("zk_att_policy_expect_nonce")(self.handle, inbuf(value), blen(value)),
              "zk_att_policy_expect_nonce")

    def expect_user_data(self, value: Bytes) -> None:
        check(need("zk_att_policy_expect_user_data")(self.handle, inbuf(value), blen(value)),
              "zk_att_policy_expect_user_data")

    def expect_public_key(self, value: Bytes) -> None:
        check(need("zk_att_policy_expect_public_key")(self.handle, inbuf(value), blen(value)),
              "zk_att_policy_expect_public_key")

    def set_max_age(self, seconds: int) -> None:
        need("zk_att_policy_set_max_age")(self.handle, seconds)

    def set_leeway(self, seconds: int) -> None:
        need("zk_att_policy_set_leeway")(self.handle, seconds)

    def close(self) -> None:
        if self._ptr is not None:
            need("zk_att_policy_free")(self._ptr)
            self._ptr = None


def _bytes_field(name: str, ptr: int, *extra: int) -> Optional[bytes]:
    n = ctypes.c_size_t(0)
    p = need(name)(ptr, *extra, ctypes.byref(n))
    return ctypes.string_at(p, n.value) if p else None


class Document:
    """A parsed attestation document; ``verified`` tells whether it came out of
    :meth:`Verifier.verify` (True) or :func:`parse_unverified` (False: never
    base a trust decision on it). Fields are copied out at creation."""

    __slots__ = ("verified", "module_id", "timestamp_ms", "pcrs", "is_debug", "certificate",
                 "cabundle", "public_key", "user_data", "nonce", "raw", "tagged")

    def __init__(self, ptr: int) -> None:
        try:
            self.verified: bool = bool(need("zk_att_doc_is_verified")(ptr))
            mid = _bytes_field("zk_att_doc_module_id", ptr)
            self.module_id: str = mid.decode("utf-8", "replace") if mid is not None else ""
            self.timestamp_ms: int = int(need("zk_att_doc_timestamp_ms")(ptr))
            mask = int(need("zk_att_doc_pcr_mask")(ptr))
            self.pcrs: dict[int, bytes] = {}
            for i in range(MAX_PCRS):
                if mask & (1 << i):
                    v = _bytes_field("zk_att_doc_pcr", ptr, i)
                    if v is not None:
                        self.pcrs[i] = v
            self.is_debug: bool = bool(need("zk_att_doc_is_debug")(ptr))
            self.certificate: bytes = _bytes_field("zk_att_doc_certificate", ptr) or b""
            count = int(need("zk_att_doc_cabundle_count")(ptr))
            self.cabundle: list[bytes] = [
                _bytes_field("zk_att_doc_cabundle", ptr, i) or b"" for i in range(count)]
            self.public_key: Optional[bytes] = _bytes_field("zk_att_doc_public_key", ptr)
            self.user_data: Optional[bytes] = _bytes_field("zk_att_doc_user_data", ptr)
            self.nonce: Optional[bytes] = _bytes_field("zk_att_doc_nonce", ptr)
            self.raw: bytes = _bytes_field("zk_att_doc_bytes", ptr) or b""
            self.tagged: bool = bool(need("zk_att_doc_is_tagged")(ptr))
        finally:
            need("zk_att_doc_free")(ptr)

    def __repr__(self) -> str:
        state = "verified" if self.verified else "UNVERIFIED"
        return f"<zerokey.attestation.Document {state} module_id={self.module_id!r}>"


class Verifier(Closeable):
    """Pinned roots plus a chain cache. Safe to share between threads once configured."""

    __slots__ = ("_ptr",)

    def __init__(self, *, aws_root: bool = True) -> None:
        out = ctypes.c_void_p()
        self._ptr: Optional[int] = None
        check(need("zk_att_verifier_new")(ctypes.byref(out),
                                          0 if aws_root else VERIFIER_NO_AWS_ROOT),
              "zk_att_verifier_new")
        self._ptr = out.value

    @property
    def handle(self) -> int:
        if self._ptr is None:
            raise ValueError("verifier is closed")
        return self._ptr

    def add_root_der(self, der: Bytes) -> None:
        check(need("zk_att_verifier_add_root_der")(self.handle, inbuf(der), blen(der)),
              "zk_att_verifier_add_root_der")

    def add_root_pem(self, pem: Union[str, bytes]) -> None:
        data = pem.encode() if isinstance(pem, str) else bytes(pem)
        check(need("zk_att_verifier_add_root_pem")(self.handle, data, len(data)),
              "zk_att_verifier_add_root_pem")

    @property
    def root_count(self) -> int:
        return int(need("zk_att_verifier_root_count")(self.handle))

    def set_cache_size(self, entries: int) -> None:
        check(need("zk_att_verifier_set_cache_size")(self.handle, entries),
              "zk_att_verifier_set_cache_size")

    def clear_cache(self) -> None:
        need("zk_att_verifier_clear_cache")(self.handle)

    def cache_stats(self) -> tuple[int, int, int]:
        """(hits, misses, entries)."""
        h, m, e = ctypes.c_uint64(0), ctypes.c_uint64(0), ctypes.c_size_t(0)
        need("zk_att_verifier_cache_stats")(self.handle, ctypes.byref(h), ctypes.byref(m),
                                            ctypes.byref(e))
        return int(h.value), int(m.value), int(e.value)

    def verify(self, document: Bytes, *, at_unix: int = TIME_NOW,
               policy: Optional[Policy] = None) -> Document:
        """Verify a document at time at_unix (seconds; TIME_NOW = now).

        Raises ParseError / CoseError / AttestationError / ... with the first failure.
        """
        out = ctypes.c_void_p()
        off = ctypes.c_size_t(0)
        st = need("zk_att_verify")(self.handle, ctypes.byref(out), inbuf(document),
                                   blen(document), at_unix,
                                   policy.handle if policy is not None else None,
                                   ctypes.byref(off))
        check(st, "zk_att_verify", offset=off.value if off.value else None)
        return Document(out.value)

    def close(self) -> None:
        if self._ptr is not None:
            need("zk_att_verifier_free")(self._ptr)
            self._ptr = None


def parse_unverified(document: Bytes) -> Document:
    """DEBUGGING ONLY: strict syntax checks, no signature/chain/policy checks."""
    out = ctypes.c_void_p()
    off = ctypes.c_size_t(0)
    st = need("zk_att_parse_unverified")(ctypes.byref(out), inbuf(document), blen(document),
                                         ctypes.byref(off))
    check(st, "zk_att_parse_unverified", offset=off.value if off.value else None)
    return Document(out.value)


__all__ = ["Verifier", "Policy", "Document", "parse_unverified", "aws_root_der", "TIME_NOW"]
