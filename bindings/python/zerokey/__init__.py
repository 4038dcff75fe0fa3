"""zerokey: Python (ctypes) binding of libzerokey.

Pure Python, no compiled extension. The shared library is found through
$ZEROKEY_LIB, then $ZEROKEY_BUILD_DIR/libzerokey.so, then
ctypes.util.find_library("zerokey"). See docs/bindings.md.

Every failure raises a :class:`ZeroKeyError` subclass (one per status family);
nothing is ever computed in Python in place of the C library. Secrets come
back as bytearrays that :func:`wipe` can overwrite; Python cannot guarantee
that no other copy exists (see "Wiping secrets" in docs/bindings.md).
"""

from __future__ import annotations

from . import (
    attestation,
    backend,
    bundle,
    cose,
    evidence,
    hpke,
    qos,
    qos_manifest,
    qos_proof,
    shamir,
    stamp,
)
from ._buf import wipe
from ._lib import LIB_PATH as library_path
from ._lib import has as has_function
from ._lib import need as _need
from ._status import Status
from .crypto import (
    AES_GCM_NONCE_LEN,
    AES_GCM_TAG_LEN,
    HashAlg,
    aes_gcm_open,
    aes_gcm_seal,
    ct_equal,
    digest,
    hash_len,
    hkdf,
    hkdf_expand,
    hkdf_extract,
    hmac,
    hmac_verify,
    random_bytes,
    sha256,
    sha384,
    sha512,
)
from .errors import (
    ArgumentError,
    AttestationError,
    BackendError,
    CoseError,
    CryptoError,
    EvidenceError,
    FeatureUnavailable,
    ParseError,
    QosError,
    SecureChannelError,
    ZeroKeyError,
    error_class,
)
from .keys import Curve, Key, PubFormat, SigFormat, sig_der_to_raw, sig_raw_to_der


def version() -> str:
    """Version string of the loaded C library (zk_version)."""
    return str(_need("zk_version")().decode("ascii"))


def status_name(status: int) -> str:
    return str(_need("zk_status_name")(int(status)).decode("ascii"))


def status_str(status: int) -> str:
    return str(_need("zk_status_str")(int(status)).decode("utf-8", "replace"))


__version__ = "0.1.0"

__all__ = [
    "version", "status_name", "status_str", "library_path", "has_function", "wipe", "Status",
    "ZeroKeyError", "ArgumentError", "ParseError", "CryptoError", "CoseError", "AttestationError",
    "BackendError", "EvidenceError", "SecureChannelError", "QosError", "FeatureUnavailable",
    "error_class", "Curve", "Key", "PubFormat", "SigFormat", "sig_der_to_raw", "sig_raw_to_der",
    "HashAlg", "hash_len", "digest", "sha256", "sha384", "sha512", "hmac", "hmac_verify", "hkdf",
    "hkdf_extract", "hkdf_expand", "aes_gcm_seal", "aes_gcm_open", "random_bytes", "ct_equal",
    "AES_GCM_NONCE_LEN", "AES_GCM_TAG_LEN", "attestation", "backend", "bundle", "cose",
    "evidence", "hpke", "qos", "qos_manifest", "qos_proof", "shamir", "stamp",
]
