"""COSE_Sign1, RFC 9180 HPKE and Shamir through the binding."""

from __future__ import annotations

import unittest

import vectors
import zerokey
from zerokey import Curve, Key, Status, cose, hpke, shamir

H = bytes.fromhex
ALG = {Curve.P256: cose.ALG_ES256, Curve.SECP256K1: cose.ALG_ES256K,
       Curve.ED25519: cose.ALG_EDDSA, Curve.P384: cose.ALG_ES384}

NITRO_DOCS = [
    "evervault_2022-10-12_debug_userdata_pubkey.cose",
    "evervault_2022-10-13_nonce.cose",
    "evervault_2023-01-18_debug.cose",
    "evervault_2023-01-18_nondebug_pcrs.cose",
    "evervault_2023-09-18_ga_userdata_spki.cose",
    "qos_2022-07-06_pubkey_userdata.cose",
]


class TestCose(unittest.TestCase):
    def setUp(self) -> None:
        vectors.require(self, "zk_cose_sign1_create", "zk_cose_sign1_parse", "zk_cose_sign1_verify")

    def test_roundtrip(self) -> None:
        for curve in Curve:
            k = Key.generate(curve)
            for tagged in (True, False):
                for kid in (None, b"key-1"):
                    data = cose.sign1_create(k, b"payload", kid=kid, external_aad=b"aad",
                                             tagged=tagged)
                    with cose.Sign1(data) as m:
                        self.assertEqual(m.payload, b"payload")
                        self.assertEqual(m.kid, kid)
                        self.assertEqual(m.alg, ALG[curve])
                        self.assertEqual(m.tagged, tagged)
                        m.verify(k.public_copy(), b"aad")
                        with self.assertRaises(zerokey.CryptoError) as cm:
                            m.verify(k, b"other aad")
                        self.assertEqual(cm.exception.status, Status.ERR_SIGNATURE)
                        other = Key.generate(Curve.P256 if curve != Curve.P256 else Curve.P384)
                        with self.assertRaises(zerokey.CoseError) as cm2:
                            m.verify(other, b"aad")
                        self.assertEqual(cm2.exception.status, Status.ERR_COSE_ALG)
                        sig_structure = cose.sig_structure(m.protected, m.payload, b"aad")
                        self.assertTrue(sig_structure.startswith(b"\x84\x6aSignature1"))
                    self.assertEqual(cose.sign1_verify(data, k, b"aad"), b"payload")

    def test_mutations(self) -> None:
        """Every single-byte change and every truncation fails to parse or to verify."""
        k = Key.generate(Curve.P256)
        data = cose.sign1_create(k, b'{"type":"test"}', kid=b"kid")
        tried = rejected = 0
        for i in range(len(data)):
            for delta in (0x01, 0xFF):
                m = bytearray(data)
                m[i] = (m[i] + delta) & 0xFF
                tried += 1
                try:
                    cose.sign1_verify(bytes(m), k)
                except zerokey.ZeroKeyError:
                    rejected += 1
        for n in range(len(data)):
            tried += 1
            with self.assertRaises(zerokey.ZeroKeyError):
                cose.sign1_verify(data[:n], k)
            rejected += 1
        tried += 1
        with self.assertRaises(zerokey.ParseError) as cm:
            cose.Sign1(data + b"\x00")
        self.assertEqual(cm.exception.status, Status.ERR_TRAILING)
        self.assertEqual(cm.exception.offset, len(data))
        rejected += 1
        vectors.report_mutations("cose_sign1", tried, rejected)
        self.assertEqual(tried, rejected)

    def test_nitro_documents_parse(self) -> None:
        """Real Nitro documents are untagged ES384 COSE_Sign1 with 96-byte signatures."""
        run = 0
        for name in NITRO_DOCS:
            data = vectors.read_bytes("nitro/" + name)
            with cose.Sign1(data) as m:
                self.assertFalse(m.tagged, name)
                self.assertEqual(m.alg, cose.ALG_ES384, name)
                self.assertEqual(m.protected, H("a1013822"), name)
                self.assertEqual(len(m.signature), 96, name)
            run += 1
        with self.assertRaises(zerokey.ZeroKeyError):
            cose.Sign1(vectors.read_bytes("nitro/NEGATIVE_base_2026-01-03_unrepaired_missing3bytes.cose"))
        vectors.report("nitro COSE_Sign1 parse", run + 1, run + 1)


class TestHpke(unittest.TestCase):
    def setUp(self) -> None:
        vectors.require(self, "zk_hpke_setup_receiver", "zk_hpke_open", "zk_hpke_export")

    def test_rfc9180_p256_all_modes(self) -> None:
        doc = vectors.load_json("hpke/rfc9180_p256_sha256_all_modes.json")
        suites = encs = exports = 0
        for e in doc:
            self.assertEqual((e["kem_id"], e["kdf_id"]), (16, 1))
            sk_r = hpke.derive_keypair(H(e["ikmR"]))
            self.assertEqual(bytes(sk_r.export_private()).hex(), e["skRm"])
            self.assertEqual(sk_r.public_bytes(zerokey.PubFormat.UNCOMPRESSED).hex(), e["pkRm"])
            self.assertEqual(hpke.derive_keypair(H(e["ikmE"])).public_bytes(
                zerokey.PubFormat.UNCOMPRESSED).hex(), e["pkEm"])
            auth = None
            if e["mode"] in (hpke.Mode.AUTH, hpke.Mode.AUTH_PSK):
                auth = Key.from_public(Curve.P256, H(e["pkSm"]))
            params = hpke.Params(mode=hpke.Mode(e["mode"]), aead=hpke.Aead(e["aead_id"]),
                                 info=H(e["info"]), psk=H(e["psk"]) if "psk" in e else None,
                                 psk_id=H(e["psk_id"]) if "psk_id" in e else None,
                                 auth_key=auth)
            with hpke.Context.receiver(params, sk_r, H(e["enc"])) as ctx:
                for i, enc in enumerate(e["encryptions"]):
                    self.assertEqual(ctx.seq, i)
                    pt = ctx.open(H(enc["ct"]), H(enc["aad"]))
                    self.assertEqual(bytes(pt).hex(), enc["pt"], (e["mode"], e["aead_id"], i))
                    encs += 1
                for x in e["exports"]:
                    got = ctx.export(H(x["exporter_context"]), x["L"])
                    self.assertEqual(bytes(got).hex(), x["exported_value"])
                    exports += 1
            if e["encryptions"]:
                # Tampering with the first ciphertext is detected and does not advance seq.
                with hpke.Context.receiver(params, sk_r, H(e["enc"])) as ctx:
                    ct = bytearray(H(e["encryptions"][0]["ct"]))
                    ct[0] ^= 1
                    with self.assertRaises(zerokey.SecureChannelError) as cm:
                        ctx.open(bytes(ct), H(e["encryptions"][0]["aad"]))
                    self.assertEqual(cm.exception.status, Status.ERR_HPKE_OPEN)
                    self.assertEqual(ctx.seq, 0)
            suites += 1
        vectors.report("hpke/rfc9180_p256_sha256_all_modes.json", encs + exports, encs + exports)
        self.assertEqual(suites, 16)
        self.assertEqual(encs, 12 * 257)
        self.assertEqual(exports, 48)

    def test_roundtrip_modes(self) -> None:
        sk_r = Key.generate(Curve.P256)
        sk_s = Key.generate(Curve.P256)
        psk = bytes(range(32))
        for mode in hpke.Mode:
            auth = mode in (hpke.Mode.AUTH, hpke.Mode.AUTH_PSK)
            has_psk = mode in (hpke.Mode.PSK, hpke.Mode.AUTH_PSK)
            send = hpke.Params(mode=mode, info=b"turnkey_hpke", psk=psk if has_psk else None,
                               psk_id=b"id" if has_psk else None, auth_key=sk_s if auth else None)
            recv = hpke.Params(mode=mode, info=b"turnkey_hpke", psk=bytearray(psk) if has_psk else None,
                               psk_id=b"id" if has_psk else None,
                               auth_key=sk_s.public_copy() if auth else None)
            enc, ct = hpke.seal(send, sk_r.public_copy(), b"secret", b"aad")
            self.assertEqual(len(enc), hpke.ENC_LEN)
            self.assertEqual(hpke.open(recv, sk_r, enc, ct, b"aad"), b"secret")
            with self.assertRaises(zerokey.SecureChannelError):
                hpke.open(recv, sk_r, enc, ct, b"AAD")
            s, enc2 = hpke.Context.sender(send, sk_r)
            r = hpke.Context.receiver(recv, sk_r, enc2)
            for i in range(3):
                self.assertEqual(r.open(s.seal(b"m%d" % i)), b"m%d" % i)
            self.assertEqual(s.export(b"ctx", 32), r.export(b"ctx", 32))
            s.close()
            r.close()
        with self.assertRaises(zerokey.SecureChannelError) as cm:
            hpke.seal(hpke.Params(mode=hpke.Mode.PSK), sk_r, b"x")
        self.assertEqual(cm.exception.status, Status.ERR_HPKE_MODE)


class TestShamir(unittest.TestCase):
    def setUp(self) -> None:
        vectors.require(self, "zk_shamir_split", "zk_shamir_combine_var")

    def test_qos_vector(self) -> None:
        doc = vectors.load_json("turnkey/shamir_gf256.json")
        shares = [H(s) for s in doc["shares_hex"]]
        run = 0
        for i in range(len(shares)):
            for j in range(len(shares)):
                if i != j:
                    run += 1
                    got = shamir.combine([shares[i], shares[j]])
                    self.assertEqual(bytes(got), doc["secret_utf8"].encode())
        vectors.report("turnkey/shamir_gf256.json", run, run)

    def test_split_combine(self) -> None:
        secret = bytes(range(1, 33))
        shares = shamir.split(secret, 5, 3)
        self.assertEqual([s[0] for s in shares], [1, 2, 3, 4, 5])
        self.assertEqual(shamir.combine(shares[2:]), secret)
        self.assertNotEqual(shamir.combine(shares[:2]), secret)
        with self.assertRaises(zerokey.QosError) as cm:
            shamir.combine([shares[0], shares[0]])
        self.assertEqual(cm.exception.status, Status.ERR_SHAMIR_SHARES)
        with self.assertRaises(zerokey.QosError) as cm:
            shamir.split(secret, 2, 3)
        self.assertEqual(cm.exception.status, Status.ERR_SHAMIR_PARAMS)
        for s in shares:
            zerokey.wipe(s)


if __name__ == "__main__":
    unittest.main()
