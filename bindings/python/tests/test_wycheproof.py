"""Wycheproof vectors through the Python binding (same files and rules as the C suites).

Every "valid" case must be accepted and every "invalid" case rejected; the
"acceptable" ECDH cases (lax encodings) may go either way and are counted.
"""

from __future__ import annotations

import sys
import unittest
from typing import Any

import vectors
import zerokey
from zerokey import Curve, HashAlg, Key, SigFormat, Status

H = bytes.fromhex

ECDSA_FILES = [
    # file, curve, format, allow_high_s
    ("ecdsa_secp256r1_sha256_test.json", Curve.P256, SigFormat.DER, False),
    ("ecdsa_secp256r1_sha256_p1363_test.json", Curve.P256, SigFormat.RAW, False),
    ("ecdsa_secp384r1_sha384_test.json", Curve.P384, SigFormat.DER, False),
    ("ecdsa_secp384r1_sha384_p1363_test.json", Curve.P384, SigFormat.RAW, False),
    # Generic secp256k1 ECDSA accepts both S halves; the bitcoin file applies the low-S rule.
    ("ecdsa_secp256k1_sha256_test.json", Curve.SECP256K1, SigFormat.DER, True),
    ("ecdsa_secp256k1_sha256_p1363_test.json", Curve.SECP256K1, SigFormat.RAW, True),
    ("ecdsa_secp256k1_sha256_bitcoin_test.json", Curve.SECP256K1, SigFormat.DER, False),
]


def _cases(doc: Any):
    for g in doc["testGroups"]:
        for t in g["tests"]:
            yield g, t


class TestWycheproofSignatures(unittest.TestCase):
    def _ecdsa(self, name: str, curve: Curve, fmt: SigFormat, allow_high_s: bool) -> None:
        doc = vectors.load_json("wycheproof/" + name)
        run = passed = 0
        for g in doc["testGroups"]:
            try:
                key: Key | None = Key.from_public(curve, H(g["publicKey"]["uncompressed"]))
            except zerokey.ZeroKeyError:
                key = None
            for t in g["tests"]:
                run += 1
                ok = False
                if key is not None:
                    try:
                        key.verify(H(t["sig"]), H(t["msg"]), fmt, allow_high_s=allow_high_s)
                        ok = True
                    except zerokey.CryptoError as e:
                        self.assertIn(e.status, (Status.ERR_SIGNATURE, Status.ERR_SIG_ENCODING,
                                                 Status.ERR_HIGH_S), (name, t["tcId"], e))
                want = t["result"] == "valid"
                self.assertNotEqual(t["result"], "acceptable")
                if ok == want:
                    passed += 1
                else:
                    self.fail(f"{name} tcId {t['tcId']} ({t['comment']}): "
                              f"{'accepted' if ok else 'rejected'} but result={t['result']}")
        vectors.report("wycheproof/" + name, run, passed)
        self.assertEqual(run, doc["numberOfTests"])

    def test_ecdsa_p256_der(self) -> None:
        self._ecdsa(*ECDSA_FILES[0])

    def test_ecdsa_p256_p1363(self) -> None:
        self._ecdsa(*ECDSA_FILES[1])

    def test_ecdsa_p384_der(self) -> None:
        self._ecdsa(*ECDSA_FILES[2])

    def test_ecdsa_p384_p1363(self) -> None:
        self._ecdsa(*ECDSA_FILES[3])

    def test_ecdsa_secp256k1_der(self) -> None:
        self._ecdsa(*ECDSA_FILES[4])

    def test_ecdsa_secp256k1_p1363(self) -> None:
        self._ecdsa(*ECDSA_FILES[5])

    def test_ecdsa_secp256k1_bitcoin(self) -> None:
        self._ecdsa(*ECDSA_FILES[6])

    def test_ed25519(self) -> None:
        name = "ed25519_test.json"
        doc = vectors.load_json("wycheproof/" + name)
        run = passed = 0
        for g in doc["testGroups"]:
            key = Key.from_public(Curve.ED25519, H(g["publicKey"]["pk"]))
            for t in g["tests"]:
                run += 1
                try:
                    key.verify(H(t["sig"]), H(t["msg"]), SigFormat.EDDSA)
                    ok = True
                except zerokey.CryptoError:
                    ok = False
                if ok != (t["result"] == "valid"):
                    self.fail(f"{name} tcId {t['tcId']} ({t['comment']}): ok={ok} "
                              f"result={t['result']}")
                passed += 1
        vectors.report("wycheproof/" + name, run, passed)
        self.assertEqual(run, doc["numberOfTests"])


def _scalar(hexs: str, size: int) -> bytes:
    return int(hexs, 16).to_bytes(size, "big")


class TestWycheproofEcdh(unittest.TestCase):
    def _ecdh(self, name: str, spki: bool) -> None:
        doc = vectors.load_json("wycheproof/" + name)
        run = passed = acc_yes = acc_no = 0
        for _, t in _cases(doc):
            run += 1
            priv = Key.from_private(Curve.P256, _scalar(t["private"], 32))
            shared = None
            try:
                peer = Key.from_spki(H(t["public"])) if spki else \
                    Key.from_public(Curve.P256, H(t["public"]))
                shared = bytes(priv.ecdh(peer))
            except zerokey.ZeroKeyError:
                shared = None
            if t["result"] == "acceptable":
                if shared is None:
                    acc_no += 1
                else:
                    acc_yes += 1
                    self.assertEqual(shared.hex(), t["shared"], t["tcId"])
                passed += 1
                continue
            if t["result"] == "valid":
                self.assertIsNotNone(shared, f"{name} tcId {t['tcId']} {t['comment']}")
                self.assertEqual(shared.hex(), t["shared"], t["tcId"])
            else:
                self.assertIsNone(shared, f"{name} tcId {t['tcId']} {t['comment']} accepted")
            passed += 1
        vectors.report("wycheproof/" + name, run, passed)
        print(f"  acceptable: accepted={acc_yes} rejected={acc_no}", file=sys.stderr)
        self.assertEqual(run, doc["numberOfTests"])

    def test_ecdh_spki(self) -> None:
        self._ecdh("ecdh_secp256r1_test.json", True)

    def test_ecdh_ecpoint(self) -> None:
        self._ecdh("ecdh_secp256r1_ecpoint_test.json", False)


class TestWycheproofSymmetric(unittest.TestCase):
    def test_aes_gcm(self) -> None:
        doc = vectors.load_json("wycheproof/aes_gcm_test.json")
        run = passed = refused_iv = 0
        for g, t in _cases(doc):
            run += 1
            key, iv, aad, msg, ct, tag = (H(t[k]) for k in ("key", "iv", "aad", "msg", "ct", "tag"))
            if g["ivSize"] != 96:
                # The library supports 12-byte nonces only: both directions must refuse.
                for call in (lambda: zerokey.aes_gcm_open(key, iv, ct, tag, aad),
                             lambda: zerokey.aes_gcm_seal(key, iv, msg, aad)):
                    with self.assertRaises(zerokey.CryptoError) as cm:
                        call()
                    self.assertEqual(cm.exception.status, Status.ERR_NONCE_SIZE)
                refused_iv += 1
                passed += 1
                continue
            try:
                pt = bytes(zerokey.aes_gcm_open(key, iv, ct, tag, aad))
            except zerokey.CryptoError as e:
                self.assertEqual(t["result"], "invalid", f"tcId {t['tcId']}: {e}")
                self.assertEqual(e.status, Status.ERR_DECRYPT)
                passed += 1
                continue
            self.assertEqual(t["result"], "valid", f"tcId {t['tcId']} accepted")
            self.assertEqual(pt, msg)
            c2, t2 = zerokey.aes_gcm_seal(key, iv, msg, aad)
            self.assertEqual((c2, t2), (ct, tag), t["tcId"])
            passed += 1
        vectors.report("wycheproof/aes_gcm_test.json", run, passed)
        print(f"  non-96-bit IV cases refused with ZK_ERR_NONCE_SIZE: {refused_iv}", file=sys.stderr)

    def _hkdf(self, name: str, alg: HashAlg) -> None:
        doc = vectors.load_json("wycheproof/" + name)
        run = passed = 0
        for _, t in _cases(doc):
            run += 1
            try:
                okm = bytes(zerokey.hkdf(alg, H(t["ikm"]), t["size"], salt=H(t["salt"]),
                                         info=H(t["info"])))
            except zerokey.CryptoError as e:
                self.assertEqual(t["result"], "invalid", t["tcId"])
                self.assertEqual(e.status, Status.ERR_KDF_LENGTH)
                passed += 1
                continue
            self.assertEqual(t["result"], "valid", t["tcId"])
            self.assertEqual(okm.hex(), t["okm"], t["tcId"])
            passed += 1
        vectors.report("wycheproof/" + name, run, passed)

    def test_hkdf_sha256(self) -> None:
        self._hkdf("hkdf_sha256_test.json", HashAlg.SHA256)

    def test_hkdf_sha384(self) -> None:
        self._hkdf("hkdf_sha384_test.json", HashAlg.SHA384)

    def test_hmac_sha256(self) -> None:
        doc = vectors.load_json("wycheproof/hmac_sha256_test.json")
        run = passed = 0
        for g, t in _cases(doc):
            run += 1
            key, msg, tag = H(t["key"]), H(t["msg"]), H(t["tag"])
            full = zerokey.hmac(HashAlg.SHA256, key, msg)
            try:
                zerokey.hmac_verify(HashAlg.SHA256, key, msg, tag)
                ok = True
            except zerokey.CryptoError as e:
                self.assertIn(e.status, (Status.ERR_MAC, Status.ERR_TAG_SIZE))
                ok = False
            if t["result"] == "valid":
                self.assertTrue(ok, t["tcId"])
                self.assertEqual(full[: len(tag)], tag, t["tcId"])
            else:
                self.assertFalse(ok, t["tcId"])
            passed += 1
        vectors.report("wycheproof/hmac_sha256_test.json", run, passed)


if __name__ == "__main__":
    unittest.main()
