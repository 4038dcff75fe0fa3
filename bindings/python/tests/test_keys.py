"""Keys, signatures, recovery, ECDH and encodings through the binding, plus BIP-340 and
RFC 6979 vectors and single-byte mutation sweeps."""

from __future__ import annotations

import csv
import gc
import io
import unittest

import vectors
import zerokey
from zerokey import Curve, Key, PubFormat, SigFormat, Status

H = bytes.fromhex
ECDSA_CURVES = (Curve.P256, Curve.SECP256K1, Curve.P384)


def formats_for(curve: Curve) -> list[SigFormat]:
    if curve == Curve.ED25519:
        return [SigFormat.EDDSA]
    if curve == Curve.SECP256K1:
        return [SigFormat.DER, SigFormat.RAW, SigFormat.RECOVERABLE, SigFormat.SCHNORR]
    return [SigFormat.DER, SigFormat.RAW]


class TestKeys(unittest.TestCase):
    def test_roundtrip_every_curve_and_format(self) -> None:
        msg = b"zerokey binding test message"
        for curve in Curve:
            with Key.generate(curve) as k:
                self.assertEqual(k.curve, curve)
                self.assertTrue(k.has_private)
                pub = k.public_copy()
                self.assertFalse(pub.has_private)
                self.assertTrue(pub.public_equal(k))
                for fmt in formats_for(curve):
                    sig = k.sign(msg, fmt)
                    pub.verify(sig, msg, fmt)
                    with self.assertRaises(zerokey.CryptoError) as cm:
                        pub.verify(sig, msg + b"!", fmt)
                    self.assertEqual(cm.exception.status, Status.ERR_SIGNATURE, (curve, fmt))
                with self.assertRaises(zerokey.CryptoError) as cm:
                    pub.sign(msg)
                self.assertEqual(cm.exception.status, Status.ERR_NO_PRIVATE_KEY)

    def test_ecdsa_deterministic(self) -> None:
        for curve in ECDSA_CURVES:
            k = Key.generate(curve)
            self.assertEqual(k.sign(b"m", SigFormat.DER), k.sign(b"m", SigFormat.DER))

    def test_public_formats_roundtrip(self) -> None:
        for curve in Curve:
            k = Key.generate(curve)
            fmts = [PubFormat.RAW, PubFormat.SPKI_DER] if curve == Curve.ED25519 else \
                [PubFormat.COMPRESSED, PubFormat.UNCOMPRESSED, PubFormat.SPKI_DER]
            if curve == Curve.SECP256K1:
                fmts.append(PubFormat.XONLY)
            for fmt in fmts:
                enc = k.public_bytes(fmt)
                k2 = Key.from_spki(enc) if fmt == PubFormat.SPKI_DER else Key.from_public(curve, enc)
                if fmt == PubFormat.XONLY:
                    self.assertEqual(k2.public_bytes(PubFormat.XONLY), enc)
                else:
                    self.assertTrue(k2.public_equal(k), (curve, fmt))
            if curve != Curve.SECP256K1:
                with self.assertRaises(zerokey.ArgumentError) as cm:
                    k.public_bytes(PubFormat.XONLY)
                self.assertEqual(cm.exception.status, Status.ERR_UNSUPPORTED)

    def test_private_export_import(self) -> None:
        for curve in Curve:
            k = Key.generate(curve)
            secret = k.export_private()
            self.assertIsInstance(secret, bytearray)
            k2 = Key.from_private(curve, secret)
            self.assertTrue(k2.public_equal(k))
            zerokey.wipe(secret)
            self.assertEqual(secret, bytearray(len(secret)))
        with self.assertRaises(zerokey.CryptoError) as cm:
            Key.from_private(Curve.P256, bytes(32))  # zero scalar
        self.assertEqual(cm.exception.status, Status.ERR_KEY)
        with self.assertRaises(zerokey.CryptoError) as cm:
            Key.from_private(Curve.P256, b"\xff" * 32)  # >= order
        self.assertEqual(cm.exception.status, Status.ERR_KEY)

    def test_invalid_public_keys(self) -> None:
        k = Key.generate(Curve.P256)
        good = k.public_bytes(PubFormat.UNCOMPRESSED)
        bad = bytearray(good)
        bad[-1] ^= 1
        with self.assertRaises(zerokey.CryptoError):
            Key.from_public(Curve.P256, bytes(bad))
        for n in range(len(good)):
            with self.assertRaises(zerokey.ZeroKeyError):
                Key.from_public(Curve.P256, good[:n])

    def test_recover(self) -> None:
        k = Key.generate(Curve.SECP256K1)
        digest = zerokey.sha256(b"recover me")
        sig = k.sign_digest(digest, SigFormat.RECOVERABLE)
        self.assertEqual(len(sig), 65)
        self.assertTrue(Key.recover(sig, digest).public_equal(k))
        k.verify_digest(sig[:64], digest, SigFormat.RAW)
        with self.assertRaises(zerokey.CryptoError):
            Key.recover(sig[:64], digest)
        other = Key.recover(sig, zerokey.sha256(b"other"))
        self.assertFalse(other.public_equal(k))

    def test_sig_conversion(self) -> None:
        for curve in ECDSA_CURVES:
            k = Key.generate(curve)
            der = k.sign(b"x", SigFormat.DER)
            raw = zerokey.sig_der_to_raw(curve, der)
            self.assertEqual(raw, k.sign(b"x", SigFormat.RAW))
            self.assertEqual(zerokey.sig_raw_to_der(curve, raw), der)
            with self.assertRaises(zerokey.CryptoError) as cm:
                zerokey.sig_der_to_raw(curve, der + b"\x00")
            self.assertEqual(cm.exception.status, Status.ERR_SIG_ENCODING)

    def test_ecdh(self) -> None:
        for curve in ECDSA_CURVES:
            a, b = Key.generate(curve), Key.generate(curve)
            s1 = a.ecdh(b.public_copy())
            s2 = b.ecdh(a.public_copy())
            self.assertEqual(s1, s2)
            self.assertEqual(len(s1), 48 if curve == Curve.P384 else 32)
        with self.assertRaises(zerokey.CryptoError) as cm:
            Key.generate(Curve.P256).ecdh(Key.generate(Curve.SECP256K1))
        self.assertEqual(cm.exception.status, Status.ERR_CURVE)

    def test_closed_key(self) -> None:
        k = Key.generate(Curve.P256)
        k.close()
        k.close()
        with self.assertRaises(zerokey.ArgumentError):
            k.sign(b"x")
        with self.assertRaises(TypeError):
            Key()  # type: ignore[call-arg]
        for _ in range(200):  # finalizers free keys that were never closed
            Key.generate(Curve.ED25519)
        gc.collect()

    def test_input_types(self) -> None:
        k = Key.generate(Curve.P256)
        sig = k.sign(bytearray(b"abc"))
        k.verify(memoryview(sig), memoryview(b"abc"))
        k.verify(bytearray(sig), memoryview(bytearray(b"abc")))
        with self.assertRaises(TypeError):
            k.sign("abc")  # type: ignore[arg-type]

    def test_signature_mutations(self) -> None:
        """Every single-bit flip of every byte of a valid signature is rejected."""
        msg = b"mutation sweep"
        tried = rejected = 0
        for curve in Curve:
            k = Key.generate(curve)
            pub = k.public_copy()
            for fmt in formats_for(curve):
                if fmt == SigFormat.RECOVERABLE:
                    continue  # v is not checked by verify; recovery covers it
                sig = k.sign(msg, fmt)
                for i in range(len(sig)):
                    for bit in (0x01, 0x80):
                        m = bytearray(sig)
                        m[i] ^= bit
                        tried += 1
                        try:
                            pub.verify(bytes(m), msg, fmt, allow_high_s=True)
                        except zerokey.CryptoError:
                            rejected += 1
                for n in range(len(sig)):
                    tried += 1
                    try:
                        pub.verify(sig[:n], msg, fmt)
                    except zerokey.CryptoError:
                        rejected += 1
        vectors.report_mutations("signatures", tried, rejected)
        self.assertEqual(tried, rejected)


class TestBip340(unittest.TestCase):
    def test_vectors(self) -> None:
        text = vectors.read_bytes("bip340/test-vectors.csv").decode()
        run = passed = signed = 0
        for row in csv.DictReader(io.StringIO(text)):
            run += 1
            want = row["verification result"] == "TRUE"
            pub, msg, sig = H(row["public key"]), H(row["message"]), H(row["signature"])
            try:
                k = Key.from_public(Curve.SECP256K1, pub)
                k.verify(sig, msg, SigFormat.SCHNORR)
                ok = True
            except zerokey.CryptoError:
                ok = False
            self.assertEqual(ok, want, f"BIP-340 index {row['index']}: {row['comment']}")
            if row["secret key"]:
                sk = Key.from_private(Curve.SECP256K1, H(row["secret key"]))
                self.assertEqual(sk.public_bytes(PubFormat.XONLY), pub)
                # Signing uses fresh aux randomness: check that our signature verifies.
                Key.from_public(Curve.SECP256K1, pub).verify(sk.sign(msg, SigFormat.SCHNORR),
                                                             msg, SigFormat.SCHNORR)
                signed += 1
            passed += 1
        vectors.report("bip340/test-vectors.csv", run, passed)
        self.assertEqual(run, 19)
        self.assertEqual(signed, 8)


class TestRfc6979(unittest.TestCase):
    def test_nist_p256_p384(self) -> None:
        doc = vectors.load_json("rfc6979/rfc6979_nist_curves_sha256.json")
        curves = {"P256": (Curve.P256, 32), "P384": (Curve.P384, 48)}
        run = passed = 0
        for entry in doc:
            if entry["curve"] not in curves:
                continue
            curve, size = curves[entry["curve"]]
            k = Key.from_private(curve, int(entry["private"], 16).to_bytes(size, "big"))
            self.assertEqual(k.public_bytes(PubFormat.UNCOMPRESSED),
                             b"\x04" + H(entry["Ux"].rjust(2 * size, "0"))
                             + H(entry["Uy"].rjust(2 * size, "0")))
            for case in entry["cases"]:
                run += 1
                raw = k.sign(case["message"].encode(), SigFormat.RAW)
                want = H(case["r"].rjust(2 * size, "0")) + H(case["s"].rjust(2 * size, "0"))
                self.assertEqual(raw.hex(), want.hex(), (entry["curve"], case["message"]))
                passed += 1
        vectors.report("rfc6979/rfc6979_nist_curves_sha256.json (P-256, P-384)", run, passed)
        self.assertEqual(run, 4)


if __name__ == "__main__":
    unittest.main()
