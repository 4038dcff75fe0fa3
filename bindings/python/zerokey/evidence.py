"""Signed evidence: rulings, notarizations (and chains), fetch proofs, signature
results and the end-to-end evidence chain (include/zerokey/evidence.h,
ruling.h, notarization.h, fetch_proof.h, sig_result.h, evidence_chain.h).

Each evidence object is a tagged COSE_Sign1 over a deterministic-CBOR payload.
``parse`` never verifies: the ``info`` of a parsed object is UNVERIFIED until
its ``verify`` returned. ``digest`` is SHA-256 over the exact bytes, the value
other evidence refers to.
"""

from __future__ import annotations

import ctypes
import enum
from ctypes import POINTER, c_char_p, c_int, c_size_t, c_uint, c_uint32, c_uint64, c_void_p
from dataclasses import dataclass, field
from typing import Any, Optional, Sequence

from ._handle import Closeable
from ._lib import Bytes, StampVerifyOptsC, blen, fn, inbuf, need, take_malloced
from ._lib import utf8_opt as _cs
from ._lib import _declare  # noqa: PLC2701  (declarations live next to their structs)
from .errors import check, make_error
from .keys import Key

DIGEST_LEN = 32
_Digest = ctypes.c_uint8 * DIGEST_LEN


def _dig(value: Optional[Bytes], what: str) -> Any:
    d = _Digest()
    if value is not None:
        if blen(value) != DIGEST_LEN:
            raise ValueError(f"{what} must be {DIGEST_LEN} bytes")
        ctypes.memmove(d, bytes(value), DIGEST_LEN)
    return d


def _txt(p: Optional[bytes]) -> str:
    return p.decode("utf-8") if p is not None else ""


class _Keep:
    """Buffers referenced by a C structure for the duration of one call."""

    def __init__(self) -> None:
        self.refs: list[Any] = []

    def ptr(self, data: Optional[Bytes]) -> Optional[int]:
        if data is None:
            return None
        buf = ctypes.create_string_buffer(bytes(data), max(blen(data), 1))
        self.refs.append(buf)
        return ctypes.addressof(buf)


# --------------------------------------------------------------- C structures
class RulingInfoC(ctypes.Structure):
    _fields_ = [("decision", c_int), ("organization_id", c_char_p), ("activity_type", c_char_p),
                ("stamp_digest", _Digest), ("request_digest", _Digest),
                ("state_digest", _Digest), ("policy_ids", POINTER(c_char_p)),
                ("n_policy_ids", c_size_t), ("issued_at_ms", c_uint64),
                ("expires_at_ms", c_uint64)]


class RulingExpectC(ctypes.Structure):
    _fields_ = [("now_ms", c_uint64), ("max_skew_ms", c_uint64), ("stamp_digest", c_void_p),
                ("request_digest", c_void_p), ("state_digest", c_void_p),
                ("organization_id", c_char_p), ("activity_type", c_char_p), ("flags", c_uint)]


class NotarizationInfoC(ctypes.Structure):
    _fields_ = [("log_id", c_char_p), ("sequence", c_uint64), ("prev_digest", _Digest),
                ("state_digest", _Digest), ("time_ms", c_uint64)]


class CheckpointC(ctypes.Structure):
    _fields_ = [("sequence", c_uint64), ("digest", _Digest)]


class ChainOptsC(ctypes.Structure):
    _fields_ = [("notarizer", c_void_p), ("log_id", c_char_p),
                ("checkpoint", POINTER(CheckpointC)), ("now_ms", c_uint64),
                ("max_age_ms", c_uint64), ("max_skew_ms", c_uint64), ("flags", c_uint)]


class ChainResultC(ctypes.Structure):
    _fields_ = [("head", CheckpointC), ("state_digest", _Digest), ("time_ms", c_uint64),
                ("failed_index", c_size_t)]


class FetchInfoC(ctypes.Structure):
    _fields_ = [("method", c_char_p), ("url", c_char_p), ("request_digest", _Digest),
                ("status", c_uint32), ("headers_digest", _Digest), ("body_digest", _Digest),
                ("cert_chain_digest", _Digest), ("time_ms", c_uint64)]


class FetchExpectC(ctypes.Structure):
    _fields_ = [("url", c_char_p), ("body", c_void_p), ("body_len", c_size_t),
                ("now_ms", c_uint64), ("max_age_ms", c_uint64), ("max_skew_ms", c_uint64),
                ("method", c_char_p), ("request_digest", c_void_p),
                ("cert_chain_digest", c_void_p)]


class SigResultInfoC(ctypes.Structure):
    _fields_ = [("curve", c_int), ("scheme", c_int), ("public_key", c_void_p),
                ("public_key_len", c_size_t), ("payload_digest", _Digest),
                ("signature", c_void_p), ("signature_len", c_size_t),
                ("ruling_digest", _Digest), ("time_ms", c_uint64)]


class SigResultExpectC(ctypes.Structure):
    _fields_ = [("ruling_digest", c_void_p), ("public_key", c_void_p),
                ("public_key_len", c_size_t), ("payload_digest", c_void_p),
                ("message", c_void_p), ("message_len", c_size_t)]


class EvidenceChainC(ctypes.Structure):
    _fields_ = [("body", c_void_p), ("body_len", c_size_t), ("stamp", c_char_p),
                ("stamp_len", c_size_t), ("stamp_is_webauthn", c_int),
                ("notarization", c_void_p), ("notarization_len", c_size_t),
                ("ruling", c_void_p), ("ruling_len", c_size_t), ("sig_result", c_void_p),
                ("sig_result_len", c_size_t), ("message", c_void_p), ("message_len", c_size_t)]


class EvidenceTrustC(ctypes.Structure):
    _fields_ = [("policy_key", c_void_p), ("notarizer_key", c_void_p), ("signer_key", c_void_p),
                ("stamp_opts", POINTER(StampVerifyOptsC)), ("log_id", c_char_p),
                ("checkpoint", POINTER(CheckpointC)), ("now_ms", c_uint64),
                ("notarization_max_age_ms", c_uint64), ("max_skew_ms", c_uint64)]


class ChainReportC(ctypes.Structure):
    _fields_ = [("detail", c_int), ("stamp_digest", _Digest), ("notarization_digest", _Digest),
                ("ruling_digest", _Digest), ("result_digest", _Digest)]


_objpp = POINTER(c_void_p)
_u8pp = POINTER(c_void_p)
_sp = POINTER(c_size_t)
_declare("zk_evidence_kid", c_int, c_void_p, c_void_p)
_declare("zk_evidence_digest", c_int, c_void_p, c_void_p, c_size_t)
for _kind, _info, _expect in (("ruling", RulingInfoC, RulingExpectC),
                              ("fetch_proof", FetchInfoC, FetchExpectC),
                              ("sig_result", SigResultInfoC, SigResultExpectC),
                              ("notarization", NotarizationInfoC, None)):
    _declare(f"zk_{_kind}_parse", c_int, _objpp, c_void_p, c_size_t)
    _declare(f"zk_{_kind}_serialize", c_int, c_void_p, _u8pp, _sp)
    _declare(f"zk_{_kind}_get_info", POINTER(_info), c_void_p)
    _declare(f"zk_{_kind}_digest", c_int, c_void_p, c_void_p)
    _declare(f"zk_{_kind}_free", None, c_void_p)
    if _expect is not None:
        _declare(f"zk_{_kind}_verify", c_int, c_void_p, c_void_p, POINTER(_expect))
_declare("zk_ruling_create", c_int, _objpp, c_void_p, POINTER(RulingInfoC))
_declare("zk_fetch_proof_create", c_int, _objpp, c_void_p, POINTER(FetchInfoC))
_declare("zk_sig_result_create", c_int, _objpp, c_void_p, POINTER(SigResultInfoC), c_void_p,
         c_size_t)
_declare("zk_notarization_create", c_int, _objpp, c_void_p, POINTER(NotarizationInfoC))
_declare("zk_notarization_next", c_int, _objpp, c_void_p, c_void_p, c_void_p, c_uint64)
_declare("zk_notarization_verify", c_int, c_void_p, c_void_p, c_char_p, c_uint64, c_uint64,
         c_uint64)
_declare("zk_notarization_chain_verify", c_int, POINTER(ChainResultC), POINTER(c_void_p),
         POINTER(c_size_t), c_size_t, POINTER(ChainOptsC))
_declare("zk_fetch_cert_chain_digest", c_int, c_void_p, POINTER(c_void_p), POINTER(c_size_t),
         c_size_t)
_declare("zk_evidence_chain_verify", c_int, POINTER(ChainReportC), POINTER(EvidenceTrustC),
         POINTER(EvidenceChainC))


# ----------------------------------------------------------------- helpers
def kid(key: Key) -> bytes:
    """kid of a signer key: SHA-256 of its SEC1 compressed (EC) or raw (Ed25519) public key."""
    out = _Digest()
    check(need("zk_evidence_kid")(out, key.handle), "zk_evidence_kid")
    return bytes(out)


def digest(evidence: Bytes) -> bytes:
    """SHA-256 of evidence bytes exactly as held."""
    out = _Digest()
    check(need("zk_evidence_digest")(out, inbuf(evidence), blen(evidence)), "zk_evidence_digest")
    return bytes(out)


def _ptr_array(items: Sequence[Bytes]) -> tuple[Any, Any, list[Any]]:
    keep: list[Any] = []
    n = max(len(items), 1)
    ptrs = (c_void_p * n)()
    lens = (c_size_t * n)()
    for i, it in enumerate(items):
        buf = ctypes.create_string_buffer(bytes(it), max(blen(it), 1))
        keep.append(buf)
        ptrs[i] = ctypes.addressof(buf)
        lens[i] = blen(it)
    return ptrs, lens, keep


class _Evidence(Closeable):
    """Common lifetime / serialisation of one C evidence object."""

    _kind = ""
    __slots__ = ("_ptr",)

    def __init__(self) -> None:
        raise TypeError(f"use {type(self).__name__}.parse(...) or .create(...)")

    @classmethod
    def parse(cls, data: Bytes) -> Any:
        """Strict parse WITHOUT verification."""
        out = c_void_p()
        name = f"zk_{cls._kind}_parse"
        check(need(name)(ctypes.byref(out), inbuf(data), blen(data)), name)
        return cls._adopt(out)

    def _h(self) -> int:
        if self._ptr is None:
            raise ValueError("evidence object is closed")
        return self._ptr

    def _info(self) -> Any:
        return need(f"zk_{self._kind}_get_info")(self._h()).contents

    def serialize(self) -> bytes:
        """The exact signed bytes."""
        out = c_void_p()
        n = c_size_t(0)
        name = f"zk_{self._kind}_serialize"
        check(need(name)(self._h(), ctypes.byref(out), ctypes.byref(n)), name)
        return take_malloced(out, n.value)

    @property
    def digest(self) -> bytes:
        out = _Digest()
        name = f"zk_{self._kind}_digest"
        check(need(name)(self._h(), out), name)
        return bytes(out)

    def close(self) -> None:
        if self._ptr is not None:
            fn_free = getattr(fn, f"zk_{self._kind}_free")
            if fn_free is not None:
                fn_free(self._ptr)
            self._ptr = None


# ----------------------------------------------------------------- rulings
class Decision(enum.IntEnum):
    DENY = 0
    ALLOW = 1


@dataclass
class RulingInfo:
    decision: Decision
    organization_id: str
    activity_type: str
    stamp_digest: bytes
    request_digest: bytes
    state_digest: bytes
    issued_at_ms: int
    expires_at_ms: int
    policy_ids: list[str] = field(default_factory=list)


class Ruling(_Evidence):
    """The policy enclave's ALLOW / DENY for a stamped activity against a notarized state."""

    _kind = "ruling"
    __slots__ = ()

    @classmethod
    def create(cls, policy_key: Key, info: RulingInfo) -> "Ruling":
        ids = [p.encode() for p in info.policy_ids]
        arr = (c_char_p * max(len(ids), 1))(*ids)
        c = RulingInfoC(decision=int(info.decision), organization_id=_cs(info.organization_id),
                        activity_type=_cs(info.activity_type),
                        stamp_digest=_dig(info.stamp_digest, "stamp_digest"),
                        request_digest=_dig(info.request_digest, "request_digest"),
                        state_digest=_dig(info.state_digest, "state_digest"),
                        policy_ids=ctypes.cast(arr, POINTER(c_char_p)) if ids else None,
                        n_policy_ids=len(ids), issued_at_ms=info.issued_at_ms,
                        expires_at_ms=info.expires_at_ms)
        out = c_void_p()
        check(need("zk_ruling_create")(ctypes.byref(out), policy_key.handle, ctypes.byref(c)),
              "zk_ruling_create")
        return cls._adopt(out)

    @property
    def info(self) -> RulingInfo:
        c = self._info()
        return RulingInfo(Decision(c.decision), _txt(c.organization_id), _txt(c.activity_type),
                          bytes(c.stamp_digest), bytes(c.request_digest), bytes(c.state_digest),
                          int(c.issued_at_ms), int(c.expires_at_ms),
                          [_txt(c.policy_ids[i]) for i in range(c.n_policy_ids)])

    def verify(self, policy_key: Key, *, now_ms: int, stamp_digest: Bytes,
               request_digest: Bytes, state_digest: Bytes, max_skew_ms: int = 0,
               organization_id: Optional[str] = None, activity_type: Optional[str] = None,
               accept_deny: bool = False) -> None:
        """Signature, freshness, and the stamp / request / state the caller holds.

        A valid DENY ruling raises EvidenceError(ZK_ERR_RULING_DENIED) unless accept_deny.
        """
        keep = _Keep()
        e = RulingExpectC(now_ms=now_ms, max_skew_ms=max_skew_ms,
                          stamp_digest=keep.ptr(stamp_digest),
                          request_digest=keep.ptr(request_digest),
                          state_digest=keep.ptr(state_digest),
                          organization_id=_cs(organization_id), activity_type=_cs(activity_type),
                          flags=0x1 if accept_deny else 0)
        check(need("zk_ruling_verify")(self._h(), policy_key.handle, ctypes.byref(e)),
              "zk_ruling_verify")


# ----------------------------------------------------------- notarizations
@dataclass
class NotarizationInfo:
    log_id: str
    sequence: int
    prev_digest: bytes
    state_digest: bytes
    time_ms: int


@dataclass
class Checkpoint:
    sequence: int
    digest: bytes


@dataclass
class ChainResult:
    head: Checkpoint
    state_digest: bytes
    time_ms: int


class Notarization(_Evidence):
    """The notarizer's statement "state D is current at sequence N, time T", chained to N-1."""

    _kind = "notarization"
    __slots__ = ()

    @classmethod
    def create(cls, notarizer: Key, info: NotarizationInfo) -> "Notarization":
        c = NotarizationInfoC(log_id=_cs(info.log_id), sequence=info.sequence,
                              prev_digest=_dig(info.prev_digest, "prev_digest"),
                              state_digest=_dig(info.state_digest, "state_digest"),
                              time_ms=info.time_ms)
        out = c_void_p()
        check(need("zk_notarization_create")(ctypes.byref(out), notarizer.handle,
                                             ctypes.byref(c)), "zk_notarization_create")
        return cls._adopt(out)

    def next(self, notarizer: Key, state_digest: Bytes, time_ms: int) -> "Notarization":
        """The successor record (sequence + 1, prev = this record's digest)."""
        out = c_void_p()
        check(need("zk_notarization_next")(ctypes.byref(out), notarizer.handle, self._h(),
                                           _dig(state_digest, "state_digest"), time_ms),
              "zk_notarization_next")
        return type(self)._adopt(out)

    @property
    def info(self) -> NotarizationInfo:
        c = self._info()
        return NotarizationInfo(_txt(c.log_id), int(c.sequence), bytes(c.prev_digest),
                                bytes(c.state_digest), int(c.time_ms))

    def verify(self, notarizer: Key, *, now_ms: int, max_age_ms: int, max_skew_ms: int = 0,
               log_id: Optional[str] = None) -> None:
        check(need("zk_notarization_verify")(self._h(), notarizer.handle, _cs(log_id), now_ms,
                                             max_age_ms, max_skew_ms), "zk_notarization_verify")


def verify_notarization_chain(records: Sequence[Bytes], notarizer: Key, *, now_ms: int,
                              max_age_ms: int, max_skew_ms: int = 0,
                              log_id: Optional[str] = None,
                              checkpoint: Optional[Checkpoint] = None,
                              verify_all: bool = False) -> ChainResult:
    """Verify records (ascending) as one chain; returns the new checkpoint and head state.

    On failure the raised exception has ``failed_index`` (the offending record,
    or len(records) for whole-chain errors).
    """
    ptrs, lens, keep = _ptr_array(records)
    cp = None
    if checkpoint is not None:
        cp = CheckpointC(sequence=checkpoint.sequence, digest=_dig(checkpoint.digest, "digest"))
    opts = ChainOptsC(notarizer=notarizer.handle, log_id=_cs(log_id),
                      checkpoint=ctypes.pointer(cp) if cp is not None else None, now_ms=now_ms,
                      max_age_ms=max_age_ms, max_skew_ms=max_skew_ms,
                      flags=0x1 if verify_all else 0)
    res = ChainResultC()
    st = need("zk_notarization_chain_verify")(ctypes.byref(res), ptrs, lens, len(records),
                                              ctypes.byref(opts))
    del keep
    if st:
        err = make_error(st, "zk_notarization_chain_verify")
        err.failed_index = int(res.failed_index)  # type: ignore[attr-defined]
        raise err
    return ChainResult(Checkpoint(int(res.head.sequence), bytes(res.head.digest)),
                       bytes(res.state_digest), int(res.time_ms))


# -------------------------------------------------------------- fetch proofs
@dataclass
class FetchInfo:
    method: str
    url: str
    request_digest: bytes
    status: int
    headers_digest: bytes
    body_digest: bytes
    cert_chain_digest: bytes
    time_ms: int


def cert_chain_digest(ders: Sequence[Bytes]) -> bytes:
    """Digest of a TLS server certificate chain (leaf first), as fetch proofs carry it."""
    ptrs, lens, keep = _ptr_array(ders)
    out = _Digest()
    check(need("zk_fetch_cert_chain_digest")(out, ptrs, lens, len(ders)),
          "zk_fetch_cert_chain_digest")
    del keep
    return bytes(out)


class FetchProof(_Evidence):
    """The fetcher's statement "request R to URL U got response S at time T"."""

    _kind = "fetch_proof"
    __slots__ = ()

    @classmethod
    def create(cls, fetcher: Key, info: FetchInfo) -> "FetchProof":
        c = FetchInfoC(method=_cs(info.method), url=_cs(info.url),
                       request_digest=_dig(info.request_digest, "request_digest"),
                       status=info.status, headers_digest=_dig(info.headers_digest, "headers"),
                       body_digest=_dig(info.body_digest, "body_digest"),
                       cert_chain_digest=_dig(info.cert_chain_digest, "cert_chain_digest"),
                       time_ms=info.time_ms)
        out = c_void_p()
        check(need("zk_fetch_proof_create")(ctypes.byref(out), fetcher.handle, ctypes.byref(c)),
              "zk_fetch_proof_create")
        return cls._adopt(out)

    @property
    def info(self) -> FetchInfo:
        c = self._info()
        return FetchInfo(_txt(c.method), _txt(c.url), bytes(c.request_digest), int(c.status),
                         bytes(c.headers_digest), bytes(c.body_digest),
                         bytes(c.cert_chain_digest), int(c.time_ms))

    def verify(self, fetcher: Key, *, url: str, body: Bytes, now_ms: int, max_age_ms: int,
               max_skew_ms: int = 0, method: Optional[str] = None,
               request_digest: Optional[Bytes] = None,
               cert_chain_digest: Optional[Bytes] = None) -> None:
        keep = _Keep()
        e = FetchExpectC(url=_cs(url), body=keep.ptr(body), body_len=blen(body), now_ms=now_ms,
                         max_age_ms=max_age_ms, max_skew_ms=max_skew_ms, method=_cs(method),
                         request_digest=keep.ptr(request_digest),
                         cert_chain_digest=keep.ptr(cert_chain_digest))
        check(need("zk_fetch_proof_verify")(self._h(), fetcher.handle, ctypes.byref(e)),
              "zk_fetch_proof_verify")


# --------------------------------------------------------- signature results
class SigScheme(enum.IntEnum):
    ECDSA_DER = 1
    ECDSA_RAW = 2
    ECDSA_RECOVERABLE = 3
    BIP340 = 4
    ED25519 = 5


@dataclass
class SigResultInfo:
    curve: int
    scheme: SigScheme
    public_key: bytes
    payload_digest: bytes
    signature: bytes
    ruling_digest: bytes
    time_ms: int


class SigResult(_Evidence):
    """The signer enclave's statement "key K signed payload P under ruling X"."""

    _kind = "sig_result"
    __slots__ = ()

    @classmethod
    def create(cls, enclave_key: Key, info: SigResultInfo,
               message: Optional[Bytes] = None) -> "SigResult":
        keep = _Keep()
        c = SigResultInfoC(curve=int(info.curve), scheme=int(info.scheme),
                           public_key=keep.ptr(info.public_key),
                           public_key_len=len(info.public_key),
                           payload_digest=_dig(info.payload_digest, "payload_digest"),
                           signature=keep.ptr(info.signature), signature_len=len(info.signature),
                           ruling_digest=_dig(info.ruling_digest, "ruling_digest"),
                           time_ms=info.time_ms)
        out = c_void_p()
        check(need("zk_sig_result_create")(ctypes.byref(out), enclave_key.handle, ctypes.byref(c),
                                           keep.ptr(message), blen(message)),
              "zk_sig_result_create")
        return cls._adopt(out)

    @property
    def info(self) -> SigResultInfo:
        c = self._info()
        return SigResultInfo(int(c.curve), SigScheme(c.scheme),
                             ctypes.string_at(c.public_key, c.public_key_len),
                             bytes(c.payload_digest),
                             ctypes.string_at(c.signature, c.signature_len),
                             bytes(c.ruling_digest), int(c.time_ms))

    def verify(self, enclave_key: Key, *, ruling_digest: Bytes,
               public_key: Optional[Bytes] = None, payload_digest: Optional[Bytes] = None,
               message: Optional[Bytes] = None) -> None:
        """Signature of the enclave, the ruling link, and the inner signature itself."""
        keep = _Keep()
        e = SigResultExpectC(ruling_digest=keep.ptr(ruling_digest),
                             public_key=keep.ptr(public_key), public_key_len=blen(public_key),
                             payload_digest=keep.ptr(payload_digest),
                             message=keep.ptr(message), message_len=blen(message))
        check(need("zk_sig_result_verify")(self._h(), enclave_key.handle, ctypes.byref(e)),
              "zk_sig_result_verify")


# -------------------------------------------------------- end-to-end chain
@dataclass
class ChainReport:
    stamp_digest: bytes
    notarization_digest: bytes
    ruling_digest: bytes
    result_digest: bytes


def verify_evidence_chain(*, body: Bytes, stamp: str, notarization: Bytes, ruling: Bytes,
                          sig_result: Bytes, policy_key: Key, notarizer_key: Key,
                          signer_key: Key, now_ms: int, notarization_max_age_ms: int,
                          stamp_is_webauthn: bool = False, message: Optional[Bytes] = None,
                          stamp_key: Optional[Key] = None, stamp_max_age_ms: int = 0,
                          stamp_max_future_ms: int = 0, check_stamp_timestamp: bool = True,
                          rp_id: Optional[str] = None, origins: Sequence[str] = (),
                          log_id: Optional[str] = None, checkpoint: Optional[Checkpoint] = None,
                          max_skew_ms: int = 0) -> ChainReport:
    """stamp -> notarization -> ruling -> signature result, each link checked.

    Raises EvidenceError (ZK_ERR_CHAIN_STAMP / _NOTARIZATION / _RULING / _RESULT)
    whose ``detail`` attribute holds the underlying status of the failed link.
    """
    keep = _Keep()
    stamp_b = stamp.encode()
    chain = EvidenceChainC(body=keep.ptr(body), body_len=blen(body), stamp=stamp_b,
                           stamp_len=len(stamp_b), stamp_is_webauthn=1 if stamp_is_webauthn else 0,
                           notarization=keep.ptr(notarization),
                           notarization_len=blen(notarization), ruling=keep.ptr(ruling),
                           ruling_len=blen(ruling), sig_result=keep.ptr(sig_result),
                           sig_result_len=blen(sig_result), message=keep.ptr(message),
                           message_len=blen(message))
    so = StampVerifyOptsC()
    so.key = stamp_key.handle if stamp_key is not None else None
    so.now_ms = now_ms
    so.max_age_ms = stamp_max_age_ms
    so.max_future_ms = stamp_max_future_ms
    so.flags = 0 if check_stamp_timestamp else 0x1
    so.rp_id = _cs(rp_id)
    enc = [o.encode() for o in origins]
    arr = (c_char_p * max(len(enc), 1))(*enc)
    so.origins = ctypes.cast(arr, POINTER(c_char_p)) if enc else None
    so.n_origins = len(enc)
    cp = None
    if checkpoint is not None:
        cp = CheckpointC(sequence=checkpoint.sequence, digest=_dig(checkpoint.digest, "digest"))
    trust = EvidenceTrustC(policy_key=policy_key.handle, notarizer_key=notarizer_key.handle,
                           signer_key=signer_key.handle, stamp_opts=ctypes.pointer(so),
                           log_id=_cs(log_id),
                           checkpoint=ctypes.pointer(cp) if cp is not None else None,
                           now_ms=now_ms, notarization_max_age_ms=notarization_max_age_ms,
                           max_skew_ms=max_skew_ms)
    rep = ChainReportC()
    st = need("zk_evidence_chain_verify")(ctypes.byref(rep), ctypes.byref(trust),
                                          ctypes.byref(chain))
    if st:
        err = make_error(st, "zk_evidence_chain_verify")
        err.detail = int(rep.detail)  # type: ignore[attr-defined]
        raise err
    return ChainReport(bytes(rep.stamp_digest), bytes(rep.notarization_digest),
                       bytes(rep.ruling_digest), bytes(rep.result_digest))


__all__ = ["kid", "digest", "Decision", "RulingInfo", "Ruling", "NotarizationInfo",
           "Notarization", "Checkpoint", "ChainResult", "verify_notarization_chain", "FetchInfo",
           "FetchProof", "cert_chain_digest", "SigScheme", "SigResultInfo", "SigResult",
           "ChainReport", "verify_evidence_chain"]
