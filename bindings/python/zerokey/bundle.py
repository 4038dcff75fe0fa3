"""Turnkey-compatible secure-channel bundles (include/zerokey/bundle.h).

HPKE base mode, DHKEM(P-256), HKDF-SHA256, AES-256-GCM, info "turnkey_hpke",
AAD = enc || receiver public key. Signed v1 envelopes are verified (version,
pinned signer, signature, organization / user) before anything is decrypted.
"""

from __future__ import annotations

import ctypes
from typing import Any, Callable, Optional, Union

from ._buf import SecretOut
from ._lib import Bytes, blen, inbuf, need, take_malloced
from ._lib import utf8 as _b
from ._lib import utf8_opt as _cstr
from .errors import check
from .keys import Key
from .qos import KeySet

Text = Union[str, bytes]


def _string_out(name: str, call: Callable[[Any, Any], int]) -> str:
    out = ctypes.c_void_p()
    n = ctypes.c_size_t(0)
    check(call(ctypes.byref(out), ctypes.byref(n)), name)
    return take_malloced(out, n.value).decode("utf-8")


def _secret_out(name: str, call: Callable[[Any, Any], int]) -> bytearray:
    out = ctypes.c_void_p()
    n = ctypes.c_size_t(0)
    check(call(ctypes.byref(out), ctypes.byref(n)), name)
    res = SecretOut(n.value)
    if n.value:
        ctypes.memmove(ctypes.addressof(res.c), out.value, n.value)
    need("zk_free_secret")(out, n.value)
    return res.finish(n.value)


# ---------------------------------------------------------------- client side
def export_open(bundle: Text, enclave_key: Key, organization_id: str, target_key: Key) -> bytearray:
    """Verify and open a v1 export bundle; returns the plaintext (wipe it)."""
    b = _b(bundle)
    return _secret_out("zk_bundle_export_open", lambda o, n: need("zk_bundle_export_open")(
        o, n, b, len(b), enclave_key.handle, _cstr(organization_id), target_key.handle))


def import_seal(target_bundle: Text, enclave_key: Key, organization_id: str,
                user_id: Optional[str], plaintext: Bytes) -> str:
    """Verify a signed import target bundle, then encrypt plaintext to it."""
    b = _b(target_bundle)
    return _string_out("zk_bundle_import_seal", lambda o, n: need("zk_bundle_import_seal")(
        o, n, b, len(b), enclave_key.handle, _cstr(organization_id), _cstr(user_id),
        inbuf(plaintext), blen(plaintext)))


def otp_seal(target_bundle: Text, fetcher_key: Key, organization_id: str, otp_code: str,
             client_key: Key) -> str:
    b = _b(target_bundle)
    return _string_out("zk_bundle_otp_seal", lambda o, n: need("zk_bundle_otp_seal")(
        o, n, b, len(b), fetcher_key.handle, _cstr(organization_id), _cstr(otp_code),
        client_key.handle))


def credential_open(bundle: Text, target_key: Key) -> bytearray:
    """Open a base58check credential / auth bundle addressed to target_key."""
    b = _b(bundle)
    return _secret_out("zk_bundle_credential_open", lambda o, n: need(
        "zk_bundle_credential_open")(o, n, b, len(b), target_key.handle))


def seal_to_key(target: Key, plaintext: Bytes) -> str:
    """Encrypted bundle JSON {"encappedPublic","ciphertext"} to an enclave key."""
    return _string_out("zk_bundle_seal_to_key", lambda o, n: need("zk_bundle_seal_to_key")(
        o, n, target.handle, inbuf(plaintext), blen(plaintext)))


def credential_seal(target: Key, plaintext: Bytes) -> str:
    """base58check credential bundle to target."""
    return _string_out("zk_bundle_credential_seal", lambda o, n: need(
        "zk_bundle_credential_seal")(o, n, target.handle, inbuf(plaintext), blen(plaintext)))


def v0_verify(enclave_key: Key, signed_pub: Bytes, sig_der: Bytes) -> None:
    """Legacy v0: enclave DER signature over a 65-byte public key."""
    check(need("zk_bundle_v0_verify")(enclave_key.handle, inbuf(signed_pub), blen(signed_pub),
                                      inbuf(sig_der), blen(sig_der)), "zk_bundle_v0_verify")


def oauth_secret_seal(fetcher_pub: Bytes, secret: Bytes) -> str:
    """QOS envelope (hex) to the encrypt half of the fetcher's 130-byte quorum key."""
    return _string_out("zk_bundle_oauth_secret_seal", lambda o, n: need(
        "zk_bundle_oauth_secret_seal")(o, n, inbuf(fetcher_pub), blen(fetcher_pub),
                                       inbuf(secret), blen(secret)))


# ---------------------------------------------------------------- enclave side
def oauth_secret_open(fetcher: KeySet, hex_text: Text) -> bytearray:
    b = _b(hex_text)
    return _secret_out("zk_bundle_oauth_secret_open", lambda o, n: need(
        "zk_bundle_oauth_secret_open")(o, n, fetcher._h(), b, len(b)))


def export_create(signing_key: Key, target: Key, organization_id: str, plaintext: Bytes) -> str:
    return _string_out("zk_bundle_export_create", lambda o, n: need("zk_bundle_export_create")(
        o, n, signing_key.handle, target.handle, _cstr(organization_id), inbuf(plaintext),
        blen(plaintext)))


def target_create(signing_key: Key, target: Key, organization_id: str,
                  user_id: Optional[str] = None) -> str:
    return _string_out("zk_bundle_target_create", lambda o, n: need("zk_bundle_target_create")(
        o, n, signing_key.handle, target.handle, _cstr(organization_id), _cstr(user_id)))


def encrypted_open(bundle: Text, target_key: Key) -> bytearray:
    b = _b(bundle)
    return _secret_out("zk_bundle_encrypted_open", lambda o, n: need(
        "zk_bundle_encrypted_open")(o, n, b, len(b), target_key.handle))


__all__ = ["export_open", "import_seal", "otp_seal", "credential_open", "seal_to_key",
           "credential_seal", "v0_verify", "oauth_secret_seal", "oauth_secret_open",
           "export_create", "target_create", "encrypted_open"]
