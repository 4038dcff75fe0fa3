"""QOS manifests, approvals, envelopes, canonical JSON and PCR commitments on the QOS
golden artifacts."""

from __future__ import annotations

import json
import unittest

import vectors
import zerokey
from zerokey import Status, qos
from zerokey import qos_manifest as qm

H = bytes.fromhex


class TestQosManifest(unittest.TestCase):
    def setUp(self) -> None:
        vectors.require(self, "zk_qos_manifest_parse_json", "zk_qos_manifest_parse_borsh",
                        "zk_qos_envelope_parse_json", "zk_qos_approval_sign",
                        "zk_qos_manifest_verify_approvals", "zk_qos_canonical_json",
                        "zk_qos_pcr_commitment", "zk_qos_pcr3_from_arn")

    def test_golden_manifest(self) -> None:
        d = vectors.load_json("turnkey/qos_manifest/golden_manifest_v1.json")
        run = 0
        m = qm.Manifest.parse_json(d["manifest_v1_json"])
        borsh = m.serialize_borsh()
        self.assertEqual(borsh.hex(), d["manifest_v1_borsh_hex"])
        self.assertEqual(len(borsh), d["manifest_v1_borsh_len"])
        self.assertEqual(m.hash.hex(), d["manifest_v1_sha256"])
        self.assertEqual(zerokey.sha256(borsh), m.hash)
        self.assertEqual(qm.Manifest.parse_borsh(borsh).hash, m.hash)
        self.assertEqual(m.namespace, "production/signer")
        run += 1
        # V0 JSON is read as V1 (QOS upgrades it: bridgeConfig [], debugMode false); the
        # vector's _about quotes that form: 1422 bytes, hash af2d3c... (as the C suite checks).
        v0 = qm.Manifest.parse_json(d["manifest_v0_json"])
        self.assertEqual(v0.version, 1)
        self.assertIn("1422 / af2d3c", d["_about"])
        self.assertEqual(len(v0.serialize_borsh()), 1422)
        self.assertTrue(v0.hash.hex().startswith("af2d3c"))
        run += 1
        # The published approval is the primary key's RFC 6979 signature over the hash.
        primary = qos.KeySet.from_hex(vectors.read_bytes("turnkey/" + d["primary_seed_file"]))
        appr = json.loads(d["approval_json"])
        alias = appr["member"]["alias"]
        mine = qm.Approval.sign(primary, alias, m)
        theirs = qm.Approval.new(H(appr["signature"]), alias, H(appr["member"]["pubKey"]))
        self.assertEqual(primary.sign(m.hash).hex(), appr["signature"])
        m.verify_approvals(qm.SetKind.MANIFEST, [theirs])
        m.verify_approvals(qm.SetKind.MANIFEST, [mine])
        run += 1
        bad_sig = bytearray(H(appr["signature"]))
        bad_sig[5] ^= 1
        with self.assertRaises(zerokey.ZeroKeyError) as cm:
            m.verify_approvals(qm.SetKind.MANIFEST,
                               [qm.Approval.new(bytes(bad_sig), alias, H(appr["member"]["pubKey"]))])
        self.assertIsInstance(cm.exception, zerokey.QosError)
        with self.assertRaises(zerokey.QosError):
            m.verify_approvals(qm.SetKind.MANIFEST, [])
        with self.assertRaises(zerokey.QosError):
            m.verify_approvals(qm.SetKind.MANIFEST, [theirs, theirs])
        run += 3
        env = qm.ManifestEnvelope.parse_json(d["manifest_envelope_json"])
        env_borsh = env.serialize_borsh()
        self.assertEqual(len(env_borsh), d["manifest_envelope_borsh_len"])
        self.assertEqual(zerokey.sha256(env_borsh).hex(), d["manifest_envelope_sha256"])
        self.assertEqual(env.manifest.hash, m.hash)
        env.verify_approvals()
        built = qm.ManifestEnvelope.new(m)
        with self.assertRaises(zerokey.QosError):
            built.verify_approvals()
        built.add_approval(qm.SetKind.MANIFEST, mine)
        built.verify_approvals()
        self.assertEqual(built.approval_count(qm.SetKind.MANIFEST), 1)
        run += 2
        vectors.report("turnkey/qos_manifest/golden_manifest_v1.json", run, run)
        tried = rejected = 0
        for i in range(0, len(env_borsh), 4):
            mb = bytearray(env_borsh)
            mb[i] ^= 0x01
            tried += 1
            try:
                qm.ManifestEnvelope.parse_borsh(bytes(mb)).verify_approvals()
            except zerokey.ZeroKeyError:
                rejected += 1
        vectors.report_mutations("qos_manifest_envelope", tried, rejected)
        self.assertEqual(tried, rejected)

    def test_json_and_pcr(self) -> None:
        d = vectors.load_json("turnkey/qos_json_and_pcr.json")
        run = 0
        for c in d["qos_canonical_json"]:
            got = qm.canonical_json(json.dumps(c["value"]))
            self.assertEqual(got, c["canonical"])
            self.assertEqual(zerokey.sha256(got.encode()).hex(), c["sha256"])
            run += 1
        for c in d["manifest_commitment_pcr"]:
            kind = qm.Commitment.SETUP if c["kind"] == "setup" else qm.Commitment.LIVE
            self.assertEqual(int(kind), c["pcr_index"])
            pcr = qm.pcr_commitment(kind, H(c["manifest_hash"]), H(c["ephemeral_public_key"]))
            self.assertEqual(pcr.hex(), c["expected_pcr"])
            run += 1
        for c in d["pcr3"]:
            self.assertEqual(qm.pcr3_from_arn(c["iam_role_arn"]).hex(), c["pcr3"])
            run += 1
        vectors.report("turnkey/qos_json_and_pcr.json", run, run)
        with self.assertRaises(zerokey.ZeroKeyError) as cm:
            qm.canonical_json('{"a":1,"a":2}')
        self.assertEqual(cm.exception.status, Status.ERR_DUPLICATE_KEY)


if __name__ == "__main__":
    unittest.main()
