package zerokey

import (
	"bytes"
	"testing"
)

// Regression: digests shorter than 32 bytes used to reach C, which reads 32
// bytes through every digest pointer (a heap over-read past the C copy), and
// digests of the wrong length were silently zero-padded into signed evidence.
func TestEvidenceDigestLengths(t *testing.T) {
	policy := must(GenerateKey(CurveP256))
	notarizer := must(GenerateKey(CurveEd25519))
	signer := must(GenerateKey(CurveSecp256k1))
	short, long := dg(1)[:31], append(dg(1), 0)

	info := func(d []byte) *RulingInfo {
		return &RulingInfo{Allow: true, OrganizationID: "org", ActivityType: "A", StampDigest: dg(1),
			RequestDigest: d, StateDigest: dg(3), IssuedAtMs: evNow, ExpiresAtMs: evNow + 1000}
	}
	for _, d := range [][]byte{short, long} {
		_, err := CreateRuling(policy, info(d))
		expectStatus(t, "ruling create", err, StatusArg)
	}
	r := must(CreateRuling(policy, info(dg(2))))
	exp := func(d []byte) *RulingExpect {
		return &RulingExpect{NowMs: evNow, StampDigest: dg(1), RequestDigest: dg(2), StateDigest: d}
	}
	if err := r.Verify(policy, exp(dg(3))); err != nil {
		t.Fatal(err)
	}
	expectStatus(t, "ruling verify short", r.Verify(policy, exp(short)), StatusArg)
	expectStatus(t, "ruling verify nil", r.Verify(policy, exp(nil)), StatusArg)

	_, err := CreateNotarization(notarizer, &NotarizationInfo{LogID: "log", StateDigest: short, TimeMs: evNow})
	expectStatus(t, "notarization create", err, StatusArg)
	// nil PrevDigest keeps meaning "all zero" (the first record of a log)
	n0 := must(CreateNotarization(notarizer, &NotarizationInfo{LogID: "log", StateDigest: dg(1), TimeMs: evNow}))
	if !bytes.Equal(n0.Info().PrevDigest, make([]byte, 32)) {
		t.Fatal("nil prev digest")
	}
	raw := [][]byte{must(n0.Bytes())}
	_, _, _, err = VerifyNotarizationChain(raw, notarizer, &ChainOptions{NowMs: evNow, MaxAgeMs: 1000,
		Checkpoint: &Checkpoint{Sequence: 0, Digest: short}})
	expectStatus(t, "checkpoint digest", err, StatusArg)
	if _, _, _, err := VerifyNotarizationChain(raw, notarizer, &ChainOptions{NowMs: evNow, MaxAgeMs: 1000,
		Checkpoint: &Checkpoint{Sequence: 0, Digest: n0.Digest()}}); err != nil {
		t.Fatal(err)
	}

	user := must(GenerateKey(CurveSecp256k1))
	payload := Sum256([]byte("tx"))
	si := &SigResultInfo{Curve: CurveSecp256k1, Scheme: SchemeECDSADER, PublicKey: must(user.PublicBytes(PubCompressed)),
		PayloadDigest: payload, Signature: must(user.SignDigest(payload, SigDER)), RulingDigest: r.Digest(), TimeMs: evNow}
	bad := *si
	bad.RulingDigest = short
	_, err = CreateSigResult(signer, &bad, nil)
	expectStatus(t, "sig result create", err, StatusArg)
	res := must(CreateSigResult(signer, si, nil))
	if err := res.Verify(signer, r.Digest(), si.PublicKey, payload, nil); err != nil {
		t.Fatal(err)
	}
	expectStatus(t, "sig result verify ruling digest", res.Verify(signer, short, si.PublicKey, payload, nil), StatusArg)
	expectStatus(t, "sig result verify payload digest", res.Verify(signer, r.Digest(), si.PublicKey, payload[:16], nil), StatusArg)
}
