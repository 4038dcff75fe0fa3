package zerokey

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"testing"
)

func TestFetchCertChainDigest(t *testing.T) {
	leaf, inter := []byte("leaf-der"), []byte("intermediate-der")
	got := must(FetchCertChainDigest([][]byte{leaf, inter}))
	h := sha256.New()
	h.Write(Sum256(leaf))
	h.Write(Sum256(inter))
	if !bytes.Equal(got, h.Sum(nil)) {
		t.Fatal("cert chain digest is not SHA-256 over the certificate digests")
	}
	if bytes.Equal(got, must(FetchCertChainDigest([][]byte{inter, leaf}))) {
		t.Fatal("chain order ignored")
	}
	_, err := FetchCertChainDigest(nil)
	expectStatus(t, "empty chain", err, StatusValue)
	_, err = FetchCertChainDigest(make([][]byte, FetchMaxCerts+1))
	expectStatus(t, "17 certificates", err, StatusValue)
}

func TestFetchProof(t *testing.T) {
	const url = "https://example.com/jwks"
	body := []byte(`{"keys":[]}`)
	chain := must(FetchCertChainDigest([][]byte{[]byte("leaf-der"), []byte("intermediate-der")}))
	reqDigest := Sum256(nil)
	for _, curve := range []Curve{CurveP256, CurveEd25519} {
		fetcher := must(GenerateKey(curve))
		info := &FetchInfo{Method: "GET", URL: url, RequestDigest: reqDigest, Status: 200,
			HeadersDigest: Sum256([]byte("content-type: application/json\r\n")), BodyDigest: Sum256(body),
			CertChainDigest: chain, TimeMs: stampNow - 1000}
		fp := must(CreateFetchProof(fetcher, info))
		raw := must(fp.Bytes())
		p := must(ParseFetchProof(raw))
		got := p.Info()
		if got.Method != "GET" || got.URL != url || got.Status != 200 || got.TimeMs != info.TimeMs ||
			!bytes.Equal(got.BodyDigest, info.BodyDigest) || !bytes.Equal(got.HeadersDigest, info.HeadersDigest) ||
			!bytes.Equal(got.RequestDigest, reqDigest) || !bytes.Equal(got.CertChainDigest, chain) {
			t.Fatalf("%s: parsed fields %+v", curve, got)
		}
		if !bytes.Equal(p.Digest(), Sum256(raw)) || !bytes.Equal(fp.Digest(), p.Digest()) {
			t.Fatal("fetch proof digest")
		}
		ok := func() *FetchExpect {
			return &FetchExpect{URL: url, Body: body, NowMs: stampNow, MaxAgeMs: 60_000, Method: "GET",
				RequestDigest: reqDigest, CertChainDigest: chain}
		}
		if err := p.Verify(fetcher, ok()); err != nil {
			t.Fatalf("%s: %v", curve, err)
		}
		// only the required fields
		if err := p.Verify(fetcher, &FetchExpect{URL: url, Body: body, NowMs: stampNow, MaxAgeMs: 60_000}); err != nil {
			t.Fatal(err)
		}
		other := must(GenerateKey(curve))
		cases := []struct {
			label string
			key   *Key
			edit  func(e *FetchExpect)
			want  Status
		}{
			{"other URL", fetcher, func(e *FetchExpect) { e.URL = "https://example.com/other" }, StatusFetchURL},
			{"other body", fetcher, func(e *FetchExpect) { e.Body = append(append([]byte{}, body...), ' ') }, StatusFetchBody},
			{"empty body", fetcher, func(e *FetchExpect) { e.Body = nil }, StatusFetchBody},
			{"other method", fetcher, func(e *FetchExpect) { e.Method = "POST" }, StatusFetchRequest},
			{"other request", fetcher, func(e *FetchExpect) { e.RequestDigest = Sum256([]byte("x")) }, StatusFetchRequest},
			{"other server chain", fetcher, func(e *FetchExpect) { e.CertChainDigest = Sum256(nil) }, StatusFetchRequest},
			{"stale", fetcher, func(e *FetchExpect) { e.NowMs = stampNow + 120_000 }, StatusEVStale},
			{"from the future", fetcher, func(e *FetchExpect) { e.NowMs = stampNow - 10_000 }, StatusEVNotYetValid},
			{"other fetcher", other, func(e *FetchExpect) {}, StatusEVSigner},
			{"short digest", fetcher, func(e *FetchExpect) { e.CertChainDigest = chain[:31] }, StatusArg},
			{"no max age", fetcher, func(e *FetchExpect) { e.MaxAgeMs = 0 }, StatusArg},
		}
		for _, c := range cases {
			e := ok()
			c.edit(e)
			expectStatus(t, curve.String()+": "+c.label, p.Verify(c.key, e), c.want)
		}
		if err := p.Verify(fetcher, &FetchExpect{URL: url, Body: body, NowMs: stampNow - 10_000, MaxAgeMs: 60_000, SkewMs: 20_000}); err != nil {
			t.Fatal("skew allowance", err)
		}
		if !errors.Is(p.Verify(fetcher, &FetchExpect{URL: "x", Body: body, NowMs: stampNow, MaxAgeMs: 1}), ErrEvidence) {
			t.Fatal("evidence family")
		}
		// Every single-byte flip and every truncation is refused.
		tried, rejected := 0, 0
		for i := 0; i < len(raw); i++ {
			for _, mut := range [][]byte{flip(raw, i), raw[:i]} {
				tried++
				m, err := ParseFetchProof(mut)
				if err == nil {
					err = m.Verify(fetcher, ok())
					m.Close()
				}
				if err != nil {
					rejected++
				}
			}
		}
		t.Logf("MUTATIONS go/fetch_proof_%s: tried=%d rejected=%d", curve, tried, rejected)
		if tried == 0 || tried != rejected {
			t.Fatalf("fetch proof mutations: tried=%d rejected=%d", tried, rejected)
		}
		p.Close()
		if p.Info() != nil || p.Digest() != nil {
			t.Fatal("closed fetch proof still answers")
		}
		expectStatus(t, "closed proof", p.Verify(fetcher, ok()), StatusArg)
		fp.Close()
	}
	fetcher := must(GenerateKey(CurveP256))
	bad := []struct {
		label string
		info  FetchInfo
		want  Status
	}{
		{"lowercase method", FetchInfo{Method: "get", URL: url, Status: 200}, StatusValue},
		{"status 99", FetchInfo{Method: "GET", URL: url, Status: 99}, StatusValue},
		{"status 600", FetchInfo{Method: "GET", URL: url, Status: 600}, StatusValue},
	}
	for _, c := range bad {
		c.info.RequestDigest, c.info.HeadersDigest, c.info.BodyDigest, c.info.CertChainDigest = reqDigest, reqDigest, reqDigest, chain
		_, err := CreateFetchProof(fetcher, &c.info)
		expectStatus(t, c.label, err, c.want)
	}
	_, err := CreateFetchProof(fetcher, &FetchInfo{Method: "GET", URL: url, Status: 200, RequestDigest: reqDigest[:16],
		HeadersDigest: reqDigest, BodyDigest: reqDigest, CertChainDigest: chain})
	expectStatus(t, "short request digest", err, StatusArg)
	pub := must(fetcher.PublicCopy())
	_, err = CreateFetchProof(pub, &FetchInfo{Method: "GET", URL: url, Status: 200, RequestDigest: reqDigest,
		HeadersDigest: reqDigest, BodyDigest: reqDigest, CertChainDigest: chain})
	expectStatus(t, "public key cannot sign", err, StatusNoPrivateKey)
}

func flip(b []byte, i int) []byte {
	out := append([]byte{}, b...)
	out[i] ^= 0x01
	return out
}
