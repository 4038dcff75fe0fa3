package zerokey

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"testing"
)

var allCurves = []Curve{CurveP256, CurveSecp256k1, CurveEd25519, CurveP384}

func sigFormats(c Curve) []SigFormat {
	switch c {
	case CurveEd25519:
		return []SigFormat{SigEdDSA}
	case CurveSecp256k1:
		return []SigFormat{SigDER, SigRaw, SigRecoverable, SigSchnorr}
	}
	return []SigFormat{SigDER, SigRaw}
}

// must panics on error (a panic fails the running test with a stack trace).
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestKeyRoundTrip(t *testing.T) {
	msg := []byte("zerokey go binding")
	for _, c := range allCurves {
		k := must(GenerateKey(c))
		pub := must(k.PublicCopy())
		if k.Curve() != c || !k.HasPrivate() || pub.HasPrivate() || !pub.PublicEqual(k) {
			t.Fatalf("%v: key properties", c)
		}
		for _, f := range sigFormats(c) {
			sig := must(k.Sign(msg, f))
			if err := pub.Verify(sig, msg, f, 0); err != nil {
				t.Fatalf("%v/%d: %v", c, f, err)
			}
			if err := pub.Verify(sig, append(msg, '!'), f, 0); !errors.Is(err, StatusSignature) {
				t.Fatalf("%v/%d: tampered message gave %v", c, f, err)
			}
		}
		if _, err := pub.Sign(msg, k.DefaultSigFormat()); !errors.Is(err, StatusNoPrivateKey) {
			t.Fatalf("public key signed: %v", err)
		}
		secret := must(k.ExportPrivate())
		k2 := must(KeyFromPrivate(c, secret))
		Wipe(secret)
		if !bytes.Equal(secret, make([]byte, len(secret))) || !k2.PublicEqual(k) {
			t.Fatal("export/import/wipe")
		}
		spki := must(k.PublicBytes(PubSPKI))
		if !must(KeyFromSPKI(spki)).PublicEqual(k) {
			t.Fatal("spki roundtrip")
		}
		k.Close()
		k.Close()
		if _, err := k.Sign(msg, SigDER); !errors.Is(err, ErrArgument) {
			t.Fatalf("closed key: %v", err)
		}
	}
	for i := 0; i < 200; i++ { // finalizers free unreferenced keys
		_, _ = GenerateKey(CurveEd25519)
	}
	runtime.GC()
}

func TestRecoverECDHConversion(t *testing.T) {
	k := must(GenerateKey(CurveSecp256k1))
	digest := Sum256([]byte("recover"))
	sig := must(k.SignDigest(digest, SigRecoverable))
	if !must(RecoverKey(sig, digest)).PublicEqual(k) {
		t.Fatal("recover")
	}
	for _, c := range []Curve{CurveP256, CurveSecp256k1, CurveP384} {
		a, b := must(GenerateKey(c)), must(GenerateKey(c))
		s1, s2 := must(a.ECDH(b)), must(b.ECDH(a))
		if !bytes.Equal(s1, s2) {
			t.Fatal("ecdh mismatch")
		}
		der := must(a.Sign([]byte("x"), SigDER))
		raw := must(SigDERToRaw(c, der))
		if !bytes.Equal(raw, must(a.Sign([]byte("x"), SigRaw))) ||
			!bytes.Equal(must(SigRawToDER(c, raw)), der) {
			t.Fatal("signature conversion")
		}
	}
	a, b := must(GenerateKey(CurveP256)), must(GenerateKey(CurveSecp256k1))
	if _, err := a.ECDH(b); !errors.Is(err, StatusCurve) {
		t.Fatalf("cross-curve ECDH: %v", err)
	}
}

func TestSignatureMutations(t *testing.T) {
	msg := []byte("mutation sweep")
	tried, rejected := 0, 0
	for _, c := range allCurves {
		k := must(GenerateKey(c))
		for _, f := range sigFormats(c) {
			if f == SigRecoverable {
				continue
			}
			sig := must(k.Sign(msg, f))
			for i := range sig {
				for _, bit := range []byte{0x01, 0x80} {
					m := append([]byte(nil), sig...)
					m[i] ^= bit
					tried++
					if k.Verify(m, msg, f, VerifyAllowHighS) != nil {
						rejected++
					}
				}
			}
			for n := 0; n < len(sig); n++ {
				tried++
				if k.Verify(sig[:n], msg, f, 0) != nil {
					rejected++
				}
			}
		}
	}
	t.Logf("MUTATIONS go/signatures: tried=%d rejected=%d", tried, rejected)
	if tried != rejected {
		t.Fatalf("%d mutations accepted", tried-rejected)
	}
}

func TestSymmetric(t *testing.T) {
	if hexStr(Sum256([]byte("abc"))) != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Fatal("sha256")
	}
	key := make([]byte, 32)
	nonce := make([]byte, 12)
	ct, tag := must2(AESGCMSeal(key, nonce, []byte("hello"), []byte("aad")))
	if pt := must(AESGCMOpen(key, nonce, ct, tag, []byte("aad"))); string(pt) != "hello" {
		t.Fatal("aes-gcm")
	}
	tag[0] ^= 1
	if _, err := AESGCMOpen(key, nonce, ct, tag, []byte("aad")); !errors.Is(err, StatusDecrypt) {
		t.Fatal(err)
	}
	prk := must(HKDFExtract(SHA256, []byte("ikm"), []byte("salt")))
	okm := must(HKDFExpand(SHA256, prk, []byte("info"), 42))
	if !bytes.Equal(okm, must(HKDF(SHA256, []byte("ikm"), []byte("salt"), []byte("info"), 42))) {
		t.Fatal("hkdf extract+expand")
	}
	mac := must(HMAC(SHA256, []byte("k"), []byte("m")))
	if HMACVerify(SHA256, []byte("k"), []byte("m"), mac[:16]) != nil ||
		!errors.Is(HMACVerify(SHA256, []byte("k"), []byte("m"), mac[:15]), StatusTagSize) {
		t.Fatal("hmac truncation")
	}
	r := must(RandomBytes(32))
	if len(r) != 32 || !CTEqual(r, r) || CTEqual(r, make([]byte, 32)) {
		t.Fatal("random/ct_equal")
	}
}

func must2(a, b []byte, err error) ([]byte, []byte) {
	if err != nil {
		panic(err)
	}
	return a, b
}

var coseAlg = map[Curve]int64{CurveP256: COSEAlgES256, CurveSecp256k1: COSEAlgES256K,
	CurveEd25519: COSEAlgEdDSA, CurveP384: COSEAlgES384}

func TestCOSE(t *testing.T) {
	for _, c := range allCurves {
		k := must(GenerateKey(c))
		for _, tagged := range []bool{true, false} {
			data := must(COSESign1Create(k, []byte("payload"), []byte("kid"), []byte("aad"), tagged))
			m := must(ParseCOSESign1(data))
			if string(m.Payload) != "payload" || string(m.KID) != "kid" || m.Tagged != tagged ||
				m.Alg != coseAlg[c] {
				t.Fatalf("%v: fields %+v", c, m)
			}
			if err := m.Verify(k, []byte("aad")); err != nil {
				t.Fatal(err)
			}
			if err := m.Verify(k, []byte("other")); !errors.Is(err, StatusSignature) {
				t.Fatal(err)
			}
			m.Close()
		}
	}
	k := must(GenerateKey(CurveP256))
	data := must(COSESign1Create(k, []byte(`{"type":"test"}`), nil, nil, true))
	tried, rejected := 0, 0
	for i := range data {
		for _, d := range []byte{1, 0xff} {
			m := append([]byte(nil), data...)
			m[i] += d
			tried++
			if _, err := COSESign1Verify(m, k, nil); err != nil {
				rejected++
			}
		}
	}
	for n := 0; n < len(data); n++ {
		tried++
		if _, err := COSESign1Verify(data[:n], k, nil); err != nil {
			rejected++
		}
	}
	_, err := ParseCOSESign1(append(data, 0))
	var e *Error
	if !errors.As(err, &e) || e.Status != StatusTrailing || e.Offset != len(data) {
		t.Fatalf("trailing byte: %v", err)
	}
	t.Logf("MUTATIONS go/cose_sign1: tried=%d rejected=%d", tried, rejected)
	if tried != rejected {
		t.Fatalf("%d mutations accepted", tried-rejected)
	}
}

func TestCOSENitroEnvelopes(t *testing.T) {
	docs := []string{"evervault_2022-10-12_debug_userdata_pubkey.cose", "evervault_2022-10-13_nonce.cose",
		"evervault_2023-01-18_debug.cose", "evervault_2023-01-18_nondebug_pcrs.cose",
		"evervault_2023-09-18_ga_userdata_spki.cose", "qos_2022-07-06_pubkey_userdata.cose"}
	for _, d := range docs {
		m := must(ParseCOSESign1(readVector(t, "nitro/"+d)))
		if m.Tagged || m.Alg != COSEAlgES384 || hexStr(m.Protected) != "a1013822" || len(m.Signature) != 96 {
			t.Errorf("%s: unexpected envelope", d)
		}
		m.Close()
	}
	if _, err := ParseCOSESign1(readVector(t, "nitro/NEGATIVE_base_2026-01-03_unrepaired_missing3bytes.cose")); err == nil {
		t.Error("damaged document parsed")
	}
	report(t, "nitro COSE_Sign1 parse", len(docs)+1, len(docs)+1)
}

type hpkeVector struct {
	Mode        int    `json:"mode"`
	AEAD        int    `json:"aead_id"`
	Info        string `json:"info"`
	IKMR        string `json:"ikmR"`
	SKRm        string `json:"skRm"`
	PKRm        string `json:"pkRm"`
	PKSm        string `json:"pkSm"`
	PSK         string `json:"psk"`
	PSKID       string `json:"psk_id"`
	Enc         string `json:"enc"`
	Encryptions []struct {
		AAD string `json:"aad"`
		CT  string `json:"ct"`
		PT  string `json:"pt"`
	} `json:"encryptions"`
	Exports []struct {
		Context string `json:"exporter_context"`
		L       int    `json:"L"`
		Value   string `json:"exported_value"`
	} `json:"exports"`
}

func TestHPKERFC9180(t *testing.T) {
	var doc []hpkeVector
	loadJSON(t, "hpke/rfc9180_p256_sha256_all_modes.json", &doc)
	encs, exps := 0, 0
	for _, v := range doc {
		skR := must(HPKEDeriveKeyPair(unhex(t, v.IKMR)))
		if hexStr(must(skR.ExportPrivate())) != v.SKRm {
			t.Fatal("DeriveKeyPair")
		}
		p := &HPKEParams{Mode: HPKEMode(v.Mode), AEAD: HPKEAEAD(v.AEAD), Info: unhex(t, v.Info),
			PSK: unhex(t, v.PSK), PSKID: unhex(t, v.PSKID)}
		if v.PKSm != "" {
			p.AuthKey = must(KeyFromPublic(CurveP256, unhex(t, v.PKSm)))
		}
		ctx := must(NewHPKEReceiver(p, skR, unhex(t, v.Enc)))
		for i, e := range v.Encryptions {
			pt, err := ctx.Open(unhex(t, e.CT), unhex(t, e.AAD))
			if err != nil || hexStr(pt) != e.PT {
				t.Fatalf("mode %d aead %d seq %d: %v", v.Mode, v.AEAD, i, err)
			}
			encs++
		}
		for _, x := range v.Exports {
			if hexStr(must(ctx.Export(unhex(t, x.Context), x.L))) != x.Value {
				t.Fatal("export")
			}
			exps++
		}
		ctx.Close()
	}
	report(t, "hpke/rfc9180_p256_sha256_all_modes.json", encs+exps, encs+exps)
	if encs != 12*257 || exps != 48 {
		t.Fatalf("encs=%d exports=%d", encs, exps)
	}
}

func TestHPKERoundTrip(t *testing.T) {
	skR := must(GenerateKey(CurveP256))
	skS := must(GenerateKey(CurveP256))
	pkS := must(skS.PublicCopy())
	psk := bytes.Repeat([]byte{7}, 32)
	for _, mode := range []HPKEMode{HPKEModeBase, HPKEModePSK, HPKEModeAuth, HPKEModeAuthPSK} {
		send := &HPKEParams{Mode: mode, AEAD: HPKEAES256GCM, Info: []byte("turnkey_hpke")}
		recv := *send
		if mode == HPKEModePSK || mode == HPKEModeAuthPSK {
			send.PSK, send.PSKID = psk, []byte("id")
			recv.PSK, recv.PSKID = psk, []byte("id")
		}
		if mode == HPKEModeAuth || mode == HPKEModeAuthPSK {
			send.AuthKey, recv.AuthKey = skS, pkS
		}
		enc, ct := must2(HPKESeal(send, skR, []byte("secret"), []byte("aad")))
		if pt := must(HPKEOpen(&recv, skR, enc, ct, []byte("aad"))); string(pt) != "secret" {
			t.Fatal("open")
		}
		if _, err := HPKEOpen(&recv, skR, enc, ct, []byte("AAD")); !errors.Is(err, StatusHPKEOpen) ||
			!errors.Is(err, ErrSecureChannel) {
			t.Fatalf("tampered aad: %v", err)
		}
		s, enc2, err := NewHPKESender(send, skR)
		if err != nil {
			t.Fatal(err)
		}
		r := must(NewHPKEReceiver(&recv, skR, enc2))
		for i := 0; i < 3; i++ {
			m := []byte(fmt.Sprintf("m%d", i))
			if pt := must(r.Open(must(s.Seal(m, nil)), nil)); !bytes.Equal(pt, m) {
				t.Fatal("stream")
			}
		}
		if r.Seq() != 3 || !bytes.Equal(must(s.Export([]byte("c"), 32)), must(r.Export([]byte("c"), 32))) {
			t.Fatal("seq/export")
		}
		s.Close()
		r.Close()
	}
}

func TestShamir(t *testing.T) {
	var doc struct {
		Secret string   `json:"secret_utf8"`
		Shares []string `json:"shares_hex"`
	}
	loadJSON(t, "turnkey/shamir_gf256.json", &doc)
	run := 0
	for i := range doc.Shares {
		for j := range doc.Shares {
			if i != j {
				got := must(ShamirCombine([][]byte{unhex(t, doc.Shares[i]), unhex(t, doc.Shares[j])}))
				if string(got) != doc.Secret {
					t.Fatal("combine")
				}
				run++
			}
		}
	}
	report(t, "turnkey/shamir_gf256.json", run, run)
	secret := []byte("0123456789abcdef0123456789abcdef")
	shares := must(ShamirSplit(secret, 5, 3))
	if !bytes.Equal(must(ShamirCombine(shares[2:])), secret) {
		t.Fatal("split/combine")
	}
	if _, err := ShamirCombine([][]byte{shares[0], shares[0]}); !errors.Is(err, StatusShamirShares) {
		t.Fatal(err)
	}
	if _, err := ShamirSplit(secret, 2, 3); !errors.Is(err, StatusShamirParams) || !errors.Is(err, ErrQOS) {
		t.Fatal(err)
	}
}
