"""Rulings, notarization chains, fetch proofs, signature results and the end-to-end
evidence chain through the binding."""

from __future__ import annotations

import json
import unittest

import vectors
import zerokey
from zerokey import Curve, Key, PubFormat, SigFormat, Status, evidence as ev, stamp

NOW = 1_700_000_000_000
LOG = "org-log"


def d(b: int) -> bytes:
    return bytes([b]) * 32


class TestEvidence(unittest.TestCase):
    def setUp(self) -> None:
        vectors.require(self, "zk_ruling_create", "zk_ruling_verify", "zk_notarization_create",
                        "zk_notarization_chain_verify", "zk_fetch_proof_create",
                        "zk_sig_result_create", "zk_evidence_kid")
        self.policy = Key.generate(Curve.P256)
        self.notarizer = Key.generate(Curve.ED25519)
        self.signer = Key.generate(Curve.SECP256K1)

    def _chain(self, n: int) -> list[ev.Notarization]:
        recs = [ev.Notarization.create(self.notarizer,
                                       ev.NotarizationInfo(LOG, 0, bytes(32), d(1), NOW - 10_000))]
        for i in range(1, n):
            recs.append(recs[-1].next(self.notarizer, d(i + 1), NOW - 10_000 + i * 1000))
        return recs

    def test_kid_and_digest(self) -> None:
        self.assertEqual(ev.kid(self.policy),
                         zerokey.sha256(self.policy.public_bytes(PubFormat.COMPRESSED)))
        self.assertEqual(ev.kid(self.notarizer),
                         zerokey.sha256(self.notarizer.public_bytes(PubFormat.RAW)))
        self.assertEqual(ev.digest(b"abc"), zerokey.sha256(b"abc"))

    def test_notarization_chain(self) -> None:
        recs = self._chain(5)
        raw = [r.serialize() for r in recs]
        res = ev.verify_notarization_chain(raw, self.notarizer, now_ms=NOW, max_age_ms=60_000,
                                           log_id=LOG, verify_all=True)
        self.assertEqual(res.head.sequence, 4)
        self.assertEqual(res.head.digest, recs[-1].digest)
        self.assertEqual(res.state_digest, d(5))
        parsed = ev.Notarization.parse(raw[2])
        self.assertEqual(parsed.info.sequence, 2)
        self.assertEqual(parsed.info.prev_digest, recs[1].digest)
        parsed.verify(self.notarizer, now_ms=NOW, max_age_ms=60_000, log_id=LOG)
        cases = [
            ("gap", [raw[0], raw[2]], Status.ERR_CHAIN_GAP, 1),
            ("order", [raw[1], raw[0]], None, None),
            ("stale", raw, Status.ERR_EV_STALE, None),
        ]
        for label, chain, want, idx in cases:
            kwargs = dict(now_ms=NOW, max_age_ms=60_000)
            if label == "stale":
                kwargs = dict(now_ms=NOW + 10**7, max_age_ms=1000)
            with self.assertRaises(zerokey.ZeroKeyError, msg=label) as cm:
                ev.verify_notarization_chain(chain, self.notarizer, **kwargs)  # type: ignore[arg-type]
            if want is not None:
                self.assertEqual(cm.exception.status, want, label)
            if idx is not None:
                self.assertEqual(cm.exception.failed_index, idx, label)  # type: ignore[attr-defined]
        # A checkpoint ahead of the head is a rollback; a forked record at the same sequence a fork.
        with self.assertRaises(zerokey.EvidenceError) as cm:
            ev.verify_notarization_chain(raw[:3], self.notarizer, now_ms=NOW, max_age_ms=60_000,
                                         checkpoint=ev.Checkpoint(4, recs[4].digest))
        self.assertEqual(cm.exception.status, Status.ERR_CHAIN_ROLLBACK)
        fork = recs[2].next(self.notarizer, d(99), NOW - 5000)
        with self.assertRaises(zerokey.EvidenceError) as cm:
            ev.verify_notarization_chain(raw[3:], self.notarizer, now_ms=NOW, max_age_ms=60_000,
                                         checkpoint=ev.Checkpoint(3, fork.digest))
        self.assertEqual(cm.exception.status, Status.ERR_CHAIN_FORK)
        with self.assertRaises(zerokey.ZeroKeyError):
            ev.verify_notarization_chain(raw, Key.generate(Curve.ED25519), now_ms=NOW,
                                         max_age_ms=60_000)

    def _ruling(self, decision: ev.Decision = ev.Decision.ALLOW) -> ev.Ruling:
        return ev.Ruling.create(self.policy, ev.RulingInfo(
            decision, "org-1", "ACTIVITY_TYPE_SIGN", d(0xA1), d(0xA2), d(0xA3), NOW - 1000,
            NOW + 60_000, ["policy-1", "policy-2"]))

    def test_ruling(self) -> None:
        r = self._ruling()
        data = r.serialize()
        self.assertEqual(r.digest, zerokey.sha256(data))
        p = ev.Ruling.parse(data)
        self.assertEqual(p.info.policy_ids, ["policy-1", "policy-2"])
        self.assertEqual(p.info.decision, ev.Decision.ALLOW)
        ok = dict(now_ms=NOW, stamp_digest=d(0xA1), request_digest=d(0xA2), state_digest=d(0xA3))
        p.verify(self.policy, organization_id="org-1", **ok)  # type: ignore[arg-type]
        for label, kwargs, want in [
            ("stamp", dict(ok, stamp_digest=d(0)), Status.ERR_RULING_STAMP),
            ("state", dict(ok, state_digest=d(0)), Status.ERR_RULING_STATE),
            ("expired", dict(ok, now_ms=NOW + 60_001), Status.ERR_EV_EXPIRED),
        ]:
            with self.assertRaises(zerokey.EvidenceError, msg=label) as cm:
                p.verify(self.policy, **kwargs)  # type: ignore[arg-type]
            self.assertEqual(cm.exception.status, want, label)
        deny = self._ruling(ev.Decision.DENY)
        with self.assertRaises(zerokey.EvidenceError) as cm:
            deny.verify(self.policy, **ok)  # type: ignore[arg-type]
        self.assertEqual(cm.exception.status, Status.ERR_RULING_DENIED)
        deny.verify(self.policy, accept_deny=True, **ok)  # type: ignore[arg-type]
        tried = rejected = 0
        for i in range(len(data)):
            m = bytearray(data)
            m[i] ^= 0x01
            tried += 1
            try:
                ev.Ruling.parse(bytes(m)).verify(self.policy, **ok)  # type: ignore[arg-type]
            except zerokey.ZeroKeyError:
                rejected += 1
        vectors.report_mutations("ruling", tried, rejected)
        self.assertEqual(tried, rejected)

    def test_fetch_proof(self) -> None:
        fetcher = Key.generate(Curve.P256)
        body = b'{"keys":[]}'
        chain = ev.cert_chain_digest([b"leaf-der", b"intermediate-der"])
        fp = ev.FetchProof.create(fetcher, ev.FetchInfo(
            "GET", "https://example.com/jwks", d(7), 200, d(8), zerokey.sha256(body), chain,
            NOW - 1000))
        p = ev.FetchProof.parse(fp.serialize())
        self.assertEqual(p.info.url, "https://example.com/jwks")
        p.verify(fetcher, url="https://example.com/jwks", body=body, now_ms=NOW,
                 max_age_ms=60_000, method="GET", cert_chain_digest=chain)
        with self.assertRaises(zerokey.EvidenceError) as cm:
            p.verify(fetcher, url="https://example.com/other", body=body, now_ms=NOW,
                     max_age_ms=60_000)
        self.assertEqual(cm.exception.status, Status.ERR_FETCH_URL)
        with self.assertRaises(zerokey.EvidenceError) as cm:
            p.verify(fetcher, url="https://example.com/jwks", body=body + b" ", now_ms=NOW,
                     max_age_ms=60_000)
        self.assertEqual(cm.exception.status, Status.ERR_FETCH_BODY)

    def _sig_result(self, ruling_digest: bytes) -> tuple[ev.SigResult, bytes]:
        payload = zerokey.sha256(b"transaction")
        user_key = Key.generate(Curve.SECP256K1)
        sig = user_key.sign_digest(payload, SigFormat.DER)
        res = ev.SigResult.create(self.signer, ev.SigResultInfo(
            int(Curve.SECP256K1), ev.SigScheme.ECDSA_DER,
            user_key.public_bytes(PubFormat.COMPRESSED), payload, sig, ruling_digest, NOW))
        return res, payload

    def test_sig_result(self) -> None:
        r = self._ruling()
        res, payload = self._sig_result(r.digest)
        p = ev.SigResult.parse(res.serialize())
        self.assertEqual(p.info.scheme, ev.SigScheme.ECDSA_DER)
        p.verify(self.signer, ruling_digest=r.digest, payload_digest=payload)
        with self.assertRaises(zerokey.EvidenceError) as cm:
            p.verify(self.signer, ruling_digest=d(0))
        self.assertEqual(cm.exception.status, Status.ERR_RESULT_RULING)
        ed = Key.generate(Curve.ED25519)
        msg = b"solana message"
        res2 = ev.SigResult.create(self.signer, ev.SigResultInfo(
            int(Curve.ED25519), ev.SigScheme.ED25519, ed.public_bytes(PubFormat.RAW),
            zerokey.sha256(msg), ed.sign(msg), r.digest, NOW), message=msg)
        ev.SigResult.parse(res2.serialize()).verify(self.signer, ruling_digest=r.digest,
                                                    message=msg)

    def test_end_to_end_chain(self) -> None:
        vectors.require(self, "zk_evidence_chain_verify")
        api_key = Key.generate(Curve.P256)
        body = json.dumps({"type": "ACTIVITY_TYPE_SIGN", "organizationId": "org-1",
                           "timestampMs": str(NOW)}).encode()
        hdr = stamp.create(api_key, stamp.Scheme.P256, body)
        st_digest = stamp.Stamp.parse(hdr).digest
        notar = self._chain(2)[-1]
        ruling = ev.Ruling.create(self.policy, ev.RulingInfo(
            ev.Decision.ALLOW, "org-1", "ACTIVITY_TYPE_SIGN", st_digest, zerokey.sha256(body),
            notar.digest, NOW - 500, NOW + 60_000))
        res, _ = self._sig_result(ruling.digest)
        args = dict(body=body, stamp=hdr, notarization=notar.serialize(),
                    ruling=ruling.serialize(), sig_result=res.serialize(),
                    policy_key=self.policy, notarizer_key=self.notarizer,
                    signer_key=self.signer, now_ms=NOW, notarization_max_age_ms=60_000,
                    log_id=LOG)
        rep = ev.verify_evidence_chain(**args)  # type: ignore[arg-type]
        self.assertEqual(rep.stamp_digest, st_digest)
        self.assertEqual(rep.ruling_digest, ruling.digest)
        self.assertEqual(rep.result_digest, res.digest)
        for label, change, want in [
            ("body", dict(body=body.replace(b"SIGN", b"SIGX")), Status.ERR_CHAIN_STAMP),
            ("policy", dict(policy_key=Key.generate(Curve.P256)), Status.ERR_CHAIN_RULING),
            ("notarizer", dict(notarizer_key=Key.generate(Curve.ED25519)),
             Status.ERR_CHAIN_NOTARIZATION),
            ("signer", dict(signer_key=Key.generate(Curve.SECP256K1)), Status.ERR_CHAIN_RESULT),
        ]:
            with self.assertRaises(zerokey.EvidenceError, msg=label) as cm:
                ev.verify_evidence_chain(**dict(args, **change))  # type: ignore[arg-type]
            self.assertEqual(cm.exception.status, want, label)
            self.assertNotEqual(cm.exception.detail, 0)  # type: ignore[attr-defined]


if __name__ == "__main__":
    unittest.main()
