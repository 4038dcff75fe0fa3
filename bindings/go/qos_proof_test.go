package zerokey

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
)

type tvcBoot struct {
	doc []byte
	env *QOSEnvelope
	at  uint64
	raw map[string]json.RawMessage
}

// loadTVC reads the real 2026 TVC provisioning document and its manifest envelope.
func loadTVC(t *testing.T) *tvcBoot {
	t.Helper()
	var d struct {
		At  uint64          `json:"validation_time_secs"`
		Doc string          `json:"attestation_document_cose_sign1_base64"`
		Env json.RawMessage `json:"manifest_envelope"`
	}
	loadJSON(t, "turnkey/qos_manifest/tvc_valid_provisioning_details.json", &d)
	doc, err := base64.StdEncoding.DecodeString(d.Doc)
	if err != nil {
		t.Fatal(err)
	}
	tb := &tvcBoot{doc: doc, env: must(ParseQOSEnvelopeJSON(d.Env)), at: d.At}
	if err := json.Unmarshal(d.Env, &tb.raw); err != nil {
		t.Fatal(err)
	}
	return tb
}

func bootPolicy(t *testing.T, commitment QOSCommitment, noShare bool) *QOSBootPolicy {
	t.Helper()
	p := must(NewQOSBootPolicy())
	if commitment != 0 {
		if err := p.RequireCommitment(commitment); err != nil {
			t.Fatal(err)
		}
	}
	p.RequireNoShareApprovals(noShare)
	return p
}

func TestQOSRealBoot(t *testing.T) {
	tb := loadTVC(t)
	defer tb.env.Close()
	v := must(NewAttVerifier(true))
	defer v.Close()
	run := 0
	policy := bootPolicy(t, QOSCommitSetup, true)
	boot := must(VerifyQOSBoot(v, policy, tb.doc, tb.env, nil, nil, tb.at))
	m := tb.env.Manifest()
	eph := boot.EphemeralKey()
	if !bytes.Equal(boot.Manifest().Hash(), m.Hash()) || len(eph) != QOSPublicLen ||
		boot.TimestampMs()/1000 > tb.at || boot.TimestampMs() == 0 {
		t.Fatal("verified boot fields")
	}
	boot.Close()
	if boot.EphemeralKey() != nil {
		t.Fatal("closed boot still answers")
	}
	run++
	// Pinning the manifest's own values passes, with the standalone manifest and the key.
	pins := bootPolicy(t, QOSCommitSetup, true)
	for i := uint(0); i < 4; i++ {
		if err := pins.PinPCR(i, m.PCR(i)); err != nil {
			t.Fatal(err)
		}
	}
	if pins.PinPivotHash(m.PivotHash()) != nil || pins.PinQuorumKey(m.QuorumKey()) != nil {
		t.Fatal("pins")
	}
	must(VerifyQOSBoot(v, pins, tb.doc, tb.env, m, eph, tb.at)).Close()
	run++
	expectStatus(t, "short pin", pins.PinPCR(0, make([]byte, 47)), StatusArg)
	expectStatus(t, "PCR index 4", pins.PinPCR(4, make([]byte, 48)), StatusArg)

	other := must(GenerateQOSKeySet())
	defer other.Close()
	pinned := func(f func(p *QOSBootPolicy) error) *QOSBootPolicy {
		p := must(NewQOSBootPolicy())
		if err := f(p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	withoutApprovals := must(NewQOSEnvelope(m))
	defer withoutApprovals.Close()
	// another manifest (nonce changed): neither a standalone copy nor an envelope around it matches
	var mj map[string]json.RawMessage
	if err := json.Unmarshal(tb.raw["manifest"], &mj); err != nil {
		t.Fatal(err)
	}
	var ns map[string]json.RawMessage
	if err := json.Unmarshal(mj["namespace"], &ns); err != nil {
		t.Fatal(err)
	}
	ns["nonce"] = json.RawMessage(fmt.Sprint(m.Nonce() + 1))
	mj["namespace"] = must(json.Marshal(ns))
	m2 := must(ParseQOSManifestJSON(must(json.Marshal(mj))))
	defer m2.Close()
	if bytes.Equal(m2.Hash(), m.Hash()) {
		t.Fatal("changed manifest has the same hash")
	}
	env2 := must(NewQOSEnvelope(m2))
	defer env2.Close()
	cases := []struct {
		label  string
		policy *QOSBootPolicy
		env    *QOSEnvelope
		m      *QOSManifest
		eph    []byte
		at     uint64
		want   Status
	}{
		{"pcr pin", pinned(func(p *QOSBootPolicy) error { return p.PinPCR(0, bytes.Repeat([]byte{1}, 48)) }), tb.env, nil, nil, tb.at, StatusQOSPCRPin},
		{"pivot", pinned(func(p *QOSBootPolicy) error { return p.PinPivotHash(bytes.Repeat([]byte{2}, 32)) }), tb.env, nil, nil, tb.at, StatusQOSPivotHash},
		{"quorum", pinned(func(p *QOSBootPolicy) error { return p.PinQuorumKey(other.Public()) }), tb.env, nil, nil, tb.at, StatusQOSQuorumKey},
		{"live commitment", pinned(func(p *QOSBootPolicy) error { return p.RequireCommitment(QOSCommitLive) }), tb.env, nil, nil, tb.at, StatusQOSPCRCommitment},
		{"ephemeral", nil, tb.env, nil, other.Public(), tb.at, StatusQOSEphemeralKey},
		{"short ephemeral", nil, tb.env, nil, eph[:129], tb.at, StatusQOSEphemeralKey},
		{"expired", nil, tb.env, nil, nil, tb.at + 400*86400, StatusATTExpired},
		{"standalone manifest", nil, tb.env, m2, nil, tb.at, StatusQOSManifestHash},
		{"other envelope", nil, env2, nil, nil, tb.at, StatusQOSManifestHash},
		{"no approvals", nil, withoutApprovals, nil, nil, tb.at, StatusQOSThreshold},
	}
	for _, c := range cases {
		b, err := VerifyQOSBoot(v, c.policy, tb.doc, c.env, c.m, c.eph, c.at)
		expectStatus(t, c.label, err, c.want)
		if b != nil {
			t.Fatalf("%s: a boot on failure", c.label)
		}
		run++
	}
	// The AWS root is what makes it verify: a verifier without it refuses.
	bare := must(NewAttVerifier(false))
	defer bare.Close()
	_, err := VerifyQOSBoot(bare, nil, tb.doc, tb.env, nil, nil, tb.at)
	expectStatus(t, "no pinned root", err, StatusATTUntrustedRoot)
	run++
	report(t, "turnkey/qos_manifest/tvc_valid_provisioning_details.json (boot)", run, run)

	// Document mutations: strided single-byte flips and truncations are refused.
	tried, rejected := 0, 0
	step := len(tb.doc)/97 + 1
	for i := 0; i < len(tb.doc); i += step {
		mut := append([]byte{}, tb.doc...)
		mut[i] ^= 0x01
		tried++
		if b, err := VerifyQOSBoot(v, nil, mut, tb.env, nil, nil, tb.at); err != nil {
			rejected++
		} else {
			b.Close()
		}
		tried++
		if _, err := VerifyQOSBoot(v, nil, tb.doc[:i], tb.env, nil, nil, tb.at); err != nil {
			rejected++
		}
	}
	t.Logf("MUTATIONS go/qos_boot_tvc: tried=%d rejected=%d", tried, rejected)
	if tried == 0 || tried != rejected {
		t.Fatalf("boot mutations: tried=%d rejected=%d", tried, rejected)
	}
}

// mockWorld is a QOS boot on the mock backend: three operators (threshold 2),
// a quorum key, an ephemeral key, and the golden manifest shape carrying them
// and the mock's boot PCRs.
type mockWorld struct {
	be       *Backend
	v        *AttVerifier
	ops      [3]*QOSKeySet
	quorum   *QOSKeySet
	eph      *QOSKeySet
	m        *QOSManifest
	env      *QOSEnvelope
	pcrs     []byte
	approval [3]*QOSApproval
}

const mockNowMs = uint64(1_750_000_000_000)

func newMockWorld(t *testing.T) *mockWorld {
	t.Helper()
	var g goldenManifest
	loadJSON(t, "turnkey/qos_manifest/golden_manifest_v1.json", &g)
	w := &mockWorld{pcrs: make([]byte, 16*48)}
	for i := range w.pcrs {
		w.pcrs[i] = byte(i*7 + 1)
	}
	copy(w.pcrs[48:96], w.pcrs[:48]) // PCR1 == PCR0 as on QOS images
	w.be = must(OpenBackend("mock", &BackendOptions{MockTimeMs: mockNowMs, MockBootPCRs: w.pcrs}))
	w.v = must(NewAttVerifier(false))
	if err := w.v.AddRootDER(must(w.be.MockRootDER())); err != nil {
		t.Fatal(err)
	}
	for i := range w.ops {
		w.ops[i] = must(GenerateQOSKeySet())
	}
	w.quorum = must(GenerateQOSKeySet())
	w.eph = must(GenerateQOSKeySet())
	dec := json.NewDecoder(strings.NewReader(g.V1JSON))
	dec.UseNumber()
	var mj map[string]interface{}
	if err := dec.Decode(&mj); err != nil {
		t.Fatal(err)
	}
	var members []interface{}
	for i, ks := range w.ops {
		members = append(members, map[string]interface{}{"alias": fmt.Sprintf("op-%d", i+1), "pubKey": hexStr(ks.Public())})
	}
	set := map[string]interface{}{"threshold": 2, "members": members}
	mj["manifestSet"], mj["shareSet"] = set, set
	mj["namespace"].(map[string]interface{})["quorumKey"] = hexStr(w.quorum.Public())
	enclave := mj["enclave"].(map[string]interface{})
	for i := 0; i < 4; i++ {
		enclave[fmt.Sprintf("pcr%d", i)] = hexStr(w.pcrs[48*i : 48*i+48])
	}
	w.m = must(ParseQOSManifestJSON(must(json.Marshal(mj))))
	w.env = must(NewQOSEnvelope(w.m))
	for i, ks := range w.ops {
		w.approval[i] = must(SignQOSApproval(ks, fmt.Sprintf("op-%d", i+1), w.m))
		if i < 2 {
			if err := w.env.AddApproval(QOSSetManifest, w.approval[i]); err != nil {
				t.Fatal(err)
			}
		}
	}
	return w
}

func (w *mockWorld) close() {
	for _, ks := range w.ops {
		ks.Close()
	}
	w.quorum.Close()
	w.eph.Close()
	w.m.Close()
	w.env.Close()
	w.v.Close()
	w.be.Close()
}

func TestQOSMockBootAndAppProof(t *testing.T) {
	w := newMockWorld(t)
	defer w.close()
	at := mockNowMs / 1000
	hash := w.m.Hash()
	ephPub := w.eph.Public()
	// QOS extends PCR17 with the live commitment of (manifest hash, ephemeral key).
	pcr, com := must2(QOSPCRCommitment(QOSCommitLive, hash, ephPub))
	if got := must(w.be.ExtendPCR(17, com)); !bytes.Equal(got, pcr) {
		t.Fatal("PCR17 after one extension is not the commitment PCR")
	}
	doc := must(w.be.Attest(hash, nil, ephPub))
	policy := bootPolicy(t, QOSCommitLive, true)
	defer policy.Close()
	for i := uint(0); i < 4; i++ {
		if err := policy.PinPCR(i, w.pcrs[48*i:48*i+48]); err != nil {
			t.Fatal(err)
		}
	}
	if policy.PinQuorumKey(w.quorum.Public()) != nil || policy.PinPivotHash(w.m.PivotHash()) != nil {
		t.Fatal("pins")
	}
	boot := must(VerifyQOSBoot(w.v, policy, doc, w.env, w.m, ephPub, at))
	defer boot.Close()
	if !bytes.Equal(boot.EphemeralKey(), ephPub) || !bytes.Equal(boot.Manifest().Hash(), hash) ||
		boot.TimestampMs() != mockNowMs {
		t.Fatal("mock boot fields")
	}
	run := 1

	setup := bootPolicy(t, QOSCommitSetup, false)
	oneApproval := must(NewQOSEnvelope(w.m))
	defer oneApproval.Close()
	if err := oneApproval.AddApproval(QOSSetManifest, w.approval[2]); err != nil {
		t.Fatal(err)
	}
	withShare := must(NewQOSEnvelope(w.m))
	defer withShare.Close()
	for _, a := range w.approval {
		if withShare.AddApproval(QOSSetManifest, a) != nil || withShare.AddApproval(QOSSetShare, a) != nil {
			t.Fatal("add approvals")
		}
	}
	if err := withShare.VerifyApprovals(QOSEnvShareApprovals); err != nil {
		t.Fatal(err)
	}
	withNonce := must(w.be.Attest(hash, []byte("nonce-01"), ephPub))
	otherHash := must(w.be.Attest(Sum256([]byte("other")), nil, ephPub))
	noKey := must(w.be.Attest(hash, nil, nil))
	cases := []struct {
		label  string
		policy *QOSBootPolicy
		doc    []byte
		env    *QOSEnvelope
		want   Status
	}{
		{"setup commitment (PCR16 never extended)", setup, doc, w.env, StatusQOSPCRCommitment},
		{"one approval of threshold 2", policy, doc, oneApproval, StatusQOSThreshold},
		{"share-set approvals refused", policy, doc, withShare, StatusQOSShareApprovals},
		{"nonce present", policy, withNonce, w.env, StatusATTNonce},
		{"user_data is not the manifest hash", policy, otherHash, w.env, StatusQOSManifestHash},
		{"no ephemeral key", nil, noKey, w.env, StatusQOSEphemeralKey},
	}
	for _, c := range cases {
		_, err := VerifyQOSBoot(w.v, c.policy, c.doc, c.env, nil, nil, at)
		expectStatus(t, c.label, err, c.want)
		run++
	}
	setup.Close()
	// the default policy tolerates share-set approvals and needs no commitment
	must(VerifyQOSBoot(w.v, nil, doc, withShare, nil, nil, at)).Close()
	run++

	// The Turnkey BootProof JSON form of the same boot, verified at its createdAt time.
	mb, eb := must(w.m.Borsh()), must(w.env.Borsh())
	proof := func(created string) []byte {
		return must(json.Marshal(map[string]interface{}{
			"ephemeralPublicKeyHex": hexStr(ephPub), "awsAttestationDocB64": base64.StdEncoding.EncodeToString(doc),
			"qosManifestB64": base64.StdEncoding.EncodeToString(mb), "qosManifestEnvelopeB64": base64.StdEncoding.EncodeToString(eb),
			"deploymentLabel": "test", "enclaveApp": "signer", "owner": "o",
			"createdAt": map[string]string{"seconds": created, "nanos": "0"}}))
	}
	bp := proof(fmt.Sprint(at))
	b2 := must(VerifyQOSBootProofJSON(w.v, policy, bp, 0))
	if !bytes.Equal(b2.EphemeralKey(), ephPub) || !bytes.Equal(b2.Manifest().Hash(), hash) {
		t.Fatal("boot proof JSON fields")
	}
	b2.Close()
	must(VerifyQOSBootProofJSON(w.v, policy, proof("0"), at)).Close()
	_, err := VerifyQOSBootProofJSON(w.v, policy, proof("0"), 0)
	expectStatus(t, "createdAt 0 is not a time", err, StatusQOSProofFormat)
	_, err = VerifyQOSBootProofJSON(w.v, policy, bp[:len(bp)-1], 0)
	expectStatus(t, "truncated boot proof", err, StatusQOSProofFormat)
	_, err = VerifyQOSBootProofJSON(w.v, policy, bp, at+400*86400)
	expectStatus(t, "boot proof after the leaf expired", err, StatusATTExpired)
	run += 5

	// App proofs: created with the ephemeral key, verified against the boot.
	payload := []byte(fmt.Sprintf(`{"type":"APP_PROOF_TYPE_ADDRESS_DERIVATION","timestampMs":"%d","addressDerivationProof":{"organizationId":"org","address":"0xabc"}}`, mockNowMs))
	ap := must(CreateQOSAppProof(w.eph, payload))
	var obj map[string]string
	if err := json.Unmarshal(ap, &obj); err != nil {
		t.Fatal(err)
	}
	if obj["scheme"] != QOSAppProofScheme || obj["publicKey"] != hexStr(ephPub) || obj["proofPayload"] != string(payload) {
		t.Fatalf("app proof shape: %s", ap)
	}
	if got := must(boot.VerifyAppProof(ap)); !bytes.Equal(got, payload) {
		t.Fatal("app proof payload")
	}
	run++
	tamper := func(key, value string) []byte {
		o := map[string]string{}
		for k, v := range obj {
			o[k] = v
		}
		o[key] = value
		return must(json.Marshal(o))
	}
	sig := unhex(t, obj["signature"])
	sig[10] ^= 1
	_, err = CreateQOSAppProof(w.eph, []byte(`{"type":"x"}`))
	if err != nil {
		t.Fatal("create does not check the payload shape", err)
	}
	untyped := must(CreateQOSAppProof(w.eph, []byte(`{"a":1}`)))
	byQuorum := must(CreateQOSAppProof(w.quorum, payload))
	appCases := []struct {
		label string
		proof []byte
		want  Status
	}{
		{"signed by another key", byQuorum, StatusQOSEphemeralKey},
		{"flipped signature", tamper("signature", hexStr(sig)), StatusQOSAppSignature},
		{"changed payload", tamper("proofPayload", strings.Replace(string(payload), "0xabc", "0xabd", 1)), StatusQOSAppSignature},
		{"other scheme", tamper("scheme", "SIGNATURE_SCHEME_EPHEMERAL_KEY_ED25519"), StatusQOSProofScheme},
		{"untyped payload", untyped, StatusQOSProofFormat},
		{"truncated", ap[:len(ap)-1], StatusQOSProofFormat},
	}
	for _, c := range appCases {
		out, err := boot.VerifyAppProof(c.proof)
		expectStatus(t, c.label, err, c.want)
		if out != nil {
			t.Fatalf("%s: payload returned on failure", c.label)
		}
		run++
	}
	report(t, "mock qos boot + app proof", run, run)
	// The real TVC boot has another ephemeral key: our app proof does not verify against it.
	tb := loadTVC(t)
	defer tb.env.Close()
	av := must(NewAttVerifier(true))
	defer av.Close()
	tvc := must(VerifyQOSBoot(av, nil, tb.doc, tb.env, nil, nil, tb.at))
	defer tvc.Close()
	_, err = tvc.VerifyAppProof(ap)
	expectStatus(t, "app proof against the TVC boot", err, StatusQOSEphemeralKey)
	if !errors.Is(err, ErrQOS) {
		t.Fatal("QOS family")
	}
	_, err = tvc.VerifyAppProof(tamper("publicKey", hexStr(tvc.EphemeralKey())))
	expectStatus(t, "app proof claiming the TVC key", err, StatusQOSAppSignature)
}
