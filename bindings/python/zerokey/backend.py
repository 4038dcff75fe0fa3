"""Trust backends: the Nitro Secure Module and its software mock (include/zerokey/backend.h).

``Backend.open("mock")`` gives attestation documents in the real Nitro format
signed by a generated P-384 CA chain (pin :meth:`Backend.mock_root_der` in an
:class:`zerokey.attestation.Verifier`), 32 PCRs (0-15 locked) and a settable
clock. ``Backend.open("nitro")`` talks to /dev/nsm inside an enclave. The
custom-transport and custom-ops hooks of the C API are not exposed.
"""

from __future__ import annotations

import ctypes
from ctypes import POINTER, c_char_p, c_int, c_size_t, c_uint16, c_uint64, c_void_p
from typing import Optional

from ._buf import SecretOut
from ._handle import Closeable
from ._lib import Bytes, _declare, blen, inbuf, need, take_malloced
from .errors import check

PCR_MAX_LEN = 64
# Mock document variants (zk_backend_options.mock_flags).
MOCK_INDEFINITE_PAYLOAD = 0x1  # payload map BF .. FF, as real documents since ~2025-08
MOCK_TAGGED = 0x2  # COSE_Sign1 with tag 18
MOCK_16_PCRS = 0x4  # PCRs 0-15 only, as documents up to 2025


class BackendOptionsC(ctypes.Structure):
    _fields_ = [("nsm_device", c_char_p), ("transport", c_void_p), ("transport_ctx", c_void_p),
                ("mock_time_ms", c_uint64), ("mock_flags", ctypes.c_uint),
                ("mock_module_id", c_char_p),
                ("mock_boot_pcrs", c_void_p), ("mock_boot_pcrs_len", c_size_t),
                ("mock_root_der", c_void_p), ("mock_root_der_len", c_size_t),
                ("mock_intermediate_der", c_void_p), ("mock_intermediate_der_len", c_size_t),
                ("mock_leaf_der", c_void_p), ("mock_leaf_der_len", c_size_t),
                ("mock_leaf_secret", c_void_p), ("mock_leaf_secret_len", c_size_t)]


_pp = POINTER(c_void_p)
_sp = POINTER(c_size_t)
_declare("zk_backend_open", c_int, _pp, c_char_p, POINTER(BackendOptionsC))
_declare("zk_backend_free", None, c_void_p)
_declare("zk_backend_name", c_char_p, c_void_p)
_declare("zk_backend_random", c_int, c_void_p, c_void_p, c_size_t)
_declare("zk_backend_attest", c_int, c_void_p, _pp, _sp, c_void_p, c_size_t, c_void_p, c_size_t,
         c_void_p, c_size_t)
_declare("zk_backend_describe_pcr", c_int, c_void_p, POINTER(c_int), c_void_p, _sp, c_uint16)
_declare("zk_backend_extend_pcr", c_int, c_void_p, c_void_p, _sp, c_uint16, c_void_p, c_size_t)
_declare("zk_backend_lock_pcr", c_int, c_void_p, c_uint16)
_declare("zk_backend_lock_pcrs", c_int, c_void_p, c_uint16)
_declare("zk_backend_time_ms", c_int, c_void_p, POINTER(c_uint64))
_declare("zk_backend_mock_set_time", c_int, c_void_p, c_uint64)
_declare("zk_backend_mock_root_der", c_int, c_void_p, _pp, _sp)


def _opt(keep: list[object], data: Optional[Bytes]) -> tuple[Optional[int], int]:
    if data is None:
        return None, 0
    buf = ctypes.create_string_buffer(bytes(data), max(blen(data), 1))
    keep.append(buf)
    return ctypes.addressof(buf), blen(data)


class Backend(Closeable):
    """An open trust backend. Not safe for concurrent use from several threads."""

    __slots__ = ("_ptr",)

    def __init__(self) -> None:
        raise TypeError("use Backend.open(name, ...)")

    @classmethod
    def open(cls, name: str = "mock", *, nsm_device: Optional[str] = None,
             mock_time_ms: int = 0, mock_flags: int = 0, mock_module_id: Optional[str] = None,
             mock_boot_pcrs: Optional[Bytes] = None, mock_root_der: Optional[Bytes] = None,
             mock_intermediate_der: Optional[Bytes] = None,
             mock_leaf_der: Optional[Bytes] = None,
             mock_leaf_secret: Optional[Bytes] = None) -> "Backend":
        """Open "nitro" or "mock". mock_boot_pcrs: 16 x 48 bytes for PCRs 0-15."""
        keep: list[object] = []
        o = BackendOptionsC()
        o.nsm_device = nsm_device.encode() if nsm_device is not None else None
        o.mock_time_ms = mock_time_ms
        o.mock_flags = mock_flags
        o.mock_module_id = mock_module_id.encode() if mock_module_id is not None else None
        o.mock_boot_pcrs, o.mock_boot_pcrs_len = _opt(keep, mock_boot_pcrs)
        o.mock_root_der, o.mock_root_der_len = _opt(keep, mock_root_der)
        o.mock_intermediate_der, o.mock_intermediate_der_len = _opt(keep, mock_intermediate_der)
        o.mock_leaf_der, o.mock_leaf_der_len = _opt(keep, mock_leaf_der)
        o.mock_leaf_secret, o.mock_leaf_secret_len = _opt(keep, mock_leaf_secret)
        out = c_void_p()
        st = need("zk_backend_open")(ctypes.byref(out), name.encode(), ctypes.byref(o))
        for k in keep:  # the leaf secret copy
            ctypes.memset(k, 0, ctypes.sizeof(k))  # type: ignore[arg-type]
        check(st, "zk_backend_open")
        return cls._adopt(out)

    def _h(self) -> int:
        if self._ptr is None:
            raise ValueError("backend is closed")
        return self._ptr

    @property
    def name(self) -> str:
        return str(need("zk_backend_name")(self._h()).decode())

    def random(self, n: int) -> bytearray:
        out = SecretOut(n)
        st = need("zk_backend_random")(self._h(), out.c, n)
        return out.result(st, "zk_backend_random", n)

    def attest(self, *, user_data: Optional[Bytes] = None, nonce: Optional[Bytes] = None,
               public_key: Optional[Bytes] = None) -> bytes:
        """An attestation document (COSE_Sign1) binding the given fields."""
        out = c_void_p()
        n = c_size_t(0)
        check(need("zk_backend_attest")(
            self._h(), ctypes.byref(out), ctypes.byref(n),
            inbuf(user_data) if user_data is not None else None, blen(user_data),
            inbuf(nonce) if nonce is not None else None, blen(nonce),
            inbuf(public_key) if public_key is not None else None, blen(public_key)),
            "zk_backend_attest")
        return take_malloced(out, n.value)

    def describe_pcr(self, index: int) -> tuple[bytes, bool]:
        """(value, locked) of a PCR."""
        buf = ctypes.create_string_buffer(PCR_MAX_LEN)
        n = c_size_t(PCR_MAX_LEN)
        locked = c_int(0)
        check(need("zk_backend_describe_pcr")(self._h(), ctypes.byref(locked), buf,
                                              ctypes.byref(n), index), "zk_backend_describe_pcr")
        return buf.raw[: n.value], bool(locked.value)

    def extend_pcr(self, index: int, data: Bytes) -> bytes:
        """Extend a PCR with data; returns the new value."""
        buf = ctypes.create_string_buffer(PCR_MAX_LEN)
        n = c_size_t(PCR_MAX_LEN)
        check(need("zk_backend_extend_pcr")(self._h(), buf, ctypes.byref(n), index, inbuf(data),
                                            blen(data)), "zk_backend_extend_pcr")
        return buf.raw[: n.value]

    def lock_pcr(self, index: int) -> None:
        check(need("zk_backend_lock_pcr")(self._h(), index), "zk_backend_lock_pcr")

    def lock_pcrs(self, range_: int) -> None:
        check(need("zk_backend_lock_pcrs")(self._h(), range_), "zk_backend_lock_pcrs")

    def time_ms(self) -> int:
        t = c_uint64(0)
        check(need("zk_backend_time_ms")(self._h(), ctypes.byref(t)), "zk_backend_time_ms")
        return int(t.value)

    def mock_set_time(self, now_ms: int) -> None:
        check(need("zk_backend_mock_set_time")(self._h(), now_ms), "zk_backend_mock_set_time")

    def mock_root_der(self) -> bytes:
        p = c_void_p()
        n = c_size_t(0)
        check(need("zk_backend_mock_root_der")(self._h(), ctypes.byref(p), ctypes.byref(n)),
              "zk_backend_mock_root_der")
        return ctypes.string_at(p, n.value)

    def close(self) -> None:
        if self._ptr is not None:
            need("zk_backend_free")(self._ptr)
            self._ptr = None


__all__ = ["Backend", "PCR_MAX_LEN", "MOCK_INDEFINITE_PAYLOAD", "MOCK_TAGGED", "MOCK_16_PCRS"]
