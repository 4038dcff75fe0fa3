package zerokey

import (
	"bytes"
	"errors"
	"testing"
)

const evNow = uint64(1_700_000_000_000)

func dg(b byte) []byte { return bytes.Repeat([]byte{b}, 32) }

func TestEvidenceObjects(t *testing.T) {
	policy := must(GenerateKey(CurveP256))
	notarizer := must(GenerateKey(CurveEd25519))
	signer := must(GenerateKey(CurveSecp256k1))
	kid := must(EvidenceKID(policy))
	if !bytes.Equal(kid, Sum256(must(policy.PublicBytes(PubCompressed)))) {
		t.Fatal("kid")
	}

	// Notarization chain.
	n0 := must(CreateNotarization(notarizer, &NotarizationInfo{LogID: "log", StateDigest: dg(1),
		PrevDigest: make([]byte, 32), TimeMs: evNow - 10_000}))
	recs := []*Notarization{n0}
	for i := 1; i < 4; i++ {
		recs = append(recs, must(recs[i-1].Next(notarizer, dg(byte(i+1)), evNow-10_000+uint64(i)*1000)))
	}
	var raw [][]byte
	for _, r := range recs {
		raw = append(raw, must(r.Bytes()))
	}
	head, state, _, err := VerifyNotarizationChain(raw, notarizer, &ChainOptions{LogID: "log", NowMs: evNow,
		MaxAgeMs: 60_000, VerifyAll: true})
	if err != nil || head.Sequence != 3 || !bytes.Equal(state, dg(4)) || !bytes.Equal(head.Digest, recs[3].Digest()) {
		t.Fatalf("chain: %v", err)
	}
	if p := must(ParseNotarization(raw[2])); p.Info().Sequence != 2 || p.Verify(notarizer, "log", evNow, 60_000, 0) != nil {
		t.Fatal("parse/verify record")
	}
	_, _, _, err = VerifyNotarizationChain([][]byte{raw[0], raw[2]}, notarizer, &ChainOptions{NowMs: evNow, MaxAgeMs: 60_000})
	var ce *ChainError
	if !errors.Is(err, StatusChainGap) || !errors.As(err, &ce) || ce.FailedIndex != 1 {
		t.Fatalf("gap: %v", err)
	}
	_, _, _, err = VerifyNotarizationChain(raw[:2], notarizer, &ChainOptions{NowMs: evNow, MaxAgeMs: 60_000,
		Checkpoint: &Checkpoint{Sequence: 3, Digest: recs[3].Digest()}})
	if !errors.Is(err, StatusChainRollback) || !errors.Is(err, ErrEvidence) {
		t.Fatalf("rollback: %v", err)
	}

	// Stamp, ruling, signature result, end-to-end chain.
	api := must(GenerateKey(CurveP256))
	body := []byte(`{"organizationId":"org-1","timestampMs":"1700000000000","type":"ACTIVITY_TYPE_SIGN"}`)
	hdr := must(CreateStamp(api, StampP256, body))
	st := must(ParseStamp(hdr))
	ruling := must(CreateRuling(policy, &RulingInfo{Allow: true, OrganizationID: "org-1",
		ActivityType: "ACTIVITY_TYPE_SIGN", StampDigest: st.Digest, RequestDigest: Sum256(body),
		StateDigest: recs[3].Digest(), PolicyIDs: []string{"p1"}, IssuedAtMs: evNow - 500, ExpiresAtMs: evNow + 60_000}))
	rb := must(ruling.Bytes())
	pr := must(ParseRuling(rb))
	if info := pr.Info(); !info.Allow || info.OrganizationID != "org-1" || len(info.PolicyIDs) != 1 {
		t.Fatalf("ruling info %+v", info)
	}
	exp := &RulingExpect{NowMs: evNow, StampDigest: st.Digest, RequestDigest: Sum256(body), StateDigest: recs[3].Digest()}
	if err := pr.Verify(policy, exp); err != nil {
		t.Fatal(err)
	}
	bad := *exp
	bad.StateDigest = dg(0)
	if err := pr.Verify(policy, &bad); !errors.Is(err, StatusRulingState) {
		t.Fatal(err)
	}
	payload := Sum256([]byte("tx"))
	user := must(GenerateKey(CurveSecp256k1))
	res := must(CreateSigResult(signer, &SigResultInfo{Curve: CurveSecp256k1, Scheme: SchemeECDSADER,
		PublicKey: must(user.PublicBytes(PubCompressed)), PayloadDigest: payload,
		Signature: must(user.SignDigest(payload, SigDER)), RulingDigest: ruling.Digest(), TimeMs: evNow}, nil))
	resBytes := must(res.Bytes())
	if err := must(ParseSigResult(resBytes)).Verify(signer, ruling.Digest(), nil, payload, nil); err != nil {
		t.Fatal(err)
	}
	trust := &EvidenceTrust{PolicyKey: policy, NotarizerKey: notarizer, SignerKey: signer,
		Stamp: StampVerifyOptions{NowMs: evNow}, LogID: "log", NowMs: evNow, NotarizationMaxAgeMs: 60_000}
	chain := &EvidenceChain{Body: body, Stamp: hdr, Notarization: raw[3], Ruling: rb, SigResult: resBytes}
	d, err := VerifyEvidenceChain(trust, chain)
	if err != nil || !bytes.Equal(d[2], ruling.Digest()) || !bytes.Equal(d[3], res.Digest()) {
		t.Fatalf("evidence chain: %v", err)
	}
	wrong := *trust
	wrong.SignerKey = must(GenerateKey(CurveSecp256k1))
	_, err = VerifyEvidenceChain(&wrong, chain)
	var ee *EvidenceChainError
	if !errors.Is(err, StatusChainResult) || !errors.As(err, &ee) || ee.Detail == StatusOK {
		t.Fatalf("wrong signer: %v", err)
	}
	chain2 := *chain
	chain2.Notarization = raw[2]
	if _, err = VerifyEvidenceChain(trust, &chain2); !errors.Is(err, StatusChainRuling) || !errors.As(err, &ee) ||
		ee.Detail != StatusRulingState {
		t.Fatalf("other state: %v", err)
	}
	tried, rejected := 0, 0
	for i := range rb {
		m := append([]byte(nil), rb...)
		m[i] ^= 1
		tried++
		if r, err := ParseRuling(m); err != nil || r.Verify(policy, exp) != nil {
			rejected++
		}
	}
	t.Logf("MUTATIONS go/ruling: tried=%d rejected=%d", tried, rejected)
	if tried != rejected {
		t.Fatal("mutated ruling accepted")
	}
}
