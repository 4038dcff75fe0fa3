"""Real AWS Nitro attestation documents verified through the binding."""

from __future__ import annotations

import hashlib
import unittest
from typing import Any

import vectors
import zerokey
from zerokey import Status, attestation

H = bytes.fromhex


def opt_hex(v: Any) -> Any:
    return None if v is None else H(v)


class TestAttestation(unittest.TestCase):
    def setUp(self) -> None:
        vectors.require(self, "zk_att_verifier_new", "zk_att_verify", "zk_att_policy_new",
                        "zk_att_parse_unverified")
        self.docs = vectors.load_json("nitro/documents.json")

    def test_aws_root(self) -> None:
        der = attestation.aws_root_der()
        self.assertEqual(hashlib.sha256(der).hexdigest(),
                         "641a0321a3e244efe456463195d606317ed7cdcc3c1756e09893f3c68f79bb5b")
        with attestation.Verifier(aws_root=False) as v:
            self.assertEqual(v.root_count, 0)
            v.add_root_pem(vectors.read_bytes("nitro/aws_nitro_root_g1.pem"))
            self.assertEqual(v.root_count, 1)

    def test_real_documents(self) -> None:
        run = passed = 0
        verifier = attestation.Verifier()
        for meta in self.docs:
            data = vectors.read_bytes("nitro/" + meta["file"])
            self.assertEqual(hashlib.sha256(data).hexdigest(), meta["sha256"])
            at = meta["suggested_attime"]
            debug = meta["pcr0"] == "00" * 48
            # 1. verifies at its own time (debug documents need allow_debug)
            run += 1
            with attestation.Policy(allow_debug=debug) as pol:
                doc = verifier.verify(data, at_unix=at, policy=pol)
            self.assertTrue(doc.verified)
            self.assertEqual(doc.module_id, meta["module_id"])
            self.assertEqual(doc.timestamp_ms, meta["timestamp_ms"])
            self.assertEqual(doc.is_debug, debug)
            self.assertEqual(len(doc.pcrs), meta["npcrs"])
            for i in (0, 1, 2, 3, 4, 8):
                self.assertEqual(doc.pcrs[i].hex(), meta[f"pcr{i}"], (meta["file"], i))
            self.assertEqual(doc.public_key, opt_hex(meta["public_key"]))
            self.assertEqual(doc.user_data, opt_hex(meta["user_data"]))
            self.assertEqual(doc.nonce, opt_hex(meta["nonce"]))
            self.assertEqual(len(doc.cabundle), meta["cabundle_len"])
            self.assertEqual(doc.raw, data)
            self.assertEqual(doc.tagged, not meta["untagged"])
            passed += 1
            # 2. a policy pinning the real PCRs and bindings passes
            run += 1
            pol = attestation.Policy(pcrs={i: H(meta[f"pcr{i}"]) for i in (0, 1, 2)},
                                     allow_debug=debug, max_age_s=60)
            for field, setter in (("nonce", pol.expect_nonce), ("user_data", pol.expect_user_data),
                                  ("public_key", pol.expect_public_key)):
                if meta[field] is not None:
                    setter(H(meta[field]))
            verifier.verify(data, at_unix=at, policy=pol)
            passed += 1
            # 3. each failure has its own status
            cases: list[tuple[str, Any, Status]] = [
                ("expired", dict(at_unix=meta["valid_until_epoch"] + 1,
                                 policy=attestation.Policy(allow_debug=debug)),
                 Status.ERR_ATT_EXPIRED),
                ("pcr", dict(at_unix=at, policy=attestation.Policy(
                    allow_debug=debug, pcrs={0: b"\x01" * 48})), Status.ERR_ATT_PCR_MISMATCH),
                ("nonce", dict(at_unix=at, policy=attestation.Policy(
                    allow_debug=debug, nonce=b"other")), Status.ERR_ATT_NONCE),
                ("stale", dict(at_unix=at + 120, policy=attestation.Policy(
                    allow_debug=debug, max_age_s=60)), Status.ERR_ATT_STALE),
                ("future", dict(at_unix=at - 10, policy=attestation.Policy(
                    allow_debug=debug, leeway_s=20)), None),
            ]
            if debug:
                cases.append(("debug", dict(at_unix=at, policy=None), Status.ERR_ATT_DEBUG))
            for label, kwargs, want in cases:
                run += 1
                if want is None:
                    verifier.verify(data, **kwargs)  # within the leeway: accepted
                else:
                    with self.assertRaises(zerokey.AttestationError, msg=label) as cm:
                        verifier.verify(data, **kwargs)
                    self.assertEqual(cm.exception.status, want, (meta["file"], label))
                passed += 1
            run += 1
            with attestation.Verifier(aws_root=False) as empty:
                with self.assertRaises(zerokey.AttestationError) as cm:
                    empty.verify(data, at_unix=at, policy=attestation.Policy(allow_debug=True))
                self.assertEqual(cm.exception.status, Status.ERR_ATT_UNTRUSTED_ROOT)
            passed += 1
            # 4. parse_unverified exposes the same fields but is marked unverified
            u = attestation.parse_unverified(data)
            self.assertFalse(u.verified)
            self.assertEqual(u.module_id, meta["module_id"])
        hits, misses, entries = verifier.cache_stats()
        self.assertGreater(hits, 0)
        self.assertGreater(misses, 0)
        run += 1
        with self.assertRaises(zerokey.ZeroKeyError) as cm:
            verifier.verify(vectors.read_bytes(
                "nitro/NEGATIVE_base_2026-01-03_unrepaired_missing3bytes.cose"))
        self.assertNotIsInstance(cm.exception, zerokey.AttestationError)  # a parse failure
        passed += 1
        vectors.report("nitro/documents.json (verify + policy)", run, passed)

    def test_mutations(self) -> None:
        """Single-byte changes (stride 3) and truncations of a real document never verify."""
        meta = next(m for m in self.docs if m["file"].startswith("qos_"))
        data = vectors.read_bytes("nitro/" + meta["file"])
        v = attestation.Verifier()
        pol = attestation.Policy()
        v.verify(data, at_unix=meta["suggested_attime"], policy=pol)
        tried = rejected = 0
        for i in range(0, len(data), 3):
            m = bytearray(data)
            m[i] ^= 0x01
            tried += 1
            try:
                v.verify(bytes(m), at_unix=meta["suggested_attime"], policy=pol)
            except zerokey.ZeroKeyError:
                rejected += 1
        for n in range(0, len(data), 97):
            tried += 1
            try:
                v.verify(data[:n], at_unix=meta["suggested_attime"], policy=pol)
            except zerokey.ZeroKeyError:
                rejected += 1
        vectors.report_mutations("attestation", tried, rejected)
        self.assertEqual(tried, rejected)


if __name__ == "__main__":
    unittest.main()
