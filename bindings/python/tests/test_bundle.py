"""Secure-channel bundles on the published Turnkey fixtures."""

from __future__ import annotations

import json
import unittest

import vectors
import zerokey
from zerokey import Curve, Key, PubFormat, Status, bundle, hpke

H = bytes.fromhex
ORG = "f9a31c64-d604-42e4-9bef-a773096afad7"


class TestBundle(unittest.TestCase):
    def setUp(self) -> None:
        vectors.require(self, "zk_bundle_export_open", "zk_bundle_credential_open",
                        "zk_bundle_v0_verify", "zk_bundle_export_create",
                        "zk_bundle_target_create", "zk_bundle_import_seal",
                        "zk_bundle_encrypted_open")
        self.doc = vectors.load_json("turnkey/secure_channel_bundles.json")

    def test_turnkey_fixtures(self) -> None:
        run = 0
        e = self.doc["export_bundle_v1"]
        text = json.dumps(e["bundle"])
        enclave = Key.from_public(Curve.P256, H(e["bundle"]["enclaveQuorumPublic"]))
        target = Key.from_private(Curve.P256, H(e["embedded_private_key_hex"]))
        pt = bundle.export_open(text, enclave, e["organizationId"], target)
        self.assertEqual(bytes(pt).decode(), e["expected_plaintext_utf8"])
        zerokey.wipe(pt)
        run += 1
        cases = [
            ("org", lambda: bundle.export_open(text, enclave, "other-org", target),
             Status.ERR_BUNDLE_ORGANIZATION),
            ("signer", lambda: bundle.export_open(text, Key.generate(Curve.P256),
                                                  e["organizationId"], target),
             Status.ERR_BUNDLE_SIGNER),
            ("key", lambda: bundle.export_open(text, enclave, e["organizationId"],
                                               Key.generate(Curve.P256)),
             Status.ERR_HPKE_OPEN),
        ]
        for label, call, want in cases:
            with self.assertRaises(zerokey.SecureChannelError, msg=label) as cm:
                call()
            self.assertEqual(cm.exception.status, want, label)
            run += 1
        c = self.doc["credential_bundle_base58check"]
        pt = bundle.credential_open(c["bundle"], Key.from_private(Curve.P256,
                                                                  H(c["target_private_key_hex"])))
        self.assertEqual(bytes(pt).hex(), c["expected_plaintext_hex"])
        run += 1
        a = self.doc["auth_bundle_with_derived_target_key"]
        k = hpke.derive_keypair(H(a["client_ikm_hex"]))
        self.assertEqual(bytes(k.export_private()).hex(), a["expected_private_key_hex"])
        self.assertEqual(k.public_bytes(PubFormat.UNCOMPRESSED).hex(), a["expected_public_key_hex"])
        self.assertEqual(bytes(bundle.credential_open(a["bundle"], k)).hex(),
                         a["expected_plaintext_hex"])
        run += 1
        v = self.doc["enclave_signature_over_target_key_v0"]
        signer = Key.from_public(Curve.P256, H(v["signer_public"]))
        bundle.v0_verify(signer, H(v["signed_bytes_hex"]), H(v["signature_der"]))
        with self.assertRaises(zerokey.SecureChannelError) as cm:
            bundle.v0_verify(signer, H(v["negative"]["signed_bytes_hex"]), H(v["signature_der"]))
        self.assertEqual(cm.exception.status, Status.ERR_BUNDLE_SIGNATURE)
        run += 2
        vectors.report("turnkey/secure_channel_bundles.json", run, run)

    def test_roundtrips(self) -> None:
        enclave = Key.generate(Curve.P256)
        client = Key.generate(Curve.P256)
        exp = bundle.export_create(enclave, client.public_copy(), ORG, b"mnemonic words")
        self.assertEqual(bundle.export_open(exp, enclave.public_copy(), ORG, client),
                         b"mnemonic words")
        tgt_key = Key.generate(Curve.P256)
        tgt = bundle.target_create(enclave, tgt_key.public_copy(), ORG, "user-1")
        enc = bundle.import_seal(tgt, enclave.public_copy(), ORG, "user-1", b"private key")
        self.assertEqual(bundle.encrypted_open(enc, tgt_key), b"private key")
        with self.assertRaises(zerokey.SecureChannelError) as cm:
            bundle.import_seal(tgt, enclave.public_copy(), ORG, "user-2", b"x")
        self.assertEqual(cm.exception.status, Status.ERR_BUNDLE_ORGANIZATION)
        cred = bundle.credential_seal(client.public_copy(), b"api key")
        self.assertEqual(bundle.credential_open(cred, client), b"api key")
        self.assertEqual(bundle.encrypted_open(bundle.seal_to_key(tgt_key, b"s"), tgt_key), b"s")
        fetcher = zerokey.qos.KeySet.generate()
        hx = bundle.oauth_secret_seal(fetcher.public, b"client secret")
        self.assertEqual(bundle.oauth_secret_open(fetcher, hx), b"client secret")
        tried = rejected = 0
        for i in range(len(exp)):
            m = exp[:i] + ("0" if exp[i] != "0" else "1") + exp[i + 1:]
            tried += 1
            try:
                bundle.export_open(m, enclave.public_copy(), ORG, client)
            except zerokey.ZeroKeyError:
                rejected += 1
        vectors.report_mutations("export_bundle", tried, rejected)
        self.assertEqual(tried, rejected)


if __name__ == "__main__":
    unittest.main()
