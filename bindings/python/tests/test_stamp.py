"""Request stamps (X-Stamp, X-Stamp-Webauthn) through the binding, on the Turnkey fixtures."""

from __future__ import annotations

import json
import unittest

import vectors
import zerokey
from zerokey import Curve, Key, PubFormat, Status, stamp

H = bytes.fromhex
NOW = 1_700_000_000_000


class TestStamp(unittest.TestCase):
    def setUp(self) -> None:
        vectors.require(self, "zk_stamp_create", "zk_stamp_parse", "zk_stamp_verify",
                        "zk_stamp_parse_webauthn", "zk_stamp_create_webauthn")
        self.doc = vectors.load_json("turnkey/stamps/stamp_vectors.json")

    def test_turnkey_fixtures(self) -> None:
        run = 0
        priv = vectors.read_bytes("turnkey/stamps/api-key.private").decode().strip()
        pub = vectors.read_bytes("turnkey/stamps/api-key.public").decode().strip()
        key = Key.from_private(Curve.P256, H(priv))
        self.assertEqual(key.public_bytes(PubFormat.COMPRESSED).hex(), pub)
        for v in self.doc["derived_deterministic_p256_stamps"]:
            body = v["body"].encode()
            self.assertEqual(stamp.create(key, stamp.Scheme.P256, body), v["x_stamp"])
            with stamp.Stamp.parse(v["x_stamp"]) as s:
                self.assertEqual(s.scheme, stamp.Scheme.P256)
                self.assertEqual(s.signature.hex(), v["signature_der_hex"])
                self.assertEqual(s.public_key.hex() if s.public_key else None, pub)
                self.assertEqual(s.digest, zerokey.sha256(v["x_stamp"].encode()))
                s.verify(body, now_ms=NOW, check_timestamp=False)
                s.verify(body, now_ms=NOW, check_timestamp=False, key=key.public_copy())
                with self.assertRaises(zerokey.EvidenceError) as cm:
                    s.verify(body, now_ms=NOW, check_timestamp=False,
                             key=Key.generate(Curve.P256))
                self.assertEqual(cm.exception.status, Status.ERR_EV_SIGNER)
                with self.assertRaises(zerokey.CryptoError) as cm2:
                    s.verify(body + b" ", now_ms=NOW, check_timestamp=False)
                self.assertEqual(cm2.exception.status, Status.ERR_SIGNATURE)
            run += 1
        cli = self.doc["docs_cli_stamp"]
        with stamp.Stamp.parse(cli["x_stamp"]) as s:
            s.verify(cli["body"].encode(), now_ms=NOW, check_timestamp=False)
        run += 1
        e = self.doc["eip191_wallet_stamp"]
        k = Key.from_private(Curve.SECP256K1, H(e["secp256k1_private_hex"]))
        hdr = stamp.create(k, stamp.Scheme.SECP256K1_EIP191, e["body"].encode())
        with stamp.Stamp.parse(hdr) as s:
            self.assertEqual(s.scheme, stamp.Scheme.SECP256K1_EIP191)
            self.assertEqual(s.public_key.hex() if s.public_key else None,
                             e["expected_publicKey_compressed"])
            self.assertEqual(s.signature.hex(), e["expected_signature_der"])
            s.verify(e["body"].encode(), now_ms=NOW, check_timestamp=False)
        run += 1
        d = self.doc["ed25519_wallet_stamp"]
        k = Key.from_private(Curve.ED25519, H(d["ed25519_seed_hex"]))
        self.assertEqual(k.public_bytes(PubFormat.RAW).hex(), d["publicKey_hex"])
        self.assertEqual(stamp.create(k, stamp.Scheme.ED25519, d["body"].encode()),
                         d["x_stamp_DERIVED"])
        with stamp.Stamp.parse(d["x_stamp_DERIVED"]) as s:
            s.verify(d["body"].encode(), now_ms=NOW, check_timestamp=False)
        run += 1
        vectors.report("turnkey/stamps/stamp_vectors.json", run, run)

    def test_timestamp_window(self) -> None:
        k = Key.generate(Curve.P256)
        body = json.dumps({"type": "ACTIVITY", "timestampMs": str(NOW)}).encode()
        s = stamp.Stamp.parse(stamp.create(k, stamp.Scheme.P256, body))
        s.verify(body, now_ms=NOW)
        s.verify(body, now_ms=NOW + 3_600_000)
        self.assertEqual(stamp.check_timestamp(body, NOW), NOW)
        for now in (NOW + 3_600_001, NOW - 30_001):
            with self.assertRaises(zerokey.EvidenceError) as cm:
                s.verify(body, now_ms=now)
            self.assertEqual(cm.exception.status, Status.ERR_STAMP_TIMESTAMP)
        s.verify(body, now_ms=NOW + 10_000, max_age_ms=10_000)
        with self.assertRaises(zerokey.EvidenceError):
            s.verify(body, now_ms=NOW + 10_001, max_age_ms=10_000)

    def test_webauthn(self) -> None:
        for curve in (Curve.P256, Curve.ED25519):
            k = Key.generate(curve)
            body = json.dumps({"timestampMs": str(NOW)}).encode()
            hdr = stamp.create_webauthn(k, b"cred-id", "example.com", "https://example.com", body,
                                        sign_count=7)
            with stamp.Stamp.parse_webauthn(hdr) as s:
                self.assertEqual(s.scheme, stamp.Scheme.WEBAUTHN)
                self.assertEqual(s.credential_id, b"cred-id")
                self.assertEqual(s.sign_count, 7)
                self.assertIsNone(s.public_key)
                opts = dict(now_ms=NOW, key=k.public_copy(), rp_id="example.com",
                            origins=["https://other.example", "https://example.com"])
                s.verify(body, require_uv=True, **opts)  # type: ignore[arg-type]
                cases = [
                    (dict(opts, origins=["https://evil.example"]), Status.ERR_WEBAUTHN_ORIGIN),
                    (dict(opts, rp_id="evil.example"), Status.ERR_WEBAUTHN_RPID),
                ]
                for bad, want in cases:
                    with self.assertRaises(zerokey.EvidenceError) as cm:
                        s.verify(body, **bad)  # type: ignore[arg-type]
                    self.assertEqual(cm.exception.status, want)
                with self.assertRaises(zerokey.EvidenceError) as cm:
                    s.verify(json.dumps({"timestampMs": str(NOW), "x": 1}).encode(), **opts)  # type: ignore[arg-type]
                self.assertEqual(cm.exception.status, Status.ERR_WEBAUTHN_CHALLENGE)
            hdr = stamp.create_webauthn(k, b"c", "example.com", "https://example.com", body,
                                        flags=stamp.FLAG_UP)
            with stamp.Stamp.parse_webauthn(hdr) as s:
                s.verify(body, now_ms=NOW, key=k, rp_id="example.com",
                         origins=["https://example.com"])
                with self.assertRaises(zerokey.EvidenceError) as cm:
                    s.verify(body, now_ms=NOW, key=k, rp_id="example.com",
                             origins=["https://example.com"], require_uv=True)
                self.assertEqual(cm.exception.status, Status.ERR_WEBAUTHN_FLAGS)

    def test_header_mutations(self) -> None:
        """Every single-character change of an X-Stamp header is rejected."""
        k = Key.generate(Curve.P256)
        body = b'{"timestampMs":"1700000000000"}'
        hdr = stamp.create(k, stamp.Scheme.P256, body)
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        tried = rejected = 0
        for i, ch in enumerate(hdr):
            repl = alphabet[(alphabet.index(ch) + 1) % len(alphabet)]
            m = hdr[:i] + repl + hdr[i + 1:]
            tried += 1
            try:
                stamp.Stamp.parse(m).verify(body, now_ms=NOW)
            except zerokey.ZeroKeyError:
                rejected += 1
        for n in range(len(hdr)):
            tried += 1
            try:
                stamp.Stamp.parse(hdr[:n]).verify(body, now_ms=NOW)
            except zerokey.ZeroKeyError:
                rejected += 1
        vectors.report_mutations("x_stamp", tried, rejected)
        self.assertEqual(tried, rejected)
        self.assertEqual(stamp.scheme_name(stamp.Scheme.P256), "SIGNATURE_SCHEME_TK_API_P256")


if __name__ == "__main__":
    unittest.main()
