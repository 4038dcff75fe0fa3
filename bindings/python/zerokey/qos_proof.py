"""QuorumOS boot proofs (Nitro attestation + manifest envelope) and app proofs
(include/zerokey/qos_proof.h)."""

from __future__ import annotations

import ctypes
from ctypes import POINTER, c_char_p, c_int, c_size_t, c_uint, c_uint64, c_void_p
from typing import Optional, Union

from ._handle import Closeable
from ._lib import Bytes, _declare, blen, inbuf, need, take_malloced
from ._lib import utf8 as _text
from .attestation import Verifier
from .errors import check
from .qos import KeySet
from .qos_manifest import Commitment, Manifest, ManifestEnvelope, _adopt

_pp = POINTER(c_void_p)
_sp = POINTER(c_size_t)
_declare("zk_qos_boot_policy_new", c_int, _pp)
_declare("zk_qos_boot_policy_free", None, c_void_p)
_declare("zk_qos_boot_policy_pin_pcr", c_int, c_void_p, c_uint, c_void_p, c_size_t)
_declare("zk_qos_boot_policy_pin_pivot_hash", c_int, c_void_p, c_void_p, c_size_t)
_declare("zk_qos_boot_policy_pin_quorum_key", c_int, c_void_p, c_void_p, c_size_t)
_declare("zk_qos_boot_policy_require_commitment", c_int, c_void_p, c_int)
_declare("zk_qos_boot_policy_require_no_share_approvals", None, c_void_p, c_int)
_declare("zk_qos_boot_policy_allow_debug", None, c_void_p, c_int)
_declare("zk_qos_boot_verify", c_int, c_void_p, c_void_p, _pp, c_void_p, c_size_t, c_void_p,
         c_void_p, c_void_p, c_size_t, c_uint64)
_declare("zk_qos_boot_proof_verify_json", c_int, c_void_p, c_void_p, _pp, c_char_p, c_size_t,
         c_uint64)
_declare("zk_qos_boot_ephemeral_key", c_void_p, c_void_p)
_declare("zk_qos_boot_manifest", c_void_p, c_void_p)
_declare("zk_qos_boot_timestamp_ms", c_uint64, c_void_p)
_declare("zk_qos_boot_free", None, c_void_p)
_declare("zk_qos_app_proof_verify", c_int, c_void_p, _pp, _sp, c_char_p, c_size_t)
_declare("zk_qos_app_proof_create", c_int, c_void_p, _pp, _sp, c_char_p, c_size_t)


class BootPolicy:
    """Pins and requirements for a boot proof (defaults: none; debug enclaves refused)."""

    __slots__ = ("_ptr",)

    def __init__(self, *, pcrs: Optional[dict[int, Bytes]] = None,
                 pivot_hash: Optional[Bytes] = None, quorum_key: Optional[Bytes] = None,
                 commitment: Optional[Commitment] = None, no_share_approvals: bool = False,
                 allow_debug: bool = False) -> None:
        out = c_void_p()
        self._ptr: Optional[int] = None
        check(need("zk_qos_boot_policy_new")(ctypes.byref(out)), "zk_qos_boot_policy_new")
        self._ptr = out.value
        for i, v in (pcrs or {}).items():
            check(need("zk_qos_boot_policy_pin_pcr")(self._ptr, i, inbuf(v), blen(v)),
                  "zk_qos_boot_policy_pin_pcr")
        if pivot_hash is not None:
            check(need("zk_qos_boot_policy_pin_pivot_hash")(self._ptr, inbuf(pivot_hash),
                                                            blen(pivot_hash)),
                  "zk_qos_boot_policy_pin_pivot_hash")
        if quorum_key is not None:
            check(need("zk_qos_boot_policy_pin_quorum_key")(self._ptr, inbuf(quorum_key),
                                                            blen(quorum_key)),
                  "zk_qos_boot_policy_pin_quorum_key")
        if commitment is not None:
            check(need("zk_qos_boot_policy_require_commitment")(self._ptr, int(commitment)),
                  "zk_qos_boot_policy_require_commitment")
        need("zk_qos_boot_policy_require_no_share_approvals")(self._ptr,
                                                              1 if no_share_approvals else 0)
        need("zk_qos_boot_policy_allow_debug")(self._ptr, 1 if allow_debug else 0)

    def close(self) -> None:
        if self._ptr is not None:
            need("zk_qos_boot_policy_free")(self._ptr)
            self._ptr = None

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass


class Boot(Closeable):
    """A verified boot: the attested ephemeral key and the approved manifest."""

    __slots__ = ("_ptr",)

    def __init__(self) -> None:
        raise TypeError("use verify_boot(...) or verify_boot_proof_json(...)")

    def _h(self) -> int:
        if self._ptr is None:
            raise ValueError("boot is closed")
        return self._ptr

    @property
    def ephemeral_key(self) -> bytes:
        return ctypes.string_at(need("zk_qos_boot_ephemeral_key")(self._h()), 130)

    @property
    def manifest(self) -> Manifest:
        """The approved manifest (borrowed: valid while this Boot is open)."""
        return _adopt(Manifest, need("zk_qos_boot_manifest")(self._h()), self)  # type: ignore[no-any-return]

    @property
    def timestamp_ms(self) -> int:
        return int(need("zk_qos_boot_timestamp_ms")(self._h()))

    def verify_app_proof(self, proof_json: Union[str, Bytes]) -> str:
        """Verify an app proof signed by this boot's ephemeral key; returns its payload."""
        return _app_proof("zk_qos_app_proof_verify", self, proof_json)

    def close(self) -> None:
        if self._ptr is not None:
            need("zk_qos_boot_free")(self._ptr)
            self._ptr = None


def _app_proof(op: str, obj: Union[Boot, KeySet], text: Union[str, Bytes]) -> str:
    """Run zk_qos_app_proof_create/verify(obj, &out, &n, text) and decode its JSON output."""
    data = _text(text)
    out = c_void_p()
    n = c_size_t(0)
    check(need(op)(obj._h(), ctypes.byref(out), ctypes.byref(n), data, len(data)), op)
    return take_malloced(out, n.value).decode("utf-8")


def _boot(out: c_void_p) -> Boot:
    return Boot._adopt(out)


def verify_boot(verifier: Verifier, attestation_doc: Bytes, envelope: ManifestEnvelope, *,
                at_unix: int, policy: Optional[BootPolicy] = None,
                manifest: Optional[Manifest] = None,
                ephemeral_key: Optional[Bytes] = None) -> Boot:
    """Attestation + manifest envelope -> a verified Boot (see qos_proof.h for the order)."""
    out = c_void_p()
    check(need("zk_qos_boot_verify")(verifier.handle,
                                     policy._ptr if policy is not None else None,
                                     ctypes.byref(out), inbuf(attestation_doc),
                                     blen(attestation_doc), envelope._h(),
                                     manifest._h() if manifest is not None else None,
                                     inbuf(ephemeral_key) if ephemeral_key is not None else None,
                                     blen(ephemeral_key), at_unix), "zk_qos_boot_verify")
    return _boot(out)


def verify_boot_proof_json(verifier: Verifier, proof_json: Union[str, Bytes], *,
                           at_unix: int = 0, policy: Optional[BootPolicy] = None) -> Boot:
    """A Turnkey BootProof JSON (at_unix 0: its createdAt time)."""
    data = _text(proof_json)
    out = c_void_p()
    check(need("zk_qos_boot_proof_verify_json")(verifier.handle,
                                                policy._ptr if policy is not None else None,
                                                ctypes.byref(out), data, len(data), at_unix),
          "zk_qos_boot_proof_verify_json")
    return _boot(out)


def create_app_proof(ephemeral: KeySet, payload: Union[str, Bytes]) -> str:
    """Enclave side: sign a JSON payload (with "type" and "timestampMs") as an app proof."""
    return _app_proof("zk_qos_app_proof_create", ephemeral, payload)


__all__ = ["BootPolicy", "Boot", "verify_boot", "verify_boot_proof_json", "create_app_proof"]
