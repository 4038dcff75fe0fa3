"""QuorumOS key sets, signatures and share envelopes on the published QOS fixtures."""

from __future__ import annotations

import unittest

import vectors
import zerokey
from zerokey import Status, qos

H = bytes.fromhex


class TestQos(unittest.TestCase):
    def setUp(self) -> None:
        vectors.require(self, "zk_qos_keyset_from_hex", "zk_qos_sign", "zk_qos_verify",
                        "zk_qos_envelope_open", "zk_qos_envelope_seal")

    def test_keyset_vectors(self) -> None:
        doc = vectors.load_json("turnkey/qos_keys/qos_p256_keyset_vectors.json")
        run = 0
        for pair in doc["pairs"]:
            secret = vectors.read_bytes("turnkey/" + pair["seed_file"])
            pub = vectors.read_bytes("turnkey/" + pair["pub_file"]).decode().strip()
            with qos.KeySet.from_hex(secret) as ks:
                self.assertEqual(ks.public.hex(), pub, pair["seed_file"])
                seed = ks.seed()
                self.assertEqual(qos.KeySet.from_seed(seed).public, ks.public)
                zerokey.wipe(seed)
            run += 1
        d = doc["deterministic_signature"]
        ks = qos.KeySet.from_seed(H(d["seed_hex"]))
        msg = d["message_utf8"].encode()
        self.assertEqual(ks.sign(msg).hex(), d["signature_rs_hex"])
        qos.verify(ks.public, H(d["signature_rs_hex"]), msg)
        with self.assertRaises(zerokey.CryptoError) as cm:
            qos.verify(ks.public, H(d["signature_rs_hex"]), msg + b"!")
        self.assertEqual(cm.exception.status, Status.ERR_SIGNATURE)
        with self.assertRaises(zerokey.QosError) as cm2:
            qos.verify(ks.public[:129], H(d["signature_rs_hex"]), msg)
        self.assertEqual(cm2.exception.status, Status.ERR_QOS_KEY)
        run += 1
        vectors.report("turnkey/qos_keys", run, run)

    def test_preprod_shares(self) -> None:
        """The preprod dev key opens each enclave's share; the seed derives its quorum key."""
        doc = vectors.load_json("turnkey/qos_preprod_shares/vectors.json")
        dev = qos.KeySet.from_hex(vectors.read_bytes("turnkey/" + doc["dev_seed_file"]))
        run = tried = rejected = 0
        for enclave in doc["enclaves"]:
            env = vectors.read_bytes(f"turnkey/qos_preprod_shares/{enclave}.old_dev.share")
            quorum = vectors.read_bytes(
                f"turnkey/qos_preprod_shares/{enclave}.quorum_key.pub").decode().strip()
            pt = dev.open_envelope(env)
            self.assertEqual(len(pt), 33)
            self.assertEqual(pt[0], 1)
            seed = zerokey.shamir.combine([pt])  # a 1-of-1 share carries the secret itself
            self.assertEqual(qos.KeySet.from_seed(seed).public.hex(), quorum, enclave)
            zerokey.wipe(pt)
            zerokey.wipe(seed)
            run += 1
            for i in range(0, len(env), 5):
                m = bytearray(env)
                m[i] ^= 0x40
                tried += 1
                try:
                    dev.open_envelope(bytes(m))
                except zerokey.ZeroKeyError:
                    rejected += 1
        vectors.report("turnkey/qos_preprod_shares", run, run)
        vectors.report_mutations("qos_envelope", tried, rejected)
        self.assertEqual(tried, rejected)

    def test_envelope_roundtrip(self) -> None:
        ks = qos.KeySet.generate()
        pub = qos.PublicKey(ks.public)
        self.assertEqual(bytes(pub), ks.public)
        env = pub.seal_envelope(b"share bytes")
        self.assertEqual(ks.open_envelope(env), b"share bytes")
        with self.assertRaises(zerokey.CryptoError) as cm:
            qos.KeySet.generate().open_envelope(env)
        self.assertEqual(cm.exception.status, Status.ERR_DECRYPT)
        pub.verify(ks.sign(b"m"), b"m")


if __name__ == "__main__":
    unittest.main()
