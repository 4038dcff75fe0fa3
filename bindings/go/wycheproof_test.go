package zerokey

import (
	"encoding/csv"
	"errors"
	"math/big"
	"strings"
	"testing"
)

type wpTest struct {
	TcID    int    `json:"tcId"`
	Comment string `json:"comment"`
	Result  string `json:"result"`
	Msg     string `json:"msg"`
	Sig     string `json:"sig"`
	Public  string `json:"public"`
	Private string `json:"private"`
	Shared  string `json:"shared"`
	Key     string `json:"key"`
	IV      string `json:"iv"`
	AAD     string `json:"aad"`
	CT      string `json:"ct"`
	Tag     string `json:"tag"`
	IKM     string `json:"ikm"`
	Salt    string `json:"salt"`
	Info    string `json:"info"`
	Size    int    `json:"size"`
	OKM     string `json:"okm"`
}

type wpGroup struct {
	PublicKey struct {
		Uncompressed string `json:"uncompressed"`
		PK           string `json:"pk"`
	} `json:"publicKey"`
	IVSize int      `json:"ivSize"`
	Tests  []wpTest `json:"tests"`
}

type wpFile struct {
	NumberOfTests int       `json:"numberOfTests"`
	TestGroups    []wpGroup `json:"testGroups"`
}

func TestWycheproofECDSA(t *testing.T) {
	files := []struct {
		name      string
		curve     Curve
		format    SigFormat
		allowHigh bool
	}{
		{"ecdsa_secp256r1_sha256_test.json", CurveP256, SigDER, false},
		{"ecdsa_secp256r1_sha256_p1363_test.json", CurveP256, SigRaw, false},
		{"ecdsa_secp384r1_sha384_test.json", CurveP384, SigDER, false},
		{"ecdsa_secp384r1_sha384_p1363_test.json", CurveP384, SigRaw, false},
		{"ecdsa_secp256k1_sha256_test.json", CurveSecp256k1, SigDER, true},
		{"ecdsa_secp256k1_sha256_p1363_test.json", CurveSecp256k1, SigRaw, true},
		{"ecdsa_secp256k1_sha256_bitcoin_test.json", CurveSecp256k1, SigDER, false},
	}
	for _, f := range files {
		f := f
		t.Run(f.name, func(t *testing.T) {
			var doc wpFile
			loadJSON(t, "wycheproof/"+f.name, &doc)
			var flags VerifyFlags
			if f.allowHigh {
				flags = VerifyAllowHighS
			}
			run, passed := 0, 0
			for _, g := range doc.TestGroups {
				key, kerr := KeyFromPublic(f.curve, unhex(t, g.PublicKey.Uncompressed))
				for _, tc := range g.Tests {
					run++
					ok := false
					if kerr == nil {
						err := key.Verify(unhex(t, tc.Sig), unhex(t, tc.Msg), f.format, flags)
						ok = err == nil
						if err != nil && !errors.Is(err, StatusSignature) &&
							!errors.Is(err, StatusSigEncoding) && !errors.Is(err, StatusHighS) {
							t.Errorf("tcId %d: unexpected %v", tc.TcID, err)
						}
					}
					if ok != (tc.Result == "valid") || tc.Result == "acceptable" {
						t.Errorf("tcId %d (%s): ok=%v result=%s", tc.TcID, tc.Comment, ok, tc.Result)
						continue
					}
					passed++
				}
				if key != nil {
					key.Close()
				}
			}
			report(t, "wycheproof/"+f.name, run, passed)
			if run != doc.NumberOfTests {
				t.Errorf("ran %d of %d", run, doc.NumberOfTests)
			}
		})
	}
}

func TestWycheproofEd25519(t *testing.T) {
	var doc wpFile
	loadJSON(t, "wycheproof/ed25519_test.json", &doc)
	run, passed := 0, 0
	for _, g := range doc.TestGroups {
		key, err := KeyFromPublic(CurveEd25519, unhex(t, g.PublicKey.PK))
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range g.Tests {
			run++
			ok := key.Verify(unhex(t, tc.Sig), unhex(t, tc.Msg), SigEdDSA, 0) == nil
			if ok != (tc.Result == "valid") {
				t.Errorf("tcId %d (%s): ok=%v result=%s", tc.TcID, tc.Comment, ok, tc.Result)
				continue
			}
			passed++
		}
	}
	report(t, "wycheproof/ed25519_test.json", run, passed)
	if run != doc.NumberOfTests {
		t.Errorf("ran %d of %d", run, doc.NumberOfTests)
	}
}

func scalar32(t *testing.T, h string) []byte {
	n, ok := new(big.Int).SetString(h, 16)
	if !ok {
		t.Fatalf("bad scalar %s", h)
	}
	return n.FillBytes(make([]byte, 32))
}

func TestWycheproofECDH(t *testing.T) {
	for _, name := range []string{"ecdh_secp256r1_test.json", "ecdh_secp256r1_ecpoint_test.json"} {
		name := name
		t.Run(name, func(t *testing.T) {
			var doc wpFile
			loadJSON(t, "wycheproof/"+name, &doc)
			run, passed, accYes, accNo := 0, 0, 0, 0
			for _, g := range doc.TestGroups {
				for _, tc := range g.Tests {
					run++
					priv, err := KeyFromPrivate(CurveP256, scalar32(t, tc.Private))
					if err != nil {
						t.Fatal(err)
					}
					var peer *Key
					if name == "ecdh_secp256r1_test.json" {
						peer, err = KeyFromSPKI(unhex(t, tc.Public))
					} else {
						peer, err = KeyFromPublic(CurveP256, unhex(t, tc.Public))
					}
					var shared []byte
					if err == nil {
						shared, err = priv.ECDH(peer)
					}
					got := err == nil
					if got && !hexEq(shared, tc.Shared) {
						t.Errorf("tcId %d: wrong shared secret", tc.TcID)
						continue
					}
					switch tc.Result {
					case "acceptable":
						if got {
							accYes++
						} else {
							accNo++
						}
					case "valid":
						if !got {
							t.Errorf("tcId %d (%s): rejected: %v", tc.TcID, tc.Comment, err)
							continue
						}
					default:
						if got {
							t.Errorf("tcId %d (%s): accepted", tc.TcID, tc.Comment)
							continue
						}
					}
					passed++
				}
			}
			report(t, "wycheproof/"+name, run, passed)
			t.Logf("  acceptable: accepted=%d rejected=%d", accYes, accNo)
			if run != doc.NumberOfTests {
				t.Errorf("ran %d of %d", run, doc.NumberOfTests)
			}
		})
	}
}

func hexEq(b []byte, h string) bool { return strings.EqualFold(hexStr(b), h) }

func hexStr(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 2*len(b))
	for i, c := range b {
		out[2*i], out[2*i+1] = digits[c>>4], digits[c&15]
	}
	return string(out)
}

func TestWycheproofAESGCM(t *testing.T) {
	var doc wpFile
	loadJSON(t, "wycheproof/aes_gcm_test.json", &doc)
	run, passed := 0, 0
	for _, g := range doc.TestGroups {
		for _, tc := range g.Tests {
			run++
			key, iv, aad := unhex(t, tc.Key), unhex(t, tc.IV), unhex(t, tc.AAD)
			msg, ct, tag := unhex(t, tc.Msg), unhex(t, tc.CT), unhex(t, tc.Tag)
			pt, err := AESGCMOpen(key, iv, ct, tag, aad)
			if g.IVSize != 96 {
				_, _, serr := AESGCMSeal(key, iv, msg, aad)
				if !errors.Is(err, StatusNonceSize) || !errors.Is(serr, StatusNonceSize) {
					t.Errorf("tcId %d: %d-bit IV not refused: %v / %v", tc.TcID, g.IVSize, err, serr)
					continue
				}
				passed++
				continue
			}
			if tc.Result == "valid" {
				if err != nil || hexStr(pt) != tc.Msg {
					t.Errorf("tcId %d: %v", tc.TcID, err)
					continue
				}
				c2, t2, err := AESGCMSeal(key, iv, msg, aad)
				if err != nil || hexStr(c2) != tc.CT || hexStr(t2) != tc.Tag {
					t.Errorf("tcId %d: seal mismatch %v", tc.TcID, err)
					continue
				}
			} else if !errors.Is(err, StatusDecrypt) {
				t.Errorf("tcId %d: invalid case gave %v", tc.TcID, err)
				continue
			}
			passed++
		}
	}
	report(t, "wycheproof/aes_gcm_test.json", run, passed)
}

func TestWycheproofHKDF(t *testing.T) {
	for _, c := range []struct {
		name string
		alg  HashAlg
	}{{"hkdf_sha256_test.json", SHA256}, {"hkdf_sha384_test.json", SHA384}} {
		var doc wpFile
		loadJSON(t, "wycheproof/"+c.name, &doc)
		run, passed := 0, 0
		for _, g := range doc.TestGroups {
			for _, tc := range g.Tests {
				run++
				okm, err := HKDF(c.alg, unhex(t, tc.IKM), unhex(t, tc.Salt), unhex(t, tc.Info), tc.Size)
				if tc.Result == "valid" {
					if err != nil || hexStr(okm) != tc.OKM {
						t.Errorf("%s tcId %d: %v", c.name, tc.TcID, err)
						continue
					}
				} else if !errors.Is(err, StatusKDFLength) {
					t.Errorf("%s tcId %d: invalid case gave %v", c.name, tc.TcID, err)
					continue
				}
				passed++
			}
		}
		report(t, "wycheproof/"+c.name, run, passed)
	}
}

func TestWycheproofHMAC(t *testing.T) {
	var doc wpFile
	loadJSON(t, "wycheproof/hmac_sha256_test.json", &doc)
	run, passed := 0, 0
	for _, g := range doc.TestGroups {
		for _, tc := range g.Tests {
			run++
			err := HMACVerify(SHA256, unhex(t, tc.Key), unhex(t, tc.Msg), unhex(t, tc.Tag))
			if (err == nil) != (tc.Result == "valid") {
				t.Errorf("tcId %d: %v (result %s)", tc.TcID, err, tc.Result)
				continue
			}
			if err != nil && !errors.Is(err, StatusMAC) && !errors.Is(err, StatusTagSize) {
				t.Errorf("tcId %d: unexpected %v", tc.TcID, err)
				continue
			}
			passed++
		}
	}
	report(t, "wycheproof/hmac_sha256_test.json", run, passed)
}

func TestBIP340(t *testing.T) {
	rows, err := csv.NewReader(strings.NewReader(string(readVector(t, "bip340/test-vectors.csv")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	run, passed, signed := 0, 0, 0
	for _, r := range rows[1:] {
		run++
		pub, msg, sig := unhex(t, r[2]), unhex(t, r[4]), unhex(t, r[5])
		want := r[6] == "TRUE"
		ok := false
		if k, err := KeyFromPublic(CurveSecp256k1, pub); err == nil {
			ok = k.Verify(sig, msg, SigSchnorr, 0) == nil
		}
		if ok != want {
			t.Errorf("index %s (%s): ok=%v want %v", r[0], r[7], ok, want)
			continue
		}
		if r[1] != "" {
			sk, err := KeyFromPrivate(CurveSecp256k1, unhex(t, r[1]))
			if err != nil {
				t.Fatal(err)
			}
			x, _ := sk.PublicBytes(PubXOnly)
			s2, err := sk.Sign(msg, SigSchnorr)
			if err != nil || hexStr(x) != strings.ToLower(r[2]) || sk.Verify(s2, msg, SigSchnorr, 0) != nil {
				t.Errorf("index %s: signing failed %v", r[0], err)
				continue
			}
			signed++
		}
		passed++
	}
	report(t, "bip340/test-vectors.csv", run, passed)
	if run != 19 || signed != 8 {
		t.Errorf("run=%d signed=%d", run, signed)
	}
}
