"""Hashes, HMAC, HKDF, AES-GCM and randomness (include/zerokey/crypto.h, common.h)."""

from __future__ import annotations

import ctypes
import enum
from typing import Optional

from ._buf import SecretOut
from ._lib import Bytes, blen, inbuf, need
from .errors import check


class HashAlg(enum.IntEnum):
    SHA256 = 1
    SHA384 = 2
    SHA512 = 3


SHA256_LEN = 32
SHA384_LEN = 48
SHA512_LEN = 64
AES_GCM_NONCE_LEN = 12
AES_GCM_TAG_LEN = 16


def hash_len(alg: HashAlg) -> int:
    """Digest length of alg (0 if the library does not know it)."""
    return int(need("zk_hash_len")(int(alg)))


def _hlen(alg: HashAlg) -> int:
    n = hash_len(alg)
    # An unknown algorithm: let the C call report ZK_ERR_ARG with a 1-byte buffer.
    return n if n else 1


def digest(alg: HashAlg, data: Bytes) -> bytes:
    """H(data) with SHA-256/384/512."""
    n = _hlen(alg)
    out = ctypes.create_string_buffer(n)
    check(need("zk_hash")(int(alg), out, n, inbuf(data), blen(data)), "zk_hash")
    return out.raw


def sha256(data: Bytes) -> bytes:
    return digest(HashAlg.SHA256, data)


def sha384(data: Bytes) -> bytes:
    return digest(HashAlg.SHA384, data)


def sha512(data: Bytes) -> bytes:
    return digest(HashAlg.SHA512, data)


def hmac(alg: HashAlg, key: Bytes, msg: Bytes) -> bytes:
    """HMAC-H(key, msg), full length."""
    n = _hlen(alg)
    out = ctypes.create_string_buffer(n)
    check(need("zk_hmac")(int(alg), out, n, inbuf(key), blen(key), inbuf(msg), blen(msg)),
          "zk_hmac")
    return out.raw


def hmac_verify(alg: HashAlg, key: Bytes, msg: Bytes, tag: Bytes) -> None:
    """Constant-time check of a (possibly truncated, >= 16 bytes) HMAC tag.

    Raises CryptoError (ZK_ERR_MAC, ZK_ERR_TAG_SIZE) or ArgumentError.
    """
    check(need("zk_hmac_verify")(int(alg), inbuf(tag), blen(tag), inbuf(key), blen(key),
                                 inbuf(msg), blen(msg)), "zk_hmac_verify")


def hkdf(alg: HashAlg, ikm: Bytes, length: int, *, salt: Optional[Bytes] = None,
         info: Optional[Bytes] = None) -> bytearray:
    """RFC 5869 HKDF. Returns a bytearray (wipe it with zerokey.wipe when done)."""
    out = SecretOut(length)
    st = need("zk_hkdf")(int(alg), out.c, length, inbuf(salt), blen(salt), inbuf(ikm), blen(ikm),
                         inbuf(info), blen(info))
    return out.result(st, "zk_hkdf", length)


def hkdf_extract(alg: HashAlg, ikm: Bytes, salt: Optional[Bytes] = None) -> bytearray:
    n = _hlen(alg)
    out = SecretOut(n)
    st = need("zk_hkdf_extract")(int(alg), out.c, n, inbuf(salt), blen(salt), inbuf(ikm),
                                 blen(ikm))
    return out.result(st, "zk_hkdf_extract", n)


def hkdf_expand(alg: HashAlg, prk: Bytes, length: int, info: Optional[Bytes] = None) -> bytearray:
    out = SecretOut(length)
    st = need("zk_hkdf_expand")(int(alg), out.c, length, inbuf(prk), blen(prk), inbuf(info),
                                blen(info))
    return out.result(st, "zk_hkdf_expand", length)


def aes_gcm_seal(key: Bytes, nonce: Bytes, plaintext: Bytes,
                 aad: Optional[Bytes] = None) -> tuple[bytes, bytes]:
    """AES-GCM (128/192/256-bit key, 12-byte nonce). Returns (ciphertext, 16-byte tag)."""
    n = blen(plaintext)
    ct = ctypes.create_string_buffer(n)
    tag = ctypes.create_string_buffer(AES_GCM_TAG_LEN)
    check(need("zk_aes_gcm_seal")(ct, tag, AES_GCM_TAG_LEN, inbuf(key), blen(key), inbuf(nonce),
                                  blen(nonce), inbuf(aad), blen(aad), inbuf(plaintext), n),
          "zk_aes_gcm_seal")
    return ct.raw[:n], tag.raw


def aes_gcm_open(key: Bytes, nonce: Bytes, ciphertext: Bytes, tag: Bytes,
                 aad: Optional[Bytes] = None) -> bytearray:
    """Authenticated decryption; raises CryptoError(ZK_ERR_DECRYPT) on any mismatch.

    The plaintext is returned as a bytearray (wipe it when done); nothing is
    released on failure.
    """
    n = blen(ciphertext)
    out = SecretOut(n)
    st = need("zk_aes_gcm_open")(out.c, inbuf(key), blen(key), inbuf(nonce), blen(nonce),
                                 inbuf(aad), blen(aad), inbuf(ciphertext), n, inbuf(tag),
                                 blen(tag))
    return out.result(st, "zk_aes_gcm_open", n)


def random_bytes(n: int) -> bytearray:
    """n bytes from the library's CSPRNG (OpenSSL DRBG), as a wipeable bytearray."""
    out = SecretOut(n)
    st = need("zk_random")(out.c, n)
    return out.result(st, "zk_random", n)


def ct_equal(a: Bytes, b: Bytes) -> bool:
    """Constant-time equality (False at once if the lengths differ; lengths are public)."""
    if blen(a) != blen(b):
        return False
    return bool(need("zk_ct_equal")(inbuf(a), inbuf(b), blen(a)))


__all__ = [
    "HashAlg", "hash_len", "digest", "sha256", "sha384", "sha512", "hmac", "hmac_verify", "hkdf",
    "hkdf_extract", "hkdf_expand", "aes_gcm_seal", "aes_gcm_open", "random_bytes", "ct_equal",
    "SHA256_LEN", "SHA384_LEN", "SHA512_LEN", "AES_GCM_NONCE_LEN", "AES_GCM_TAG_LEN",
]
