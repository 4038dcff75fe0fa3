package zerokey

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestQOSKeySets(t *testing.T) {
	var doc struct {
		Pairs []struct {
			Seed string `json:"seed_file"`
			Pub  string `json:"pub_file"`
		} `json:"pairs"`
		Det struct {
			Seed string `json:"seed_hex"`
			Msg  string `json:"message_utf8"`
			Sig  string `json:"signature_rs_hex"`
		} `json:"deterministic_signature"`
	}
	loadJSON(t, "turnkey/qos_keys/qos_p256_keyset_vectors.json", &doc)
	for _, p := range doc.Pairs {
		ks := must(QOSKeySetFromHex(readVector(t, "turnkey/"+p.Seed)))
		if hexStr(ks.Public()) != strings.TrimSpace(string(readVector(t, "turnkey/"+p.Pub))) {
			t.Fatalf("%s: public key", p.Seed)
		}
		ks.Close()
	}
	ks := must(QOSKeySetFromSeed(unhex(t, doc.Det.Seed)))
	if hexStr(must(ks.Sign([]byte(doc.Det.Msg)))) != doc.Det.Sig {
		t.Fatal("deterministic signature")
	}
	if err := QOSVerify(ks.Public(), unhex(t, doc.Det.Sig), []byte(doc.Det.Msg)); err != nil {
		t.Fatal(err)
	}
	if err := QOSVerify(ks.Public()[:129], unhex(t, doc.Det.Sig), []byte(doc.Det.Msg)); !errors.Is(err, StatusQOSKey) || !errors.Is(err, ErrQOS) {
		t.Fatal(err)
	}
	report(t, "turnkey/qos_keys", len(doc.Pairs)+1, len(doc.Pairs)+1)
}

func TestQOSPreprodShares(t *testing.T) {
	var doc struct {
		Dev      string   `json:"dev_seed_file"`
		Enclaves []string `json:"enclaves"`
	}
	loadJSON(t, "turnkey/qos_preprod_shares/vectors.json", &doc)
	dev := must(QOSKeySetFromHex(readVector(t, "turnkey/"+doc.Dev)))
	for _, e := range doc.Enclaves {
		pt := must(dev.OpenEnvelope(readVector(t, "turnkey/qos_preprod_shares/"+e+".old_dev.share")))
		seed := must(ShamirCombine([][]byte{pt}))
		want := strings.TrimSpace(string(readVector(t, "turnkey/qos_preprod_shares/"+e+".quorum_key.pub")))
		if hexStr(must(QOSKeySetFromSeed(seed)).Public()) != want {
			t.Fatalf("%s: quorum key", e)
		}
		Wipe(pt)
		Wipe(seed)
	}
	report(t, "turnkey/qos_preprod_shares", len(doc.Enclaves), len(doc.Enclaves))
	ks := must(GenerateQOSKeySet())
	pk := must(ParseQOSPublicKey(ks.Public()))
	env := must(pk.SealEnvelope([]byte("share")))
	if string(must(ks.OpenEnvelope(env))) != "share" {
		t.Fatal("envelope roundtrip")
	}
	if _, err := dev.OpenEnvelope(env); !errors.Is(err, StatusDecrypt) {
		t.Fatal(err)
	}
}

func TestBundles(t *testing.T) {
	var doc struct {
		Export struct {
			Org    string                 `json:"organizationId"`
			Priv   string                 `json:"embedded_private_key_hex"`
			Bundle map[string]interface{} `json:"bundle"`
			Want   string                 `json:"expected_plaintext_utf8"`
		} `json:"export_bundle_v1"`
		Cred struct {
			Bundle string `json:"bundle"`
			Priv   string `json:"target_private_key_hex"`
			Want   string `json:"expected_plaintext_hex"`
		} `json:"credential_bundle_base58check"`
		V0 struct {
			Signer string `json:"signer_public"`
			Signed string `json:"signed_bytes_hex"`
			Sig    string `json:"signature_der"`
		} `json:"enclave_signature_over_target_key_v0"`
	}
	loadJSON(t, "turnkey/secure_channel_bundles.json", &doc)
	text, _ := json.Marshal(doc.Export.Bundle)
	enclave := must(KeyFromPublic(CurveP256, unhex(t, doc.Export.Bundle["enclaveQuorumPublic"].(string))))
	target := must(KeyFromPrivate(CurveP256, unhex(t, doc.Export.Priv)))
	if pt := must(BundleExportOpen(string(text), enclave, doc.Export.Org, target)); string(pt) != doc.Export.Want {
		t.Fatal("export bundle")
	}
	if _, err := BundleExportOpen(string(text), enclave, "other", target); !errors.Is(err, StatusBundleOrganization) {
		t.Fatal(err)
	}
	ct := must(KeyFromPrivate(CurveP256, unhex(t, doc.Cred.Priv)))
	if hexStr(must(BundleCredentialOpen(doc.Cred.Bundle, ct))) != doc.Cred.Want {
		t.Fatal("credential bundle")
	}
	signer := must(KeyFromPublic(CurveP256, unhex(t, doc.V0.Signer)))
	if err := BundleV0Verify(signer, unhex(t, doc.V0.Signed), unhex(t, doc.V0.Sig)); err != nil {
		t.Fatal(err)
	}
	report(t, "turnkey/secure_channel_bundles.json", 4, 4)

	enc, client := must(GenerateKey(CurveP256)), must(GenerateKey(CurveP256))
	exp := must(BundleExportCreate(enc, client, "org", []byte("words")))
	if !bytes.Equal(must(BundleExportOpen(exp, enc, "org", client)), []byte("words")) {
		t.Fatal("export roundtrip")
	}
	user := "user-1"
	tgt := must(BundleTargetCreate(enc, client, "org", &user))
	sealed := must(BundleImportSeal(tgt, enc, "org", &user, []byte("key")))
	if string(must(BundleEncryptedOpen(sealed, client))) != "key" {
		t.Fatal("import roundtrip")
	}
	if _, err := BundleImportSeal(tgt, enc, "org", nil, []byte("key")); !errors.Is(err, ErrSecureChannel) {
		t.Fatal(err)
	}
	cred := must(BundleCredentialSeal(client, []byte("api")))
	if string(must(BundleCredentialOpen(cred, client))) != "api" {
		t.Fatal("credential roundtrip")
	}
}
