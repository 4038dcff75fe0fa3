package zerokey

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// expectStatus fails unless err carries the status want.
func expectStatus(t *testing.T, label string, err error, want Status) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("%s: got %v, want %s", label, err, want.Name())
	}
}

type goldenManifest struct {
	V1JSON      string `json:"manifest_v1_json"`
	V0JSON      string `json:"manifest_v0_json"`
	Approval    string `json:"approval_json"`
	EnvJSON     string `json:"manifest_envelope_json"`
	V1BorshHex  string `json:"manifest_v1_borsh_hex"`
	V1BorshLen  int    `json:"manifest_v1_borsh_len"`
	V1SHA256    string `json:"manifest_v1_sha256"`
	EnvBorshLen int    `json:"manifest_envelope_borsh_len"`
	EnvSHA256   string `json:"manifest_envelope_sha256"`
	PrimarySeed string `json:"primary_seed_file"`
	About       string `json:"_about"`
}

func TestQOSGoldenManifest(t *testing.T) {
	var d goldenManifest
	loadJSON(t, "turnkey/qos_manifest/golden_manifest_v1.json", &d)
	run := 0
	m := must(ParseQOSManifestJSON([]byte(d.V1JSON)))
	defer m.Close()
	borsh := must(m.Borsh())
	if hexStr(borsh) != d.V1BorshHex || len(borsh) != d.V1BorshLen {
		t.Fatal("golden manifest borsh")
	}
	if hexStr(m.Hash()) != d.V1SHA256 || !bytes.Equal(Sum256(borsh), m.Hash()) {
		t.Fatal("golden manifest hash")
	}
	if m.Version() != 1 || m.Namespace() != "production/signer" || len(m.PivotHash()) != 32 ||
		len(m.PCR(0)) != QOSPCRLen || m.PCR(4) != nil || len(m.QuorumKey()) != QOSPublicLen {
		t.Fatal("golden manifest fields")
	}
	for _, ver := range []QOSManifestVersion{QOSManifestAuto, QOSManifestV1} {
		mb := must(ParseQOSManifestBorsh(borsh, ver))
		if !bytes.Equal(mb.Hash(), m.Hash()) || !bytes.Equal(must(mb.Borsh()), borsh) || mb.Nonce() != m.Nonce() {
			t.Fatalf("borsh round trip (version %d)", ver)
		}
		mb.Close()
		mb.Close() // idempotent
	}
	if _, err := ParseQOSManifestBorsh(borsh[:len(borsh)-1], QOSManifestAuto); !errors.Is(err, ErrParse) && !errors.Is(err, ErrQOS) {
		t.Fatalf("truncated borsh: %v", err)
	}
	if _, err := ParseQOSManifestBorsh(append(append([]byte{}, borsh...), 0), QOSManifestV1); !errors.Is(err, StatusTrailing) {
		t.Fatalf("trailing byte: %v", err)
	}
	if _, err := ParseQOSManifestJSON([]byte(strings.Replace(d.V1JSON, "{", `{"version":2,`, 1))); !errors.Is(err, StatusQOSManifestVersion) {
		t.Fatalf("V2 manifest: %v", err)
	}
	run++
	// V0 JSON is read as V1 (bridgeConfig [], debugMode false): 1422 bytes, hash af2d3c...
	v0 := must(ParseQOSManifestJSON([]byte(d.V0JSON)))
	if !strings.Contains(d.About, "1422 / af2d3c") || v0.Version() != 1 || len(must(v0.Borsh())) != 1422 ||
		!strings.HasPrefix(hexStr(v0.Hash()), "af2d3c") {
		t.Fatal("V0 JSON manifest")
	}
	v0.Close()
	run++

	// The published approval is the primary key's RFC 6979 signature over the hash.
	var appr struct {
		Signature string `json:"signature"`
		Member    struct {
			Alias  string `json:"alias"`
			PubKey string `json:"pubKey"`
		} `json:"member"`
	}
	if err := json.Unmarshal([]byte(d.Approval), &appr); err != nil {
		t.Fatal(err)
	}
	primary := must(QOSKeySetFromHex(readVector(t, "turnkey/"+d.PrimarySeed)))
	defer primary.Close()
	if hexStr(must(primary.Sign(m.Hash()))) != appr.Signature {
		t.Fatal("approval signature is not the primary key's RFC 6979 signature")
	}
	mine := must(SignQOSApproval(primary, appr.Member.Alias, m))
	theirs := must(NewQOSApproval(unhex(t, appr.Signature), appr.Member.Alias, unhex(t, appr.Member.PubKey)))
	if err := m.VerifyApprovals(QOSSetManifest, []*QOSApproval{theirs}); err != nil {
		t.Fatal(err)
	}
	if err := m.VerifyApprovals(QOSSetManifest, []*QOSApproval{mine}); err != nil {
		t.Fatal(err)
	}
	members := must(m.Members(QOSSetManifest))
	found := false
	for _, mem := range members {
		found = found || (mem.Alias == appr.Member.Alias && hexStr(mem.PublicKey) == appr.Member.PubKey)
	}
	if !found || len(members) == 0 || m.Threshold(QOSSetManifest) < 1 ||
		uint32(len(members)) < m.Threshold(QOSSetManifest) {
		t.Fatal("manifest set members")
	}
	run++
	badSig := unhex(t, appr.Signature)
	badSig[5] ^= 1
	bad := must(NewQOSApproval(badSig, appr.Member.Alias, unhex(t, appr.Member.PubKey)))
	expectStatus(t, "flipped signature", m.VerifyApprovals(QOSSetManifest, []*QOSApproval{bad}), StatusQOSApproval)
	expectStatus(t, "no approvals", m.VerifyApprovals(QOSSetManifest, nil), StatusQOSThreshold)
	expectStatus(t, "duplicate", m.VerifyApprovals(QOSSetManifest, []*QOSApproval{theirs, theirs}), StatusQOSDuplicateApproval)
	stranger := must(GenerateQOSKeySet())
	defer stranger.Close()
	sa := must(SignQOSApproval(stranger, appr.Member.Alias, m))
	expectStatus(t, "stranger", m.VerifyApprovals(QOSSetManifest, []*QOSApproval{sa}), StatusQOSApproverUnknown)
	if !errors.Is(m.VerifyApprovals(QOSSetManifest, []*QOSApproval{sa}), ErrQOS) {
		t.Fatal("QOS family")
	}
	closed := must(NewQOSApproval(unhex(t, appr.Signature), appr.Member.Alias, unhex(t, appr.Member.PubKey)))
	closed.Close()
	expectStatus(t, "closed approval", m.VerifyApprovals(QOSSetManifest, []*QOSApproval{closed}), StatusArg)
	run += 4

	env := must(ParseQOSEnvelopeJSON([]byte(d.EnvJSON)))
	defer env.Close()
	envBorsh := must(env.Borsh())
	if len(envBorsh) != d.EnvBorshLen || hexStr(Sum256(envBorsh)) != d.EnvSHA256 {
		t.Fatal("golden envelope borsh")
	}
	if !bytes.Equal(env.Manifest().Hash(), m.Hash()) || env.ApprovalCount(QOSSetManifest) < 1 {
		t.Fatal("envelope manifest")
	}
	if err := env.VerifyApprovals(0); err != nil {
		t.Fatal(err)
	}
	if err := env.VerifyApprovals(QOSEnvNoShareApprovals | QOSEnvShareApprovals); !errors.Is(err, StatusArg) {
		t.Fatalf("contradictory flags: %v", err)
	}
	env2 := must(ParseQOSEnvelopeBorsh(envBorsh, QOSManifestAuto))
	if !bytes.Equal(must(env2.Borsh()), envBorsh) || env2.VerifyApprovals(0) != nil {
		t.Fatal("envelope borsh round trip")
	}
	// A borrowed manifest stops working when its envelope is closed.
	borrowed := env2.Manifest()
	borrowed.Close() // a no-op on the envelope
	borrowed = env2.Manifest()
	if !bytes.Equal(borrowed.Hash(), m.Hash()) {
		t.Fatal("borrowed manifest")
	}
	env2.Close()
	if borrowed.Hash() != nil || borrowed.Version() != -1 {
		t.Fatal("borrowed manifest after its envelope was closed")
	}
	if _, err := borrowed.Borsh(); !errors.Is(err, StatusArg) {
		t.Fatalf("borrowed manifest after close: %v", err)
	}
	built := must(NewQOSEnvelope(m))
	defer built.Close()
	expectStatus(t, "unapproved envelope", built.VerifyApprovals(0), StatusQOSThreshold)
	expectStatus(t, "patch-set approval list", built.AddApproval(QOSSetPatch, mine), StatusArg)
	if err := built.AddApproval(QOSSetManifest, mine); err != nil {
		t.Fatal(err)
	}
	if err := built.VerifyApprovals(QOSEnvNoShareApprovals); err != nil || built.ApprovalCount(QOSSetManifest) != 1 {
		t.Fatal("built envelope", err)
	}
	if err := built.AddApproval(QOSSetShare, mine); err != nil {
		t.Fatal(err)
	}
	expectStatus(t, "share approvals refused", built.VerifyApprovals(QOSEnvNoShareApprovals), StatusQOSShareApprovals)
	run += 2
	report(t, "turnkey/qos_manifest/golden_manifest_v1.json", run, run)

	tried, rejected := 0, 0
	for i := 0; i < len(envBorsh); i += 4 {
		mb := append([]byte{}, envBorsh...)
		mb[i] ^= 0x01
		tried++
		e, err := ParseQOSEnvelopeBorsh(mb, QOSManifestAuto)
		if err == nil {
			err = e.VerifyApprovals(0)
			e.Close()
		}
		if err != nil {
			rejected++
		}
	}
	t.Logf("MUTATIONS go/qos_manifest_envelope: tried=%d rejected=%d", tried, rejected)
	if tried == 0 || tried != rejected {
		t.Fatalf("envelope mutations: tried=%d rejected=%d", tried, rejected)
	}
}

func TestQOSCanonicalJSONAndPCR(t *testing.T) {
	var d struct {
		Canonical []struct {
			Value     json.RawMessage `json:"value"`
			Canonical string          `json:"canonical"`
			SHA256    string          `json:"sha256"`
		} `json:"qos_canonical_json"`
		Commitments []struct {
			Kind       string `json:"kind"`
			Index      int    `json:"pcr_index"`
			Hash       string `json:"manifest_hash"`
			Eph        string `json:"ephemeral_public_key"`
			Commitment string `json:"commitment_sha384"`
			PCR        string `json:"expected_pcr"`
		} `json:"manifest_commitment_pcr"`
		PCR3 []struct {
			ARN  string `json:"iam_role_arn"`
			PCR3 string `json:"pcr3"`
		} `json:"pcr3"`
	}
	loadJSON(t, "turnkey/qos_json_and_pcr.json", &d)
	run := 0
	for _, c := range d.Canonical {
		got := must(QOSCanonicalJSON(c.Value))
		if string(got) != c.Canonical || hexStr(Sum256(got)) != c.SHA256 {
			t.Fatalf("canonical JSON of %s: %s", c.Value, got)
		}
		run++
	}
	for _, c := range d.Commitments {
		kind := QOSCommitLive
		if c.Kind == "setup" {
			kind = QOSCommitSetup
		}
		if int(kind) != c.Index {
			t.Fatalf("commitment kind %s: PCR%d", c.Kind, c.Index)
		}
		pcr, com := must2(QOSPCRCommitment(kind, unhex(t, c.Hash), unhex(t, c.Eph)))
		if hexStr(pcr) != c.PCR || hexStr(com) != c.Commitment {
			t.Fatalf("commitment %s", c.Kind)
		}
		// The other kind gives another value (the domain is part of the preimage).
		other, _ := must2(QOSPCRCommitment(QOSCommitSetup+QOSCommitLive-kind, unhex(t, c.Hash), unhex(t, c.Eph)))
		if bytes.Equal(other, pcr) {
			t.Fatal("setup and live commitments coincide")
		}
		run++
	}
	for _, c := range d.PCR3 {
		if hexStr(must(QOSPCR3FromARN(c.ARN))) != c.PCR3 {
			t.Fatalf("PCR3 of %s", c.ARN)
		}
		run++
	}
	if run != len(d.Canonical)+len(d.Commitments)+len(d.PCR3) || run == 0 {
		t.Fatal("no vectors")
	}
	report(t, "turnkey/qos_json_and_pcr.json", run, run)
	_, err := QOSCanonicalJSON([]byte(`{"a":1,"a":2}`))
	expectStatus(t, "duplicate key", err, StatusDuplicateKey)
	_, err = QOSCanonicalJSON([]byte(`{"a":1.5}`))
	expectStatus(t, "non-integer number", err, StatusQOSCanonicalJSON)
	_, _, err = QOSPCRCommitment(QOSCommitment(15), make([]byte, 32), make([]byte, 130))
	expectStatus(t, "unknown commitment kind", err, StatusArg)
	if got := must(QOSCanonicalJSON([]byte(`{"b":null,"a":[1,"x"]}`))); string(got) != `{"a":["1","x"]}` {
		t.Fatalf("canonical JSON: %s", got)
	}
}
