"""QuorumOS manifests, approvals, manifest envelopes and PCR commitments
(include/zerokey/qos_manifest.h).

The manifest hash is SHA-256 of the borsh encoding; approvals are QOS
signatures over that 32-byte hash. Parsing never checks approvals: call
:meth:`Manifest.verify_approvals` or :meth:`ManifestEnvelope.verify_approvals`.
"""

from __future__ import annotations

import ctypes
import enum
from ctypes import POINTER, c_char_p, c_int, c_size_t, c_uint, c_uint32, c_void_p
from typing import Optional, Sequence, Union

from ._handle import Closeable
from ._lib import Bytes, _declare, blen, inbuf, need, take_malloced
from ._lib import utf8 as _text
from .errors import check
from .qos import KeySet

HASH_LEN = 32
PCR_LEN = 48
ENV_NO_SHARE_APPROVALS = 0x1
ENV_SHARE_APPROVALS = 0x2


class Version(enum.IntEnum):
    AUTO = -1
    V0 = 0
    V1 = 1


class SetKind(enum.IntEnum):
    MANIFEST = 1
    SHARE = 2
    PATCH = 3


class Commitment(enum.IntEnum):
    SETUP = 16  # PCR16
    LIVE = 17  # PCR17


_pp = POINTER(c_void_p)
_sp = POINTER(c_size_t)
_declare("zk_qos_manifest_parse_borsh", c_int, _pp, c_void_p, c_size_t, c_int)
_declare("zk_qos_manifest_parse_json", c_int, _pp, c_char_p, c_size_t)
_declare("zk_qos_manifest_serialize_borsh", c_int, c_void_p, _pp, _sp)
_declare("zk_qos_manifest_hash", c_void_p, c_void_p)
_declare("zk_qos_manifest_version_of", c_int, c_void_p)
_declare("zk_qos_manifest_namespace", c_char_p, c_void_p)
_declare("zk_qos_manifest_nonce", c_uint32, c_void_p)
_declare("zk_qos_manifest_quorum_key", c_void_p, c_void_p, _sp)
_declare("zk_qos_manifest_pivot_hash", c_void_p, c_void_p)
_declare("zk_qos_manifest_pcr", c_void_p, c_void_p, c_uint, _sp)
_declare("zk_qos_manifest_threshold", c_uint32, c_void_p, c_int)
_declare("zk_qos_manifest_member_count", c_size_t, c_void_p, c_int)
_declare("zk_qos_manifest_member", c_int, c_void_p, c_int, c_size_t, POINTER(c_char_p), _pp, _sp)
_declare("zk_qos_manifest_free", None, c_void_p)
_declare("zk_qos_manifest_verify_approvals", c_int, c_void_p, c_int, POINTER(c_void_p), c_size_t)
_declare("zk_qos_approval_sign", c_int, _pp, c_void_p, c_char_p, c_void_p)
_declare("zk_qos_approval_new", c_int, _pp, c_void_p, c_size_t, c_char_p, c_void_p, c_size_t)
_declare("zk_qos_approval_free", None, c_void_p)
_declare("zk_qos_envelope_parse_borsh", c_int, _pp, c_void_p, c_size_t, c_int)
_declare("zk_qos_envelope_parse_json", c_int, _pp, c_char_p, c_size_t)
_declare("zk_qos_envelope_new", c_int, _pp, c_void_p)
_declare("zk_qos_envelope_add_approval", c_int, c_void_p, c_int, c_void_p)
_declare("zk_qos_envelope_serialize_borsh", c_int, c_void_p, _pp, _sp)
_declare("zk_qos_envelope_manifest", c_void_p, c_void_p)
_declare("zk_qos_envelope_approval_count", c_size_t, c_void_p, c_int)
_declare("zk_qos_envelope_free", None, c_void_p)
_declare("zk_qos_envelope_verify_approvals", c_int, c_void_p, c_uint)
_declare("zk_qos_canonical_json", c_int, _pp, _sp, c_char_p, c_size_t)
_declare("zk_qos_pcr_commitment", c_int, c_void_p, c_void_p, c_int, c_void_p, c_size_t, c_void_p,
         c_size_t)
_declare("zk_qos_pcr3_from_arn", c_int, c_void_p, c_char_p, c_size_t)


class _Owned(Closeable):
    _free = ""
    __slots__ = ("_ptr", "_owner")

    def _h(self) -> int:
        if self._ptr is None:
            raise ValueError("object is closed")
        return self._ptr

    def close(self) -> None:
        if self._ptr is not None and self._owner is None:
            need(self._free)(self._ptr)
        self._ptr = None


def _adopt(cls, ptr: Optional[int], owner: object = None):  # type: ignore[no-untyped-def]
    self = object.__new__(cls)
    self._ptr = ptr
    self._owner = owner  # borrowed objects keep their owner alive and are not freed
    return self


def _parse_json(cls, name: str, text: Union[str, Bytes]):  # type: ignore[no-untyped-def]
    data = _text(text)
    out = c_void_p()
    check(need(name)(ctypes.byref(out), data, len(data)), name)
    return _adopt(cls, out.value)


def _parse_borsh(cls, name: str, data: Bytes, version: Version):  # type: ignore[no-untyped-def]
    out = c_void_p()
    check(need(name)(ctypes.byref(out), inbuf(data), blen(data), int(version)), name)
    return _adopt(cls, out.value)


def _serialize_borsh(obj: _Owned, name: str) -> bytes:
    out = c_void_p()
    n = c_size_t(0)
    check(need(name)(obj._h(), ctypes.byref(out), ctypes.byref(n)), name)
    return take_malloced(out, n.value)


class Manifest(_Owned):
    """A parsed QOS manifest (V0 or V1)."""

    _free = "zk_qos_manifest_free"
    __slots__ = ()

    @classmethod
    def parse_json(cls, text: Union[str, Bytes]) -> "Manifest":
        return _parse_json(cls, "zk_qos_manifest_parse_json", text)  # type: ignore[no-any-return]

    @classmethod
    def parse_borsh(cls, data: Bytes, version: Version = Version.AUTO) -> "Manifest":
        return _parse_borsh(cls, "zk_qos_manifest_parse_borsh", data,  # type: ignore[no-any-return]
                            version)

    def serialize_borsh(self) -> bytes:
        return _serialize_borsh(self, "zk_qos_manifest_serialize_borsh")

    @property
    def hash(self) -> bytes:
        """SHA-256 of the borsh encoding (what approvals sign)."""
        return ctypes.string_at(need("zk_qos_manifest_hash")(self._h()), HASH_LEN)

    @property
    def version(self) -> int:
        return int(need("zk_qos_manifest_version_of")(self._h()))

    @property
    def namespace(self) -> str:
        return str(need("zk_qos_manifest_namespace")(self._h()).decode("utf-8"))

    @property
    def nonce(self) -> int:
        return int(need("zk_qos_manifest_nonce")(self._h()))

    @property
    def quorum_key(self) -> bytes:
        n = c_size_t(0)
        p = need("zk_qos_manifest_quorum_key")(self._h(), ctypes.byref(n))
        return ctypes.string_at(p, n.value) if p else b""

    @property
    def pivot_hash(self) -> bytes:
        return ctypes.string_at(need("zk_qos_manifest_pivot_hash")(self._h()), 32)

    def pcr(self, index: int) -> Optional[bytes]:
        n = c_size_t(0)
        p = need("zk_qos_manifest_pcr")(self._h(), index, ctypes.byref(n))
        return ctypes.string_at(p, n.value) if p else None

    def threshold(self, kind: SetKind) -> int:
        return int(need("zk_qos_manifest_threshold")(self._h(), int(kind)))

    def members(self, kind: SetKind) -> list[tuple[str, bytes]]:
        """(alias, public key) of every member of a set."""
        out = []
        for i in range(int(need("zk_qos_manifest_member_count")(self._h(), int(kind)))):
            alias = c_char_p()
            pub = c_void_p()
            n = c_size_t(0)
            check(need("zk_qos_manifest_member")(self._h(), int(kind), i, ctypes.byref(alias),
                                                 ctypes.byref(pub), ctypes.byref(n)),
                  "zk_qos_manifest_member")
            out.append(((alias.value or b"").decode("utf-8"), ctypes.string_at(pub, n.value)))
        return out

    def verify_approvals(self, kind: SetKind, approvals: Sequence["Approval"]) -> None:
        """Approvals from distinct members of the set, valid over the hash, meeting the threshold."""
        arr = (c_void_p * max(len(approvals), 1))(*[a._h() for a in approvals])
        check(need("zk_qos_manifest_verify_approvals")(self._h(), int(kind), arr, len(approvals)),
              "zk_qos_manifest_verify_approvals")


class Approval(_Owned):
    """A member's signature over a manifest hash."""

    _free = "zk_qos_approval_free"
    __slots__ = ()

    @classmethod
    def sign(cls, keyset: KeySet, alias: str, manifest: Manifest) -> "Approval":
        out = c_void_p()
        check(need("zk_qos_approval_sign")(ctypes.byref(out), keyset._h(), alias.encode(),
                                           manifest._h()), "zk_qos_approval_sign")
        return _adopt(cls, out.value)  # type: ignore[no-any-return]

    @classmethod
    def new(cls, signature: Bytes, alias: str, pub: Bytes) -> "Approval":
        out = c_void_p()
        check(need("zk_qos_approval_new")(ctypes.byref(out), inbuf(signature), blen(signature),
                                          alias.encode(), inbuf(pub), blen(pub)),
              "zk_qos_approval_new")
        return _adopt(cls, out.value)  # type: ignore[no-any-return]


class ManifestEnvelope(_Owned):
    """A manifest with its manifest-set and share-set approvals."""

    _free = "zk_qos_envelope_free"
    __slots__ = ()

    @classmethod
    def parse_json(cls, text: Union[str, Bytes]) -> "ManifestEnvelope":
        return _parse_json(cls, "zk_qos_envelope_parse_json", text)  # type: ignore[no-any-return]

    @classmethod
    def parse_borsh(cls, data: Bytes, version: Version = Version.AUTO) -> "ManifestEnvelope":
        return _parse_borsh(cls, "zk_qos_envelope_parse_borsh", data,  # type: ignore[no-any-return]
                            version)

    @classmethod
    def new(cls, manifest: Manifest) -> "ManifestEnvelope":
        out = c_void_p()
        check(need("zk_qos_envelope_new")(ctypes.byref(out), manifest._h()),
              "zk_qos_envelope_new")
        return _adopt(cls, out.value)  # type: ignore[no-any-return]

    def add_approval(self, kind: SetKind, approval: Approval) -> None:
        check(need("zk_qos_envelope_add_approval")(self._h(), int(kind), approval._h()),
              "zk_qos_envelope_add_approval")

    def serialize_borsh(self) -> bytes:
        return _serialize_borsh(self, "zk_qos_envelope_serialize_borsh")

    @property
    def manifest(self) -> Manifest:
        """The manifest inside (borrowed: valid while this envelope is open)."""
        return _adopt(Manifest, need("zk_qos_envelope_manifest")(self._h()), self)  # type: ignore[no-any-return]

    def approval_count(self, kind: SetKind) -> int:
        return int(need("zk_qos_envelope_approval_count")(self._h(), int(kind)))

    def verify_approvals(self, flags: int = 0) -> None:
        check(need("zk_qos_envelope_verify_approvals")(self._h(), flags),
              "zk_qos_envelope_verify_approvals")


def canonical_json(text: Union[str, Bytes]) -> str:
    """QOS canonical JSON of a JSON document."""
    data = _text(text)
    out = c_void_p()
    n = c_size_t(0)
    check(need("zk_qos_canonical_json")(ctypes.byref(out), ctypes.byref(n), data, len(data)),
          "zk_qos_canonical_json")
    return take_malloced(out, n.value).decode("utf-8")


def pcr_commitment(kind: Commitment, manifest_hash: Bytes, ephemeral_pub: Bytes) -> bytes:
    """Expected PCR16 / PCR17 after QOS extends it once from zero."""
    pcr = ctypes.create_string_buffer(PCR_LEN)
    check(need("zk_qos_pcr_commitment")(pcr, None, int(kind), inbuf(manifest_hash),
                                        blen(manifest_hash), inbuf(ephemeral_pub),
                                        blen(ephemeral_pub)), "zk_qos_pcr_commitment")
    return pcr.raw


def pcr3_from_arn(arn: str) -> bytes:
    pcr = ctypes.create_string_buffer(PCR_LEN)
    a = arn.encode()
    check(need("zk_qos_pcr3_from_arn")(pcr, a, len(a)), "zk_qos_pcr3_from_arn")
    return pcr.raw


__all__ = ["Manifest", "Approval", "ManifestEnvelope", "Version", "SetKind", "Commitment",
           "canonical_json", "pcr_commitment", "pcr3_from_arn", "ENV_NO_SHARE_APPROVALS",
           "ENV_SHARE_APPROVALS"]
