"""Asymmetric keys and signatures (include/zerokey/key.h).

A :class:`Key` owns a ``zk_key *``. Private material lives in C memory and is
wiped by zk_key_free when the key is closed (``with`` block, :meth:`Key.close`)
or garbage collected.
"""

from __future__ import annotations

import ctypes
import enum
import weakref
from typing import Any, Optional

from ._buf import SecretOut
from ._lib import Bytes, blen, fn, inbuf, need
from .errors import ArgumentError, check


class Curve(enum.IntEnum):
    P256 = 1
    SECP256K1 = 2
    ED25519 = 3
    P384 = 4


class PubFormat(enum.IntEnum):
    COMPRESSED = 1  # SEC1 0x02/0x03 || X
    UNCOMPRESSED = 2  # SEC1 0x04 || X || Y
    RAW = 3  # Ed25519 32 bytes; EC X || Y
    SPKI_DER = 4  # DER SubjectPublicKeyInfo
    XONLY = 5  # BIP-340 x-only (secp256k1)


class SigFormat(enum.IntEnum):
    DER = 1  # ECDSA ASN.1 DER (strict)
    RAW = 2  # ECDSA r || s (P1363 / COSE)
    RECOVERABLE = 3  # secp256k1 r || s || v
    SCHNORR = 4  # secp256k1 BIP-340
    EDDSA = 5  # Ed25519


VERIFY_ALLOW_HIGH_S = 0x1

MAX_SECRET_LEN = 48
MAX_PUBKEY_LEN = 128
MAX_SIG_LEN = 104
RECOVERABLE_SIG_LEN = 65


def _default_format(curve: int) -> SigFormat:
    return SigFormat.EDDSA if curve == Curve.ED25519 else SigFormat.DER


def _new_key(fn_name: str, *args: Any) -> "Key":
    out = ctypes.c_void_p()
    check(need(fn_name)(ctypes.byref(out), *args), fn_name)
    return Key._adopt(out)


class Key:
    """A private or public key on P-256, secp256k1, Ed25519 or P-384.

    Create with :meth:`generate`, :meth:`from_private`, :meth:`from_public`,
    :meth:`from_spki` or :meth:`recover`; never with ``Key()`` directly.
    A Key may be shared between threads (the C object is const after creation).
    """

    __slots__ = ("_ptr", "_finalizer", "__weakref__")
    _ptr: Optional[int]

    def __init__(self) -> None:
        raise TypeError("use Key.generate / from_private / from_public / from_spki / recover")

    @classmethod
    def _adopt(cls, ptr: ctypes.c_void_p) -> "Key":
        self = object.__new__(cls)
        self._ptr = ptr.value
        self._finalizer = weakref.finalize(self, fn.zk_key_free, ptr.value)
        return self

    # --- construction -------------------------------------------------------
    @classmethod
    def generate(cls, curve: Curve) -> "Key":
        return _new_key("zk_key_generate", int(curve))

    @classmethod
    def from_private(cls, curve: Curve, secret: Bytes) -> "Key":
        """Import a big-endian scalar (32/48 bytes) or a 32-byte Ed25519 seed.

        The secret is read in place (no copy is made for bytes/bytearray); wipe
        a bytearray argument yourself afterwards if you no longer need it.
        """
        return _new_key("zk_key_from_private", int(curve), inbuf(secret), blen(secret))

    @classmethod
    def from_public(cls, curve: Curve, pub: Bytes) -> "Key":
        """SEC1 compressed/uncompressed, raw X||Y, Ed25519 32 bytes or BIP-340 x-only."""
        return _new_key("zk_key_from_public", int(curve), inbuf(pub), blen(pub))

    @classmethod
    def from_spki(cls, der: Bytes) -> "Key":
        return _new_key("zk_key_from_spki", inbuf(der), blen(der))

    @classmethod
    def recover(cls, sig: Bytes, digest: Bytes) -> "Key":
        """secp256k1 public key from a 65-byte r||s||v signature over a 32-byte digest."""
        return _new_key("zk_key_recover", inbuf(sig), blen(sig), inbuf(digest), blen(digest))

    # --- lifetime -----------------------------------------------------------
    @property
    def handle(self) -> int:
        """The raw ``zk_key *`` (for other wrappers); raises if the key was closed."""
        if self._ptr is None:
            raise ArgumentError(1, "key is closed")
        return self._ptr

    def close(self) -> None:
        """Wipe and free the C key now (idempotent)."""
        self._ptr = None
        self._finalizer()

    def __enter__(self) -> "Key":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- properties ---------------------------------------------------------
    @property
    def curve(self) -> Curve:
        return Curve(need("zk_key_curve")(self.handle))

    @property
    def has_private(self) -> bool:
        return bool(need("zk_key_has_private")(self.handle))

    @property
    def digest_len(self) -> int:
        return int(need("zk_key_digest_len")(self.handle))

    def public_equal(self, other: "Key") -> bool:
        return bool(need("zk_key_public_equal")(self.handle, other.handle))

    def public_copy(self) -> "Key":
        return _new_key("zk_key_public_copy", self.handle)

    def public_bytes(self, fmt: PubFormat = PubFormat.COMPRESSED) -> bytes:
        buf = ctypes.create_string_buffer(MAX_PUBKEY_LEN)
        n = ctypes.c_size_t(MAX_PUBKEY_LEN)
        check(need("zk_key_export_public")(self.handle, int(fmt), buf, ctypes.byref(n)),
              "zk_key_export_public")
        return buf.raw[: n.value]

    def export_private(self) -> bytearray:
        """The raw secret as a bytearray; wipe it (zerokey.wipe) when done."""
        out = SecretOut(MAX_SECRET_LEN)
        n = ctypes.c_size_t(MAX_SECRET_LEN)
        st = need("zk_key_export_private")(self.handle, out.c, ctypes.byref(n))
        return out.result(st, "zk_key_export_private", n.value)

    # --- signatures ---------------------------------------------------------
    def _fmt(self, fmt: Optional[SigFormat]) -> int:
        return int(fmt) if fmt is not None else int(_default_format(self.curve))

    def sign(self, msg: Bytes, fmt: Optional[SigFormat] = None) -> bytes:
        """Sign msg. Default format: DER for ECDSA curves, EDDSA for Ed25519.

        ECDSA hashes with the curve's hash and is deterministic (RFC 6979);
        SCHNORR signs the message bytes as given (BIP-340, fresh aux randomness).
        """
        buf = ctypes.create_string_buffer(MAX_SIG_LEN)
        n = ctypes.c_size_t(MAX_SIG_LEN)
        check(need("zk_key_sign")(self.handle, self._fmt(fmt), buf, ctypes.byref(n), inbuf(msg),
                                  blen(msg)), "zk_key_sign")
        return buf.raw[: n.value]

    def sign_digest(self, digest: Bytes, fmt: SigFormat = SigFormat.DER) -> bytes:
        """ECDSA over a precomputed digest of digest_len bytes (DER, RAW or RECOVERABLE)."""
        buf = ctypes.create_string_buffer(MAX_SIG_LEN)
        n = ctypes.c_size_t(MAX_SIG_LEN)
        check(need("zk_key_sign_digest")(self.handle, int(fmt), buf, ctypes.byref(n),
                                         inbuf(digest), blen(digest)), "zk_key_sign_digest")
        return buf.raw[: n.value]

    def verify(self, sig: Bytes, msg: Bytes, fmt: Optional[SigFormat] = None, *,
               allow_high_s: bool = False) -> None:
        """Verify a signature over msg; returns None or raises.

        Raises CryptoError: ZK_ERR_SIGNATURE (does not verify), ZK_ERR_SIG_ENCODING
        (malformed), ZK_ERR_HIGH_S (secp256k1 high-S unless allow_high_s).
        """
        flags = VERIFY_ALLOW_HIGH_S if allow_high_s else 0
        check(need("zk_key_verify")(self.handle, self._fmt(fmt), flags, inbuf(sig), blen(sig),
                                    inbuf(msg), blen(msg)), "zk_key_verify")

    def verify_digest(self, sig: Bytes, digest: Bytes, fmt: SigFormat = SigFormat.DER, *,
                      allow_high_s: bool = False) -> None:
        flags = VERIFY_ALLOW_HIGH_S if allow_high_s else 0
        check(need("zk_key_verify_digest")(self.handle, int(fmt), flags, inbuf(sig), blen(sig),
                                           inbuf(digest), blen(digest)), "zk_key_verify_digest")

    # --- key agreement ------------------------------------------------------
    def ecdh(self, peer: "Key") -> bytearray:
        """X coordinate of self * peer (self must hold a private key); a bytearray to wipe."""
        out = SecretOut(MAX_SECRET_LEN)
        n = ctypes.c_size_t(MAX_SECRET_LEN)
        st = need("zk_ecdh")(out.c, ctypes.byref(n), self.handle, peer.handle)
        return out.result(st, "zk_ecdh", n.value)

    def __repr__(self) -> str:
        if self._ptr is None:
            return "<zerokey.Key closed>"
        kind = "private" if self.has_private else "public"
        return f"<zerokey.Key {self.curve.name} {kind}>"


def _sig_convert(op: str, curve: Curve, sig: Bytes) -> bytes:
    buf = ctypes.create_string_buffer(MAX_SIG_LEN)
    n = ctypes.c_size_t(MAX_SIG_LEN)
    check(need(op)(buf, ctypes.byref(n), int(curve), inbuf(sig), blen(sig)), op)
    return buf.raw[: n.value]


def sig_der_to_raw(curve: Curve, der: Bytes) -> bytes:
    return _sig_convert("zk_sig_der_to_raw", curve, der)


def sig_raw_to_der(curve: Curve, raw: Bytes) -> bytes:
    return _sig_convert("zk_sig_raw_to_der", curve, raw)


__all__ = [
    "Curve", "PubFormat", "SigFormat", "Key", "sig_der_to_raw", "sig_raw_to_der",
    "VERIFY_ALLOW_HIGH_S",
]
