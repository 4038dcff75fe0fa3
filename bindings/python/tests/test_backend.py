"""The mock trust backend: attestation documents verified by the same verifier as real
ones, PCR semantics, and the backend/NSM error family."""

from __future__ import annotations

import hashlib
import unittest

import vectors
import zerokey
from zerokey import Status, attestation
from zerokey.backend import Backend

NOW_MS = 1_750_000_000_000


class TestMockBackend(unittest.TestCase):
    def setUp(self) -> None:
        vectors.require(self, "zk_backend_open", "zk_backend_attest", "zk_backend_extend_pcr",
                        "zk_backend_mock_root_der", "zk_att_verify")
        pcrs = b"".join(bytes([i + 1]) * 48 for i in range(16))
        self.be = Backend.open("mock", mock_time_ms=NOW_MS, mock_boot_pcrs=pcrs)
        self.verifier = attestation.Verifier(aws_root=False)
        self.verifier.add_root_der(self.be.mock_root_der())

    def tearDown(self) -> None:
        self.be.close()

    def test_attest_and_verify(self) -> None:
        self.assertEqual(self.be.name, "mock")
        self.assertEqual(self.be.time_ms(), NOW_MS)
        doc = self.be.attest(user_data=b"manifest-hash", nonce=b"n0", public_key=b"\x04" * 65)
        at = NOW_MS // 1000
        pol = attestation.Policy(pcrs={0: b"\x01" * 48, 2: b"\x03" * 48}, user_data=b"manifest-hash",
                                 nonce=b"n0", public_key=b"\x04" * 65, max_age_s=60)
        d = self.verifier.verify(doc, at_unix=at, policy=pol)
        self.assertTrue(d.verified)
        self.assertFalse(d.is_debug)
        self.assertEqual(d.user_data, b"manifest-hash")
        self.assertEqual(d.timestamp_ms // 1000, at)
        for label, policy, want in [
            ("nonce", attestation.Policy(nonce=b"n1"), Status.ERR_ATT_NONCE),
            ("user_data", attestation.Policy(user_data=b"x"), Status.ERR_ATT_USER_DATA),
            ("public_key", attestation.Policy(public_key=b"\x05" * 65), Status.ERR_ATT_PUBLIC_KEY),
            ("pcr", attestation.Policy(pcrs={1: b"\x01" * 48}), Status.ERR_ATT_PCR_MISMATCH),
        ]:
            with self.assertRaises(zerokey.AttestationError, msg=label) as cm:
                self.verifier.verify(doc, at_unix=at, policy=policy)
            self.assertEqual(cm.exception.status, want, label)
        # The AWS-pinned verifier refuses the mock chain.
        with self.assertRaises(zerokey.AttestationError) as cm:
            attestation.Verifier().verify(doc, at_unix=at)
        self.assertEqual(cm.exception.status, Status.ERR_ATT_UNTRUSTED_ROOT)
        # A later clock: stale under max_age.
        self.be.mock_set_time(NOW_MS + 120_000)
        with self.assertRaises(zerokey.AttestationError) as cm:
            self.verifier.verify(doc, at_unix=at + 120, policy=pol)
        self.assertEqual(cm.exception.status, Status.ERR_ATT_STALE)

    def test_pcrs(self) -> None:
        value, locked = self.be.describe_pcr(16)
        self.assertFalse(locked)
        self.assertEqual(value, bytes(48))
        new = self.be.extend_pcr(16, b"data")
        self.assertEqual(new, hashlib.sha384(bytes(48) + b"data").digest())
        self.assertEqual(self.be.describe_pcr(16), (new, False))
        self.be.lock_pcr(16)
        with self.assertRaises(zerokey.BackendError) as cm:
            self.be.extend_pcr(16, b"more")
        self.assertEqual(cm.exception.status, Status.ERR_NSM_READ_ONLY_INDEX)
        _, locked0 = self.be.describe_pcr(0)
        self.assertTrue(locked0)
        with self.assertRaises(zerokey.BackendError):
            self.be.extend_pcr(0, b"x")
        with self.assertRaises(zerokey.BackendError) as cm:
            self.be.describe_pcr(32)
        self.assertEqual(cm.exception.status, Status.ERR_NSM_INVALID_INDEX)
        self.assertEqual(len(self.be.random(40)), 40)
        with self.assertRaises(zerokey.BackendError) as cm:
            Backend.open("no-such-backend")
        self.assertEqual(cm.exception.status, Status.ERR_BACKEND)

    def test_document_variants(self) -> None:
        """Indefinite-length payloads, tag 18 and 16-PCR documents verify the same way."""
        from zerokey import backend as bk
        vectors.require(self, "zk_backend_open")
        for flags in (bk.MOCK_INDEFINITE_PAYLOAD, bk.MOCK_TAGGED, bk.MOCK_16_PCRS,
                      bk.MOCK_INDEFINITE_PAYLOAD | bk.MOCK_TAGGED | bk.MOCK_16_PCRS):
            with Backend.open("mock", mock_time_ms=NOW_MS, mock_flags=flags) as be:
                v = attestation.Verifier(aws_root=False)
                v.add_root_der(be.mock_root_der())
                d = v.verify(be.attest(user_data=b"u"), at_unix=NOW_MS // 1000,
                             policy=attestation.Policy(allow_debug=True))
                self.assertEqual(d.tagged, bool(flags & bk.MOCK_TAGGED), flags)
                self.assertEqual(len(d.pcrs), 16 if flags & bk.MOCK_16_PCRS else 32, flags)
        with self.assertRaises(zerokey.ArgumentError):
            Backend.open("mock", mock_flags=0x80)


if __name__ == "__main__":
    unittest.main()
