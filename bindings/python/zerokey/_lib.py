"""Loading libzerokey and declaring the C prototypes (internal module).

Search order for the shared library:

1. ``$ZEROKEY_LIB``: an explicit path (or soname). If it is set and cannot be
   loaded, import fails: an explicit choice is never silently replaced.
2. ``$ZEROKEY_BUILD_DIR/libzerokey.so``: a CMake build tree.
3. ``ctypes.util.find_library("zerokey")``: the system linker paths.

Every function is declared with its exact argument and return types. A
function that the loaded library does not export (an older build, or a
capability not compiled in) is recorded as absent; calling its wrapper raises
:class:`zerokey.FeatureUnavailable` instead of doing anything in Python.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from ctypes import POINTER, c_char_p, c_int, c_int64, c_size_t, c_uint, c_uint8, c_uint32, c_uint64, c_void_p
from pathlib import Path
from typing import Any, Callable, Iterator, Optional, Union

Bytes = Union[bytes, bytearray, memoryview]


def _candidates() -> Iterator[tuple[str, bool]]:
    """Yields (path, explicit). An explicit candidate that fails to load is fatal."""
    env = os.environ.get("ZEROKEY_LIB")
    if env:
        yield env, True
        return
    bdir = os.environ.get("ZEROKEY_BUILD_DIR")
    if bdir:
        yield str(Path(bdir) / "libzerokey.so"), True
        return
    found = ctypes.util.find_library("zerokey")
    if found:
        yield found, False


def _load() -> ctypes.CDLL:
    errors: list[str] = []
    for path, explicit in _candidates():
        try:
            return ctypes.CDLL(path)
        except OSError as exc:
            if explicit:
                raise ImportError(f"zerokey: cannot load libzerokey from {path!r}: {exc}") from exc
            errors.append(f"{path}: {exc}")
    detail = "; ".join(errors) if errors else "not found by ctypes.util.find_library"
    raise ImportError(
        "zerokey: libzerokey not found (set ZEROKEY_LIB to the .so path or ZEROKEY_BUILD_DIR "
        f"to a CMake build directory): {detail}"
    )


LIB: ctypes.CDLL = _load()
LIB_PATH: str = getattr(LIB, "_name", "?")

status_t = c_int  # enum zk_status
size_p = POINTER(c_size_t)
u8p = c_void_p  # every byte pointer is passed as void* (bytes / ctypes buffers)
keyp = c_void_p  # opaque zk_key *
objp = c_void_p  # other opaque objects
objpp = POINTER(c_void_p)

_absent: set[str] = set()


class _Fn:
    """Namespace of bound C functions; attribute access of an absent one gives None."""

    def __getattr__(self, name: str) -> Any:
        return None


fn: Any = _Fn()


def _declare(name: str, restype: Any, *argtypes: Any) -> None:
    try:
        f = getattr(LIB, name)
    except AttributeError:
        _absent.add(name)
        return
    f.restype = restype
    f.argtypes = list(argtypes)
    setattr(fn, name, f)


def has(name: str) -> bool:
    """True if the loaded library exports the C function ``name``."""
    return getattr(fn, name) is not None


def need(name: str) -> Callable[..., Any]:
    f = getattr(fn, name)
    if f is None:
        from .errors import FeatureUnavailable

        raise FeatureUnavailable(f"{name} is not exported by {LIB_PATH}")
    return f  # type: ignore[no-any-return]


# --- common.h ---------------------------------------------------------------
_declare("zk_status_str", c_char_p, c_int)
_declare("zk_status_name", c_char_p, c_int)
_declare("zk_version", c_char_p)
_declare("zk_wipe", None, c_void_p, c_size_t)
_declare("zk_ct_equal", c_int, c_void_p, c_void_p, c_size_t)
_declare("zk_free", None, c_void_p)
_declare("zk_free_secret", None, c_void_p, c_size_t)
_declare("zk_random", status_t, u8p, c_size_t)

# --- key.h ------------------------------------------------------------------
_declare("zk_key_generate", status_t, objpp, c_int)
_declare("zk_key_from_private", status_t, objpp, c_int, u8p, c_size_t)
_declare("zk_key_from_public", status_t, objpp, c_int, u8p, c_size_t)
_declare("zk_key_from_spki", status_t, objpp, u8p, c_size_t)
_declare("zk_key_export_private", status_t, keyp, u8p, size_p)
_declare("zk_key_export_public", status_t, keyp, c_int, u8p, size_p)
_declare("zk_key_curve", c_int, keyp)
_declare("zk_key_has_private", c_int, keyp)
_declare("zk_key_public_equal", c_int, keyp, keyp)
_declare("zk_key_public_copy", status_t, objpp, keyp)
_declare("zk_key_free", None, keyp)
_declare("zk_key_digest_len", c_size_t, keyp)
_declare("zk_key_sign", status_t, keyp, c_int, u8p, size_p, u8p, c_size_t)
_declare("zk_key_sign_digest", status_t, keyp, c_int, u8p, size_p, u8p, c_size_t)
_declare("zk_key_verify", status_t, keyp, c_int, c_uint, u8p, c_size_t, u8p, c_size_t)
_declare("zk_key_verify_digest", status_t, keyp, c_int, c_uint, u8p, c_size_t, u8p, c_size_t)
_declare("zk_key_recover", status_t, objpp, u8p, c_size_t, u8p, c_size_t)
_declare("zk_sig_der_to_raw", status_t, u8p, size_p, c_int, u8p, c_size_t)
_declare("zk_sig_raw_to_der", status_t, u8p, size_p, c_int, u8p, c_size_t)
_declare("zk_ecdh", status_t, u8p, size_p, keyp, keyp)

# --- crypto.h ---------------------------------------------------------------
_declare("zk_hash_len", c_size_t, c_int)
_declare("zk_hash", status_t, c_int, u8p, c_size_t, u8p, c_size_t)
_declare("zk_hmac", status_t, c_int, u8p, c_size_t, u8p, c_size_t, u8p, c_size_t)
_declare("zk_hmac_verify", status_t, c_int, u8p, c_size_t, u8p, c_size_t, u8p, c_size_t)
_declare("zk_hkdf", status_t, c_int, u8p, c_size_t, u8p, c_size_t, u8p, c_size_t, u8p, c_size_t)
_declare("zk_hkdf_extract", status_t, c_int, u8p, c_size_t, u8p, c_size_t, u8p, c_size_t)
_declare("zk_hkdf_expand", status_t, c_int, u8p, c_size_t, u8p, c_size_t, u8p, c_size_t)
_declare("zk_aes_gcm_seal", status_t, u8p, u8p, c_size_t, u8p, c_size_t, u8p, c_size_t, u8p,
         c_size_t, u8p, c_size_t)
_declare("zk_aes_gcm_open", status_t, u8p, u8p, c_size_t, u8p, c_size_t, u8p, c_size_t, u8p,
         c_size_t, u8p, c_size_t)

# --- cose.h -----------------------------------------------------------------
_u8pp = POINTER(c_void_p)
_declare("zk_cose_sign1_create", status_t, _u8pp, size_p, keyp, u8p, c_size_t, u8p, c_size_t, u8p,
         c_size_t, c_uint)
_declare("zk_cose_sign1_parse", status_t, objpp, u8p, c_size_t, size_p)
_declare("zk_cose_sign1_verify", status_t, objp, keyp, u8p, c_size_t)
_declare("zk_cose_sign1_payload", c_void_p, objp, size_p)
_declare("zk_cose_sign1_protected", c_void_p, objp, size_p)
_declare("zk_cose_sign1_signature", c_void_p, objp, size_p)
_declare("zk_cose_sign1_kid", c_void_p, objp, size_p)
_declare("zk_cose_sign1_alg", c_int64, objp)
_declare("zk_cose_sign1_is_tagged", c_int, objp)
_declare("zk_cose_sign1_free", None, objp)
_declare("zk_cose_sig_structure", status_t, _u8pp, size_p, u8p, c_size_t, u8p, c_size_t, u8p,
         c_size_t)

# --- shamir.h ---------------------------------------------------------------
_declare("zk_shamir_split", status_t, u8p, c_size_t, c_size_t, c_size_t, u8p, c_size_t)
_declare("zk_shamir_combine_var", status_t, u8p, c_size_t, size_p, POINTER(c_void_p),
         POINTER(c_size_t), c_size_t)


# --- hpke.h -----------------------------------------------------------------
class HpkeParamsC(ctypes.Structure):
    _fields_ = [
        ("mode", c_int),
        ("aead", c_int),
        ("info", c_void_p),
        ("info_len", c_size_t),
        ("psk", c_void_p),
        ("psk_len", c_size_t),
        ("psk_id", c_void_p),
        ("psk_id_len", c_size_t),
        ("auth_key", c_void_p),
    ]


_hp = POINTER(HpkeParamsC)
_declare("zk_hpke_derive_keypair", status_t, objpp, u8p, c_size_t)
_declare("zk_hpke_setup_sender", status_t, objpp, u8p, c_size_t, _hp, keyp)
_declare("zk_hpke_setup_receiver", status_t, objpp, _hp, keyp, u8p, c_size_t)
_declare("zk_hpke_seal", status_t, objp, u8p, size_p, u8p, c_size_t, u8p, c_size_t)
_declare("zk_hpke_open", status_t, objp, u8p, size_p, u8p, c_size_t, u8p, c_size_t)
_declare("zk_hpke_export", status_t, objp, u8p, c_size_t, u8p, c_size_t)
_declare("zk_hpke_ctx_seq", c_uint64, objp)
_declare("zk_hpke_ctx_free", None, objp)
_declare("zk_hpke_seal_once", status_t, u8p, c_size_t, u8p, size_p, _hp, keyp, u8p, c_size_t, u8p,
         c_size_t)
_declare("zk_hpke_open_once", status_t, u8p, size_p, _hp, keyp, u8p, c_size_t, u8p, c_size_t, u8p,
         c_size_t)


# --- stamp.h ----------------------------------------------------------------
class StampVerifyOptsC(ctypes.Structure):
    _fields_ = [
        ("key", c_void_p),
        ("now_ms", c_uint64),
        ("max_age_ms", c_uint64),
        ("max_future_ms", c_uint64),
        ("flags", c_uint),
        ("rp_id", c_char_p),
        ("origins", POINTER(c_char_p)),
        ("n_origins", c_size_t),
    ]


_charpp = POINTER(c_void_p)
_declare("zk_stamp_scheme_name", c_char_p, c_int)
_declare("zk_stamp_create", status_t, _charpp, size_p, keyp, c_int, u8p, c_size_t)
_declare("zk_stamp_create_webauthn", status_t, _charpp, size_p, keyp, u8p, c_size_t, c_char_p,
         c_char_p, c_uint8, c_uint32, u8p, c_size_t)
_declare("zk_stamp_parse", status_t, objpp, c_char_p, c_size_t)
_declare("zk_stamp_parse_webauthn", status_t, objpp, c_char_p, c_size_t)
_declare("zk_stamp_verify", status_t, objp, u8p, c_size_t, POINTER(StampVerifyOptsC))
_declare("zk_stamp_check_timestamp", status_t, POINTER(c_uint64), u8p, c_size_t, c_uint64,
         c_uint64, c_uint64)
_declare("zk_stamp_get_scheme", c_int, objp)
_declare("zk_stamp_public_key", c_void_p, objp, size_p)
_declare("zk_stamp_signature", c_void_p, objp, size_p)
_declare("zk_stamp_credential_id", c_void_p, objp, size_p)
_declare("zk_stamp_sign_count", c_uint32, objp)
_declare("zk_stamp_digest", status_t, objp, u8p)
_declare("zk_stamp_free", None, objp)


# --- attestation.h ----------------------------------------------------------
_declare("zk_att_aws_root_der", c_void_p, size_p)
_declare("zk_att_verifier_new", status_t, objpp, c_uint)
_declare("zk_att_verifier_add_root_der", status_t, objp, u8p, c_size_t)
_declare("zk_att_verifier_add_root_pem", status_t, objp, c_char_p, c_size_t)
_declare("zk_att_verifier_root_count", c_size_t, objp)
_declare("zk_att_verifier_set_cache_size", status_t, objp, c_size_t)
_declare("zk_att_verifier_clear_cache", None, objp)
_declare("zk_att_verifier_cache_stats", None, objp, POINTER(c_uint64), POINTER(c_uint64), size_p)
_declare("zk_att_verifier_free", None, objp)
_declare("zk_att_policy_new", status_t, objpp)
_declare("zk_att_policy_add_pcr", status_t, objp, c_uint, u8p, c_size_t)
_declare("zk_att_policy_allow_debug", None, objp, c_int)
_declare("zk_att_policy_expect_nonce", status_t, objp, u8p, c_size_t)
_declare("zk_att_policy_expect_user_data", status_t, objp, u8p, c_size_t)
_declare("zk_att_policy_expect_public_key", status_t, objp, u8p, c_size_t)
_declare("zk_att_policy_set_max_age", None, objp, c_uint64)
_declare("zk_att_policy_set_leeway", None, objp, c_uint64)
_declare("zk_att_policy_free", None, objp)
_declare("zk_att_verify", status_t, objp, objpp, u8p, c_size_t, c_uint64, objp, size_p)
_declare("zk_att_parse_unverified", status_t, objpp, u8p, c_size_t, size_p)
_declare("zk_att_doc_is_verified", c_int, objp)
_declare("zk_att_doc_module_id", c_void_p, objp, size_p)
_declare("zk_att_doc_timestamp_ms", c_uint64, objp)
_declare("zk_att_doc_pcr", c_void_p, objp, c_uint, size_p)
_declare("zk_att_doc_pcr_mask", c_uint32, objp)
_declare("zk_att_doc_is_debug", c_int, objp)
_declare("zk_att_doc_certificate", c_void_p, objp, size_p)
_declare("zk_att_doc_cabundle_count", c_size_t, objp)
_declare("zk_att_doc_cabundle", c_void_p, objp, c_size_t, size_p)
_declare("zk_att_doc_public_key", c_void_p, objp, size_p)
_declare("zk_att_doc_user_data", c_void_p, objp, size_p)
_declare("zk_att_doc_nonce", c_void_p, objp, size_p)
_declare("zk_att_doc_bytes", c_void_p, objp, size_p)
_declare("zk_att_doc_is_tagged", c_int, objp)
_declare("zk_att_doc_free", None, objp)


# --- qos.h ------------------------------------------------------------------
_declare("zk_qos_keyset_from_seed", status_t, objpp, u8p, c_size_t)
_declare("zk_qos_keyset_from_hex", status_t, objpp, c_char_p, c_size_t)
_declare("zk_qos_keyset_generate", status_t, objpp)
_declare("zk_qos_keyset_public", c_void_p, objp)
_declare("zk_qos_keyset_seed", status_t, objp, u8p, c_size_t)
_declare("zk_qos_keyset_free", None, objp)
_declare("zk_qos_sign", status_t, objp, u8p, c_size_t, u8p, c_size_t)
_declare("zk_qos_pubkey_parse", status_t, objpp, u8p, c_size_t)
_declare("zk_qos_pubkey_bytes", c_void_p, objp)
_declare("zk_qos_pubkey_free", None, objp)
_declare("zk_qos_pubkey_verify", status_t, objp, u8p, c_size_t, u8p, c_size_t)
_declare("zk_qos_verify", status_t, u8p, c_size_t, u8p, c_size_t, u8p, c_size_t)
_declare("zk_qos_envelope_seal", status_t, _u8pp, size_p, objp, u8p, c_size_t)
_declare("zk_qos_envelope_open", status_t, objp, _u8pp, size_p, u8p, c_size_t)


# --- bundle.h ---------------------------------------------------------------
_declare("zk_bundle_export_open", status_t, _u8pp, size_p, c_char_p, c_size_t, keyp, c_char_p, keyp)
_declare("zk_bundle_import_seal", status_t, _u8pp, size_p, c_char_p, c_size_t, keyp, c_char_p,
         c_char_p, u8p, c_size_t)
_declare("zk_bundle_otp_seal", status_t, _u8pp, size_p, c_char_p, c_size_t, keyp, c_char_p,
         c_char_p, keyp)
_declare("zk_bundle_credential_open", status_t, _u8pp, size_p, c_char_p, c_size_t, keyp)
_declare("zk_bundle_seal_to_key", status_t, _u8pp, size_p, keyp, u8p, c_size_t)
_declare("zk_bundle_credential_seal", status_t, _u8pp, size_p, keyp, u8p, c_size_t)
_declare("zk_bundle_v0_verify", status_t, keyp, u8p, c_size_t, u8p, c_size_t)
_declare("zk_bundle_oauth_secret_seal", status_t, _u8pp, size_p, u8p, c_size_t, u8p, c_size_t)
_declare("zk_bundle_oauth_secret_open", status_t, _u8pp, size_p, objp, c_char_p, c_size_t)
_declare("zk_bundle_export_create", status_t, _u8pp, size_p, keyp, keyp, c_char_p, u8p, c_size_t)
_declare("zk_bundle_target_create", status_t, _u8pp, size_p, keyp, keyp, c_char_p, c_char_p)
_declare("zk_bundle_encrypted_open", status_t, _u8pp, size_p, c_char_p, c_size_t, keyp)


# --- byte helpers -----------------------------------------------------------
def inbuf(data: Optional[Bytes], what: str = "data") -> Any:
    """A C pointer to the bytes of data without copying when possible.

    bytes are passed by pointer to their internal buffer; bytearray and writable
    memoryviews through ctypes.from_buffer (zero copy, so a caller-held secret
    bytearray is not duplicated); read-only non-bytes views are copied once.
    None is treated as empty. Empty inputs get a valid non-NULL pointer.
    """
    if data is None:
        return b""
    if isinstance(data, bytes):
        return data
    if isinstance(data, bytearray):
        return (ctypes.c_char * len(data)).from_buffer(data)
    if isinstance(data, memoryview):
        if data.readonly or not data.contiguous or data.itemsize != 1:
            return data.tobytes()
        return (ctypes.c_char * data.nbytes).from_buffer(data)
    raise TypeError(f"{what} must be bytes, bytearray or memoryview, not {type(data).__name__}")


def blen(data: Optional[Bytes]) -> int:
    if data is None:
        return 0
    if isinstance(data, memoryview):
        return data.nbytes
    return len(data)


def utf8(text: Union[str, Bytes]) -> bytes:
    """A str as UTF-8, or bytes-like text copied to bytes (for C string arguments)."""
    return text.encode("utf-8") if isinstance(text, str) else bytes(text)


def utf8_opt(text: Optional[str]) -> Optional[bytes]:
    """A str as UTF-8; None stays None (a NULL C string)."""
    return None if text is None else text.encode("utf-8")


def wipe_ctypes(buf: Any) -> None:
    """Overwrite a ctypes buffer in place with zk_wipe (cannot be optimised away)."""
    n = ctypes.sizeof(buf)
    if n:
        fn.zk_wipe(ctypes.addressof(buf), n)


def take_malloced(ptr: c_void_p, length: int, secret: bool = False) -> bytes:
    """Copy a library-allocated buffer into bytes and release it (zk_free / zk_free_secret)."""
    if not ptr.value:
        return b""
    try:
        return ctypes.string_at(ptr.value, length)
    finally:
        if secret:
            fn.zk_free_secret(ptr, length)
        else:
            fn.zk_free(ptr)


__all__ = [
    "LIB", "LIB_PATH", "fn", "has", "need", "inbuf", "blen", "wipe_ctypes", "take_malloced",
    "HpkeParamsC", "StampVerifyOptsC", "Bytes", "c_uint8", "c_uint32",
]
