"""Request stamps: X-Stamp (API keys) and X-Stamp-Webauthn (passkeys) (include/zerokey/stamp.h).

A stamp proves that an exact request body came from a credential. Parsing
never verifies; :meth:`Stamp.verify` checks the signature over the exact body
bytes and then the body's ``timestampMs`` replay window.
"""

from __future__ import annotations

import ctypes
import enum
from typing import Optional, Sequence, Union

from ._handle import Closeable
from ._lib import Bytes, StampVerifyOptsC, blen, inbuf, need, take_malloced
from ._lib import utf8 as _text
from .errors import check
from .keys import Key

DIGEST_LEN = 32
DEFAULT_MAX_AGE_MS = 3_600_000
DEFAULT_MAX_FUTURE_MS = 30_000
NO_TIMESTAMP = 0x1
REQUIRE_UV = 0x2
ALLOW_CROSS_ORIGIN = 0x4

# WebAuthn authenticator-data flag bits (for create_webauthn).
FLAG_UP = 0x01
FLAG_UV = 0x04


class Scheme(enum.IntEnum):
    NONE = 0
    P256 = 1
    SECP256K1 = 2
    ED25519 = 3
    SECP256K1_EIP191 = 4
    WEBAUTHN = 5


def scheme_name(scheme: Scheme) -> str:
    """Canonical scheme string ("SIGNATURE_SCHEME_TK_API_P256", ..., "WEBAUTHN")."""
    return str(need("zk_stamp_scheme_name")(int(scheme)).decode("ascii"))


def create(key: Key, scheme: Scheme, body: Bytes) -> str:
    """An X-Stamp header value for body (deterministic for ECDSA keys)."""
    out = ctypes.c_void_p()
    n = ctypes.c_size_t(0)
    check(need("zk_stamp_create")(ctypes.byref(out), ctypes.byref(n), key.handle, int(scheme),
                                  inbuf(body), blen(body)), "zk_stamp_create")
    return take_malloced(out, n.value).decode("ascii")


def create_webauthn(key: Key, credential_id: Bytes, rp_id: str, origin: str, body: Bytes, *,
                    flags: int = FLAG_UP | FLAG_UV, sign_count: int = 0) -> str:
    """An X-Stamp-Webauthn header value, as a software authenticator would produce it."""
    out = ctypes.c_void_p()
    n = ctypes.c_size_t(0)
    check(need("zk_stamp_create_webauthn")(ctypes.byref(out), ctypes.byref(n), key.handle,
                                           inbuf(credential_id), blen(credential_id),
                                           rp_id.encode(), origin.encode(), flags, sign_count,
                                           inbuf(body), blen(body)), "zk_stamp_create_webauthn")
    return take_malloced(out, n.value).decode("utf-8")


def check_timestamp(body: Bytes, now_ms: int, max_age_ms: int = 0, max_future_ms: int = 0) -> int:
    """Replay-window check of the body's timestampMs alone; returns the timestamp."""
    ts = ctypes.c_uint64(0)
    check(need("zk_stamp_check_timestamp")(ctypes.byref(ts), inbuf(body), blen(body), now_ms,
                                           max_age_ms, max_future_ms), "zk_stamp_check_timestamp")
    return int(ts.value)


def _field(name: str, ptr: int) -> Optional[bytes]:
    n = ctypes.c_size_t(0)
    p = need(name)(ptr, ctypes.byref(n))
    return ctypes.string_at(p, n.value) if p else None


class Stamp(Closeable):
    """A parsed (UNVERIFIED) stamp. Use :meth:`parse` or :meth:`parse_webauthn`."""

    __slots__ = ("_ptr", "scheme", "public_key", "signature", "credential_id", "sign_count",
                 "digest")

    def __init__(self) -> None:
        raise TypeError("use Stamp.parse(header) or Stamp.parse_webauthn(header)")

    @classmethod
    def _parse(cls, fn_name: str, header: Union[str, Bytes]) -> "Stamp":
        text = _text(header)
        out = ctypes.c_void_p()
        check(need(fn_name)(ctypes.byref(out), text, len(text)), fn_name)
        self = object.__new__(cls)
        self._ptr = out.value
        self.scheme = Scheme(need("zk_stamp_get_scheme")(self._ptr))
        self.public_key: Optional[bytes] = _field("zk_stamp_public_key", self._ptr)
        self.signature: bytes = _field("zk_stamp_signature", self._ptr) or b""
        self.credential_id: Optional[bytes] = _field("zk_stamp_credential_id", self._ptr)
        self.sign_count: int = int(need("zk_stamp_sign_count")(self._ptr))
        d = ctypes.create_string_buffer(DIGEST_LEN)
        check(need("zk_stamp_digest")(self._ptr, d), "zk_stamp_digest")
        self.digest: bytes = d.raw
        return self

    @classmethod
    def parse(cls, header: Union[str, Bytes]) -> "Stamp":
        """Parse an X-Stamp header value (base64url JSON)."""
        return cls._parse("zk_stamp_parse", header)

    @classmethod
    def parse_webauthn(cls, header: Union[str, Bytes]) -> "Stamp":
        """Parse an X-Stamp-Webauthn header value (plain JSON)."""
        return cls._parse("zk_stamp_parse_webauthn", header)

    def verify(self, body: Bytes, *, now_ms: int, key: Optional[Key] = None,
               max_age_ms: int = 0, max_future_ms: int = 0, check_timestamp: bool = True,
               require_uv: bool = False, allow_cross_origin: bool = False,
               rp_id: Optional[str] = None, origins: Sequence[str] = ()) -> None:
        """Verify the signature over the exact body bytes, then the replay window.

        key: for API-key stamps, an optional pinned key (ZK_ERR_EV_SIGNER if it
        differs); for WebAuthn stamps, the registered credential key (required),
        together with rp_id and the allowed origins. Raises on failure.
        """
        if self._ptr is None:
            raise ValueError("stamp is closed")
        opts = StampVerifyOptsC()
        opts.key = key.handle if key is not None else None
        opts.now_ms = now_ms
        opts.max_age_ms = max_age_ms
        opts.max_future_ms = max_future_ms
        opts.flags = ((0 if check_timestamp else NO_TIMESTAMP) | (REQUIRE_UV if require_uv else 0)
                      | (ALLOW_CROSS_ORIGIN if allow_cross_origin else 0))
        rp = rp_id.encode() if rp_id is not None else None
        opts.rp_id = rp
        enc = [o.encode() for o in origins]
        arr = (ctypes.c_char_p * max(len(enc), 1))(*enc)
        opts.origins = ctypes.cast(arr, ctypes.POINTER(ctypes.c_char_p)) if enc else None
        opts.n_origins = len(enc)
        check(need("zk_stamp_verify")(self._ptr, inbuf(body), blen(body), ctypes.byref(opts)),
              "zk_stamp_verify")

    def close(self) -> None:
        if self._ptr is not None:
            need("zk_stamp_free")(self._ptr)
            self._ptr = None


__all__ = ["Scheme", "Stamp", "create", "create_webauthn", "check_timestamp", "scheme_name",
           "NO_TIMESTAMP", "REQUIRE_UV", "ALLOW_CROSS_ORIGIN", "FLAG_UP", "FLAG_UV", "DIGEST_LEN"]
