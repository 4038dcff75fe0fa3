"""Exceptions raised by the zerokey binding.

Every failing C call raises a subclass of :class:`ZeroKeyError` chosen by the
numeric range of its status (the families of ``include/zerokey/common.h``):

=========  ===========================  ======================================
range      exception                    family
=========  ===========================  ======================================
1..99      :class:`ArgumentError`       misuse, resources, unsupported options
100..199   :class:`ParseError`          encodings and parsers (CBOR, JSON, ...)
200..299   :class:`CryptoError`         keys, signatures, symmetric crypto
300..349   :class:`CoseError`           COSE_Sign1
350..449   :class:`AttestationError`    Nitro attestation documents and chains
450..499   :class:`BackendError`        trust backends and the NSM device
500..649   :class:`EvidenceError`       stamps, rulings, notarizations, ...
650..749   :class:`SecureChannelError`  HPKE and bundles
750..899   :class:`QosError`            QuorumOS keys, shares, manifests
=========  ===========================  ======================================

The exception carries ``status`` (int), ``name`` (e.g. ``"ZK_ERR_SIGNATURE"``
from zk_status_name) and the library's message (zk_status_str) as ``str(e)``.
"""

from __future__ import annotations

from typing import Optional

from ._lib import fn
from ._status import Status


class ZeroKeyError(Exception):
    """A libzerokey call failed with a non-zero zk_status."""

    status: int
    name: str
    message: str
    offset: Optional[int]

    def __init__(self, status: int, context: str = "", offset: Optional[int] = None) -> None:
        self.status = int(status)
        raw_name = fn.zk_status_name(self.status)
        raw_msg = fn.zk_status_str(self.status)
        self.name = raw_name.decode("ascii", "replace") if raw_name else "ZK_UNKNOWN_STATUS"
        self.message = raw_msg.decode("utf-8", "replace") if raw_msg else "unknown status"
        self.offset = offset
        text = f"{self.name}: {self.message}"
        if context:
            text = f"{context}: {text}"
        if offset is not None:
            text += f" (at byte offset {offset})"
        super().__init__(text)

    @property
    def status_enum(self) -> Optional[Status]:
        """The status as a :class:`Status` member, or None if the binding predates it."""
        try:
            return Status(self.status)
        except ValueError:
            return None


class ArgumentError(ZeroKeyError):
    """1..99: invalid argument, buffer size, resources, unsupported option, state."""


class ParseError(ZeroKeyError):
    """100..199: malformed, truncated, oversized or non-canonical encodings."""


class CryptoError(ZeroKeyError):
    """200..299: bad keys, signatures that do not verify, failed decryption or MAC."""


class CoseError(ZeroKeyError):
    """300..349: COSE_Sign1 structure, algorithm, header, signature size, kid."""


class AttestationError(ZeroKeyError):
    """350..449: attestation payload, certificate chain, PCR policy, freshness."""


class BackendError(ZeroKeyError):
    """450..499: trust backend selection and NSM device errors."""


class EvidenceError(ZeroKeyError):
    """500..649: stamps, WebAuthn, rulings, notarization chains, fetch proofs, results."""


class SecureChannelError(ZeroKeyError):
    """650..749: HPKE and export/import bundles."""


class QosError(ZeroKeyError):
    """750..899: QuorumOS key sets, Shamir shares, manifests, approvals, proofs."""


class FeatureUnavailable(NotImplementedError):
    """The loaded libzerokey does not export the C function this wrapper needs."""


_FAMILIES: tuple[tuple[int, int, type[ZeroKeyError]], ...] = (
    (1, 99, ArgumentError),
    (100, 199, ParseError),
    (200, 299, CryptoError),
    (300, 349, CoseError),
    (350, 449, AttestationError),
    (450, 499, BackendError),
    (500, 649, EvidenceError),
    (650, 749, SecureChannelError),
    (750, 899, QosError),
)


def error_class(status: int) -> type[ZeroKeyError]:
    """The exception class for a non-zero status (ZeroKeyError outside every range)."""
    for lo, hi, cls in _FAMILIES:
        if lo <= status <= hi:
            return cls
    return ZeroKeyError


def make_error(status: int, context: str = "", offset: Optional[int] = None) -> ZeroKeyError:
    return error_class(status)(status, context, offset)


def check(status: int, context: str = "", offset: Optional[int] = None) -> None:
    """Raise the family exception for a non-zero status."""
    if status != 0:
        raise make_error(status, context, offset)


__all__ = [
    "ZeroKeyError", "ArgumentError", "ParseError", "CryptoError", "CoseError", "AttestationError",
    "BackendError", "EvidenceError", "SecureChannelError", "QosError", "FeatureUnavailable",
    "error_class", "make_error", "check",
]
