package zerokey

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

const stampNow = uint64(1_700_000_000_000)

func TestStampFixtures(t *testing.T) {
	var doc struct {
		Derived []struct {
			Body   string `json:"body"`
			SigDER string `json:"signature_der_hex"`
			XStamp string `json:"x_stamp"`
		} `json:"derived_deterministic_p256_stamps"`
		CLI struct {
			Body   string `json:"body"`
			XStamp string `json:"x_stamp"`
		} `json:"docs_cli_stamp"`
		EIP191 struct {
			Priv   string `json:"secp256k1_private_hex"`
			Body   string `json:"body"`
			Pub    string `json:"expected_publicKey_compressed"`
			SigDER string `json:"expected_signature_der"`
		} `json:"eip191_wallet_stamp"`
		Ed struct {
			Seed   string `json:"ed25519_seed_hex"`
			Pub    string `json:"publicKey_hex"`
			Body   string `json:"body"`
			XStamp string `json:"x_stamp_DERIVED"`
		} `json:"ed25519_wallet_stamp"`
	}
	loadJSON(t, "turnkey/stamps/stamp_vectors.json", &doc)
	priv := strings.TrimSpace(string(readVector(t, "turnkey/stamps/api-key.private")))
	key := must(KeyFromPrivate(CurveP256, unhex(t, priv)))
	skip := &StampVerifyOptions{NowMs: stampNow, SkipTimestamp: true}
	run := 0
	for _, v := range doc.Derived {
		if got := must(CreateStamp(key, StampP256, []byte(v.Body))); got != v.XStamp {
			t.Fatalf("stamp mismatch: %s", got)
		}
		s := must(ParseStamp(v.XStamp))
		if hexStr(s.Signature) != v.SigDER || s.Scheme != StampP256 {
			t.Fatal("parsed fields")
		}
		d := sha256.Sum256([]byte(v.XStamp))
		if hexStr(s.Digest) != hex.EncodeToString(d[:]) {
			t.Fatal("stamp digest")
		}
		if err := s.Verify([]byte(v.Body), skip); err != nil {
			t.Fatal(err)
		}
		if err := s.Verify([]byte(v.Body+" "), skip); !errors.Is(err, StatusSignature) {
			t.Fatal(err)
		}
		other := must(GenerateKey(CurveP256))
		if err := s.Verify([]byte(v.Body), &StampVerifyOptions{Key: other, SkipTimestamp: true}); !errors.Is(err, StatusEVSigner) || !errors.Is(err, ErrEvidence) {
			t.Fatal(err)
		}
		s.Close()
		run++
	}
	if err := must(ParseStamp(doc.CLI.XStamp)).Verify([]byte(doc.CLI.Body), skip); err != nil {
		t.Fatal(err)
	}
	run++
	k1 := must(KeyFromPrivate(CurveSecp256k1, unhex(t, doc.EIP191.Priv)))
	s := must(ParseStamp(must(CreateStamp(k1, StampSecp256k1EIP191, []byte(doc.EIP191.Body)))))
	if hexStr(s.PublicKey) != doc.EIP191.Pub || hexStr(s.Signature) != doc.EIP191.SigDER ||
		s.Verify([]byte(doc.EIP191.Body), skip) != nil {
		t.Fatal("EIP-191 stamp")
	}
	run++
	ed := must(KeyFromPrivate(CurveEd25519, unhex(t, doc.Ed.Seed)))
	if must(CreateStamp(ed, StampEd25519, []byte(doc.Ed.Body))) != doc.Ed.XStamp {
		t.Fatal("Ed25519 stamp")
	}
	run++
	report(t, "turnkey/stamps/stamp_vectors.json", run, run)
}

func TestStampWebAuthnAndWindow(t *testing.T) {
	body := []byte(`{"timestampMs":"1700000000000"}`)
	k := must(GenerateKey(CurveP256))
	s := must(ParseStamp(must(CreateStamp(k, StampP256, body))))
	if s.Verify(body, &StampVerifyOptions{NowMs: stampNow}) != nil {
		t.Fatal("in window")
	}
	if err := s.Verify(body, &StampVerifyOptions{NowMs: stampNow + 3_600_001}); !errors.Is(err, StatusStampTimestamp) {
		t.Fatal(err)
	}
	if ts := must(CheckStampTimestamp(body, stampNow, 0, 0)); ts != stampNow {
		t.Fatal(ts)
	}
	hdr := must(CreateWebAuthnStamp(k, []byte("cred"), "example.com", "https://example.com",
		WebAuthnFlagUP|WebAuthnFlagUV, 5, body))
	w := must(ParseWebAuthnStamp(hdr))
	if w.Scheme != StampWebAuthn || string(w.CredentialID) != "cred" || w.SignCount != 5 {
		t.Fatal("webauthn fields")
	}
	opts := StampVerifyOptions{Key: k, NowMs: stampNow, RPID: "example.com",
		Origins: []string{"https://a.example", "https://example.com"}, RequireUV: true}
	if err := w.Verify(body, &opts); err != nil {
		t.Fatal(err)
	}
	bad := opts
	bad.Origins = []string{"https://evil.example"}
	if err := w.Verify(body, &bad); !errors.Is(err, StatusWebauthnOrigin) {
		t.Fatal(err)
	}
	bad = opts
	bad.RPID = "evil.example"
	if err := w.Verify(body, &bad); !errors.Is(err, StatusWebauthnRPID) {
		t.Fatal(err)
	}
	if StampP256.Name() != "SIGNATURE_SCHEME_TK_API_P256" {
		t.Fatal("scheme name")
	}
}

type nitroMeta struct {
	File      string  `json:"file"`
	SHA256    string  `json:"sha256"`
	Untagged  bool    `json:"untagged"`
	ModuleID  string  `json:"module_id"`
	Timestamp uint64  `json:"timestamp_ms"`
	At        uint64  `json:"suggested_attime"`
	Until     uint64  `json:"valid_until_epoch"`
	NPCRs     int     `json:"npcrs"`
	PCR0      string  `json:"pcr0"`
	PCR1      string  `json:"pcr1"`
	PCR2      string  `json:"pcr2"`
	PublicKey *string `json:"public_key"`
	UserData  *string `json:"user_data"`
	Nonce     *string `json:"nonce"`
	CABundle  int     `json:"cabundle_len"`
}

func optHex(t *testing.T, s *string) []byte {
	if s == nil {
		return nil
	}
	return unhex(t, *s)
}

func TestAttestationRealDocuments(t *testing.T) {
	var docs []nitroMeta
	loadJSON(t, "nitro/documents.json", &docs)
	root := sha256.Sum256(AWSNitroRootDER())
	if hex.EncodeToString(root[:]) != "641a0321a3e244efe456463195d606317ed7cdcc3c1756e09893f3c68f79bb5b" {
		t.Fatal("AWS root fingerprint")
	}
	v := must(NewAttVerifier(true))
	defer v.Close()
	run, passed := 0, 0
	for _, m := range docs {
		data := readVector(t, "nitro/"+m.File)
		debug := m.PCR0 == strings.Repeat("00", 48)
		pol := must(NewAttPolicy())
		pol.AllowDebug(debug)
		run++
		d, err := v.Verify(data, m.At, pol)
		if err != nil {
			t.Fatalf("%s: %v", m.File, err)
		}
		if !d.Verified || d.ModuleID != m.ModuleID || d.TimestampMs != m.Timestamp || len(d.PCRs) != m.NPCRs ||
			hexStr(d.PCRs[0]) != m.PCR0 || d.IsDebug != debug || len(d.CABundle) != m.CABundle ||
			hexStr(d.PublicKey) != hexStr(optHex(t, m.PublicKey)) || (d.PublicKey == nil) != (m.PublicKey == nil) ||
			hexStr(d.UserData) != hexStr(optHex(t, m.UserData)) || (d.Nonce == nil) != (m.Nonce == nil) ||
			d.Tagged == m.Untagged {
			t.Fatalf("%s: fields differ: %+v", m.File, d)
		}
		passed++
		// Pinned PCRs and bindings pass; a wrong PCR, nonce or an expired chain fail distinctly.
		for i, h := range []string{m.PCR0, m.PCR1, m.PCR2} {
			if err := pol.AddPCR(uint(i), unhex(t, h)); err != nil {
				t.Fatal(err)
			}
		}
		if m.Nonce != nil {
			_ = pol.ExpectNonce(unhex(t, *m.Nonce))
		}
		run++
		if _, err := v.Verify(data, m.At, pol); err != nil {
			t.Fatalf("%s pinned: %v", m.File, err)
		}
		passed++
		run++
		if _, err := v.Verify(data, m.Until+1, pol); !errors.Is(err, StatusATTExpired) || !errors.Is(err, ErrAttestation) {
			t.Fatalf("%s expired: %v", m.File, err)
		}
		passed++
		bad := must(NewAttPolicy())
		bad.AllowDebug(true)
		_ = bad.AddPCR(0, make([]byte, 48))
		if !debug {
			run++
			if _, err := v.Verify(data, m.At, bad); !errors.Is(err, StatusATTPCRMismatch) {
				t.Fatalf("%s pcr: %v", m.File, err)
			}
			passed++
		} else {
			run++
			if _, err := v.Verify(data, m.At, nil); !errors.Is(err, StatusATTDebug) {
				t.Fatalf("%s debug: %v", m.File, err)
			}
			passed++
		}
		u := must(ParseAttestationUnverified(data))
		if u.Verified || u.ModuleID != m.ModuleID {
			t.Fatal("unverified parse")
		}
	}
	empty := must(NewAttVerifier(false))
	pol := must(NewAttPolicy())
	pol.AllowDebug(true)
	run++
	if _, err := empty.Verify(readVector(t, "nitro/"+docs[0].File), docs[0].At, pol); !errors.Is(err, StatusATTUntrustedRoot) {
		t.Fatal(err)
	}
	passed++
	if err := empty.AddRootPEM(readVector(t, "nitro/aws_nitro_root_g1.pem")); err != nil || empty.RootCount() != 1 {
		t.Fatal("AddRootPEM", err)
	}
	run++
	if _, err := v.Verify(readVector(t, "nitro/NEGATIVE_base_2026-01-03_unrepaired_missing3bytes.cose"), AttTimeNow, nil); err == nil || errors.Is(err, ErrAttestation) {
		t.Fatalf("damaged document: %v", err)
	}
	passed++
	hits, misses, _ := v.CacheStats()
	if hits == 0 || misses == 0 {
		t.Fatal("cache stats")
	}
	report(t, "nitro/documents.json (verify + policy)", run, passed)
}
