"""RFC 9180 HPKE with DHKEM(P-256, HKDF-SHA256) (include/zerokey/hpke.h)."""

from __future__ import annotations

import ctypes
import enum
from dataclasses import dataclass
from typing import Any, Optional

from ._buf import SecretOut
from ._handle import Closeable
from ._lib import Bytes, HpkeParamsC, blen, inbuf, need
from .errors import check
from .keys import Key

ENC_LEN = 65
TAG_LEN = 16


class Mode(enum.IntEnum):
    BASE = 0
    PSK = 1
    AUTH = 2
    AUTH_PSK = 3


class Aead(enum.IntEnum):
    AES_128_GCM = 0x0001
    AES_256_GCM = 0x0002
    CHACHA20_POLY1305 = 0x0003
    EXPORT_ONLY = 0xFFFF


@dataclass
class Params:
    """HPKE parameters shared by sender and receiver.

    auth_key: sender side, the sender's private key; receiver side, the sender's public key.
    """

    mode: Mode = Mode.BASE
    aead: Aead = Aead.AES_256_GCM
    info: bytes = b""
    psk: Optional[Bytes] = None
    psk_id: Optional[Bytes] = None
    auth_key: Optional[Key] = None


class _CParams:
    """Keeps the ctypes structure and the buffers it points to alive for one call."""

    def __init__(self, p: Params) -> None:
        self._refs: list[Any] = []
        s = HpkeParamsC()
        s.mode = int(p.mode)
        s.aead = int(p.aead)
        for field, value in (("info", p.info), ("psk", p.psk), ("psk_id", p.psk_id)):
            if value is not None and blen(value):
                b = inbuf(value)
                if isinstance(b, bytes):
                    cp = ctypes.c_char_p(b)  # points at the bytes' own buffer, no copy
                    self._refs.append((b, cp))
                    addr = ctypes.cast(cp, ctypes.c_void_p).value
                else:
                    self._refs.append(b)
                    addr = ctypes.addressof(b)
                setattr(s, field, addr)
                setattr(s, field + "_len", blen(value))
        s.auth_key = p.auth_key.handle if p.auth_key is not None else None
        self.struct = s

    def ref(self) -> Any:
        return ctypes.byref(self.struct)


def derive_keypair(ikm: Bytes) -> Key:
    """RFC 9180 DeriveKeyPair: a deterministic P-256 private key from >= 32 bytes of ikm."""
    out = ctypes.c_void_p()
    check(need("zk_hpke_derive_keypair")(ctypes.byref(out), inbuf(ikm), blen(ikm)),
          "zk_hpke_derive_keypair")
    return Key._adopt(out)


class Context(Closeable):
    """A sender or receiver context (not thread-safe: the sequence number mutates)."""

    __slots__ = ("_ptr",)

    def __init__(self) -> None:
        raise TypeError("use Context.sender(...) or Context.receiver(...)")

    @classmethod
    def sender(cls, params: Params, pk_r: Key) -> tuple["Context", bytes]:
        """SetupS: returns (context, enc) where enc is the 65-byte encapsulated key."""
        cp = _CParams(params)
        out = ctypes.c_void_p()
        enc = ctypes.create_string_buffer(ENC_LEN)
        check(need("zk_hpke_setup_sender")(ctypes.byref(out), enc, ENC_LEN, cp.ref(),
                                           pk_r.handle), "zk_hpke_setup_sender")
        return cls._adopt(out), enc.raw

    @classmethod
    def receiver(cls, params: Params, sk_r: Key, enc: Bytes) -> "Context":
        cp = _CParams(params)
        out = ctypes.c_void_p()
        check(need("zk_hpke_setup_receiver")(ctypes.byref(out), cp.ref(), sk_r.handle,
                                             inbuf(enc), blen(enc)), "zk_hpke_setup_receiver")
        return cls._adopt(out)

    def _h(self) -> int:
        if self._ptr is None:
            raise ValueError("HPKE context is closed")
        return self._ptr

    def seal(self, plaintext: Bytes, aad: Optional[Bytes] = None) -> bytes:
        cap = blen(plaintext) + TAG_LEN
        ct = ctypes.create_string_buffer(cap)
        n = ctypes.c_size_t(cap)
        check(need("zk_hpke_seal")(self._h(), ct, ctypes.byref(n), inbuf(aad), blen(aad),
                                   inbuf(plaintext), blen(plaintext)), "zk_hpke_seal")
        return ct.raw[: n.value]

    def open(self, ciphertext: Bytes, aad: Optional[Bytes] = None) -> bytearray:
        cap = max(blen(ciphertext) - TAG_LEN, 0)
        out = SecretOut(cap)
        n = ctypes.c_size_t(cap)
        st = need("zk_hpke_open")(self._h(), out.c, ctypes.byref(n), inbuf(aad), blen(aad),
                                  inbuf(ciphertext), blen(ciphertext))
        return out.result(st, "zk_hpke_open", n.value)

    def export(self, exporter_context: Bytes, length: int) -> bytearray:
        out = SecretOut(length)
        st = need("zk_hpke_export")(self._h(), out.c, length, inbuf(exporter_context),
                                    blen(exporter_context))
        return out.result(st, "zk_hpke_export", length)

    @property
    def seq(self) -> int:
        return int(need("zk_hpke_ctx_seq")(self._h()))

    def close(self) -> None:
        """Wipe and free the context (idempotent)."""
        if self._ptr is not None:
            need("zk_hpke_ctx_free")(self._ptr)
            self._ptr = None


def seal(params: Params, pk_r: Key, plaintext: Bytes,
         aad: Optional[Bytes] = None) -> tuple[bytes, bytes]:
    """Single-shot seal; returns (enc, ciphertext || tag)."""
    cp = _CParams(params)
    enc = ctypes.create_string_buffer(ENC_LEN)
    cap = blen(plaintext) + TAG_LEN
    ct = ctypes.create_string_buffer(cap)
    n = ctypes.c_size_t(cap)
    check(need("zk_hpke_seal_once")(enc, ENC_LEN, ct, ctypes.byref(n), cp.ref(), pk_r.handle,
                                    inbuf(aad), blen(aad), inbuf(plaintext), blen(plaintext)),
          "zk_hpke_seal_once")
    return enc.raw, ct.raw[: n.value]


def open(params: Params, sk_r: Key, enc: Bytes, ciphertext: Bytes,  # noqa: A001
         aad: Optional[Bytes] = None) -> bytearray:
    """Single-shot open; returns the plaintext (a bytearray to wipe when done)."""
    cp = _CParams(params)
    cap = max(blen(ciphertext) - TAG_LEN, 0)
    out = SecretOut(cap)
    n = ctypes.c_size_t(cap)
    st = need("zk_hpke_open_once")(out.c, ctypes.byref(n), cp.ref(), sk_r.handle, inbuf(enc),
                                   blen(enc), inbuf(aad), blen(aad), inbuf(ciphertext),
                                   blen(ciphertext))
    return out.result(st, "zk_hpke_open_once", n.value)


__all__ = ["Mode", "Aead", "Params", "Context", "derive_keypair", "seal", "open", "ENC_LEN",
           "TAG_LEN"]
