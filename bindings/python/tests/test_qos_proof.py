"""QOS boot proof on the real 2026 TVC provisioning document, and app proofs."""

from __future__ import annotations

import base64
import json
import time
import unittest

import vectors
import zerokey
from zerokey import Status, attestation, qos
from zerokey import qos_manifest as qm
from zerokey import qos_proof as qp


class TestQosProof(unittest.TestCase):
    def setUp(self) -> None:
        vectors.require(self, "zk_qos_boot_verify", "zk_qos_app_proof_verify",
                        "zk_qos_app_proof_create", "zk_att_verify")
        d = vectors.load_json("turnkey/qos_manifest/tvc_valid_provisioning_details.json")
        self.doc = base64.b64decode(d["attestation_document_cose_sign1_base64"])
        self.env = qm.ManifestEnvelope.parse_json(json.dumps(d["manifest_envelope"]))
        self.at = d["validation_time_secs"]
        self.verifier = attestation.Verifier()

    def test_real_boot(self) -> None:
        run = 0
        policy = qp.BootPolicy(commitment=qm.Commitment.SETUP, no_share_approvals=True)
        with qp.verify_boot(self.verifier, self.doc, self.env, at_unix=self.at,
                            policy=policy) as boot:
            m = self.env.manifest
            self.assertEqual(boot.manifest.hash, m.hash)
            eph = boot.ephemeral_key
            self.assertEqual(len(eph), 130)
        run += 1
        pins = qp.BootPolicy(pcrs={i: m.pcr(i) for i in range(4)}, pivot_hash=m.pivot_hash,  # type: ignore[misc]
                             quorum_key=m.quorum_key, commitment=qm.Commitment.SETUP)
        qp.verify_boot(self.verifier, self.doc, self.env, at_unix=self.at, policy=pins,
                       manifest=m, ephemeral_key=eph).close()
        run += 1
        cases = [
            ("pcr pin", dict(policy=qp.BootPolicy(pcrs={0: b"\x01" * 48})), Status.ERR_QOS_PCR_PIN),
            ("pivot", dict(policy=qp.BootPolicy(pivot_hash=b"\x02" * 32)), Status.ERR_QOS_PIVOT_HASH),
            ("quorum", dict(policy=qp.BootPolicy(quorum_key=qos.KeySet.generate().public)),
             Status.ERR_QOS_QUORUM_KEY),
            ("ephemeral", dict(ephemeral_key=qos.KeySet.generate().public),
             Status.ERR_QOS_EPHEMERAL_KEY),
            ("expired", dict(at_unix=self.at + 400 * 86400), Status.ERR_ATT_EXPIRED),
        ]
        for label, kwargs, want in cases:
            args = dict(at_unix=self.at)
            args.update(kwargs)  # type: ignore[arg-type]
            with self.assertRaises(zerokey.ZeroKeyError, msg=label) as cm:
                qp.verify_boot(self.verifier, self.doc, self.env, **args)  # type: ignore[arg-type]
            self.assertEqual(cm.exception.status, want, label)
            run += 1
        vectors.report("turnkey/qos_manifest/tvc_valid_provisioning_details.json (boot)",
                       run, run)

    def test_app_proof(self) -> None:
        eph = qos.KeySet.generate()
        payload = json.dumps({"type": "APP_FACT", "timestampMs": str(int(time.time() * 1000))})
        proof = qp.create_app_proof(eph, payload)
        obj = json.loads(proof)
        self.assertEqual(obj["scheme"], "SIGNATURE_SCHEME_EPHEMERAL_KEY_P256")
        # Verifying needs a boot with that ephemeral key; the real boot has another key.
        with qp.verify_boot(self.verifier, self.doc, self.env, at_unix=self.at) as boot:
            with self.assertRaises(zerokey.QosError) as cm:
                boot.verify_app_proof(proof)
            self.assertEqual(cm.exception.status, Status.ERR_QOS_EPHEMERAL_KEY)
            obj["publicKey"] = boot.ephemeral_key.hex()
            with self.assertRaises(zerokey.QosError) as cm:
                boot.verify_app_proof(json.dumps(obj))
            self.assertEqual(cm.exception.status, Status.ERR_QOS_APP_SIGNATURE)


if __name__ == "__main__":
    unittest.main()
