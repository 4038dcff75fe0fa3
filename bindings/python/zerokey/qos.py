"""QuorumOS key sets, signatures and the QOS share envelope (include/zerokey/qos.h)."""

from __future__ import annotations

import ctypes
from typing import Optional, Union

from ._buf import SecretOut
from ._handle import Closeable
from ._lib import Bytes, blen, inbuf, need, take_malloced
from .errors import check

SEED_LEN = 32
PUBLIC_LEN = 130
SIG_LEN = 64


class KeySet(Closeable):
    """A QOS key set (encrypt half, sign half, AES key) derived from a 32-byte seed.

    The seed and private halves live in C memory and are wiped on close().
    """

    __slots__ = ("_ptr",)

    def __init__(self) -> None:
        raise TypeError("use KeySet.from_seed / from_hex / generate")

    @classmethod
    def from_seed(cls, seed: Bytes) -> "KeySet":
        out = ctypes.c_void_p()
        check(need("zk_qos_keyset_from_seed")(ctypes.byref(out), inbuf(seed), blen(seed)),
              "zk_qos_keyset_from_seed")
        return cls._adopt(out)

    @classmethod
    def from_hex(cls, text: Union[str, Bytes]) -> "KeySet":
        """The QOS secret file format: 64 hex digits, optional 0x, at most one trailing newline."""
        data = text.encode() if isinstance(text, str) else bytes(text)
        out = ctypes.c_void_p()
        check(need("zk_qos_keyset_from_hex")(ctypes.byref(out), data, len(data)),
              "zk_qos_keyset_from_hex")
        return cls._adopt(out)

    @classmethod
    def generate(cls) -> "KeySet":
        out = ctypes.c_void_p()
        check(need("zk_qos_keyset_generate")(ctypes.byref(out)), "zk_qos_keyset_generate")
        return cls._adopt(out)

    def _h(self) -> int:
        if self._ptr is None:
            raise ValueError("key set is closed")
        return self._ptr

    @property
    def public(self) -> bytes:
        """The 130-byte public key: encrypt half (65) || sign half (65)."""
        return ctypes.string_at(need("zk_qos_keyset_public")(self._h()), PUBLIC_LEN)

    def seed(self) -> bytearray:
        """The master seed (a secret: wipe it when done)."""
        out = SecretOut(SEED_LEN)
        st = need("zk_qos_keyset_seed")(self._h(), out.c, SEED_LEN)
        return out.result(st, "zk_qos_keyset_seed", SEED_LEN)

    def sign(self, msg: Bytes) -> bytes:
        """ECDSA P-256 / SHA-256 / RFC 6979 with the sign half; raw r || s."""
        sig = ctypes.create_string_buffer(SIG_LEN)
        check(need("zk_qos_sign")(self._h(), sig, SIG_LEN, inbuf(msg), blen(msg)), "zk_qos_sign")
        return sig.raw

    def open_envelope(self, envelope: Bytes) -> bytearray:
        """Decrypt a QOS envelope addressed to this key set's encrypt half."""
        out = ctypes.c_void_p()
        n = ctypes.c_size_t(0)
        check(need("zk_qos_envelope_open")(self._h(), ctypes.byref(out), ctypes.byref(n),
                                           inbuf(envelope), blen(envelope)),
              "zk_qos_envelope_open")
        res = SecretOut(n.value)
        if n.value:
            ctypes.memmove(ctypes.addressof(res.c), out.value, n.value)
        need("zk_free_secret")(out, n.value)
        return res.finish(n.value)

    def close(self) -> None:
        if self._ptr is not None:
            need("zk_qos_keyset_free")(self._ptr)
            self._ptr = None


class PublicKey(Closeable):
    """A validated 130-byte QOS public key."""

    __slots__ = ("_ptr",)

    def __init__(self, pub: Bytes) -> None:
        out = ctypes.c_void_p()
        self._ptr: Optional[int] = None
        check(need("zk_qos_pubkey_parse")(ctypes.byref(out), inbuf(pub), blen(pub)),
              "zk_qos_pubkey_parse")
        self._ptr = out.value

    def _h(self) -> int:
        if self._ptr is None:
            raise ValueError("public key is closed")
        return self._ptr

    def __bytes__(self) -> bytes:
        return ctypes.string_at(need("zk_qos_pubkey_bytes")(self._h()), PUBLIC_LEN)

    def verify(self, sig: Bytes, msg: Bytes) -> None:
        check(need("zk_qos_pubkey_verify")(self._h(), inbuf(sig), blen(sig), inbuf(msg),
                                           blen(msg)), "zk_qos_pubkey_verify")

    def seal_envelope(self, plaintext: Bytes) -> bytes:
        """Encrypt to the encrypt half (fresh ephemeral key and nonce)."""
        out = ctypes.c_void_p()
        n = ctypes.c_size_t(0)
        check(need("zk_qos_envelope_seal")(ctypes.byref(out), ctypes.byref(n), self._h(),
                                           inbuf(plaintext), blen(plaintext)),
              "zk_qos_envelope_seal")
        return take_malloced(out, n.value)

    def close(self) -> None:
        if self._ptr is not None:
            need("zk_qos_pubkey_free")(self._ptr)
            self._ptr = None


def verify(pub: Bytes, sig: Bytes, msg: Bytes) -> None:
    """Parse a 130-byte QOS public key and verify a raw r || s signature by its sign half."""
    check(need("zk_qos_verify")(inbuf(pub), blen(pub), inbuf(sig), blen(sig), inbuf(msg),
                                blen(msg)), "zk_qos_verify")


__all__ = ["KeySet", "PublicKey", "verify", "SEED_LEN", "PUBLIC_LEN", "SIG_LEN"]
