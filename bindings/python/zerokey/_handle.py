"""Lifetime protocol shared by wrappers that own C memory (internal).

A subclass defines an idempotent ``close()`` that frees (and, for
secret-bearing objects, wipes) its C object. This mixin makes it a context
manager whose exit calls ``close()``, and calls ``close()`` from ``__del__``
so garbage collection releases it too; exceptions there (interpreter
shutdown, a half-constructed object) are swallowed.
"""

from __future__ import annotations

import ctypes
from typing import TypeVar

_T = TypeVar("_T", bound="Closeable")


class Closeable:
    __slots__ = ()

    @classmethod
    def _adopt(cls: type[_T], out: ctypes.c_void_p) -> _T:
        """Wrap the C object an out-parameter received, taking ownership of it."""
        self = object.__new__(cls)
        self._ptr = out.value  # type: ignore[attr-defined]
        return self

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self: _T) -> _T:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # interpreter shutdown, half-constructed object
            pass
